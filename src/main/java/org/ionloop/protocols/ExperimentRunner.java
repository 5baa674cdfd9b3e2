package org.ionloop.protocols;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ionloop.analysis.eis.SampleAnalysis;
import org.ionloop.analysis.eis.Spectrum;
import org.ionloop.instruments.Instrument;
import org.ionloop.planner.space.Candidate;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.Store;
import org.ionloop.store.StoreRecord;

/**
 * Runs one experiment: the protocol's steps in order on the bound instruments, then the
 * impedance analysis. Every command and reply goes to the store. Command ids are derived from
 * the experiment, step and temperature, so a re-sent command carries its original id. Replies
 * once with an {@link Outcome} and stops.
 */
public final class ExperimentRunner extends AbstractBehavior<ExperimentRunner.Command> {

  public sealed interface Command {}

  private record InstrumentReply(Instrument.Event event) implements Command {}

  private record LockReply(ResourceLocks.Reply reply) implements Command {}

  /** Still waiting for a station: ask again (the {@code attempt}-th wait, stale if another began). */
  private record AskLocksAgain(long attempt) implements Command {}

  /**
   * How often an experiment waiting for a station asks again. Harmless to the lock table (the
   * request keeps its place), and what a table that restarted elsewhere learns waiters from.
   */
  static final java.time.Duration ASK_LOCKS_AGAIN = java.time.Duration.ofSeconds(10);

  private record StoreSynced(Store.Synced synced) implements Command {}

  /** The store did not confirm a sync within {@link #SYNC_DEADLINE}. */
  private enum SyncTimedOut implements Command { INSTANCE }

  /**
   * How long a sync may go unanswered before it is asked again. A store that cannot commit says
   * so to the campaign (which pauses) and answers once it has; a store restarted by its
   * supervisor has forgotten the request, which asking again recovers from.
   */
  static final java.time.Duration SYNC_DEADLINE = java.time.Duration.ofSeconds(30);

  /** Hold before the next step (a checkpoint); the step in progress finishes. */
  public enum Pause implements Command { INSTANCE }

  /** Continue after {@link Pause}. */
  public enum Resume implements Command { INSTANCE }

  /** An operator approves the gate of {@code stepId}; the step runs. */
  public record Approve(String stepId, String by) implements Command {}

  /** An operator rejects the gate of {@code stepId}; the experiment ends as failed. */
  public record Reject(String stepId, String by, String reason) implements Command {}

  /** Make the held stations safe (their "stop" action) and end the experiment as failed. */
  public record Abort(String reason) implements Command {}

  private record Analysed(SampleAnalysis.Result result, Throwable failure) implements Command {}

  /** What the runner reports to its parent. */
  public sealed interface Outcome {
    String experimentId();

    Candidate candidate();
  }

  /**
   * The experiment produced a result: the campaign's {@code objectives} by name, and the spectra's
   * {@code analysis} (null for a protocol that measures no spectra); {@code instruments} did its
   * steps.
   */
  public record Succeeded(String experimentId, Candidate candidate, Map<String, StoreRecord.Value> objectives,
      SampleAnalysis.Result analysis, double thicknessMm, double diameterMm, Set<String> instruments)
      implements Outcome {}

  /**
   * The experiment failed at a step (or in analysis), for the stated reason; {@code outOfService}
   * holds the stations it held, now out of service, and why (as logged); {@code instrument} is the
   * instrument whose command failed or returned a malformed result, or null when the failure was
   * not an instrument's (analysis, an operator's rejection or abort).
   */
  public record Failed(String experimentId, Candidate candidate, String reason, Map<String, String> outOfService,
      String instrument) implements Outcome {
    public Failed(String experimentId, Candidate candidate, String reason) {
      this(experimentId, candidate, reason, Map.of(), null);
    }
  }

  /**
   * A resumed experiment has replayed what its log says was done and sends its first live
   * command: from now on it holds its stations, so new experiments may start. Not an end.
   */
  public record CaughtUp(String experimentId, Candidate candidate) implements Outcome {}

  /** The experiment waits at an approval gate until an operator approves or rejects. Not an end. */
  public record ApprovalNeeded(String experimentId, Candidate candidate, String stepId, String prompt)
      implements Outcome {}

  /**
   * What an experiment had done before the orchestrator stopped, from its event log: commands by
   * id (DONE ones are not sent again, their results are reused; others are re-sent with their
   * original ids), the temperatures whose spectra are already stored, whether the fits are, and the
   * approval gates already passed.
   */
  public record Replay(Map<String, CampaignHistory.CommandRecord> commands, Set<Double> storedSpectra,
      boolean fitted, Set<String> approvedSteps, Map<String, String> stations) {
    public static final Replay NONE = new Replay(Map.of(), Set.of(), false, Set.of(), Map.of());
  }

  /**
   * Everything a runner needs besides its candidate.
   *
   * @param pools       role → the instrument ids that can serve it
   * @param instruments instrument actors by id
   * @param results     what the campaign makes of an experiment's measurements
   */
  public record Setup(String campaignId, ProtocolSpec protocol, Map<String, List<String>> pools,
      Map<String, ActorRef<Instrument.Command>> instruments, ActorRef<ResourceLocks.Command> locks,
      ActorRef<Store.Command> store, Executor compute, List<String> names, int precursorCount,
      ResultCalculator results) {}

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * Where the experiment is. Each phase handles only its own messages; any other message that
   * arrives in it (a late reply, a stale approval) is logged and dropped.
   *
   * <pre>
   *  COMMITTING ──synced──▶ (its continuation: RESTORING, ACQUIRING, COMMANDED, AT_GATE, HELD, ANALYSING)
   *  RESTORING  ──all stations granted──▶ ACQUIRING / COMMITTING / ANALYSING   ──denied──▶ ENDED
   *  ACQUIRING  ──granted──▶ COMMITTING (command recorded)                     ──denied──▶ ENDED
   *  COMMANDED  ──done──▶ COMMITTING ──▶ next step      ──failed──▶ COMMITTING (retry) / ENDED
   *             ──outcome unknown──▶ ASKING_OUTCOME
   *  AT_GATE, ASKING_OUTCOME ──approve──▶ COMMITTING    ──reject──▶ ENDED
   *  HELD       ──resume──▶ the step it held before
   *  ANALYSING  ──analysed──▶ ENDED
   *  any        ──abort──▶ ENDED (held stations told to stop)
   * </pre>
   *
   * Two things are orthogonal to the phase: {@link #pauseRequested} (hold at the next step
   * boundary) and {@link #live} (whether a resumed run is past what its log already says).
   */
  enum Phase { COMMITTING, RESTORING, ACQUIRING, COMMANDED, AT_GATE, ASKING_OUTCOME, HELD, ANALYSING, ENDED }

  private final Setup setup;
  private final String experimentId;
  private final Candidate candidate;
  private final Replay replay;
  private final ActorRef<Outcome> replyTo;
  private final ActorRef<Instrument.Event> replies;

  private Phase phase = Phase.COMMITTING;
  /** COMMITTING: what runs once everything recorded so far is committed (see {@link #whenDurable}). */
  private Runnable afterCommit;
  /** RESTORING: stations still to be taken back. */
  private int stationsToTakeBack;
  /** ACQUIRING: the role whose station is asked for, from which pool, in which wait. */
  private String acquiringRole;
  private List<String> acquiringPool;
  private long acquireAttempt;
  /** COMMANDED: the command out, and the instrument it went to. */
  private String commandId;
  /** AT_GATE, ASKING_OUTCOME: the step the operator is asked about. */
  private String gateStep;

  private boolean pauseRequested;
  private boolean live;
  /** Role → instrument the log says this experiment used (a resumed run keeps its stations). */
  private final Map<String, String> pinned = new java.util.HashMap<>();
  /** Gates an operator has approved. */
  private final Set<String> approved = new java.util.HashSet<>();
  private final Set<String> held = new LinkedHashSet<>();
  /** Which instrument of each role's pool this experiment uses. */
  private final Map<String, String> assigned = new java.util.HashMap<>();
  /** Instruments that have done a step of this experiment. */
  private final Set<String> used = new LinkedHashSet<>();
  private final List<Spectrum> spectra = new ArrayList<>();
  /** The declared measurements the steps reported, by name. */
  private final Map<String, StoreRecord.Value> measured = new java.util.LinkedHashMap<>();
  private int stepIndex;
  private int temperatureIndex;
  private int attempt;
  private double thicknessMm = Double.NaN;
  private double diameterMm = Double.NaN;

  public static Behavior<Command> create(Setup setup, String experimentId, Candidate candidate,
      ActorRef<Outcome> replyTo) {
    return resume(setup, experimentId, candidate, Replay.NONE, replyTo);
  }

  /** Continues an experiment from its log (see {@link Replay}). */
  public static Behavior<Command> resume(Setup setup, String experimentId, Candidate candidate,
      Replay replay, ActorRef<Outcome> replyTo) {
    // Every log line of the experiment carries its ids (logback pattern %X{…}).
    return Behaviors.withMdc(Command.class,
        Map.of("campaignId", setup.campaignId(), "experimentId", experimentId),
        Behaviors.setup(ctx -> new ExperimentRunner(ctx, setup, experimentId, candidate, replay,
            replyTo).next()));
  }

  private ExperimentRunner(ActorContext<Command> ctx, Setup setup, String experimentId,
      Candidate candidate, Replay replay, ActorRef<Outcome> replyTo) {
    super(ctx);
    this.setup = setup;
    this.experimentId = experimentId;
    this.candidate = candidate;
    this.replay = replay;
    this.live = replay.commands().isEmpty();
    this.approved.addAll(replay.approvedSteps());
    this.replyTo = replyTo;
    this.replies = ctx.messageAdapter(Instrument.Event.class, InstrumentReply::new);
    // A role no step acquires (a robot) is not reserved: each experiment takes one member of its
    // pool in turn, by its number, so two robots share the work. Acquired roles take turns in
    // ResourceLocks and overwrite this when granted.
    int turn = experimentNumber(experimentId);
    setup.pools().forEach((role, pool) -> assigned.put(role, pool.get(Math.floorMod(turn, pool.size()))));
    for (CampaignHistory.CommandRecord c : replay.commands().values()) {
      setup.protocol().steps().stream().filter(st -> st.id().equals(c.stepId())).findFirst()
          .ifPresent(st -> pinned.put(st.role(), c.instrument()));
    }
    // A station granted before any command went to it (a furnace loaded but not yet annealing)
    // is known only from its grant: which one of the pool it was must not be guessed.
    pinned.putAll(replay.stations());
    assigned.putAll(pinned);
    // The campaign recorded this experiment just before spawning us; nothing physical happens
    // before that is committed, or a crash could leave a sample the log does not know about.
    whenDurable(live ? this::runStep : this::restoreFromLog);
  }

  /**
   * Resumes from the log: takes back the results of the commands done before the restart, finds
   * the first command not done, and re-acquires exactly the stations the experiment held at that
   * point (its sample may be inside them) before continuing there. Resumed experiments held
   * disjoint stations when the orchestrator stopped, so these requests are all granted at once,
   * whatever order they arrive in; new experiments wait until every resumed one has them.
   */
  private void restoreFromLog() {
    List<ProtocolStep> steps = setup.protocol().steps();
    resume:
    for (stepIndex = 0; stepIndex < steps.size(); stepIndex++) {
      ProtocolStep s = step();
      int repeats = Math.max(1, s.temperaturesC().size());
      for (temperatureIndex = 0; temperatureIndex < repeats; temperatureIndex++) {
        CampaignHistory.CommandRecord past = replay.commands().get(commandIdAt(experimentId, s, temperatureIndex));
        if (past == null || !"DONE".equals(past.state())) {
          break resume;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = JSON.convertValue(past.result(), Map.class);
        takeResult(result == null ? Map.of() : result, true);
      }
      temperatureIndex = 0;
    }
    Set<String> holding = stationsHeld(setup.protocol(), experimentId, replay);
    if (holding.isEmpty()) {
      continueAfterRestore();
      return;
    }
    become(Phase.RESTORING);
    stationsToTakeBack = holding.size();
    ActorRef<ResourceLocks.Reply> adapter =
        getContext().messageAdapter(ResourceLocks.Reply.class, LockReply::new);
    for (String station : holding) {
      setup.locks().tell(new ResourceLocks.Acquire(List.of(station), experimentId, setup.campaignId(), adapter));
    }
  }

  /**
   * The stations an experiment held where its log ends: those its steps acquired (before sending
   * their first command) and had not yet released (after their last command was done). The
   * campaign reserves them for it before any experiment asks for anything, since its sample may
   * be inside.
   */
  public static Set<String> stationsHeld(ProtocolSpec protocol, String experimentId, Replay replay) {
    Map<String, String> instrumentOfRole = new java.util.HashMap<>();
    for (CampaignHistory.CommandRecord c : replay.commands().values()) {
      protocol.steps().stream().filter(st -> st.id().equals(c.stepId())).findFirst()
          .ifPresent(st -> instrumentOfRole.put(st.role(), c.instrument()));
    }
    instrumentOfRole.putAll(replay.stations());
    Set<String> holding = new LinkedHashSet<>();
    for (ProtocolStep s : protocol.steps()) {
      int repeats = Math.max(1, s.temperaturesC().size());
      for (int t = 0; t < repeats; t++) {
        CampaignHistory.CommandRecord past = replay.commands().get(commandIdAt(experimentId, s, t));
        if (past != null && t == 0) {
          s.acquire().stream().map(instrumentOfRole::get).filter(java.util.Objects::nonNull)
              .forEach(holding::add);
        }
        if (past == null || !"DONE".equals(past.state())) {
          return holding;
        }
      }
      s.release().stream().map(instrumentOfRole::get).forEach(holding::remove);
    }
    return holding;
  }

  private static final java.util.regex.Pattern EXPERIMENT_NUMBER = java.util.regex.Pattern.compile("-e(\\d+)$");

  /** The experiment's number ({@code …-e007} is 6, counting from 0), or a stable hash of its id. */
  static int experimentNumber(String experimentId) {
    java.util.regex.Matcher m = EXPERIMENT_NUMBER.matcher(experimentId);
    return m.find() ? Integer.parseInt(m.group(1)) - 1 : experimentId.hashCode();
  }

  private void continueAfterRestore() {
    if (stepIndex < setup.protocol().steps().size()) {
      runStep();
    } else {
      analyse();
    }
  }

  /**
   * Runs {@code next} once every record this experiment (and, written before it, its campaign)
   * has sent to the store is committed. The next physical step waits for the previous one's
   * outcome to be durable: after a crash the log is never more than one command behind the lab,
   * and that command is the last its instrument accepted, so re-sending it with its id is safe.
   */
  private void whenDurable(Runnable next) {
    become(Phase.COMMITTING);
    afterCommit = next;
    askForSync();
  }

  private void askForSync() {
    getContext().ask(Store.Synced.class, setup.store(), SYNC_DEADLINE, Store.Sync::new,
        (ok, err) -> ok != null ? new StoreSynced(ok) : SyncTimedOut.INSTANCE);
  }

  private Behavior<Command> onSyncTimedOut() {
    if (phase == Phase.COMMITTING) {
      getContext().getLog().warn("{}: the store has not confirmed its writes within {}; asking again",
          experimentId, SYNC_DEADLINE);
      askForSync();
    }
    return this;
  }

  private Behavior<Command> onStoreSynced(StoreSynced s) {
    if (phase != Phase.COMMITTING) {
      return ignored(s);
    }
    Runnable next = afterCommit;
    afterCommit = null;
    next.run();
    return next();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(InstrumentReply.class, this::onInstrumentReply)
        .onMessage(LockReply.class, this::onLockReply)
        .onMessage(AskLocksAgain.class, this::onAskLocksAgain)
        .onMessage(StoreSynced.class, this::onStoreSynced)
        .onMessageEquals(SyncTimedOut.INSTANCE, this::onSyncTimedOut)
        .onMessageEquals(Pause.INSTANCE, this::onPause)
        .onMessageEquals(Resume.INSTANCE, this::onResume)
        .onMessage(Abort.class, this::onAbort)
        .onMessage(Approve.class, this::onApprove)
        .onMessage(Reject.class, this::onReject)
        .onMessage(Analysed.class, this::onAnalysed)
        .build();
  }

  private void become(Phase next) {
    if (phase != next) {
      getContext().getLog().debug("{}: {} -> {}", experimentId, phase, next);
      phase = next;
    }
  }

  /** A message this phase does not handle: a late or stale one, dropped. */
  private Behavior<Command> ignored(Command m) {
    getContext().getLog().debug("{}: {} ignored in {}", experimentId, m, phase);
    return this;
  }

  /** This behaviour, or stopped once the outcome has been reported. */
  private Behavior<Command> next() {
    return phase == Phase.ENDED ? Behaviors.stopped() : this;
  }

  private ProtocolStep step() {
    return setup.protocol().steps().get(stepIndex);
  }

  private Behavior<Command> onPause() {
    pauseRequested = true;
    return this;
  }

  private Behavior<Command> onResume() {
    pauseRequested = false;
    if (phase == Phase.HELD) {
      runStep();
    }
    return next();
  }

  private Behavior<Command> onAbort(Abort a) {
    for (String station : held) {
      // Instruments that offer "stop" make themselves safe (a furnace cools); others refuse harmlessly.
      setup.instruments().get(station).tell(new Instrument.Execute(experimentId + ":abort:" + station,
          "stop", Map.of(), java.time.Duration.ofMinutes(1), getContext().getSystem().ignoreRef()));
    }
    return fail("aborted: " + a.reason());
  }

  private Behavior<Command> onApprove(Approve a) {
    if ((phase != Phase.AT_GATE && phase != Phase.ASKING_OUTCOME) || !a.stepId().equals(gateStep)) {
      return ignored(a);
    }
    gateStep = null;
    approved.add(a.stepId());
    if (phase == Phase.ASKING_OUTCOME) {
      Map<String, Object> result = Map.of("confirmed_by", a.by(),
          "outcome", "the operator confirmed that the device ran this command before the restart");
      record(new StoreRecord.Event(setup.campaignId(), experimentId, "approval_granted",
          Map.of("step", a.stepId(), "by", a.by(), "kind", "outcome"), Instant.now()));
      record(new StoreRecord.ReplyReceived(setup.campaignId(), experimentId, commandId, "DONE",
          result, Instant.now()));
      whenDurable(() -> onStepDone(result));
      return next();
    }
    record(new StoreRecord.Event(setup.campaignId(), experimentId, "approval_granted",
        Map.of("step", a.stepId(), "by", a.by()), Instant.now()));
    whenDurable(this::runStep); // who approved is on record before anything moves
    return next();
  }

  private Behavior<Command> onReject(Reject r) {
    if ((phase != Phase.AT_GATE && phase != Phase.ASKING_OUTCOME) || !r.stepId().equals(gateStep)) {
      return ignored(r);
    }
    record(new StoreRecord.Event(setup.campaignId(), experimentId, "approval_rejected",
        Map.of("step", r.stepId(), "by", r.by(), "reason", r.reason()), Instant.now()));
    return fail("step " + r.stepId() + " rejected by " + r.by() + ": " + r.reason());
  }

  /** Acquires the step's stations (any free one of each role's pool), then sends its command. */
  private void runStep() {
    if (pauseRequested) {
      become(Phase.HELD);
      // On record so that an operator (and a test) can see the pause has taken hold here.
      record(new StoreRecord.Event(setup.campaignId(), experimentId, "experiment_held",
          Map.of("before_step", step().id()), Instant.now()));
      return;
    }
    ProtocolStep gated = step();
    if (gated.approval() != null && !approved.contains(gated.id())) {
      become(Phase.AT_GATE);
      gateStep = gated.id();
      goLive(); // waiting for a person: stations held, nothing to replay
      record(new StoreRecord.Event(setup.campaignId(), experimentId, "approval_requested",
          Map.of("step", gated.id(), "prompt", gated.approval()), Instant.now()));
      replyTo.tell(new ApprovalNeeded(experimentId, candidate, gated.id(), gated.approval()));
      return;
    }
    for (String role : step().acquire()) {
      if (!held.contains(assigned.get(role))) {
        become(Phase.ACQUIRING);
        acquiringRole = role;
        acquiringPool = pinned.containsKey(role) ? List.of(pinned.get(role)) : setup.pools().get(role);
        acquireAttempt++;
        askLocks();
        return;
      }
    }
    send();
  }

  private void askLocks() {
    ActorRef<ResourceLocks.Reply> adapter = getContext().messageAdapter(ResourceLocks.Reply.class, LockReply::new);
    setup.locks().tell(new ResourceLocks.Acquire(acquiringPool, experimentId, setup.campaignId(), adapter));
    getContext().scheduleOnce(ASK_LOCKS_AGAIN, getContext().getSelf(), new AskLocksAgain(acquireAttempt));
  }

  private Behavior<Command> onAskLocksAgain(AskLocksAgain a) {
    if (phase == Phase.ACQUIRING && a.attempt() == acquireAttempt) {
      askLocks();
    }
    return this;
  }

  private Behavior<Command> onLockReply(LockReply r) {
    if (phase == Phase.RESTORING) {
      if (r.reply() instanceof ResourceLocks.Granted g) {
        held.add(g.resource());
        if (--stationsToTakeBack == 0) {
          continueAfterRestore();
        }
      } else if (r.reply() instanceof ResourceLocks.Denied d) {
        fail("cannot take back the stations held before the restart: " + d.reason());
      }
      return next();
    }
    if (phase != Phase.ACQUIRING || r.reply() instanceof ResourceLocks.Granted g
        && !acquiringPool.contains(g.resource())) {
      return ignored(r); // e.g. the answer to an earlier wait's asking again
    }
    String acquiring = acquiringRole;
    acquiringRole = null;
    if (r.reply() instanceof ResourceLocks.Granted g) {
      held.add(g.resource());
      assigned.put(acquiring, g.resource());
      // Committed with the step's command (whenDurable): after a crash the log says which
      // station of the pool holds the sample, even before a command has gone to that station.
      record(new StoreRecord.Event(setup.campaignId(), experimentId, "station_acquired",
          Map.of("role", acquiring, "station", g.resource()), Instant.now()));
      runStep();
    } else if (r.reply() instanceof ResourceLocks.Denied d) {
      failAt(null, "no " + acquiring + " available: " + d.reason(), d.outOfService());
    }
    return next();
  }

  private void send() {
    ProtocolStep s = step();
    Double temperature = s.temperaturesC().isEmpty() ? null : s.temperaturesC().get(temperatureIndex);
    commandId = commandIdAt(experimentId, s, temperatureIndex);
    Map<String, Object> params;
    try {
      params = StepParameters.resolve(s.params(), context(temperature));
    } catch (IllegalArgumentException e) {
      fail("step " + s.id() + ": " + e.getMessage());
      return;
    }
    goLive();
    String instrument = assigned.get(s.role());
    record(new StoreRecord.CommandSent(setup.campaignId(), experimentId, s.id(), commandId,
        instrument, s.action(), params, Instant.now()));
    // The command goes out only once the log says it may have: after a crash, a command an
    // instrument received is always one the log knows (and the stations it implies are held).
    // Sent before (by the orchestrator that crashed, or by this one before a timeout): a device
    // that cannot recognise the id must be asked what became of it rather than told again.
    CampaignHistory.CommandRecord before = replay.commands().get(commandId);
    boolean resent = attempt > 0 || before != null && before.sends() > 0;
    var execute = new Instrument.Execute(commandId, s.action(), params, s.timeout(), replies, resent);
    whenDurable(() -> {
      become(Phase.COMMANDED);
      setup.instruments().get(instrument).tell(execute);
    });
  }

  /** The id of a step's command (per temperature for measurement steps): the same after a restart. */
  private static String commandIdAt(String experimentId, ProtocolStep s, int temperatureIndex) {
    Double temperature = s.temperaturesC().isEmpty() ? null : s.temperaturesC().get(temperatureIndex);
    return experimentId + ":" + s.id() + (temperature == null ? "" : ":" + temperature.intValue() + "C");
  }

  private StepParameters.Context context(Double temperature) {
    Map<String, Double> values = new java.util.LinkedHashMap<>();
    for (int i = 0; i < setup.names().size(); i++) {
      values.put(setup.names().get(i), candidate.get(i));
    }
    return new StepParameters.Context(experimentId, values, fractions(),
        setup.protocol().batchMassMg(), Map.copyOf(assigned), temperature);
  }

  /** The candidate's precursor mole fractions, by precursor. */
  private Map<String, Double> fractions() {
    Map<String, Double> fractions = new java.util.LinkedHashMap<>();
    for (int i = 0; i < setup.precursorCount(); i++) {
      fractions.put(setup.names().get(i), candidate.get(i));
    }
    return fractions;
  }

  private Behavior<Command> onInstrumentReply(InstrumentReply r) {
    Instrument.Event e = r.event();
    if (phase != Phase.COMMANDED || !e.commandId().equals(commandId)) {
      return ignored(r);
    }
    String instrument = assigned.get(step().role());
    String problem = e instanceof Instrument.Completed c ? malformed(step(), c.result()) : null;
    if (problem != null) {
      // A result the runner cannot use fails this experiment with the reason; it must not
      // throw out of the runner (the campaign would never hear of it, its stations never freed).
      record(new StoreRecord.ReplyReceived(setup.campaignId(), experimentId, commandId, "FAILED",
          Map.of("code", "BAD_RESULT", "message", problem), Instant.now()));
      failAt(instrument, "step " + step().id() + " on " + instrument + " returned a malformed result: "
          + problem);
    } else if (e instanceof Instrument.Completed c) {
      record(new StoreRecord.ReplyReceived(setup.campaignId(), experimentId, commandId, "DONE",
          c.result(), Instant.now()));
      used.add(instrument);
      recordSpectrum(c.result());
      whenDurable(() -> onStepDone(c.result()));
    } else if (e instanceof Instrument.Failed f && f.code() == org.ionloop.ErrorCode.OUTCOME_UNKNOWN) {
      askWhatHappened(f.message());
    } else if (e instanceof Instrument.Failed f) {
      record(new StoreRecord.ReplyReceived(setup.campaignId(), experimentId, commandId, "FAILED",
          Map.of("code", f.code().name(), "message", f.message()), Instant.now()));
      boolean transientFailure = f.code() == org.ionloop.ErrorCode.TIMEOUT
          || f.code() == org.ionloop.ErrorCode.NOT_CONNECTED;
      if (transientFailure && attempt < step().retries()) {
        attempt++;
        getContext().getLog().warn("{}: retrying {} ({}/{}) after {}", experimentId, commandId,
            attempt, step().retries(), f.message());
        send();
      } else {
        // A cracked pellet is the sample's failure: the robot that pressed it is not to blame.
        failAt(f.code() == org.ionloop.ErrorCode.SAMPLE_FAILED ? null : instrument,
            "step " + step().id() + " failed on " + instrument + ": " + f.code() + " " + f.message());
      }
    }
    return next();
  }

  /**
   * Holds the experiment with a question to the operator, through the approval mechanism: the
   * driver could not tell from the device whether the re-sent command already ran.
   */
  private void askWhatHappened(String question) {
    String prompt = question.startsWith(Instrument.OUTCOME_UNKNOWN + ": ")
        ? question.substring(Instrument.OUTCOME_UNKNOWN.length() + 2) : question;
    String full = prompt + " (approve: yes, take the step as done; reject: no, the experiment fails"
        + " and the sample should be inspected)";
    become(Phase.ASKING_OUTCOME);
    gateStep = step().id();
    getContext().getLog().warn("{}: {}", experimentId, full);
    record(new StoreRecord.Event(setup.campaignId(), experimentId, "approval_requested",
        Map.of("step", step().id(), "prompt", full, "kind", "outcome"), Instant.now()));
    replyTo.tell(new ApprovalNeeded(experimentId, candidate, step().id(), full));
  }

  /**
   * What is wrong with a done command's result for this step, or null: a geometry step must
   * report finite positive {@code thickness_mm} and {@code diameter_mm}; a spectrum must be at
   * least 3 finite [f &gt; 0, Z', Z''] points with a finite {@code temperature_c}.
   */
  static String malformed(ProtocolStep s, Map<String, Object> result) {
    if (result == null) {
      return "no result";
    }
    for (ProtocolStep.Measured m : s.measures()) {
      if (!(result.get(m.field()) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        return "'" + m.field() + "' (measurement " + m.name() + ") must be a number, got " + result.get(m.field());
      }
      if (m.stdErrField() != null && (!(result.get(m.stdErrField()) instanceof Number e)
          || !(e.doubleValue() >= 0) || !Double.isFinite(e.doubleValue()))) {
        return "'" + m.stdErrField() + "' (standard error of " + m.name() + ") must be a number ≥ 0, got "
            + result.get(m.stdErrField());
      }
    }
    if ("geometry".equals(s.save())) {
      for (String field : List.of("thickness_mm", "diameter_mm")) {
        if (!(result.get(field) instanceof Number n) || !(n.doubleValue() > 0) || !Double.isFinite(n.doubleValue())) {
          return "'" + field + "' must be a positive number, got " + result.get(field);
        }
      }
    }
    Object points = result.get("points");
    if (points == null) {
      return s.temperaturesC().isEmpty() ? null : "no 'points' (the spectrum) in a measurement's result";
    }
    if (!(points instanceof List<?> list) || list.size() < 3) {
      return "'points' must be a list of at least 3 [frequency, Z', Z''] points";
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof List<?> p) || p.size() < 3
          || !p.stream().allMatch(v -> v instanceof Number n && Double.isFinite(n.doubleValue()))
          || !(((Number) p.get(0)).doubleValue() > 0)) {
        return "point " + i + " is not [frequency > 0, Z', Z''] as finite numbers: " + list.get(i);
      }
    }
    if (!(result.get("temperature_c") instanceof Number t) || !Double.isFinite(t.doubleValue())) {
      return "'temperature_c' must be a number, got " + result.get("temperature_c");
    }
    return null;
  }

  /**
   * Keeps what a done command produced: pellet geometry, spectra. Live results were checked by
   * {@link #malformed}; a result from the log may be an operator's confirmation that a command
   * ran, which carries neither, so only what is well formed is taken (analysis then says what is
   * missing).
   */
  private void takeResult(Map<String, Object> result, boolean replayed) {
    if (malformed(step(), result) == null) {
      for (ProtocolStep.Measured m : step().measures()) {
        double se = m.stdErrField() == null ? Double.NaN : ((Number) result.get(m.stdErrField())).doubleValue();
        measured.put(m.name(), new StoreRecord.Value(((Number) result.get(m.field())).doubleValue(), se));
      }
    }
    if ("geometry".equals(step().save()) && malformed(step(), result) == null) {
      thicknessMm = ((Number) result.get("thickness_mm")).doubleValue();
      diameterMm = ((Number) result.get("diameter_mm")).doubleValue();
    }
    double[][] raw = malformed(step(), result) == null ? rawSpectrum(result) : null;
    if (raw != null) {
      double t = ((Number) result.get("temperature_c")).doubleValue();
      if (replayed && !replay.storedSpectra().contains(t)) {
        recordSpectrum(result); // the reply was committed, its spectrum row was not
      }
      spectra.add(toSpectrum(t, raw));
    }
  }

  private void onStepDone(Map<String, Object> result) {
    ProtocolStep s = step();
    attempt = 0;
    takeResult(result, false);
    if (temperatureIndex + 1 < s.temperaturesC().size()) {
      temperatureIndex++;
      send();
      return;
    }
    temperatureIndex = 0;
    for (String role : s.release()) {
      release(assigned.get(role));
    }
    if (++stepIndex < setup.protocol().steps().size()) {
      runStep();
      return;
    }
    analyse();
  }

  /** After the last step: stations free, spectra and geometry analysed off the actor thread. */
  private void analyse() {
    releaseAll();
    goLive();
    become(Phase.ANALYSING);
    if (spectra.isEmpty() && !setup.results().needsArrhenius()) {
      getContext().getSelf().tell(new Analysed(null, null)); // nothing to fit: the result is the measurements
      return;
    }
    if (spectra.isEmpty() || Double.isNaN(thicknessMm)) {
      fail("protocol produced no spectra or no pellet geometry to analyse");
      return;
    }
    List<Spectrum> snapshot = List.copyOf(spectra);
    double l = thicknessMm;
    double d = diameterMm;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(
        () -> new SampleAnalysis().analyse(snapshot, l, d), setup.compute()),
        (ok, err) -> new Analysed(ok, err));
  }

  /** The raw points of a measurement step's result (checked by {@link #malformed}), or null for other steps. */
  private static double[][] rawSpectrum(Map<String, Object> result) {
    if (!(result.get("points") instanceof List<?> points)) {
      return null;
    }
    double[][] raw = new double[points.size()][];
    for (int i = 0; i < raw.length; i++) {
      List<?> p = (List<?>) points.get(i);
      raw[i] = new double[] {((Number) p.get(0)).doubleValue(), ((Number) p.get(1)).doubleValue(),
          ((Number) p.get(2)).doubleValue()};
    }
    return raw;
  }

  private void recordSpectrum(Map<String, Object> result) {
    double[][] raw = rawSpectrum(result);
    if (raw != null) {
      double t = ((Number) result.get("temperature_c")).doubleValue();
      record(new StoreRecord.SpectrumMeasured(setup.campaignId(), experimentId, t, raw, Instant.now()));
    }
  }

  /** Each parameter's standard error by name; an undetermined one (NaN) is left out. */
  private static Map<String, Double> stdErrsOf(org.ionloop.analysis.eis.FitResult fit) {
    Map<String, Double> byName = new java.util.LinkedHashMap<>();
    List<String> names = fit.circuit().parameterNames();
    double[] se = fit.standardErrors();
    for (int i = 0; i < names.size() && se != null && i < se.length; i++) {
      if (Double.isFinite(se[i])) {
        byName.put(names.get(i), se[i]);
      }
    }
    return byName;
  }

  private static Map<String, Double> parametersOf(org.ionloop.analysis.eis.FitResult fit) {
    Map<String, Double> byName = new java.util.LinkedHashMap<>();
    List<String> names = fit.circuit().parameterNames();
    for (int i = 0; i < names.size(); i++) {
      byName.put(names.get(i), fit.parameters()[i]);
    }
    return byName;
  }

  private Behavior<Command> onAnalysed(Analysed a) {
    if (phase != Phase.ANALYSING) {
      return ignored(a);
    }
    if (a.failure() != null) {
      return fail("analysis failed: " + a.failure());
    }
    // Fits and result go to the store in one transaction; a resumed experiment whose fits
    // are already stored (it died between analysis and its end) does not store them again.
    List<StoreRecord> analysis = new ArrayList<>();
    List<SampleAnalysis.Measurement> fitted = a.result() == null ? List.of() : a.result().measurements();
    if (!replay.fitted()) {
      for (SampleAnalysis.Measurement m : fitted) {
        analysis.add(new StoreRecord.MeasurementFitted(setup.campaignId(), experimentId, m.temperatureC(),
            m.fit().circuit().text(), parametersOf(m.fit()), stdErrsOf(m.fit()), m.resistance() == null ? Double.NaN : m.resistance().ohm(),
            m.resistance() == null ? Double.NaN : m.resistanceStdErrOhm(), m.sigmaSPerCm(),
            m.fit().chiSquare(), m.fit().converged(),
            m.resistance() != null && m.resistance().bulkResolved(), m.kk().valid(),
            m.kk().rmsResidual(), m.fit().reason(), Instant.now()));
      }
    }
    var arr = a.result() == null ? null : a.result().arrhenius();
    Map<String, StoreRecord.Value> objectives;
    String problem;
    try {
      objectives = setup.results().objectives(arr, Map.copyOf(measured), fractions());
      problem = null;
    } catch (IllegalStateException e) {
      objectives = null;
      problem = arr == null && a.result() != null && a.result().problem() != null ? a.result().problem() : e.getMessage();
    }
    if (objectives != null) {
      double nan = Double.NaN;
      analysis.add(new StoreRecord.ResultRecorded(setup.campaignId(), experimentId, objectives,
          arr == null ? nan : arr.log10Sigma25(), arr == null ? nan : arr.log10Sigma25StdErr(),
          arr == null ? nan : arr.eaEv(), arr == null ? nan : arr.eaStdErrEv(), thicknessMm, diameterMm,
          Instant.now()));
    }
    setup.store().tell(new Store.WriteAll(analysis));
    if (objectives == null) {
      return fail(problem);
    }
    replyTo.tell(new Succeeded(experimentId, candidate, objectives, a.result(), thicknessMm, diameterMm,
        Set.copyOf(used)));
    become(Phase.ENDED);
    return next();
  }

  private Behavior<Command> fail(String reason) {
    return failAt(null, reason);
  }

  private Behavior<Command> failAt(String instrument, String reason) {
    return failAt(instrument, reason, Map.of());
  }

  /**
   * Ends the experiment as failed; {@code instrument} is the one whose command failed, if any.
   *
   * @param knownOutOfService stations the lock manager said are out of service (a denied
   *     acquire): passed on so the campaign pauses instead of starting experiments that cannot end
   */
  private Behavior<Command> failAt(String instrument, String reason, Map<String, String> knownOutOfService) {
    // The sample is in a station this experiment holds (or in the gripper on its way between
    // two): no other experiment may load that station until an operator has cleared it.
    Map<String, String> quarantined = new java.util.LinkedHashMap<>();
    for (String station : held) {
      String why = experimentId + " failed while holding it (" + reason + "); its sample may still be inside";
      quarantined.put(station, why);
      setup.locks().tell(new ResourceLocks.Quarantine(station, why));
      // In the log, so a recovered campaign keeps it out of service until an operator releases it.
      record(new StoreRecord.Event(setup.campaignId(), experimentId, "station_quarantined",
          Map.of("station", station, "reason", why), Instant.now()));
    }
    held.clear();
    knownOutOfService.forEach(quarantined::putIfAbsent);
    getContext().getLog().warn("{} failed: {}", experimentId, reason);
    replyTo.tell(new Failed(experimentId, candidate, reason, Map.copyOf(quarantined), instrument));
    become(Phase.ENDED);
    return next();
  }

  /** Tells the campaign, once, that a resumed run has replayed its log and now runs live. */
  private void goLive() {
    if (!live) {
      live = true;
      replyTo.tell(new CaughtUp(experimentId, candidate));
    }
  }

  private void release(String resource) {
    if (held.remove(resource)) {
      setup.locks().tell(new ResourceLocks.Release(resource, experimentId));
    }
  }

  private void releaseAll() {
    for (String r : List.copyOf(held)) {
      release(r);
    }
  }

  private void record(StoreRecord r) {
    setup.store().tell(new Store.Write(r));
  }

  private static Spectrum toSpectrum(double t, double[][] raw) {
    double[] f = new double[raw.length];
    double[] re = new double[raw.length];
    double[] im = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      f[i] = raw[i][0];
      re[i] = raw[i][1];
      im[i] = raw[i][2];
    }
    return new Spectrum(t, f, re, im);
  }
}
