package org.ionloop.protocols;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import org.ionloop.analysis.eis.Conductivity;
import org.ionloop.analysis.eis.ReferencePellets;
import org.ionloop.analysis.eis.Spectrum;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.ScriptedTransport;
import org.ionloop.planner.space.Candidate;
import org.ionloop.store.Store;
import org.ionloop.store.StoreRecord;

/**
 * One experiment runner against the demo lab's instruments, each behind a {@link ScriptedTransport}
 * whose script a test sets per action, a store that records every write and answers syncs (or
 * holds them, to see what waits for the log), and the campaign as a probe (unit tests only).
 */
final class RunnerBench {
  static final CampaignSpec SPEC = CampaignSpec.load(Path.of("campaigns/demo.yaml"));
  static final Candidate CANDIDATE = new Candidate("x", new double[] {0.625, 0.125, 0.25, 0.0, 525});

  final ActorTestKit kit;
  final ProtocolSpec protocol;
  final Map<String, ScriptedTransport> devices = new LinkedHashMap<>();
  final Map<String, ActorRef<Instrument.Command>> instruments = new LinkedHashMap<>();
  final List<StoreRecord> records = new CopyOnWriteArrayList<>();
  final List<ActorRef<Store.Synced>> heldSyncs = new CopyOnWriteArrayList<>();
  volatile boolean holdSyncs;
  final ActorRef<ResourceLocks.Command> locks;
  final TestProbe<ExperimentRunner.Outcome> campaign;
  final ActorRef<Store.Command> store;
  final Map<String, List<String>> pools;

  /**
   * @param answers instrument id → its script; an instrument without one answers every command
   *                as a healthy demo lab would
   */
  RunnerBench(ActorTestKit kit, ProtocolSpec protocol, Map<String, Function<InstrumentCommand, InstrumentEvent>> answers) {
    this(kit, protocol, SPEC.instruments(), Map.of(), answers);
  }

  /**
   * A bench whose {@code real} instruments (spec and transport, e.g. a robot over MQTT) replace
   * scripted ones, with the campaign's {@code pools} (role → instrument ids).
   */
  RunnerBench(ActorTestKit kit, ProtocolSpec protocol, Map<String, List<String>> pools,
      Map<String, Map.Entry<org.ionloop.instruments.InstrumentSpec, org.ionloop.instruments.InstrumentTransport>> real,
      Map<String, Function<InstrumentCommand, InstrumentEvent>> answers) {
    this.kit = kit;
    this.protocol = protocol;
    this.pools = pools;
    var registry = InstrumentRegistry.load(Path.of("instruments"));
    for (String id : List.of("robot-1", "furnace-1", "furnace-2", "eis-1")) {
      if (real.containsKey(id)) {
        continue;
      }
      var device = new ScriptedTransport(answers.getOrDefault(id, RunnerBench::healthy));
      devices.put(id, device);
      instruments.put(id, kit.spawn(Instrument.create(registry.find(id).orElseThrow(), device)));
    }
    real.forEach((id, wired) -> instruments.put(id, kit.spawn(Instrument.create(wired.getKey(), wired.getValue()))));
    this.locks = kit.spawn(ResourceLocks.create());
    this.campaign = kit.createTestProbe();
    this.store = kit.spawn(recordingStore());
  }

  private Behavior<Store.Command> recordingStore() {
    return Behaviors.receiveMessage(m -> {
      if (m instanceof Store.Write w) {
        records.add(w.record());
      } else if (m instanceof Store.WriteAll all) {
        records.addAll(all.records());
      } else if (m instanceof Store.Sync s) {
        if (holdSyncs) {
          heldSyncs.add(s.replyTo());
        } else {
          s.replyTo().tell(Store.Synced.INSTANCE);
        }
      }
      return Behaviors.same();
    });
  }

  /** Lets the held syncs through and answers the next ones at once. */
  void releaseSyncs() {
    holdSyncs = false;
    heldSyncs.forEach(s -> s.tell(Store.Synced.INSTANCE));
    heldSyncs.clear();
  }

  ExperimentRunner.Setup setup() {
    return new ExperimentRunner.Setup("c-test", protocol, pools, instruments, locks, store,
        Runnable::run, SPEC.space().names(), SPEC.space().precursorCount(), SPEC.results());
  }

  ActorRef<ExperimentRunner.Command> start(String experimentId) {
    return kit.spawn(ExperimentRunner.create(setup(), experimentId, CANDIDATE, campaign.getRef()));
  }

  /** What a healthy demo lab answers. */
  static InstrumentEvent healthy(InstrumentCommand c) {
    Map<String, Object> result = switch (c.action()) {
      case "measure_geometry" -> Map.of("thickness_mm", 1.0, "diameter_mm", 10.0);
      case "eis_sweep" -> spectrumResult(((Number) c.params().get("cell_temperature_c")).doubleValue());
      default -> Map.of();
    };
    return new InstrumentEvent.Done(c.commandId(), result);
  }

  /** An argyrodite-like pellet (σ25 = 2 mS/cm, Ea = 0.3 eV), measured at {@code temperatureC}. */
  static Map<String, Object> spectrumResult(double temperatureC) {
    double kB = 8.617333e-5;
    double t = temperatureC + 273.15;
    double sigma = 2e-3 * Math.exp(-0.3 / kB * (1 / t - 1 / 298.15)) * 298.15 / t;
    ReferencePellets.Case c = ReferencePellets.SULFIDE;
    double[] p = c.parameters().clone();
    p[0] = Conductivity.resistanceOhm(sigma, 1.0, 10.0);
    Spectrum s = ReferencePellets.spectrum(c.circuit(), p, 1e6, 0.1, 10, 0.002, new SplittableRandom(7));
    List<List<Double>> points = new ArrayList<>();
    for (int i = 0; i < s.frequencyHz().length; i++) {
      points.add(List.of(s.frequencyHz()[i], s.zReOhm()[i], s.zImOhm()[i]));
    }
    return Map.of("points", points, "temperature_c", temperatureC);
  }

  /** Waits until a record matching {@code test} has been written, and returns it. */
  @SuppressWarnings("unchecked")
  <T extends StoreRecord> T awaitRecord(Class<T> type, Predicate<T> test) {
    return (T) campaign.awaitAssert(Duration.ofSeconds(10), () -> records.stream()
        .filter(r -> type.isInstance(r) && test.test((T) r)).findFirst().orElseThrow(
            () -> new AssertionError("no such " + type.getSimpleName() + " in " + records)));
  }

  /** Waits until {@code device} has received {@code count} commands. */
  void awaitCommands(String device, int count) {
    campaign.awaitAssert(Duration.ofSeconds(10), () -> {
      if (devices.get(device).sent().size() < count) {
        throw new AssertionError(device + " got " + devices.get(device).actions());
      }
      return null;
    });
  }

  boolean recorded(Predicate<StoreRecord> test) {
    return records.stream().anyMatch(test);
  }

  static boolean event(StoreRecord r, String kind) {
    return r instanceof StoreRecord.Event e && e.kind().equals(kind);
  }
}
