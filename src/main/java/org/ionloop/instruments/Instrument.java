package org.ionloop.instruments;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import org.ionloop.ErrorCode;

/**
 * One instrument, whatever its transport. Commands run one at a time: the queue is the
 * instrument's resource lock. Limits from the instrument file are checked before anything goes
 * on the wire; a violation is a {@link Failed} reply with {@link ErrorCode#LIMIT}.
 */
public final class Instrument extends AbstractBehavior<Instrument.Command> {

  public sealed interface Command extends org.ionloop.CrossNode {}

  /** Run an action; replies Accepted/Progress… then exactly one Completed or Failed. */
  /** The error code a driver reports when only a person can tell what became of a command. */
  public static final String OUTCOME_UNKNOWN = "OUTCOME_UNKNOWN";

  public record Execute(String commandId, String action, Map<String, Object> params,
      Duration deadline, ActorRef<Event> replyTo, boolean resent) implements Command {
    /** A command sent for the first time. */
    public Execute(String commandId, String action, Map<String, Object> params, Duration deadline,
        ActorRef<Event> replyTo) {
      this(commandId, action, params, deadline, replyTo, false);
    }

    InstrumentCommand wire(boolean again) {
      return new InstrumentCommand(commandId, action, params, deadline, resent || again);
    }
  }

  /** Replies with a {@link Description}. */
  public record Describe(ActorRef<Description> replyTo) implements Command {}

  /**
   * What {@link Describe} says, without the instrument's file, for a driver on another node (a
   * gateway's): the asking node has the file in its own registry.
   */
  public record DescribeBriefly(ActorRef<Brief> replyTo) implements Command {}

  private record WireEvent(InstrumentEvent event) implements Command {}

  private record WireState(InstrumentState state) implements Command {}

  private record SendFailed(String commandId, Throwable cause) implements Command {}

  private enum Sent implements Command { INSTANCE }

  private record DeadlinePassed(String commandId) implements Command {}

  private record ConnectResult(Throwable failure) implements Command {}

  private enum Reconnect implements Command { INSTANCE }

  private enum Reconnected implements Command { INSTANCE }

  /** Replies to {@link Execute}. */
  public sealed interface Event extends org.ionloop.CrossNode {
    String commandId();
  }

  public record Accepted(String commandId) implements Event {}

  public record Progress(String commandId, double fraction) implements Event {}

  public record Completed(String commandId, Map<String, Object> result) implements Event {}

  public record Failed(String commandId, ErrorCode code, String message) implements Event {}

  /**
   * The instrument's spec, its state and its queue length.
   *
   * @param lastHeard when the instrument last said anything (event or state), null if never
   * @param stale     nothing heard for longer than the stale-after setting
   */
  public record Description(InstrumentSpec spec, InstrumentState state, boolean connected,
      int queued, java.time.Instant lastHeard, boolean stale) {
    /** The description again, with the file the asking node has for the instrument. */
    public static Description of(InstrumentSpec spec, Brief b) {
      return new Description(spec, b.state(), b.connected(), b.queued(),
          b.lastHeardEpochMs() == null ? null : java.time.Instant.ofEpochMilli(b.lastHeardEpochMs()), b.stale());
    }
  }

  /** {@link Description} less the file, as it crosses nodes; {@code lastHeardEpochMs} null: never heard. */
  public record Brief(InstrumentState state, boolean connected, int queued, Long lastHeardEpochMs, boolean stale)
      implements org.ionloop.CrossNode {}

  /** Actions that make an instrument safe; they bypass the queue and interrupt the running one. */
  public static final java.util.Set<String> SAFETY_ACTIONS = java.util.Set.of("stop");

  /** How long silence may last before an instrument is reported stale. */
  public static final Duration STALE_AFTER = Duration.ofMinutes(2);

  private final InstrumentSpec spec;
  private final InstrumentTransport transport;
  private final TimerScheduler<Command> timers;
  private final Queue<Execute> queue = new ArrayDeque<>();
  /** Safety commands ("stop") that bypass the queue, by id. */
  private final java.util.Map<String, Execute> urgent = new java.util.HashMap<>();
  private Execute active;
  private boolean connected;
  private InstrumentState state = InstrumentState.OFFLINE;
  private Duration reconnectDelay = Duration.ofMillis(200);
  private long lastHeardNanos = -1;
  private java.time.Instant lastHeard;
  /** Whether the instrument has said anything since the active command was sent. */
  private boolean heardSinceSent;
  /**
   * The latest commands completed, by id: a command sent again (its campaign moved to another
   * node and resumed, this driver living on elsewhere) is answered from here, the device untouched.
   */
  private final java.util.Map<String, Completed> completed = new java.util.LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<String, Completed> eldest) {
      return size() > 256;
    }
  };

  public static Behavior<Command> create(InstrumentSpec spec, InstrumentTransport transport) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new Instrument(ctx, t, spec, transport)));
  }

  private Instrument(ActorContext<Command> ctx, TimerScheduler<Command> timers, InstrumentSpec spec,
      InstrumentTransport transport) {
    super(ctx);
    this.spec = spec;
    this.transport = transport;
    this.timers = timers;
    ActorRef<Command> self = ctx.getSelf();
    transport.onEvent(e -> self.tell(new WireEvent(e)));
    transport.onState(s -> self.tell(new WireState(s)));
    transport.onReconnected(() -> self.tell(Reconnected.INSTANCE));
    connect();
  }

  private void connect() {
    getContext().pipeToSelf(transport.connect(), (ok, err) -> new ConnectResult(err));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Execute.class, this::onExecute)
        .onMessage(Describe.class, this::onDescribe)
        .onMessage(DescribeBriefly.class, this::onDescribeBriefly)
        .onMessage(WireEvent.class, this::onWireEvent)
        .onMessage(WireState.class, this::onWireState)
        .onMessage(SendFailed.class, this::onSendFailed)
        .onMessage(DeadlinePassed.class, this::onDeadlinePassed)
        .onMessage(ConnectResult.class, this::onConnectResult)
        .onMessageEquals(Reconnect.INSTANCE, this::onReconnect)
        .onMessageEquals(Sent.INSTANCE, () -> this)
        .onMessageEquals(Reconnected.INSTANCE, this::onReconnected)
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> onExecute(Execute cmd) {
    var violation = spec.violation(cmd.action(), cmd.params());
    if (violation.isPresent()) {
      getContext().getLog().warn("{} refused {}: {}", spec.id(), cmd.commandId(), violation.get());
      cmd.replyTo().tell(new Failed(cmd.commandId(), ErrorCode.LIMIT, violation.get()));
      return this;
    }
    if (answeredAgain(cmd)) {
      return this;
    }
    if (SAFETY_ACTIONS.contains(cmd.action())) {
      // Making an instrument safe cannot wait behind the command it interrupts.
      urgent.put(cmd.commandId(), cmd);
      timers.startSingleTimer(cmd.commandId(), new DeadlinePassed(cmd.commandId()), cmd.deadline());
      getContext().pipeToSelf(transport.send(cmd.wire(false)),
          (ok, err) -> err == null ? Sent.INSTANCE : new SendFailed(cmd.commandId(), err));
      return this;
    }
    queue.add(cmd);
    startNext();
    return this;
  }

  /**
   * A command this driver already has, sent again by whoever now runs its experiment: done, it
   * gets the outcome; running or queued, its outcome goes to the new sender. Nothing reaches the
   * device twice.
   */
  private boolean answeredAgain(Execute cmd) {
    Completed done = completed.get(cmd.commandId());
    if (done != null) {
      getContext().getLog().info("{}: {} was done already; its outcome answers the new sender", spec.id(),
          cmd.commandId());
      cmd.replyTo().tell(done);
      return true;
    }
    if (active != null && active.commandId().equals(cmd.commandId())) {
      getContext().getLog().info("{}: {} is running; its outcome goes to the new sender", spec.id(), cmd.commandId());
      active = cmd;
      cmd.replyTo().tell(new Accepted(cmd.commandId()));
      return true;
    }
    Execute queued = queue.stream().filter(q -> q.commandId().equals(cmd.commandId())).findFirst().orElse(null);
    if (queued != null) {
      java.util.List<Execute> kept = new java.util.ArrayList<>(queue);
      kept.replaceAll(q -> q == queued ? cmd : q);
      queue.clear();
      queue.addAll(kept);
      return true;
    }
    return false;
  }

  private void startNext() {
    if (active != null || !connected || queue.isEmpty()) {
      return;
    }
    active = queue.poll();
    heardSinceSent = false;
    Execute cmd = active;
    timers.startSingleTimer(cmd.commandId(), new DeadlinePassed(cmd.commandId()), cmd.deadline());
    getContext().getLog().debug("{} <- {} {} {}", spec.id(), cmd.commandId(), cmd.action(), cmd.params());
    getContext().pipeToSelf(transport.send(cmd.wire(false)),
        (ok, err) -> err == null ? Sent.INSTANCE : new SendFailed(cmd.commandId(), err));
  }

  private void heard() {
    heardSinceSent = true;
    lastHeardNanos = System.nanoTime();
    lastHeard = java.time.Instant.now();
  }

  private Behavior<Command> onWireEvent(WireEvent w) {
    heard();
    InstrumentEvent e = w.event();
    Execute safety = urgent.get(e.commandId());
    if (safety != null) {
      if (e instanceof InstrumentEvent.Done d) {
        urgent.remove(e.commandId());
        timers.cancel(e.commandId());
        safety.replyTo().tell(new Completed(e.commandId(), d.result()));
      } else if (e instanceof InstrumentEvent.Error err) {
        urgent.remove(e.commandId());
        timers.cancel(e.commandId());
        safety.replyTo().tell(new Failed(e.commandId(), ErrorCode.INSTRUMENT_ERROR, err.code() + ": " + err.message()));
      }
      return this;
    }
    if (active == null || !active.commandId().equals(e.commandId())) {
      // Duplicates and late events of finished commands are harmless by contract.
      getContext().getLog().debug("{} ignored event for inactive command {}", spec.id(), e.commandId());
      return this;
    }
    ActorRef<Event> replyTo = active.replyTo();
    if (e instanceof InstrumentEvent.Ack) {
      replyTo.tell(new Accepted(e.commandId()));
    } else if (e instanceof InstrumentEvent.Progress p) {
      replyTo.tell(new Progress(e.commandId(), p.fraction()));
    } else if (e instanceof InstrumentEvent.Done d) {
      finish(new Completed(e.commandId(), d.result()));
    } else if (e instanceof InstrumentEvent.Error err) {
      ErrorCode code = OUTCOME_UNKNOWN.equals(err.code()) ? ErrorCode.OUTCOME_UNKNOWN
          : spec.sampleFailures().contains(err.code()) ? ErrorCode.SAMPLE_FAILED : ErrorCode.INSTRUMENT_ERROR;
      finish(new Failed(e.commandId(), code, err.code() + ": " + err.message()));
    }
    return this;
  }

  private void finish(Event outcome) {
    timers.cancel(active.commandId());
    if (outcome instanceof Completed c) {
      completed.put(c.commandId(), c);
    }
    active.replyTo().tell(outcome);
    active = null;
    startNext();
  }

  private Behavior<Command> onWireState(WireState s) {
    heard();
    if (s.state() != state) {
      getContext().getLog().info("{} is {}", spec.id(), s.state());
    }
    state = s.state();
    return this;
  }

  private Behavior<Command> onSendFailed(SendFailed f) {
    if (active != null && active.commandId().equals(f.commandId())) {
      finish(new Failed(f.commandId(), ErrorCode.NOT_CONNECTED, "could not send to " + spec.id()
          + ": " + f.cause().getMessage()));
    }
    return this;
  }

  private Behavior<Command> onDeadlinePassed(DeadlinePassed d) {
    Execute safety = urgent.remove(d.commandId());
    if (safety != null) {
      safety.replyTo().tell(new Failed(d.commandId(), ErrorCode.TIMEOUT, spec.id() + " did not confirm '"
          + safety.action() + "' within " + safety.deadline()));
      return this;
    }
    // Only the active command has a deadline timer: a deadline is the time to finish a step
    // once started, so a step queued behind hours of milling is not failed for waiting.
    if (active != null && active.commandId().equals(d.commandId())) {
      String said = spec.id() + " did not finish '" + active.action() + "' within " + active.deadline();
      if (!heardSinceSent) {
        // Not a slow step but a silent instrument: FAULT until it reports a state of its own,
        // so the operator sees which one stopped answering (instrument views, the log).
        state = InstrumentState.FAULT;
        said += " and has said nothing since it was sent";
        getContext().getLog().warn("{} is FAULT: {}", spec.id(), said);
      }
      finish(new Failed(d.commandId(), ErrorCode.TIMEOUT, said));
    }
    return this;
  }

  private Behavior<Command> onConnectResult(ConnectResult r) {
    if (r.failure() == null) {
      connected = true;
      reconnectDelay = Duration.ofMillis(200);
      getContext().getLog().info("{} connected", spec.id());
      startNext();
    } else {
      getContext().getLog().warn("{} cannot connect ({}), retrying in {}", spec.id(),
          r.failure().getMessage(), reconnectDelay);
      timers.startSingleTimer(Reconnect.INSTANCE, reconnectDelay);
      reconnectDelay = reconnectDelay.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
          ? Duration.ofSeconds(30) : reconnectDelay.multipliedBy(2);
    }
    return this;
  }

  private Behavior<Command> onReconnect() {
    connect();
    return this;
  }

  /** After a lost link, re-send the command in flight with its original id (idempotent). */
  private Behavior<Command> onReconnected() {
    if (active != null) {
      Execute cmd = active;
      getContext().getLog().info("{} reconnected; re-sending {}", spec.id(), cmd.commandId());
      // The device may have it already: the link went down with the command in flight.
      getContext().pipeToSelf(transport.send(cmd.wire(true)),
          (ok, err) -> err == null ? Sent.INSTANCE : new SendFailed(cmd.commandId(), err));
    }
    return this;
  }

  private Behavior<Command> onDescribe(Describe d) {
    d.replyTo().tell(description());
    return this;
  }

  private Behavior<Command> onDescribeBriefly(DescribeBriefly d) {
    Description full = description();
    d.replyTo().tell(new Brief(full.state(), full.connected(), full.queued(),
        full.lastHeard() == null ? null : full.lastHeard().toEpochMilli(), full.stale()));
    return this;
  }

  private Description description() {
    boolean stale = lastHeardNanos < 0
        || System.nanoTime() - lastHeardNanos > STALE_AFTER.toNanos();
    return new Description(spec, state, connected, queue.size() + (active == null ? 0 : 1), lastHeard, stale);
  }

  private Behavior<Command> onPostStop() {
    transport.close();
    return this;
  }
}
