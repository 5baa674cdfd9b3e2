package org.ionloop.campaign;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.pattern.StatusReply;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.Planner;
import org.ionloop.planner.space.Candidate;
import org.ionloop.protocols.ExperimentRunner;
import org.ionloop.proposer.Proposer;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.Store;
import org.ionloop.store.StoreRecord;

/**
 * Runs a campaign: keeps up to {@code parallel} experiments in flight until the budget is spent.
 * For every free slot it asks the proposer for candidates and the planner for a batch that knows
 * the running experiments, spawns an {@link ExperimentRunner} per choice and feeds each result
 * back to the planner. Every decision and state change goes to the store.
 *
 * <p>It pauses itself rather than spend budget on a lab that cannot finish an experiment (see
 * {@link SelfPause}): a reserved role with no station in service, an instrument failing
 * experiments in a row, a store that cannot commit, a decision not answered by its deadline. It
 * ends COMPLETED when every experiment gave a result and COMPLETED_WITH_FAILURES otherwise.
 */
public final class Campaign extends AbstractBehavior<Campaign.Command> {

  public sealed interface Command {}

  /** Start no new experiments; running ones halt at their next step boundary. */
  public record Pause(ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Continue a paused campaign. */
  public record Resume(ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Clean end: running experiments finish, no new ones start; the campaign completes. */
  public record Stop(String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Make instruments safe, end running experiments as failed, record the campaign as aborted. */
  public record Abort(String reason, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** An operator approves an experiment's gate at {@code stepId}. */
  public record Approve(String experimentId, String stepId, String by,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** An operator rejects an experiment's gate at {@code stepId}: that experiment fails. */
  public record Reject(String experimentId, String stepId, String by, String reason,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * An operator has inspected a station taken out of service (a failed experiment's sample may
   * have been inside) and returns it; a campaign paused for lack of stations carries on.
   */
  public record ReleaseStation(String station, String by, String reason,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** The lab's lock table's answer to a release of a station this campaign has not seen go out. */
  private record LabReleased(ReleaseStation request, boolean wasOut) implements Command {}

  /** The store started failing (writes kept and retried) or has committed everything again. */
  public record StoreHealth(Store.Health health) implements Command {}

  private record ProposalsReady(Proposer.Proposed proposed) implements Command {}

  private record BatchReady(Planner.BatchSelected batch) implements Command {}

  /** The proposer or the planner did not answer a decision's request within its deadline. */
  private record DecisionTimedOut(String requestId, String who) implements Command {}

  private record ExperimentEnded(ExperimentRunner.Outcome outcome) implements Command {}

  /** Progress for whoever watches the campaign (the CLI prints it). */
  public sealed interface Update {}

  public record ExperimentStarted(int number, String experimentId, String label, String method,
      double acquisition) implements Update {}

  public record ExperimentFinished(String experimentId, boolean succeeded, String summary,
      int finished, int budget) implements Update {}

  public record Finished(String campaignId, String state, String reason) implements Update {}

  /** The campaign paused itself: it cannot finish an experiment until an operator acts. */
  public record Paused(String campaignId, String reason) implements Update {}

  /** An experiment waits for an operator's approval before a step. */
  public record ApprovalRequested(String campaignId, String experimentId, String stepId, String prompt)
      implements Update {}

  /** The collaborators a campaign talks to. */
  public record Wiring(ActorRef<Proposer.Command> proposer, ActorRef<Planner.Command> planner,
      ActorRef<Store.Command> store, ExperimentRunner.Setup runnerSetup, ActorRef<Update> listener,
      ActorRef<org.ionloop.proposer.ModelTrainer.Command> trainer, Experiments experiments) {

    /** Wiring whose experiments are run by {@link ExperimentRunner}s. */
    public Wiring(ActorRef<Proposer.Command> proposer, ActorRef<Planner.Command> planner,
        ActorRef<Store.Command> store, ExperimentRunner.Setup runnerSetup, ActorRef<Update> listener,
        ActorRef<org.ionloop.proposer.ModelTrainer.Command> trainer) {
      this(proposer, planner, store, runnerSetup, listener, trainer,
          (id, candidate, replay, replyTo) -> ExperimentRunner.resume(runnerSetup, id, candidate, replay, replyTo));
    }
  }

  /** What runs one experiment (an {@link ExperimentRunner}; a script in the campaign's unit tests). */
  @FunctionalInterface
  public interface Experiments {
    Behavior<ExperimentRunner.Command> run(String experimentId, Candidate candidate,
        ExperimentRunner.Replay replay, ActorRef<ExperimentRunner.Outcome> replyTo);
  }

  private final String campaignId;
  private final CampaignSpec spec;
  private final Wiring wiring;
  private final ActorRef<ExperimentRunner.Outcome> outcomes;
  private final Map<String, Candidate> running = new LinkedHashMap<>();
  private final Map<String, ActorRef<ExperimentRunner.Command>> runners = new LinkedHashMap<>();
  /** Designs of every experiment started (the proposer drops samples that repeat one). */
  private final List<double[]> made = new java.util.ArrayList<>();
  /**
   * Every measured result, oriented for the planner, from the log after a restart: the planner
   * gets all of them with each request and keeps none, so a restarted planner loses nothing.
   */
  private final List<BatchSelector.Observation> observations = new java.util.ArrayList<>();
  /** Instrument → experiments failed on it in a row (since its last success or an operator's resume). */
  private final Map<String, Integer> failuresInARow = new LinkedHashMap<>();
  /** Approval gates waiting for an operator: experiment → step. */
  private final Map<String, String> gates = new LinkedHashMap<>();
  /** Resumed experiments still replaying their log: no new experiment starts until they hold their stations. */
  private final java.util.Set<String> replaying = new java.util.HashSet<>();

  /** Where the campaign is in its lifecycle (terminal states are only recorded). */
  private enum Phase { RUNNING, PAUSED, STOPPING, ABORTING }

  private Phase phase = Phase.RUNNING;
  /** Stations out of service (station → why), from failures and from the log after a restart. */
  private final Map<String, String> outOfService = new LinkedHashMap<>();
  /** Why the campaign paused itself; null when it did not (running, or paused by an operator). */
  private SelfPause selfPaused;

  /** What made the campaign pause itself, and so what lets it carry on by itself. */
  private enum SelfPause { NO_STATION, STORE_FAILING, INSTRUMENT_FAILING, DECISION_TIMED_OUT }
  private String endReason;
  private int started;
  private int finished;
  private int succeeded;
  private int decisions;
  /** The planner's latest surrogates as a score, to guide the next proposals (null before any model). */
  private java.util.function.ToDoubleFunction<double[]> surrogate;
  private boolean deciding;
  private String modelVersion = "?";

  public static Behavior<Command> create(String campaignId, CampaignSpec spec, Wiring wiring) {
    return Behaviors.withMdc(Command.class, Map.of("campaignId", campaignId),
        Behaviors.setup(ctx -> new Campaign(ctx, campaignId, spec, wiring, null).fill()));
  }

  /**
   * Continues a campaign from its event log after the orchestrator stopped (a crash, a power
   * cut): measured results go back to the planner, experiments without a recorded end continue
   * where their log ends (commands re-sent with their original ids), and new experiments start
   * once those hold their stations again.
   */
  public static Behavior<Command> resume(CampaignHistory history, CampaignSpec spec, Wiring wiring) {
    return Behaviors.withMdc(Command.class, Map.of("campaignId", history.campaignId()),
        Behaviors.setup(ctx -> new Campaign(ctx, history.campaignId(), spec, wiring, history).afterRestore()));
  }

  private Campaign(ActorContext<Command> ctx, String campaignId, CampaignSpec spec, Wiring wiring,
      CampaignHistory history) {
    super(ctx);
    this.campaignId = campaignId;
    this.spec = spec;
    this.wiring = wiring;
    this.outcomes = ctx.messageAdapter(ExperimentRunner.Outcome.class, ExperimentEnded::new);
    if (history == null) {
      state("RUNNING", "started");
    } else {
      restore(history);
    }
    ctx.getLog().info("campaign {} running: {} experiments, {} in parallel", campaignId,
        spec.experiments(), spec.parallel());
  }

  private void restore(CampaignHistory history) {
    decisions = history.decisions();
    var names = spec.space().names();
    List<CampaignHistory.ExperimentRecord> unfinished = new java.util.ArrayList<>();
    for (CampaignHistory.ExperimentRecord e : history.experiments()) {
      started = Math.max(started, e.seqNo());
      double[] x = names.stream().mapToDouble(n -> e.x().getOrDefault(n, Double.NaN)).toArray();
      made.add(x);
      if (e.state().equals("RUNNING") && e.hasResult()) {
        // Its result was stored, its end was not: end it now, nothing to redo.
        tell(new StoreRecord.ExperimentEnded(campaignId, e.id(), "COMPLETED", null, Instant.now()));
      } else if (e.state().equals("RUNNING")) {
        unfinished.add(e);
        running.put(e.id(), new Candidate(e.id() + "-c", x));
        continue;
      }
      finished++;
      if (!e.state().equals("FAILED") && e.hasResult()) {
        succeeded++;
        observations.add(new BatchSelector.Observation(x, oriented(e.objectives())));
        learn(e.id(), x, e.fits(), e.eaEv(), true);
      }
    }
    if ("PAUSED".equals(history.state())) {
      phase = Phase.PAUSED;
    } else if ("STOPPING".equals(history.state())) {
      phase = Phase.STOPPING;
      endReason = history.stateReason();
    }
    String reason = String.format("resumed after a restart: %d finished, %d in flight", finished,
        running.size());
    // Recorded before the resumed experiments send anything, so the log reads in order.
    state(phase == Phase.RUNNING ? "RUNNING" : phase.name(), reason);
    getContext().getLog().info("campaign {} {}", campaignId, reason);
    // Stations with a resumed experiment's sample inside go back to that experiment before any
    // experiment may ask for a station.
    var setup = wiring.runnerSetup();
    // Out of service before the restart is out of service now: a failed pellet may still be inside.
    history.outOfService().forEach((station, why) -> {
      outOfService.put(station, why);
      setup.locks().tell(new org.ionloop.protocols.ResourceLocks.Quarantine(station, why));
    });
    Map<String, ExperimentRunner.Replay> replays = new LinkedHashMap<>();
    for (CampaignHistory.ExperimentRecord e : unfinished) {
      var replay = new ExperimentRunner.Replay(e.commands(), e.spectra(), e.fitted(), e.approvals(),
          e.stations());
      replays.put(e.id(), replay);
      for (String station : ExperimentRunner.stationsHeld(setup.protocol(), e.id(), replay)) {
        setup.locks().tell(new org.ionloop.protocols.ResourceLocks.Acquire(List.of(station), e.id(),
            campaignId, getContext().getSystem().ignoreRef()));
      }
    }
    for (CampaignHistory.ExperimentRecord e : unfinished) {
      replaying.add(e.id());
      var runner = getContext().spawn(wiring.experiments().run(e.id(), running.get(e.id()),
          replays.get(e.id()), outcomes), "experiment-" + e.seqNo());
      runners.put(e.id(), runner);
      if (phase == Phase.PAUSED) {
        runner.tell(ExperimentRunner.Pause.INSTANCE);
      }
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ProposalsReady.class, this::onProposalsReady)
        .onMessage(BatchReady.class, this::onBatchReady)
        .onMessage(DecisionTimedOut.class, this::onDecisionTimedOut)
        .onMessage(ExperimentEnded.class, this::onExperimentEnded)
        .onMessage(Pause.class, this::onPause)
        .onMessage(Resume.class, this::onResume)
        .onMessage(Stop.class, this::onStop)
        .onMessage(Abort.class, this::onAbort)
        .onMessage(Approve.class, this::onApprove)
        .onMessage(Reject.class, this::onReject)
        .onMessage(ReleaseStation.class, this::onReleaseStation)
        .onMessage(LabReleased.class, this::onLabReleased)
        .onMessage(StoreHealth.class, this::onStoreHealth)
        .build();
  }

  private Behavior<Command> onPause(Pause p) {
    if (phase != Phase.RUNNING) {
      p.replyTo().tell(StatusReply.error("cannot pause: campaign is " + phase));
      return this;
    }
    phase = Phase.PAUSED;
    runners.values().forEach(r -> r.tell(ExperimentRunner.Pause.INSTANCE));
    state("PAUSED", "operator");
    p.replyTo().tell(StatusReply.ack());
    return this;
  }

  private Behavior<Command> onResume(Resume r) {
    if (phase != Phase.PAUSED) {
      r.replyTo().tell(StatusReply.error("cannot resume: campaign is " + phase));
      return this;
    }
    phase = Phase.RUNNING;
    selfPaused = null;
    failuresInARow.clear(); // the operator has looked at the instrument that kept failing
    runners.values().forEach(x -> x.tell(ExperimentRunner.Resume.INSTANCE));
    state("RUNNING", "resumed by operator");
    r.replyTo().tell(StatusReply.ack());
    return fill();
  }

  private Behavior<Command> onStop(Stop s) {
    if (phase == Phase.STOPPING || phase == Phase.ABORTING) {
      s.replyTo().tell(StatusReply.error("cannot stop: campaign is " + phase));
      return this;
    }
    if (phase == Phase.PAUSED) {
      runners.values().forEach(x -> x.tell(ExperimentRunner.Resume.INSTANCE));
    }
    phase = Phase.STOPPING;
    endReason = "stopped by operator: " + s.reason();
    state("STOPPING", s.reason());
    s.replyTo().tell(StatusReply.ack());
    return endIfIdle();
  }

  private Behavior<Command> onApprove(Approve a) {
    if (!a.stepId().equals(gates.get(a.experimentId()))) {
      a.replyTo().tell(StatusReply.error(noGate(a.experimentId(), a.stepId())));
      return this;
    }
    gates.remove(a.experimentId());
    runners.get(a.experimentId()).tell(new ExperimentRunner.Approve(a.stepId(), a.by()));
    a.replyTo().tell(StatusReply.ack());
    return this;
  }

  private Behavior<Command> onReject(Reject r) {
    if (!r.stepId().equals(gates.get(r.experimentId()))) {
      r.replyTo().tell(StatusReply.error(noGate(r.experimentId(), r.stepId())));
      return this;
    }
    gates.remove(r.experimentId());
    runners.get(r.experimentId()).tell(new ExperimentRunner.Reject(r.stepId(), r.by(), r.reason()));
    r.replyTo().tell(StatusReply.ack());
    return this;
  }

  private String noGate(String experimentId, String stepId) {
    return "no approval is waiting for " + experimentId + " at step " + stepId
        + (gates.isEmpty() ? " (none is waiting)" : " (waiting: " + gates + ")");
  }

  private Behavior<Command> onAbort(Abort a) {
    if (phase == Phase.ABORTING) {
      a.replyTo().tell(StatusReply.error("already aborting"));
      return this;
    }
    phase = Phase.ABORTING;
    endReason = a.reason();
    runners.values().forEach(x -> x.tell(new ExperimentRunner.Abort(a.reason())));
    state("ABORTING", a.reason());
    a.replyTo().tell(StatusReply.ack());
    return endIfIdle();
  }

  /** Ends a stopping or aborting campaign once no experiment runs. */
  private Behavior<Command> endIfIdle() {
    if (!running.isEmpty() || (phase != Phase.STOPPING && phase != Phase.ABORTING)) {
      return this;
    }
    // An abort keeps the operator's words; a stop says what it ended with.
    return phase == Phase.ABORTING ? end("ABORTED", endReason)
        : end(completedState(), endReason + "; " + resultsSaid());
  }

  /** Every experiment has ended and the budget is spent. */
  private Behavior<Command> complete() {
    return end(completedState(), resultsSaid());
  }

  /** Records the campaign's end state, tells the watcher, and stops. */
  private Behavior<Command> end(String state, String reason) {
    state(state, reason);
    wiring.listener().tell(new Finished(campaignId, state, reason));
    return Behaviors.stopped();
  }

  /** COMPLETED when every experiment gave a result, else COMPLETED_WITH_FAILURES. */
  private String completedState() {
    return succeeded == finished ? "COMPLETED" : "COMPLETED_WITH_FAILURES";
  }

  private String resultsSaid() {
    return succeeded + " of " + finished + " experiments gave results"
        + (succeeded == finished ? "" : ", " + (finished - succeeded) + " failed");
  }

  /** A resumed campaign whose log ends after its last experiment but before its end ends now. */
  private Behavior<Command> afterRestore() {
    if (phase == Phase.STOPPING) {
      return endIfIdle();
    }
    if (running.isEmpty() && finished >= spec.experiments()) {
      return complete();
    }
    return fill();
  }

  /** Asks for a decision when a slot is free and budget is left. */
  private Behavior<Command> fill() {
    int free = Math.min(spec.parallel() - running.size(), spec.experiments() - started);
    if (deciding || free <= 0 || phase != Phase.RUNNING || !replaying.isEmpty()) {
      return this;
    }
    String lacking = roleWithoutStation();
    if (lacking != null) {
      // A new experiment would be dispensed, milled and pressed only to fail at this role's step:
      // no budget is spent on a lab that cannot finish it.
      pauseItself(SelfPause.NO_STATION, lacking + "; release a station after inspecting it: ionloop campaign"
          + " station release " + campaignId + " STATION --reason …");
      return this;
    }
    deciding = true;
    String requestId = campaignId + "-d" + (++decisions);
    List<double[]> madeSoFar = List.copyOf(made);
    var guide = surrogate;
    double weight = surrogate == null ? 0 : spec.surrogateGuidance();
    // A late answer after the deadline goes to the ask's temporary actor and is dropped.
    getContext().ask(Proposer.Proposed.class, wiring.proposer(), spec.limits().decisionTimeout(),
        replyTo -> new Proposer.Propose(requestId, spec.conditions(), spec.candidatesPerDecision(), replyTo,
            madeSoFar, guide, weight),
        (ok, err) -> ok != null ? new ProposalsReady(ok) : new DecisionTimedOut(requestId, "proposer"));
    return this;
  }

  private Behavior<Command> onProposalsReady(ProposalsReady p) {
    Proposer.Proposed proposed = p.proposed();
    if (proposed.failure() != null) {
      return fail("proposer failed: " + proposed.failure());
    }
    modelVersion = proposed.modelVersion();
    event("proposal", null, Map.of("request", proposed.requestId(), "model_version", modelVersion,
        "candidates", proposed.candidates().size(), "projected", proposed.projected(),
        "duplicates_dropped", proposed.duplicates(), "unreachable_dropped", proposed.unreachable(),
        "conditions", spec.conditions(), "surrogate_guidance", proposed.surrogateWeight(),
        "screened_by_prior", proposed.screenedByPrior()));
    int q = Math.min(spec.parallel() - running.size(), spec.experiments() - started);
    var request = proposed.requestId();
    var seen = List.copyOf(observations);
    var pending = List.copyOf(running.values());
    getContext().ask(Planner.BatchSelected.class, wiring.planner(), spec.limits().decisionTimeout(),
        replyTo -> new Planner.SelectBatch(request, seen, proposed.candidates(), pending, q, replyTo),
        (ok, err) -> ok != null ? new BatchReady(ok) : new DecisionTimedOut(request, "planner"));
    return this;
  }

  private Behavior<Command> onBatchReady(BatchReady b) {
    deciding = false;
    Planner.BatchSelected batch = b.batch();
    if (batch.failure() != null) {
      return fail("planner failed: " + batch.failure());
    }
    if (batch.surrogate() != null) {
      surrogate = batch.surrogate();
    }
    if (phase != Phase.RUNNING) {
      // Paused, stopped or aborted while deciding: the choice is recorded, nothing is started.
      event("decision_discarded", null, Map.of("request", batch.requestId(), "phase", phase.name()));
      return endIfIdle();
    }
    if (batch.selections().isEmpty() && running.isEmpty()) {
      return fail("the planner found no new candidate to run");
    }
    List<String> pendingAtDecision = List.copyOf(running.keySet());
    for (BatchSelector.Selection s : batch.selections()) {
      startExperiment(s, batch.observations(), pendingAtDecision);
    }
    return fill();
  }

  private void startExperiment(BatchSelector.Selection s, int observations, List<String> pending) {
    started++;
    String experimentId = String.format("%s-e%03d", campaignId, started);
    Candidate c = s.candidate();
    Map<String, Object> decision = new LinkedHashMap<>();
    decision.put("method", s.method());
    decision.put("acquisition", s.acquisitionValue());
    decision.put("model_version", modelVersion);
    decision.put("observations", observations);
    decision.put("pending", pending);
    decision.put("seed", spec.seed());
    if (s.predictedMean() != null) {
      decision.put("predicted_mean", s.predictedMean());
      decision.put("predicted_sd", s.predictedSd());
    }
    if (s.noiseSd() != null) {
      // What the surrogates took each objective's measurement noise to be, and whence.
      decision.put("noise_sd", s.noiseSd());
      decision.put("noise", spec.objectives().stream()
          .map(o -> Double.isNaN(o.noiseSd()) ? "learned" : "known").toList());
    }
    var space = spec.space();
    tell(new StoreRecord.CandidateChosen(campaignId, experimentId + "-c", space.describe(c.x()),
        modelVersion, s.acquisitionValue(), decision, Instant.now()));
    event("decision", experimentId, decision);
    tell(new StoreRecord.ExperimentStarted(campaignId, experimentId, experimentId + "-c", started,
        Instant.now()));
    Candidate stored = new Candidate(experimentId + "-c", c.x());
    made.add(c.x());
    running.put(experimentId, stored);
    runners.put(experimentId, getContext().spawn(wiring.experiments().run(experimentId, stored,
        ExperimentRunner.Replay.NONE, outcomes), "experiment-" + started));
    wiring.listener().tell(new ExperimentStarted(started, experimentId, space.label(c.x()),
        s.method(), s.acquisitionValue()));
  }

  /**
   * A decision got no answer in time: nothing is started, the campaign pauses with the reason,
   * and an operator's resume asks again (a proposer or planner that died is restarted by its
   * supervisor; one that hangs has to be looked at).
   */
  private Behavior<Command> onDecisionTimedOut(DecisionTimedOut t) {
    deciding = false;
    event("decision_timed_out", null, Map.of("request", t.requestId(), "waiting_for", t.who(),
        "timeout", spec.limits().decisionTimeout().toString()));
    if (phase == Phase.RUNNING) {
      pauseItself(SelfPause.DECISION_TIMED_OUT, "the " + t.who() + " did not answer decision " + t.requestId()
          + " within " + spec.limits().decisionTimeout() + "; resume to ask again: ionloop campaign resume "
          + campaignId);
      return this;
    }
    return endIfIdle();
  }

  /** The first role a protocol step reserves whose every station is out of service, said in words; else null. */
  private String roleWithoutStation() {
    for (var step : wiring.runnerSetup().protocol().steps()) {
      for (String role : step.acquire()) {
        List<String> pool = wiring.runnerSetup().pools().get(role);
        if (pool != null && outOfService.keySet().containsAll(pool)) {
          return "no " + role + " in service: " + pool.stream().map(s -> s + " (" + outOfService.get(s) + ")")
              .collect(java.util.stream.Collectors.joining(", "));
        }
      }
    }
    return null;
  }

  /**
   * A failing store pauses the campaign with the error (runners already wait for their records
   * to commit before any physical step, so the lab cannot get ahead of the log); once the store
   * has committed everything again, a campaign it paused carries on.
   */
  private Behavior<Command> onStoreHealth(StoreHealth h) {
    if (!h.health().ok() && phase == Phase.RUNNING) {
      runners.values().forEach(r -> r.tell(ExperimentRunner.Pause.INSTANCE));
      // The state change is queued behind the failed write, in order.
      pauseItself(SelfPause.STORE_FAILING, "the store cannot commit (" + h.health().error()
          + "); writes are kept and retried");
    } else if (h.health().ok() && carryOnAfter(SelfPause.STORE_FAILING, "the store commits again")) {
      runners.values().forEach(r -> r.tell(ExperimentRunner.Resume.INSTANCE));
      return fill();
    }
    return this;
  }

  /** Pauses the campaign for a reason of its own, said in the log, to the operator and the watcher. */
  private void pauseItself(SelfPause cause, String reason) {
    phase = Phase.PAUSED;
    selfPaused = cause;
    state("PAUSED", reason);
    getContext().getLog().warn("campaign {} paused: {}", campaignId, reason);
    wiring.listener().tell(new Paused(campaignId, reason));
  }

  /** Runs again if the campaign paused itself for {@code cause} (an operator's pause stays); whether it did. */
  private boolean carryOnAfter(SelfPause cause, String reason) {
    if (selfPaused != cause || phase != Phase.PAUSED) {
      return false;
    }
    selfPaused = null;
    phase = Phase.RUNNING;
    state("RUNNING", reason);
    return true;
  }

  private Behavior<Command> onReleaseStation(ReleaseStation r) {
    if (!outOfService.containsKey(r.station())) {
      // Another campaign, or one before a restart, may have taken it out: the lab's lock table knows.
      getContext().ask(Boolean.class, wiring.runnerSetup().locks(), java.time.Duration.ofSeconds(5),
          replyTo -> new org.ionloop.protocols.ResourceLocks.ReturnToService(r.station(), replyTo),
          (wasOut, failure) -> new LabReleased(r, Boolean.TRUE.equals(wasOut)));
      return this;
    }
    outOfService.remove(r.station());
    wiring.runnerSetup().locks().tell(new org.ionloop.protocols.ResourceLocks.ReturnToService(r.station()));
    return released(r);
  }

  private Behavior<Command> onLabReleased(LabReleased l) {
    ReleaseStation r = l.request();
    if (!l.wasOut()) {
      r.replyTo().tell(StatusReply.error("station " + r.station() + " is not out of service"
          + (outOfService.isEmpty() ? "" : " (out of service: " + String.join(", ", outOfService.keySet()) + ")")));
      return this;
    }
    return released(r);
  }

  private Behavior<Command> released(ReleaseStation r) {
    event("station_released", null, Map.of("station", r.station(), "by", r.by(), "reason", r.reason()));
    r.replyTo().tell(StatusReply.ack());
    carryOnAfter(SelfPause.NO_STATION, r.station() + " back in service (" + r.by() + ": " + r.reason() + ")");
    return fill();
  }

  private Behavior<Command> onExperimentEnded(ExperimentEnded e) {
    ExperimentRunner.Outcome o = e.outcome();
    replaying.remove(o.experimentId());
    if (o instanceof ExperimentRunner.CaughtUp) {
      return fill();
    }
    if (o instanceof ExperimentRunner.ApprovalNeeded g) {
      gates.put(g.experimentId(), g.stepId());
      wiring.listener().tell(new ApprovalRequested(campaignId, g.experimentId(), g.stepId(), g.prompt()));
      return fill();
    }
    gates.remove(o.experimentId());
    running.remove(o.experimentId());
    runners.remove(o.experimentId());
    finished++;
    String summary;
    if (o instanceof ExperimentRunner.Succeeded s) {
      succeeded++;
      observations.add(new BatchSelector.Observation(o.candidate().x(), oriented(s.objectives())));
      s.instruments().forEach(failuresInARow::remove);
      if (s.analysis() != null && s.analysis().arrhenius() != null) {
        List<double[]> fits = s.analysis().measurements().stream()
            .map(m -> new double[] {m.temperatureC(), m.sigmaSPerCm()}).toList();
        learn(o.experimentId(), o.candidate().x(), fits, s.analysis().arrhenius().eaEv(), false);
      }
      tell(new StoreRecord.ExperimentEnded(campaignId, o.experimentId(), "COMPLETED", null, Instant.now()));
      summary = said(s.objectives());
    } else {
      ExperimentRunner.Failed failed = (ExperimentRunner.Failed) o;
      String reason = failed.reason();
      outOfService.putAll(failed.outOfService());
      tell(new StoreRecord.ExperimentEnded(campaignId, o.experimentId(), "FAILED", reason, Instant.now()));
      summary = "FAILED: " + reason;
      if (failed.instrument() != null) {
        failuresInARow.merge(failed.instrument(), 1, Integer::sum);
      }
    }
    wiring.listener().tell(new ExperimentFinished(o.experimentId(), o instanceof ExperimentRunner.Succeeded,
        summary, finished, spec.experiments()));
    String failing = instrumentFailingInARow();
    if (failing != null && phase == Phase.RUNNING && finished < spec.experiments()) {
      // Running experiments hold at their next step; nothing new starts until an operator resumes.
      runners.values().forEach(r -> r.tell(ExperimentRunner.Pause.INSTANCE));
      pauseItself(SelfPause.INSTRUMENT_FAILING, failing + "; check it, then resume: ionloop campaign resume "
          + campaignId);
      return this;
    }
    if (phase == Phase.STOPPING || phase == Phase.ABORTING) {
      return endIfIdle();
    }
    if (finished == spec.experiments()) {
      return complete();
    }
    return fill();
  }

  /** The first instrument that failed the campaign's limit of experiments in a row, said in words; else null. */
  private String instrumentFailingInARow() {
    int limit = spec.limits().maxConsecutiveFailures();
    return failuresInARow.entrySet().stream().filter(e -> e.getValue() >= limit).findFirst()
        .map(e -> e.getKey() + " failed " + e.getValue() + " experiments in a row (budget.max_consecutive_failures: "
            + limit + ")").orElse(null);
  }

  /** Hands an experiment's measured conductivities to the proposer's trainer, if it retrains. */
  private void learn(String experimentId, double[] x, List<double[]> fits, double eaEv, boolean fromLog) {
    if (wiring.trainer() == null) {
      return;
    }
    List<org.ionloop.proposer.retrain.MeasuredRow> rows = fits.stream()
        .filter(f -> f[1] > 0 && Double.isFinite(f[1]))
        .map(f -> new org.ionloop.proposer.retrain.MeasuredRow(experimentId, x, f[0], Math.log10(f[1]), eaEv))
        .toList();
    if (!rows.isEmpty()) {
      wiring.trainer().tell(new org.ionloop.proposer.ModelTrainer.Measured(rows, fromLog));
    }
  }

  /** Measured values as the planner's objectives (in the campaign's order, all maximised). */
  private double[] oriented(Map<String, StoreRecord.Value> values) {
    double[] oriented = new double[spec.objectives().size()];
    for (int i = 0; i < oriented.length; i++) {
      Objective obj = spec.objectives().get(i);
      StoreRecord.Value v = values.get(obj.name());
      oriented[i] = obj.oriented(v == null ? Double.NaN : v.value());
    }
    return oriented;
  }

  /** An experiment's objectives in words, as the operator reads them: "log10_sigma25 = -2.41 log10(S/cm), …". */
  private String said(Map<String, StoreRecord.Value> values) {
    StringBuilder sb = new StringBuilder();
    for (Objective obj : spec.objectives()) {
      StoreRecord.Value v = values.get(obj.name());
      sb.append(sb.length() == 0 ? "" : ", ").append(obj.name()).append(" = ")
          .append(v == null ? "?" : String.format("%.4g", v.value()))
          .append(obj.unit().isEmpty() ? "" : " " + obj.unit());
    }
    return sb.toString();
  }

  private Behavior<Command> fail(String reason) {
    getContext().getLog().error("campaign {} failed: {}", campaignId, reason);
    return end("FAILED", reason);
  }

  private void state(String state, String reason) {
    tell(new StoreRecord.CampaignStateChanged(campaignId, state, reason, Instant.now()));
  }

  private void event(String kind, String experimentId, Map<String, Object> payload) {
    tell(new StoreRecord.Event(campaignId, experimentId, kind, payload, Instant.now()));
  }

  private void tell(StoreRecord r) {
    wiring.store().tell(new Store.Write(r));
  }
}
