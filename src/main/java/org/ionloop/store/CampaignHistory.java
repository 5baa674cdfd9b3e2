package org.ionloop.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * A campaign's state rebuilt from its event log alone ({@code campaign_event}, in sequence order):
 * the campaign's spec and lifecycle state, every experiment with its candidate, the commands it
 * sent and what came back, and its result. This is what a restarted orchestrator resumes from and
 * what an auditor can check the other tables against; nothing here reads those tables.
 */
public final class CampaignHistory {
  /** Campaign states after which nothing runs (the API, the CLI and recovery all ask this). */
  public static final java.util.Set<String> ENDED_STATES =
      java.util.Set.of("COMPLETED", "COMPLETED_WITH_FAILURES", "ABORTED", "FAILED");

  /**
   * The exit code of a command that ran a campaign to its end: 0 when every experiment gave a
   * result, 3 when it completed but some experiments failed (a script can tell the two apart),
   * 1 when it failed or was aborted (2 is a bad input file).
   */
  public static int exitCodeOf(String endState) {
    return switch (endState) {
      case "COMPLETED" -> 0;
      case "COMPLETED_WITH_FAILURES" -> 3;
      default -> 1;
    };
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One command as the log tells it: SENT (no reply yet), DONE or FAILED. */
  public record CommandRecord(String commandId, String stepId, String instrument, String action,
      String state, JsonNode result, int sends) {}

  /** One experiment as the log tells it. */
  public static final class ExperimentRecord {
    private final String id;
    private final int seqNo;
    private final Map<String, Double> x;
    private final String modelVersion;
    private String state = "RUNNING";
    private String failure;
    private boolean hasResult;
    private final Map<String, StoreRecord.Value> objectives = new LinkedHashMap<>();
    private double eaEv = Double.NaN;
    private final Map<String, CommandRecord> commands = new LinkedHashMap<>();
    private final java.util.Set<Double> spectra = new java.util.LinkedHashSet<>();
    private boolean fitted;
    private final List<double[]> fits = new ArrayList<>();
    private final java.util.Set<String> approvals = new java.util.HashSet<>();
    /** Role → station its locks granted it, in grant order (a station held before any command to it). */
    private final Map<String, String> stations = new LinkedHashMap<>();

    ExperimentRecord(String id, int seqNo, Map<String, Double> x, String modelVersion) {
      this.id = id;
      this.seqNo = seqNo;
      this.x = x;
      this.modelVersion = modelVersion;
    }

    public String id() {
      return id;
    }

    public int seqNo() {
      return seqNo;
    }

    /** The candidate, design variable → value (natural units). */
    public Map<String, Double> x() {
      return x;
    }

    public String modelVersion() {
      return modelVersion;
    }

    /** RUNNING (no end recorded), COMPLETED or FAILED. */
    public String state() {
      return state;
    }

    public String failure() {
      return failure;
    }

    public boolean hasResult() {
      return hasResult;
    }

    /** The campaign's objectives as recorded with the result, by name. */
    public Map<String, StoreRecord.Value> objectives() {
      return Collections.unmodifiableMap(objectives);
    }

    /** The Arrhenius fit's activation energy, eV (NaN without one). */
    public double eaEv() {
      return eaEv;
    }

    /** Cell temperatures (°C) whose raw spectra are stored. */
    public java.util.Set<Double> spectra() {
      return Collections.unmodifiableSet(spectra);
    }

    /** Steps whose approval gate an operator approved. */
    public Map<String, String> stations() {
      return java.util.Collections.unmodifiableMap(stations);
    }

    public java.util.Set<String> approvals() {
      return Collections.unmodifiableSet(approvals);
    }

    /** Stored fits as {cell temperature °C, σ S/cm}. */
    public List<double[]> fits() {
      return Collections.unmodifiableList(fits);
    }

    /** Whether the spectra's fits are stored (the analysis ran). */
    public boolean fitted() {
      return fitted;
    }

    /** Commands in the order they were first sent. */
    public Map<String, CommandRecord> commands() {
      return Collections.unmodifiableMap(commands);
    }
  }

  private final String campaignId;
  private String name;
  private String specYaml;
  private String specFile;
  private long seed;
  private String state;
  private String stateReason;
  private int decisions;
  private final Map<String, ExperimentRecord> experiments = new LinkedHashMap<>();
  private final Map<String, Map<String, Double>> candidates = new LinkedHashMap<>();
  private final Map<String, String> candidateModels = new LinkedHashMap<>();
  private final Map<String, String> outOfService = new LinkedHashMap<>();

  private CampaignHistory(String campaignId) {
    this.campaignId = campaignId;
  }

  /** Reads the log of {@code campaignId} and folds it into its state. */
  public static CampaignHistory load(CampaignRepository repository, String campaignId) {
    List<CampaignRepository.EventRow> rows = repository.timeline(campaignId);
    if (rows.isEmpty()) {
      throw new IonloopException(ErrorCode.STORE, "no campaign '" + campaignId + "' in the store");
    }
    return replay(campaignId, rows);
  }

  /** Folds events, oldest first, into the campaign's state. */
  public static CampaignHistory replay(String campaignId, List<CampaignRepository.EventRow> rows) {
    CampaignHistory h = new CampaignHistory(campaignId);
    for (CampaignRepository.EventRow r : rows) {
      try {
        h.apply(r.kind(), r.experimentId(), JSON.readTree(r.payload()));
      } catch (JsonProcessingException | RuntimeException e) {
        throw new IonloopException(ErrorCode.STORE, "campaign " + campaignId + ", event " + r.seq()
            + " (" + r.kind() + "): unreadable payload: " + e.getMessage(), e);
      }
    }
    return h;
  }

  private void apply(String kind, String experimentId, JsonNode p) {
    switch (kind) {
      case "campaign_created" -> {
        name = p.path("name").asText();
        specFile = p.path("specFile").asText();
        specYaml = p.path("specYaml").isMissingNode() ? null : p.path("specYaml").asText();
        seed = p.path("seed").asLong();
      }
      case "campaign_state_changed" -> {
        state = p.path("state").asText();
        stateReason = p.path("reason").isNull() ? null : p.path("reason").asText();
      }
      case "proposal" -> decisions++;
      case "candidate_chosen" -> {
        Map<String, Double> x = new LinkedHashMap<>();
        p.path("x").fields().forEachRemaining(e -> x.put(e.getKey(), e.getValue().asDouble()));
        String id = p.path("candidateId").asText();
        candidates.put(id, x);
        candidateModels.put(id, p.path("modelVersion").asText(null));
      }
      case "experiment_started" -> {
        String candidateId = p.path("candidateId").asText();
        experiments.put(experimentId, new ExperimentRecord(experimentId, p.path("seqNo").asInt(),
            candidates.getOrDefault(candidateId, Map.of()), candidateModels.get(candidateId)));
      }
      case "command_sent" -> {
        ExperimentRecord e = experiment(experimentId);
        String commandId = p.path("commandId").asText();
        CommandRecord before = e.commands.get(commandId);
        e.commands.put(commandId, new CommandRecord(commandId, p.path("stepId").asText(),
            p.path("instrument").asText(), p.path("action").asText(), "SENT", null,
            before == null ? 1 : before.sends() + 1));
      }
      case "reply_received" -> {
        ExperimentRecord e = experiment(experimentId);
        String commandId = p.path("commandId").asText();
        CommandRecord c = e.commands.get(commandId);
        if (c == null) {
          throw new IllegalStateException("reply to " + commandId + ", which was never sent");
        }
        e.commands.put(commandId, new CommandRecord(commandId, c.stepId(), c.instrument(),
            c.action(), p.path("state").asText(), p.path("result"), c.sends()));
      }
      case "spectrum" -> experiment(experimentId).spectra.add(p.path("temperature_c").asDouble());
      case "measurement_fitted" -> {
        ExperimentRecord e = experiment(experimentId);
        e.fitted = true;
        e.fits.add(new double[] {p.path("temperatureC").asDouble(), p.path("sigmaSPerCm").asDouble(Double.NaN)});
      }
      case "approval_granted" -> experiment(experimentId).approvals.add(p.path("step").asText());
      case "station_acquired" -> experiment(experimentId).stations.put(p.path("role").asText(),
          p.path("station").asText());
      case "station_quarantined" -> outOfService.put(p.path("station").asText(), p.path("reason").asText());
      case "station_released" -> outOfService.remove(p.path("station").asText());
      case "result_recorded" -> {
        ExperimentRecord e = experiment(experimentId);
        e.hasResult = true;
        e.eaEv = number(p.path("eaEv"));
        if (p.has("objectives")) {
          p.path("objectives").fields().forEachRemaining(o -> e.objectives.put(o.getKey(),
              new StoreRecord.Value(number(o.getValue().path("value")), number(o.getValue().path("stdErr")))));
        } else {
          // Written before objectives were data: every campaign then optimised these two.
          e.objectives.put("log10_sigma25", new StoreRecord.Value(number(p.path("log10Sigma25")),
              number(p.path("log10Sigma25Se"))));
          e.objectives.put("ea_ev", new StoreRecord.Value(e.eaEv, number(p.path("eaSeEv"))));
        }
      }
      case "experiment_ended" -> {
        ExperimentRecord e = experiment(experimentId);
        e.state = p.path("state").asText();
        e.failure = p.path("failure").isNull() ? null : p.path("failure").asText(null);
      }
      default -> { } // audit-only events (decisions, fits, model versions) change no state
    }
  }

  /** A logged number; NaN for what Jackson wrote for NaN ("NaN") or for nothing. */
  private static double number(JsonNode n) {
    return n.isNumber() || n.isTextual() ? n.asDouble(Double.NaN) : Double.NaN;
  }

  private ExperimentRecord experiment(String id) {
    ExperimentRecord e = experiments.get(id);
    if (e == null) {
      throw new IllegalStateException("event for experiment " + id + " before it started");
    }
    return e;
  }

  /** Stations out of service where the log ends (station → why), until an operator releases them. */
  public Map<String, String> outOfService() {
    return java.util.Collections.unmodifiableMap(outOfService);
  }

  public String campaignId() {
    return campaignId;
  }

  public String name() {
    return name;
  }

  /** The campaign file as it was when the campaign was created. */
  public String specYaml() {
    return specYaml;
  }

  public String specFile() {
    return specFile;
  }

  public long seed() {
    return seed;
  }

  /** The last recorded lifecycle state (RUNNING, PAUSED, STOPPING, COMPLETED, …). */
  public String state() {
    return state;
  }

  public String stateReason() {
    return stateReason;
  }

  /** Proposal requests made so far (decision numbering continues after these). */
  public int decisions() {
    return decisions;
  }

  /** Experiments in the order they started. */
  public List<ExperimentRecord> experiments() {
    return List.copyOf(experiments.values());
  }

  /** Experiments that started and have no recorded end: in flight when the log stops. */
  public List<ExperimentRecord> unfinished() {
    List<ExperimentRecord> out = new ArrayList<>();
    for (ExperimentRecord e : experiments.values()) {
      if (e.state().equals("RUNNING")) {
        out.add(e);
      }
    }
    return out;
  }

  /** Whether the campaign ended (COMPLETED, COMPLETED_WITH_FAILURES, ABORTED or FAILED). */
  public boolean ended() {
    return state != null && ENDED_STATES.contains(state);
  }
}
