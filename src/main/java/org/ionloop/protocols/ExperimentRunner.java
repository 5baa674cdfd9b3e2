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

  /** Hold before the next step (a checkpoint); the step in progress finishes. */
  public enum Pause implements Command { INSTANCE }

  /** Continue after {@link Pause}. */
  public enum Resume implements Command { INSTANCE }

  /** Make the held stations safe (their "stop" action) and end the experiment as failed. */
  public record Abort(String reason) implements Command {}

  private record Analysed(SampleAnalysis.Result result, Throwable failure) implements Command {}

  /** What the runner reports to its parent. */
  public sealed interface Outcome {
    String experimentId();

    Candidate candidate();
  }

  /** The experiment produced a result. */
  public record Succeeded(String experimentId, Candidate candidate, SampleAnalysis.Result analysis,
      double thicknessMm, double diameterMm) implements Outcome {}

  /** The experiment failed at a step (or in analysis), for the stated reason. */
  public record Failed(String experimentId, Candidate candidate, String reason) implements Outcome {}

  /**
   * Everything a runner needs besides its candidate.
   *
   * @param pools       role → the instrument ids that can serve it
   * @param instruments instrument actors by id
   */
  public record Setup(String campaignId, ProtocolSpec protocol, Map<String, List<String>> pools,
      Map<String, ActorRef<Instrument.Command>> instruments, ActorRef<ResourceLocks.Command> locks,
      ActorRef<Store.Command> store, Executor compute, List<String> names, int precursorCount) {}

  private final Setup setup;
  private final String experimentId;
  private final Candidate candidate;
  private final ActorRef<Outcome> replyTo;
  private final ActorRef<Instrument.Event> replies;
  private final Set<String> held = new LinkedHashSet<>();
  /** Which instrument of each role's pool this experiment uses. */
  private final Map<String, String> assigned = new java.util.HashMap<>();
  private String acquiring;
  private final List<Spectrum> spectra = new ArrayList<>();
  private int stepIndex;
  private int temperatureIndex;
  private int attempt;
  private String commandId;
  private double thicknessMm = Double.NaN;
  private double diameterMm = Double.NaN;
  private boolean finished;
  private boolean paused;
  private boolean heldAtCheckpoint;

  public static Behavior<Command> create(Setup setup, String experimentId, Candidate candidate,
      ActorRef<Outcome> replyTo) {
    // Every log line of the experiment carries its ids (logback pattern %X{…}).
    return Behaviors.withMdc(Command.class,
        Map.of("campaignId", setup.campaignId(), "experimentId", experimentId),
        Behaviors.setup(ctx -> new ExperimentRunner(ctx, setup, experimentId, candidate, replyTo).next()));
  }

  private ExperimentRunner(ActorContext<Command> ctx, Setup setup, String experimentId,
      Candidate candidate, ActorRef<Outcome> replyTo) {
    super(ctx);
    this.setup = setup;
    this.experimentId = experimentId;
    this.candidate = candidate;
    this.replyTo = replyTo;
    this.replies = ctx.messageAdapter(Instrument.Event.class, InstrumentReply::new);
    setup.pools().forEach((role, pool) -> assigned.put(role, pool.get(0)));
    runStep();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(InstrumentReply.class, this::onInstrumentReply)
        .onMessage(LockReply.class, this::onLockReply)
        .onMessageEquals(Pause.INSTANCE, this::onPause)
        .onMessageEquals(Resume.INSTANCE, this::onResume)
        .onMessage(Abort.class, this::onAbort)
        .onMessage(Analysed.class, this::onAnalysed)
        .build();
  }

  /** This behaviour, or stopped once the outcome has been reported. */
  private Behavior<Command> next() {
    return finished ? Behaviors.stopped() : this;
  }

  private ProtocolStep step() {
    return setup.protocol().steps().get(stepIndex);
  }

  private Behavior<Command> onPause() {
    paused = true;
    return this;
  }

  private Behavior<Command> onResume() {
    paused = false;
    if (heldAtCheckpoint) {
      heldAtCheckpoint = false;
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

  /** Acquires the step's stations (any free one of each role's pool), then sends its command. */
  private void runStep() {
    if (paused) {
      heldAtCheckpoint = true;
      return;
    }
    for (String role : step().acquire()) {
      if (!held.contains(assigned.get(role))) {
        acquiring = role;
        ActorRef<ResourceLocks.Reply> adapter =
            getContext().messageAdapter(ResourceLocks.Reply.class, LockReply::new);
        setup.locks().tell(new ResourceLocks.Acquire(setup.pools().get(role), experimentId, adapter));
        return;
      }
    }
    send();
  }

  private Behavior<Command> onLockReply(LockReply r) {
    if (r.reply() instanceof ResourceLocks.Granted g) {
      held.add(g.resource());
      assigned.put(acquiring, g.resource());
      runStep();
    } else if (r.reply() instanceof ResourceLocks.Denied d) {
      fail("no " + acquiring + " available: " + d.reason());
    }
    return next();
  }

  private void send() {
    ProtocolStep s = step();
    Double temperature = s.temperaturesC().isEmpty() ? null : s.temperaturesC().get(temperatureIndex);
    commandId = experimentId + ":" + s.id() + (temperature == null ? "" : ":" + temperature.intValue() + "C");
    Map<String, Object> params;
    try {
      params = StepParameters.resolve(s.params(), context(temperature));
    } catch (IllegalArgumentException e) {
      fail("step " + s.id() + ": " + e.getMessage());
      return;
    }
    String instrument = assigned.get(s.role());
    record(new StoreRecord.CommandSent(setup.campaignId(), experimentId, s.id(), commandId,
        instrument, s.action(), params, Instant.now()));
    setup.instruments().get(instrument).tell(
        new Instrument.Execute(commandId, s.action(), params, s.timeout(), replies));
  }

  private StepParameters.Context context(Double temperature) {
    Map<String, Double> values = new java.util.LinkedHashMap<>();
    Map<String, Double> fractions = new java.util.LinkedHashMap<>();
    for (int i = 0; i < setup.names().size(); i++) {
      values.put(setup.names().get(i), candidate.get(i));
      if (i < setup.precursorCount()) {
        fractions.put(setup.names().get(i), candidate.get(i));
      }
    }
    return new StepParameters.Context(experimentId, values, fractions,
        setup.protocol().batchMassMg(), Map.copyOf(assigned), temperature);
  }

  private Behavior<Command> onInstrumentReply(InstrumentReply r) {
    Instrument.Event e = r.event();
    if (!e.commandId().equals(commandId)) {
      return this;
    }
    if (e instanceof Instrument.Completed c) {
      record(new StoreRecord.ReplyReceived(setup.campaignId(), experimentId, commandId, "DONE",
          c.result(), Instant.now()));
      onStepDone(c.result());
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
        fail("step " + step().id() + " failed on " + assigned.get(step().role()) + ": " + f.code()
            + " " + f.message());
      }
    }
    return next();
  }

  @SuppressWarnings("unchecked")
  private void onStepDone(Map<String, Object> result) {
    ProtocolStep s = step();
    attempt = 0;
    if ("geometry".equals(s.save())) {
      thicknessMm = ((Number) result.get("thickness_mm")).doubleValue();
      diameterMm = ((Number) result.get("diameter_mm")).doubleValue();
    }
    if (result.get("points") instanceof List<?> points) {
      double t = ((Number) result.get("temperature_c")).doubleValue();
      double[][] raw = new double[points.size()][];
      for (int i = 0; i < raw.length; i++) {
        List<Number> p = (List<Number>) points.get(i);
        raw[i] = new double[] {p.get(0).doubleValue(), p.get(1).doubleValue(), p.get(2).doubleValue()};
      }
      record(new StoreRecord.SpectrumMeasured(setup.campaignId(), experimentId, t, raw, Instant.now()));
      spectra.add(toSpectrum(t, raw));
    }
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
    releaseAll();
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

  private Behavior<Command> onAnalysed(Analysed a) {
    if (a.failure() != null) {
      return fail("analysis failed: " + a.failure());
    }
    for (SampleAnalysis.Measurement m : a.result().measurements()) {
      record(new StoreRecord.MeasurementFitted(setup.campaignId(), experimentId, m.temperatureC(),
          m.fit().circuit().text(), m.resistance() == null ? Double.NaN : m.resistance().ohm(),
          m.resistance() == null ? Double.NaN : m.resistance().stdErrOhm(), m.sigmaSPerCm(),
          m.fit().chiSquare(), m.fit().converged(),
          m.resistance() != null && m.resistance().bulkResolved(), m.kk().valid(),
          m.kk().rmsResidual(), m.fit().reason(), Instant.now()));
    }
    if (a.result().arrhenius() == null) {
      return fail(a.result().problem());
    }
    var arr = a.result().arrhenius();
    record(new StoreRecord.ResultRecorded(setup.campaignId(), experimentId, arr.log10Sigma25(),
        arr.log10Sigma25StdErr(), arr.eaEv(), arr.eaStdErrEv(), thicknessMm, diameterMm, Instant.now()));
    replyTo.tell(new Succeeded(experimentId, candidate, a.result(), thicknessMm, diameterMm));
    finished = true;
    return next();
  }

  private Behavior<Command> fail(String reason) {
    // The sample is in a station this experiment holds (or in the gripper on its way between
    // two): no other experiment may load that station until an operator has cleared it.
    for (String station : List.copyOf(held)) {
      setup.locks().tell(new ResourceLocks.Quarantine(station, experimentId + " failed while holding it ("
          + reason + "); its sample may still be inside"));
    }
    held.clear();
    getContext().getLog().warn("{} failed: {}", experimentId, reason);
    replyTo.tell(new Failed(experimentId, candidate, reason));
    finished = true;
    return next();
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
