package org.ionloop.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;
import org.ionloop.store.StoreRecord.*;

/**
 * JDBC access to the campaign tables. Writes go through {@link #append}, which stores the record
 * in its table and as a {@code campaign_event} in one transaction. Reads serve the CLI.
 */
public final class CampaignRepository {
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
  private final DataSource ds;

  public CampaignRepository(DataSource ds) {
    this.ds = ds;
  }

  /** The store's data source, for the other tables' accessors (tokens). */
  public DataSource dataSource() {
    return ds;
  }

  /** The operator's inbox in the same store. */
  public OperatorCommands operatorCommands() {
    return new OperatorCommands(ds);
  }

  /** One row of a campaign's timeline. */
  public record EventRow(long seq, Instant ts, String experimentId, String kind, String payload) {}

  /**
   * One measured result with its candidate: the campaign's objectives by name (in the order the
   * campaign lists them, as it stored them).
   */
  public record ResultRow(String experimentId, String candidateId, String x,
      Map<String, StoreRecord.Value> objectives) {
    /** The objective's value, NaN when this result has none by that name. */
    public double value(String objective) {
      StoreRecord.Value v = objectives.get(objective);
      return v == null ? Double.NaN : v.value();
    }
  }

  /** Summary of a campaign. */
  public record CampaignRow(String id, String name, String state, Instant createdAt,
      int experiments, int results) {}

  /**
   * Appends a record atomically.
   *
   * @throws IonloopException code STORE on any database failure
   */
  public void append(StoreRecord r) {
    appendAll(List.of(r));
  }

  /**
   * Appends records in one transaction: after a crash either all of them are in the store or
   * none is.
   *
   * @throws IonloopException code STORE on any database failure
   */
  public void appendAll(List<StoreRecord> records) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (StoreRecord r : records) {
          write(c, r);
          event(c, r);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot store " + records.stream()
          .map(r -> r.getClass().getSimpleName()).distinct().toList() + ": " + e.getMessage(), e);
    }
  }

  private void write(Connection c, StoreRecord r) throws SQLException {
    if (r instanceof CampaignCreated x) {
      exec(c, "INSERT INTO campaign(id,name,spec_file,spec_yaml,seed,state,created_at,updated_at)"
          + " VALUES (?,?,?,?,?,'PLANNED',?,?)", x.campaignId(), x.name(), x.specFile(),
          x.specYaml(), x.seed(), ts(x.ts()), ts(x.ts()));
    } else if (r instanceof CampaignStateChanged x) {
      exec(c, "UPDATE campaign SET state=?, updated_at=? WHERE id=?", x.state(), ts(x.ts()),
          x.campaignId());
    } else if (r instanceof ModelVersionSeen x) {
      // A model version is recorded once, by the first campaign that uses it (portable SQL:
      // H2 and PostgreSQL spell upserts differently).
      exec(c, "INSERT INTO model_version(id,file,sha256,data_sha256,metrics,created_at)"
          + " SELECT ?,?,?,?,?,? WHERE NOT EXISTS (SELECT 1 FROM model_version WHERE id=?)",
          x.versionId(), x.file(), x.sha256(), x.dataSha256(), json(x.metrics()), ts(x.ts()),
          x.versionId());
    } else if (r instanceof CandidateChosen x) {
      // A campaign resumed after its orchestrator died between choosing a candidate and starting
      // its experiment chooses again for that experiment: the choice that never ran gives way.
      // A candidate whose experiment started stays, and a second choice for it is refused.
      exec(c, "DELETE FROM candidate WHERE id=? AND NOT EXISTS (SELECT 1 FROM experiment e WHERE e.candidate_id=?)",
          x.candidateId(), x.candidateId());
      exec(c, "INSERT INTO candidate(id,campaign_id,x,model_version,acquisition,created_at)"
          + " VALUES (?,?,?,?,?,?)", x.candidateId(), x.campaignId(), json(x.x()),
          x.modelVersion(), x.acquisition(), ts(x.ts()));
    } else if (r instanceof ExperimentStarted x) {
      exec(c, "INSERT INTO experiment(id,campaign_id,candidate_id,seq_no,state,started_at)"
          + " VALUES (?,?,?,?,'RUNNING',?)", x.experimentId(), x.campaignId(), x.candidateId(),
          x.seqNo(), ts(x.ts()));
    } else if (r instanceof CommandSent x) {
      // A retry or a re-send after a restart keeps the command id: the step row is the command's
      // latest state, the event log keeps every send.
      int updated = exec(c, "UPDATE step SET state='SENT', instrument=?, started_at=?, finished_at=NULL,"
          + " result=NULL WHERE command_id=?", x.instrument(), ts(x.ts()), x.commandId());
      if (updated == 0) {
        exec(c, "INSERT INTO step(experiment_id,step_id,command_id,instrument,action,params,state,"
            + "started_at) VALUES (?,?,?,?,?,?,'SENT',?)", x.experimentId(), x.stepId(),
            x.commandId(), x.instrument(), x.action(), json(x.params()), ts(x.ts()));
      }
    } else if (r instanceof ReplyReceived x) {
      exec(c, "UPDATE step SET state=?, result=?, finished_at=? WHERE command_id=?", x.state(),
          json(x.result()), ts(x.ts()), x.commandId());
    } else if (r instanceof SpectrumMeasured x) {
      exec(c, "INSERT INTO spectrum(experiment_id,temperature_c,points) VALUES (?,?,?)",
          x.experimentId(), x.temperatureC(), json(x.points()));
    } else if (r instanceof MeasurementFitted x) {
      exec(c, "INSERT INTO measurement(experiment_id,temperature_c,circuit,parameters,parameter_std_errs,resistance_ohm,"
          + "resistance_se_ohm,sigma_s_cm,chi_square,converged,bulk_resolved,kk_valid,kk_residual,"
          + "fit_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", x.experimentId(), x.temperatureC(),
          x.circuit(), x.parameters() == null ? null : json(x.parameters()),
          x.parameterStdErrs() == null ? null : json(x.parameterStdErrs()), finite(x.resistanceOhm()), finite(x.resistanceSeOhm()),
          finite(x.sigmaSPerCm()), finite(x.chiSquare()), x.converged(), x.bulkResolved(),
          x.kkValid(), finite(x.kkResidual()), x.reason());
    } else if (r instanceof ResultRecorded x) {
      exec(c, "INSERT INTO result(experiment_id,campaign_id,log10_sigma25,log10_sigma25_se,ea_ev,"
          + "ea_se_ev,thickness_mm,diameter_mm) VALUES (?,?,?,?,?,?,?,?)", x.experimentId(),
          x.campaignId(), finite(x.log10Sigma25()), finite(x.log10Sigma25Se()), finite(x.eaEv()),
          finite(x.eaSeEv()), finite(x.thicknessMm()), finite(x.diameterMm()));
      for (Map.Entry<String, StoreRecord.Value> o : x.objectives().entrySet()) {
        exec(c, "INSERT INTO objective_value(experiment_id,campaign_id,name,val,std_err) VALUES (?,?,?,?,?)",
            x.experimentId(), x.campaignId(), o.getKey(), o.getValue().value(), finite(o.getValue().stdErr()));
      }
    } else if (r instanceof ExperimentEnded x) {
      exec(c, "UPDATE experiment SET state=?, failure=?, finished_at=? WHERE id=?", x.state(),
          fitFailure(x.failure()), ts(x.ts()), x.experimentId());
    }
    // Event records live only in campaign_event.
  }

  private void event(Connection c, StoreRecord r) throws SQLException {
    String experimentId = null;
    String kind;
    Object payload;
    if (r instanceof Event e) {
      experimentId = e.experimentId();
      kind = e.kind();
      payload = e.payload();
    } else if (r instanceof SpectrumMeasured s) {
      // The raw points live in the spectrum table; the event says that they exist.
      experimentId = s.experimentId();
      kind = "spectrum";
      payload = Map.of("temperature_c", s.temperatureC(), "points", s.points().length);
    } else {
      kind = kindOf(r);
      Map<String, Object> m = JSON.convertValue(r, LinkedHashMap.class);
      m.remove("campaignId");
      m.remove("ts");
      Object exp = m.remove("experimentId");
      experimentId = exp == null ? null : exp.toString();
      payload = m;
    }
    exec(c, "INSERT INTO campaign_event(campaign_id,experiment_id,ts,kind,payload)"
        + " VALUES (?,?,?,?,?)", r.campaignId(), experimentId, ts(r.ts()), kind, json(payload));
  }

  private static String kindOf(StoreRecord r) {
    String n = r.getClass().getSimpleName();
    return n.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
  }

  /** A campaign's timeline, oldest first. */
  public List<EventRow> timeline(String campaignId) {
    return timeline(campaignId, 0, Integer.MAX_VALUE);
  }

  /** Up to {@code limit} events after sequence number {@code afterSeq}, oldest first (for followers). */
  public List<EventRow> timeline(String campaignId, long afterSeq, int limit) {
    return query("SELECT seq,ts,experiment_id,kind,payload FROM campaign_event WHERE campaign_id=? AND seq>?"
        + " ORDER BY seq FETCH FIRST " + Math.max(0, limit) + " ROWS ONLY", rs -> new EventRow(rs.getLong(1),
            rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5)), campaignId, afterSeq);
  }

  /**
   * Stations out of service in the whole lab and why, by the event log: quarantined by any
   * campaign and not released since. A lab starting afresh (a restarted server) takes these out
   * of service again; the lock table it had before is gone with the process.
   */
  public Map<String, String> stationsOutOfService() {
    Map<String, String> out = new java.util.TreeMap<>();
    query("SELECT kind, payload FROM campaign_event WHERE kind IN ('station_quarantined','station_released')"
        + " ORDER BY seq", rs -> {
          com.fasterxml.jackson.databind.JsonNode p;
          try {
            p = JSON.readTree(rs.getString(2));
          } catch (JsonProcessingException e) {
            throw new SQLException("event payload is not JSON: " + e.getOriginalMessage(), e);
          }
          String station = p.path("station").asText();
          if (rs.getString(1).equals("station_quarantined")) {
            out.put(station, p.path("reason").asText());
          } else {
            out.remove(station);
          }
          return null;
        });
    return out;
  }

  /** All campaigns, newest first. */
  public List<CampaignRow> campaigns() {
    return query("SELECT c.id,c.name,c.state,c.created_at,"
        + "(SELECT COUNT(*) FROM experiment e WHERE e.campaign_id=c.id),"
        + "(SELECT COUNT(*) FROM result r WHERE r.campaign_id=c.id)"
        + " FROM campaign c ORDER BY c.created_at DESC", rs -> new CampaignRow(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getInt(5),
            rs.getInt(6)));
  }

  /** Measured results of a campaign in experiment order. */
  public List<ResultRow> results(String campaignId) {
    Map<String, Map<String, StoreRecord.Value>> values = new java.util.HashMap<>();
    query("SELECT experiment_id,name,val,std_err FROM objective_value WHERE campaign_id=?", rs -> {
      double se = rs.getDouble(4);
      values.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
          .put(rs.getString(2), new StoreRecord.Value(rs.getDouble(3), rs.wasNull() ? Double.NaN : se));
      return null;
    }, campaignId);
    return query("SELECT r.experiment_id,e.candidate_id,c.x FROM result r"
        + " JOIN experiment e ON e.id=r.experiment_id JOIN candidate c ON c.id=e.candidate_id"
        + " WHERE r.campaign_id=? ORDER BY e.seq_no", rs -> new ResultRow(rs.getString(1),
            rs.getString(2), rs.getString(3), java.util.Collections.unmodifiableMap(values.getOrDefault(rs.getString(1), Map.of()))),
        campaignId);
  }

  /** Number of rows in a table for a campaign (tests and summaries). */
  public long count(String table, String campaignId) {
    String sql = switch (table) {
      case "campaign_event", "candidate", "experiment", "result", "objective_value" ->
          "SELECT COUNT(*) FROM " + table + " WHERE campaign_id=?";
      case "step", "spectrum", "measurement" -> "SELECT COUNT(*) FROM " + table
          + " t JOIN experiment e ON e.id=t.experiment_id WHERE e.campaign_id=?";
      default -> throw new IllegalArgumentException("unknown table " + table);
    };
    return query(sql, rs -> rs.getLong(1), campaignId).get(0);
  }

  /** Functional row mapper that may throw SQLException. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs a read-only query. */
  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "query failed: " + e.getMessage(), e);
    }
  }

  private static int exec(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }

  /** The experiment table's failure column holds this many characters (V1). */
  static final int FAILURE_CHARS = 2000;

  /**
   * A failure as the experiment table can hold it: a reason longer than the column (a pool of
   * sixty furnaces listed with why each is out) is cut, saying so, rather than refused: a refused
   * write would keep the whole batch, and so the campaign, from the store. The event log's
   * payload keeps the full text.
   */
  static String fitFailure(String failure) {
    if (failure == null || failure.length() <= FAILURE_CHARS) {
      return failure;
    }
    int kept = FAILURE_CHARS - 80; // room for the mark, whatever the count's digits
    return failure.substring(0, kept) + " … (" + (failure.length() - kept) + " more characters in the campaign log)";
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot serialise " + o, e);
    }
  }
}
