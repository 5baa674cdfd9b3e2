package org.ionloop.cli;

import akka.actor.typed.ActorSystem;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ionloop.campaign.Campaign;
import org.ionloop.campaign.CampaignFiles;
import org.ionloop.campaign.CampaignHost;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.campaign.LabHost;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.protocols.ProtocolSpec;
import org.ionloop.protocols.ProtocolValidator;
import org.ionloop.proposer.DiffusionProposer;
import org.ionloop.spec.SpecException;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.ionloop.store.StoreRecord;

/**
 * Validates a campaign with everything it refers to, then runs it to the end in an actor system
 * and prints progress. Validation happens before the database is touched, so a bad file leaves
 * nothing behind.
 */
final class CampaignLauncher {

  /** A validated campaign with its protocol and bound instruments. */
  record Validated(CampaignSpec spec, ProtocolSpec protocol, Map<String, InstrumentSpec> byId) {
    /** Real-time floor under compressed deadlines: MQTT and Modbus round trips do not compress. */
    static final Duration SIMULATED_DEADLINE_FLOOR = Duration.ofSeconds(10);

    /** The same campaign with step deadlines on a simulated lab's compressed clock. */
    Validated onLabClock(double timeScale) {
      return new Validated(spec, protocol.onLabClock(timeScale, SIMULATED_DEADLINE_FLOOR), byId);
    }
  }

  /** Loads and cross-checks campaign, protocol and instrument files; paths beside the campaign file. */
  static Validated validate(Path campaignFile, InstrumentRegistry registry) {
    return validate(campaignFile, registry,
        CampaignFiles.besideFile(campaignFile, org.ionloop.Installation.current()));
  }

  /** Loads and cross-checks campaign, protocol and instrument files, looked up in {@code files}. */
  static Validated validate(Path campaignFile, InstrumentRegistry registry, CampaignFiles files) {
    CampaignSpec spec = CampaignSpec.load(campaignFile, files);
    ProtocolSpec protocol = ProtocolSpec.load(spec.protocol());
    Map<String, InstrumentSpec> byId = new java.util.TreeMap<>();
    Map<String, java.util.List<InstrumentSpec>> pools = new HashMap<>();
    for (Map.Entry<String, java.util.List<String>> b : spec.instruments().entrySet()) {
      java.util.List<InstrumentSpec> pool = new java.util.ArrayList<>();
      for (String id : b.getValue()) {
        InstrumentSpec is = registry.find(id).orElseThrow(() -> new SpecException(campaignFile, 0,
            "instruments." + b.getKey(), "no instrument '" + id + "' in instruments/ (have: "
                + String.join(", ", registry.all().keySet()) + ")"));
        pool.add(is);
        byId.put(id, is);
        checkCanConnect(campaignFile, "instruments." + b.getKey(), is);
      }
      pools.put(b.getKey(), pool);
    }
    ProtocolValidator.validatePools(protocol, pools, spec.space());
    return new Validated(spec, protocol, byId);
  }

  /**
   * What {@code run} would otherwise find only when it connects (and, for a broker that refuses
   * an anonymous client, by hanging): the credentials an MQTT instrument names are in the
   * environment and its TLS CA file holds a certificate.
   */
  private static void checkCanConnect(Path campaignFile, String field, InstrumentSpec is) {
    if (is.mqtt() == null) {
      return;
    }
    try {
      org.ionloop.instruments.mqtt.MqttSecurity.fromEnvironment(is.mqtt().credentials(),
          is.mqtt().tlsCaFile(), System::getenv).verify();
    } catch (org.ionloop.IonloopException e) {
      throw new SpecException(campaignFile, 0, field, "instrument '" + is.id() + "' cannot connect: "
          + e.getMessage());
    }
  }

  /** Result of a run. */
  record Run(String campaignId, String state, String reason, Duration wallTime) {}

  /**
   * A campaign in progress: its id, its host (operator commands go there), the actor system it
   * runs in (its own, or a lab's shared by several campaigns) and a stage that completes when it
   * has ended and the store holds everything.
   */
  record Running(String campaignId, akka.actor.typed.ActorRef<Object> host, ActorSystem<?> system,
      java.util.concurrent.CompletionStage<?> ended, String[] end, long startNanos) {}

  static Run run(Validated v, String brokerUrl, String jdbcUrl, PrintStream out) throws Exception {
    return await(start(v, brokerUrl, jdbcUrl, out));
  }

  /**
   * Records the campaign and starts it; returns at once. The model is loaded before the store is
   * opened, so a model that validates but does not load leaves nothing behind.
   */
  static Running start(Validated v, String brokerUrl, String jdbcUrl, PrintStream out) throws Exception {
    DiffusionProposer proposer = loadProposer(v);
    CampaignRepository repo = new CampaignRepository(Database.open(jdbcUrl));
    String campaignId = newCampaignId();
    record(campaignId, v, repo);
    return launchNew(v, campaignId, brokerUrl, repo, proposer, null, out);
  }

  /** The campaign's proposer model, or null when the planner works alone (no proposer section). */
  private static DiffusionProposer loadProposer(Validated v) {
    if (v.spec().modelDir() == null) {
      return null;
    }
    return new DiffusionProposer(v.spec().modelDir(), v.spec().space(), v.spec().guidance(),
        v.spec().ddimSteps());
  }

  /** A fresh campaign id: creation time (UTC) and a few random bits. */
  static String newCampaignId() {
    return "c" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
        .format(Instant.now()) + "-" + Integer.toHexString((int) (System.nanoTime() & 0xfff));
  }

  /** Records a validated campaign (state PLANNED) with its campaign file's text. */
  static void record(String campaignId, Validated v, CampaignRepository repo) {
    repo.append(new StoreRecord.CampaignCreated(campaignId, v.spec().name(),
        v.spec().file().toString(), v.spec().yaml(), v.spec().seed(), Instant.now()));
  }

  /** Starts a recorded campaign: loads its model, records the model version, runs it. */
  static Running launchNew(Validated v, String campaignId, String brokerUrl, CampaignRepository repo,
      PrintStream out) {
    return launchNew(v, campaignId, brokerUrl, repo, loadProposer(v), null, out);
  }

  /**
   * Starts a recorded campaign on a lab that runs several at once (its instruments and station
   * locks are the lab's).
   *
   * @throws IllegalStateException when it cannot run beside the lab's running campaigns
   */
  static Running launchInLab(Validated v, String campaignId, ActorSystem<LabHost.Command> lab,
      CampaignRepository repo, PrintStream out) {
    return launchNew(v, campaignId, null, repo, loadProposer(v), lab, out);
  }

  private static Running launchNew(Validated v, String campaignId, String brokerUrl,
      CampaignRepository repo, DiffusionProposer proposer, ActorSystem<LabHost.Command> lab, PrintStream out) {
    if (proposer != null) {
      recordModel(campaignId, v, proposer, repo);
    }
    String model = proposer != null ? "model " + proposer.version()
        : "no proposer model: the planner alone chooses among " + v.spec().candidatesPerDecision()
            + " random feasible designs per decision";
    out.printf("campaign %s: %s — %d experiments, %d in parallel, %s, seed %d%n", campaignId,
        v.spec().name(), v.spec().experiments(), v.spec().parallel(), model, v.spec().seed());
    return launch(v, campaignId, brokerUrl, repo, proposer, null, lab, out);
  }

  /**
   * Continues a campaign the store knows from its event log, after the orchestrator stopped
   * without ending it. The campaign file must be the one the campaign started with.
   */
  static Running resume(CampaignHistory history, InstrumentRegistry registry, String brokerUrl,
      String jdbcUrl, double labClock, java.util.function.UnaryOperator<Validated> bind,
      PrintStream out) throws Exception {
    if (history.ended()) {
      throw new IllegalArgumentException("campaign " + history.campaignId() + " has ended ("
          + history.state() + "); there is nothing to resume");
    }
    Path file = Path.of(history.specFile());
    if (!java.nio.file.Files.exists(file)) {
      throw new IllegalArgumentException("campaign " + history.campaignId() + " was started from "
          + file + ", which no longer exists");
    }
    if (!java.nio.file.Files.readString(file).equals(history.specYaml())) {
      throw new IllegalArgumentException("campaign file " + file + " changed since campaign "
          + history.campaignId() + " started; resuming needs the file it started with (its text is in"
          + " the event log: bin/ionloop campaign log " + history.campaignId() + ")");
    }
    Validated v = bind.apply(validate(file, registry).onLabClock(labClock));
    DiffusionProposer proposer = loadProposer(v);
    CampaignRepository repo = new CampaignRepository(Database.open(jdbcUrl));
    out.printf("campaign %s: resuming %s — %d of %d experiments ended, %d in flight%n",
        history.campaignId(), v.spec().name(), history.experiments().size() - history.unfinished().size(),
        v.spec().experiments(), history.unfinished().size());
    return launch(v, history.campaignId(), brokerUrl, repo, proposer, history, null, out);
  }

  /**
   * A cluster campaign's plan on this node ({@link org.ionloop.cluster.PlanSource}): its text comes
   * from the event log (the node that created it may not share this node's disks) and is kept as
   * {@code specDir/ID.yaml}, its protocol and model in this installation's folders. New when it
   * never ran; a resumption when it ran on a node that was lost; empty when it has ended.
   */
  static java.util.Optional<CampaignHost.Plan> planOnNode(String campaignId, CampaignRepository repo,
      InstrumentRegistry registry, CampaignFiles files, Path specDir, String brokerUrl,
      java.util.function.UnaryOperator<Validated> bind, PrintStream out) throws java.io.IOException {
    CampaignHistory history = CampaignHistory.load(repo, campaignId);
    if (history.ended()) {
      return java.util.Optional.empty();
    }
    if (history.specYaml() == null) {
      throw new IllegalStateException("campaign " + campaignId + " has no campaign text in its event log"
          + " (created by an older ionloop); it cannot run on a cluster");
    }
    Path file = specDir.resolve(campaignId + ".yaml");
    if (!java.nio.file.Files.exists(file) || !java.nio.file.Files.readString(file).equals(history.specYaml())) {
      java.nio.file.Files.createDirectories(specDir);
      java.nio.file.Files.writeString(file, history.specYaml());
    }
    Validated v = bind.apply(validate(file, registry, files));
    DiffusionProposer proposer = loadProposer(v);
    boolean fresh = history.state() == null && history.experiments().isEmpty();
    if (fresh && proposer != null) {
      recordModel(campaignId, v, proposer, repo);
    }
    out.printf("campaign %s: %s on this node — %s%n", campaignId, fresh ? "starting" : "resuming",
        fresh ? v.spec().experiments() + " experiments, " + v.spec().parallel() + " in parallel"
            : (history.experiments().size() - history.unfinished().size()) + " of " + v.spec().experiments()
                + " experiments ended, " + history.unfinished().size() + " in flight");
    String[] end = new String[2];
    long t0 = System.nanoTime();
    return java.util.Optional.of(new CampaignHost.Plan(campaignId, v.spec(), v.protocol(), v.byId(), brokerUrl,
        repo, proposer, update -> print(update, out, end, t0), fresh ? null : history));
  }

  /** Records the model version a new campaign starts with (its file, hash and training data). */
  private static void recordModel(String campaignId, Validated v, DiffusionProposer proposer, CampaignRepository repo) {
    repo.append(new StoreRecord.ModelVersionSeen(campaignId, proposer.version(),
        v.spec().modelDir().resolve(proposer.card().file()).toString(), proposer.card().sha256(),
        String.valueOf(proposer.card().training().get("data_sha256")), proposer.card().metrics(),
        Instant.now()));
  }

  /** Runs the campaign in an actor system of its own, or on {@code lab} when not null. */
  private static Running launch(Validated v, String campaignId, String brokerUrl,
      CampaignRepository repo, DiffusionProposer proposer, CampaignHistory history,
      ActorSystem<LabHost.Command> lab, PrintStream out) {
    String[] end = new String[2];
    long t0 = System.nanoTime();
    CampaignHost.Plan plan = new CampaignHost.Plan(campaignId, v.spec(), v.protocol(), v.byId(),
        brokerUrl, repo, proposer, update -> print(update, out, end, t0), history);
    if (lab == null) {
      ActorSystem<Object> system = ActorSystem.create(CampaignHost.create(plan), "ionloop");
      return new Running(campaignId, system, system, system.getWhenTerminated(), end, t0);
    }
    java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
    try {
      akka.actor.typed.ActorRef<Object> host = akka.actor.typed.javadsl.AskPattern.<LabHost.Command, akka.actor.typed.ActorRef<Object>>askWithStatus(
          lab, r -> new LabHost.Start(plan, ended, r), Duration.ofSeconds(30), lab.scheduler())
          .toCompletableFuture().get(40, TimeUnit.SECONDS);
      return new Running(campaignId, host, lab, ended, end, t0);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the lab did not take campaign " + campaignId + " within 40 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting campaign " + campaignId, e);
    }
  }

  /**
   * Waits for the campaign to end. Ctrl-C (SIGINT/SIGTERM) meanwhile is a clean stop: running
   * experiments finish, none start, and the process exits once the store has everything.
   */
  static Run await(Running r) throws Exception {
    Thread hook = new Thread(() -> {
      r.host().tell(new org.ionloop.campaign.Campaign.Stop("interrupted (signal)",
          r.system().ignoreRef()));
      try {
        r.ended().toCompletableFuture().get(10, TimeUnit.MINUTES);
      } catch (Exception e) {
        Thread.currentThread().interrupt();
      }
    }, "ionloop-stop-on-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    r.ended().toCompletableFuture().get(24, TimeUnit.HOURS);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running
    }
    return new Run(r.campaignId(), r.end()[0], r.end()[1],
        Duration.ofNanos(System.nanoTime() - r.startNanos()));
  }

  private static void print(Campaign.Update u, PrintStream out, String[] end, long t0) {
    double s = (System.nanoTime() - t0) / 1e9;
    if (u instanceof Campaign.ExperimentStarted e) {
      out.printf("[%6.1fs] start  %s  %s  (%s, acq %.3g)%n", s, e.experimentId(), e.label(),
          e.method(), e.acquisition());
    } else if (u instanceof Campaign.ExperimentFinished f) {
      int width = 24;
      int filled = (int) Math.round(width * (double) f.finished() / f.budget());
      out.printf("[%6.1fs] done   %s  %s%n          [%s%s] %d/%d%n", s, f.experimentId(), f.summary(),
          "#".repeat(filled), ".".repeat(width - filled), f.finished(), f.budget());
    } else if (u instanceof Campaign.ApprovalRequested a) {
      out.printf("[%6.1fs] WAITING %s before step %s: %s%n          approve: bin/ionloop campaign approve %s %s %s%n",
          s, a.experimentId(), a.stepId(), a.prompt(), a.campaignId(),
          a.experimentId().substring(a.experimentId().lastIndexOf('-') + 1), a.stepId());
    } else if (u instanceof Campaign.Paused p) {
      out.printf("[%6.1fs] PAUSED  campaign %s: %s%n", s, p.campaignId(), p.reason());
    } else if (u instanceof Campaign.Finished f) {
      end[0] = f.state();
      end[1] = f.reason();
      out.printf("[%6.1fs] campaign %s %s: %s%n", s, f.campaignId(), f.state(), f.reason());
    }
    out.flush();
  }
}
