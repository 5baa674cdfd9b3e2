package org.ionloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ionloop.analysis.eis.Circuit;
import org.ionloop.planner.pareto.Hypervolume;
import org.ionloop.planner.pareto.Pareto;
import org.ionloop.store.CampaignRepository;

/**
 * What the API and the dashboard show, read from the store alone: a campaign with its progress,
 * Pareto front and hypervolume so far; experiments with their decisions; steps, fits, raw spectra
 * with fitted curves, the Arrhenius data; the event and decision logs; model versions. JSON trees,
 * because that is what every reader wants.
 */
public final class CampaignViews {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Boltzmann constant, eV/K. */
  private static final double KB = 8.617333262e-5;
  private static final int FIT_CURVE_POINTS = 120;

  private final CampaignRepository repo;

  public CampaignViews(CampaignRepository repo) {
    this.repo = repo;
  }

  /** All campaigns, newest first, with their progress. */
  public ArrayNode campaigns() {
    ArrayNode out = NODES.arrayNode();
    for (CampaignRepository.CampaignRow r : repo.campaigns()) {
      ObjectNode c = out.addObject();
      c.put("id", r.id());
      c.put("name", r.name());
      c.put("state", r.state());
      c.put("created_at", r.createdAt().toString());
      c.put("experiments", r.experiments());
      c.put("results", r.results());
      c.put("budget", budgetOf(specYaml(r.id()).orElse("")));
    }
    return out;
  }

  /** One campaign: state, budget, objectives, counts, Pareto front and hypervolume so far. */
  public Optional<ObjectNode> campaign(String id) {
    List<ObjectNode> rows = repo.query("SELECT id,name,state,created_at,updated_at,seed,spec_yaml,spec_file"
        + " FROM campaign WHERE id=?", rs -> {
          ObjectNode c = NODES.objectNode();
          c.put("id", rs.getString(1));
          c.put("name", rs.getString(2));
          c.put("state", rs.getString(3));
          c.put("created_at", iso(rs.getTimestamp(4)));
          c.put("updated_at", iso(rs.getTimestamp(5)));
          c.put("seed", rs.getLong(6));
          c.put("spec_file", rs.getString(8));
          JsonNode spec = readYaml(rs.getString(7));
          c.put("budget", spec.path("budget").path("experiments").asInt(0));
          c.put("parallel", spec.path("budget").path("parallel").asInt(1));
          c.set("objectives", spec.path("objectives").deepCopy());
          return c;
        }, id);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode c = rows.get(0);
    for (String state : List.of("RUNNING", "COMPLETED", "FAILED")) {
      c.put(state.toLowerCase(), repo.query("SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND state=?",
          rs -> rs.getLong(1), id, state).get(0));
    }
    List<CampaignRepository.ResultRow> results = repo.results(id);
    c.put("results", results.size());
    String reason = repo.query("SELECT payload FROM campaign_event WHERE campaign_id=? AND kind='campaign_state_changed'"
        + " ORDER BY seq DESC", rs -> rs.getString(1), id).stream().findFirst()
        .map(p -> readJson(p).path("reason").asText(null)).orElse(null);
    c.put("state_reason", reason);
    JsonNode objectives = c.path("objectives");
    double[] reference = referenceOf(objectives);
    List<double[]> points = new ArrayList<>();
    ArrayNode hypervolume = c.putArray("hypervolume_so_far");
    for (CampaignRepository.ResultRow r : results) {
      points.add(oriented(objectives, r));
      hypervolume.add(Hypervolume.of(points, reference));
    }
    ArrayNode front = c.putArray("pareto_front");
    Pareto.nonDominated(points).forEach(i -> front.add(results.get(i).experimentId()));
    putOperatorTasks(c, id);
    return Optional.of(c);
  }

  /**
   * What waits for an operator, from the log: {@code pending_approvals} (a gate asked and not
   * yet answered, of an experiment still running: experiment_id, step, prompt, requested_at) and
   * {@code stations_out_of_service} (quarantined and not released: station, reason, since).
   */
  private void putOperatorTasks(ObjectNode c, String id) {
    Map<String, ObjectNode> approvals = new java.util.LinkedHashMap<>();
    Map<String, ObjectNode> stations = new java.util.LinkedHashMap<>();
    repo.query("SELECT experiment_id,kind,payload,ts FROM campaign_event WHERE campaign_id=? AND kind IN"
        + " ('approval_requested','approval_granted','approval_rejected','station_quarantined','station_released')"
        + " ORDER BY seq", rs -> {
          JsonNode p = readJson(rs.getString(3));
          String key = rs.getString(1) + "/" + p.path("step").asText();
          switch (rs.getString(2)) {
            case "approval_requested" -> approvals.put(key, NODES.objectNode().put("experiment_id", rs.getString(1))
                .put("step", p.path("step").asText()).put("prompt", p.path("prompt").asText())
                .put("requested_at", iso(rs.getTimestamp(4))));
            case "approval_granted", "approval_rejected" -> approvals.remove(key);
            case "station_quarantined" -> stations.put(p.path("station").asText(), NODES.objectNode()
                .put("station", p.path("station").asText()).put("reason", p.path("reason").asText())
                .put("since", iso(rs.getTimestamp(4))));
            default -> stations.remove(p.path("station").asText());
          }
          return null;
        }, id);
    java.util.Set<String> running = new java.util.HashSet<>(repo.query(
        "SELECT id FROM experiment WHERE campaign_id=? AND state='RUNNING'", rs -> rs.getString(1), id));
    ArrayNode pending = c.putArray("pending_approvals");
    approvals.values().stream().filter(a -> running.contains(a.path("experiment_id").asText())).forEach(pending::add);
    ArrayNode out = c.putArray("stations_out_of_service");
    stations.values().forEach(out::add);
  }

  /** Experiments of a campaign in order, each with its design, decision and result. */
  public ArrayNode experiments(String campaignId) {
    ArrayNode out = NODES.arrayNode();
    ObjectNode values = objectiveValues("campaign_id", campaignId);
    repo.query(EXPERIMENT_SELECT + " WHERE e.campaign_id=? ORDER BY e.seq_no", this::experimentRow, campaignId)
        .forEach(e -> out.add(withObjectives(e, values)));
    return out;
  }

  /** Every experiment of a campaign in its full view ({@link #experiment}), in order. */
  public List<ObjectNode> detailedExperiments(String campaignId) {
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode e : experiments(campaignId)) {
      out.add(experiment(campaignId, e.get("id").asText()).orElseThrow());
    }
    return out;
  }

  /** The campaign's objective names in its order, from its file as stored. */
  public List<String> objectiveNames(String campaignId) {
    List<String> names = new ArrayList<>();
    specYaml(campaignId).map(CampaignViews::readYaml).ifPresent(spec ->
        spec.path("objectives").forEach(o -> names.add(o.path("name").asText())));
    return names;
  }

  /** Objective values, experiment id → {name → {value, std_err}}, of a campaign or one experiment. */
  private ObjectNode objectiveValues(String column, String id) {
    ObjectNode byExperiment = NODES.objectNode();
    repo.query("SELECT experiment_id,name,val,std_err FROM objective_value WHERE " + column + "=?", rs -> {
      ObjectNode v = NODES.objectNode();
      putNumber(v, "value", rs, 3);
      putNumber(v, "std_err", rs, 4);
      ObjectNode of = byExperiment.has(rs.getString(1)) ? (ObjectNode) byExperiment.get(rs.getString(1))
          : byExperiment.putObject(rs.getString(1));
      of.set(rs.getString(2), v);
      return null;
    }, id);
    return byExperiment;
  }

  private static ObjectNode withObjectives(ObjectNode experiment, ObjectNode values) {
    JsonNode of = values.get(experiment.path("id").asText());
    experiment.set("objectives", of == null ? NODES.objectNode() : of);
    return experiment;
  }

  /** One experiment with its steps, fits and Arrhenius data. */
  public Optional<ObjectNode> experiment(String campaignId, String experimentId) {
    List<ObjectNode> rows = repo.query(EXPERIMENT_SELECT + " WHERE e.campaign_id=? AND e.id=?",
        this::experimentRow, campaignId, experimentId);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode e = withObjectives(rows.get(0), objectiveValues("experiment_id", experimentId));
    e.set("steps", steps(experimentId));
    ArrayNode measurements = measurements(experimentId);
    e.set("measurements", measurements);
    e.set("arrhenius", arrhenius(measurements, e));
    return Optional.of(e);
  }

  private static final String EXPERIMENT_SELECT = "SELECT e.id,e.seq_no,e.state,e.failure,e.started_at,"
      + "e.finished_at,c.x,c.model_version,c.acquisition,r.log10_sigma25,r.log10_sigma25_se,r.ea_ev,r.ea_se_ev"
      + " FROM experiment e JOIN candidate c ON c.id=e.candidate_id LEFT JOIN result r ON r.experiment_id=e.id";

  private ObjectNode experimentRow(ResultSet rs) throws SQLException {
    ObjectNode e = NODES.objectNode();
    e.put("id", rs.getString(1));
    e.put("seq_no", rs.getInt(2));
    e.put("state", rs.getString(3));
    e.put("failure", rs.getString(4));
    e.put("started_at", iso(rs.getTimestamp(5)));
    e.put("finished_at", iso(rs.getTimestamp(6)));
    e.set("x", readJson(rs.getString(7)));
    e.put("model_version", rs.getString(8));
    putNumber(e, "acquisition", rs, 9);
    // The spectra's Arrhenius fit, when the protocol measured impedance: analysis, not objectives.
    ObjectNode fit = NODES.objectNode();
    putNumber(fit, "log10_sigma25", rs, 10);
    putNumber(fit, "log10_sigma25_se", rs, 11);
    putNumber(fit, "ea_ev", rs, 12);
    putNumber(fit, "ea_se_ev", rs, 13);
    e.set("arrhenius_fit", fit.path("ea_ev").isNull() ? NODES.nullNode() : fit);
    return e;
  }

  /** The commands an experiment's protocol sent, in order, with their replies. */
  public ArrayNode steps(String experimentId) {
    ArrayNode out = NODES.arrayNode();
    repo.query("SELECT step_id,command_id,instrument,action,params,state,result,started_at,finished_at"
        + " FROM step WHERE experiment_id=? ORDER BY id", rs -> {
          ObjectNode s = NODES.objectNode();
          s.put("step_id", rs.getString(1));
          s.put("command_id", rs.getString(2));
          s.put("instrument", rs.getString(3));
          s.put("action", rs.getString(4));
          s.set("params", readJson(rs.getString(5)));
          s.put("state", rs.getString(6));
          s.set("result", readJson(rs.getString(7)));
          s.put("started_at", iso(rs.getTimestamp(8)));
          s.put("finished_at", iso(rs.getTimestamp(9)));
          return s;
        }, experimentId).forEach(out::add);
    return out;
  }

  /** Each temperature's circuit fit. */
  public ArrayNode measurements(String experimentId) {
    ArrayNode out = NODES.arrayNode();
    repo.query("SELECT temperature_c,circuit,parameters,resistance_ohm,resistance_se_ohm,sigma_s_cm,chi_square,"
        + "converged,bulk_resolved,kk_valid,kk_residual,fit_reason,parameter_std_errs FROM measurement WHERE experiment_id=?"
        + " ORDER BY temperature_c", rs -> {
          ObjectNode m = NODES.objectNode();
          m.put("temperature_c", rs.getDouble(1));
          m.put("circuit", rs.getString(2));
          m.set("parameters", readJson(rs.getString(3)));
          putNumber(m, "resistance_ohm", rs, 4);
          putNumber(m, "resistance_se_ohm", rs, 5);
          putNumber(m, "sigma_s_cm", rs, 6);
          // σ = L/(R·A): its relative error is R's (the geometry's is not known here).
          double sigmaSe = m.path("sigma_s_cm").asDouble(Double.NaN) * m.path("resistance_se_ohm").asDouble(Double.NaN)
              / m.path("resistance_ohm").asDouble(Double.NaN);
          if (Double.isFinite(sigmaSe)) {
            m.put("sigma_se_s_cm", sigmaSe);
          } else {
            m.putNull("sigma_se_s_cm");
          }
          putNumber(m, "chi_square", rs, 7);
          m.put("converged", rs.getBoolean(8));
          m.put("bulk_resolved", rs.getBoolean(9));
          m.put("kk_valid", (Boolean) rs.getObject(10));
          putNumber(m, "kk_residual", rs, 11);
          m.put("fit_reason", rs.getString(12));
          m.set("parameter_std_errs", rs.getString(13) == null ? NODES.nullNode() : readJson(rs.getString(13)));
          return m;
        }, experimentId).forEach(out::add);
    return out;
  }

  /**
   * Raw spectra, each with the fitted circuit's curve over the same frequency range
   * ({@code points} and {@code fit} are [f Hz, Z' Ω, Z'' Ω] rows).
   */
  public ArrayNode spectra(String experimentId) {
    ArrayNode measurements = measurements(experimentId);
    ArrayNode out = NODES.arrayNode();
    repo.query("SELECT temperature_c,points FROM spectrum WHERE experiment_id=? ORDER BY temperature_c, id",
        rs -> {
          ObjectNode s = NODES.objectNode();
          s.put("temperature_c", rs.getDouble(1));
          s.set("points", readJson(rs.getString(2)));
          return s;
        }, experimentId).forEach(s -> {
          for (JsonNode m : measurements) {
            if (m.path("temperature_c").asDouble() == s.path("temperature_c").asDouble()
                && m.hasNonNull("parameters")) {
              s.put("circuit", m.path("circuit").asText());
              s.set("fit", fittedCurve(m.path("circuit").asText(), m.path("parameters"), s.path("points")));
            }
          }
          out.add(s);
        });
    return out;
  }

  /** The circuit's impedance at log-spaced frequencies spanning the measured ones. */
  static ArrayNode fittedCurve(String circuitText, JsonNode parameters, JsonNode points) {
    ArrayNode curve = NODES.arrayNode();
    Circuit circuit;
    try {
      circuit = Circuit.parse(circuitText);
    } catch (RuntimeException e) {
      return curve;
    }
    double[] p = new double[circuit.parameterCount()];
    List<String> names = circuit.parameterNames();
    for (int i = 0; i < p.length; i++) {
      if (!parameters.has(names.get(i))) {
        return curve;
      }
      p[i] = parameters.get(names.get(i)).asDouble();
    }
    double fMin = Double.POSITIVE_INFINITY;
    double fMax = 0;
    for (JsonNode row : points) {
      fMin = Math.min(fMin, row.get(0).asDouble());
      fMax = Math.max(fMax, row.get(0).asDouble());
    }
    if (!(fMax > fMin && fMin > 0)) {
      return curve;
    }
    double[] z = new double[2];
    for (int k = 0; k < FIT_CURVE_POINTS; k++) {
      double f = fMax * Math.pow(fMin / fMax, k / (FIT_CURVE_POINTS - 1.0));
      circuit.impedance(2 * Math.PI * f, p, z);
      curve.addArray().add(f).add(z[0]).add(z[1]);
    }
    return curve;
  }

  /** ln(σT) against 1000/T per temperature, and the line of the recorded activation energy. */
  private static ObjectNode arrhenius(ArrayNode measurements, ObjectNode experiment) {
    ObjectNode a = NODES.objectNode();
    ArrayNode pts = a.putArray("points");
    double sx = 0;
    double sy = 0;
    int n = 0;
    for (JsonNode m : measurements) {
      double sigma = m.path("sigma_s_cm").asDouble(Double.NaN);
      if (sigma > 0) {
        double t = m.path("temperature_c").asDouble() + 273.15;
        double x = 1000 / t;
        double y = Math.log(sigma * t);
        pts.addObject().put("inv_t_1000", x).put("ln_sigma_t", y).put("temperature_c", t - 273.15);
        sx += x;
        sy += y;
        n++;
      }
    }
    JsonNode fit = experiment.path("arrhenius_fit");
    if (n >= 2 && fit.hasNonNull("ea_ev")) {
      // σT = A exp(−Ea / kT): slope of ln(σT) over 1000/T is −Ea/(1000 k); through the centroid.
      double slope = -fit.get("ea_ev").asDouble() / (1000 * KB);
      a.put("ea_ev", fit.get("ea_ev").asDouble());
      a.set("ea_se_ev", fit.get("ea_se_ev"));
      a.put("slope", slope);
      a.put("intercept", sy / n - slope * sx / n);
    }
    return a;
  }

  /** Events after {@code afterSeq}, oldest first, at most {@code limit}. */
  public ArrayNode events(String campaignId, long afterSeq, int limit) {
    ArrayNode out = NODES.arrayNode();
    repo.timeline(campaignId, afterSeq, limit).forEach(r -> {
      ObjectNode e = out.addObject();
      e.put("seq", r.seq());
      e.put("ts", r.ts().toString());
      e.put("experiment_id", r.experimentId());
      e.put("kind", r.kind());
      e.set("payload", readJson(r.payload()));
    });
    return out;
  }

  /** Why each candidate was chosen: method, acquisition value, model version, data it saw. */
  public ArrayNode decisions(String campaignId) {
    ArrayNode out = NODES.arrayNode();
    repo.query("SELECT ev.experiment_id,ev.ts,ev.payload,e.seq_no FROM campaign_event ev"
        + " LEFT JOIN experiment e ON e.id=ev.experiment_id WHERE ev.campaign_id=? AND ev.kind='decision'"
        + " ORDER BY ev.seq", rs -> {
          ObjectNode d = NODES.objectNode();
          d.put("experiment_id", rs.getString(1));
          d.put("seq_no", rs.getInt(4));
          d.put("ts", iso(rs.getTimestamp(2)));
          d.setAll((ObjectNode) readJson(rs.getString(3)));
          return d;
        }, campaignId).forEach(out::add);
    return out;
  }

  /** Model versions the store knows, newest first. */
  public ArrayNode models() {
    ArrayNode out = NODES.arrayNode();
    repo.query("SELECT id,file,sha256,data_sha256,metrics,created_at FROM model_version ORDER BY created_at DESC",
        rs -> {
          ObjectNode m = NODES.objectNode();
          m.put("id", rs.getString(1));
          m.put("file", rs.getString(2));
          m.put("sha256", rs.getString(3));
          m.put("data_sha256", rs.getString(4));
          m.set("metrics", readJson(rs.getString(5)));
          m.put("created_at", iso(rs.getTimestamp(6)));
          return m;
        }).forEach(out::add);
    return out;
  }

  /** A campaign's lifecycle state, if the campaign exists (one indexed read). */
  public Optional<String> state(String campaignId) {
    return repo.query("SELECT state FROM campaign WHERE id=?", rs -> rs.getString(1), campaignId)
        .stream().findFirst();
  }

  /** True when the campaign has an experiment with this id. */
  public boolean hasExperiment(String campaignId, String experimentId) {
    return !repo.query("SELECT 1 FROM experiment WHERE campaign_id=? AND id=?", rs -> 1, campaignId,
        experimentId).isEmpty();
  }

  /** The campaign file a campaign was created from. */
  public Optional<String> specYaml(String campaignId) {
    return repo.query("SELECT spec_yaml FROM campaign WHERE id=?", rs -> rs.getString(1), campaignId)
        .stream().findFirst();
  }

  /** Experiment budget written in a campaign file (0 when unreadable). */
  static int budgetOf(String yaml) {
    return readYaml(yaml).path("budget").path("experiments").asInt(0);
  }

  /** Hypervolume reference from the campaign's objectives, each oriented for maximisation. */
  static double[] referenceOf(JsonNode objectives) {
    double[] ref = new double[objectives.size()];
    for (int i = 0; i < ref.length; i++) {
      JsonNode o = objectives.get(i);
      ref[i] = sign(o) * o.path("reference").asDouble(Double.NaN);
    }
    return ref;
  }

  /** A result's objectives in the campaign's order, each oriented for maximisation. */
  static double[] oriented(JsonNode objectives, CampaignRepository.ResultRow r) {
    double[] v = new double[objectives.size()];
    for (int i = 0; i < v.length; i++) {
      JsonNode o = objectives.get(i);
      v[i] = sign(o) * r.value(o.path("name").asText());
    }
    return v;
  }

  private static double sign(JsonNode objective) {
    return "minimize".equals(objective.path("direction").asText()) ? -1 : 1;
  }

  private static void putNumber(ObjectNode n, String field, ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    if (rs.wasNull() || !Double.isFinite(v)) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }

  /** A timestamp as ISO-8601 text; null for SQL NULL. */
  static String iso(Timestamp t) {
    return t == null ? null : t.toInstant().toString();
  }

  /** A JSON column's value; JSON null for SQL NULL, the raw text when it is not JSON. */
  static JsonNode readJson(String text) {
    if (text == null) {
      return NODES.nullNode();
    }
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      return NODES.textNode(text);
    }
  }

  private static JsonNode readYaml(String text) {
    try {
      JsonNode n = YAML.readTree(text);
      return n == null ? NODES.objectNode() : n;
    } catch (Exception e) {
      return NODES.objectNode();
    }
  }
}
