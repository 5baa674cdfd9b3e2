package org.ionloop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.UnhandledMessage;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.eventstream.EventStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.instruments.SilentTransport;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.Planner;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.protocols.ResourceLocks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Java 17 has no exhaustive switch over a sealed interface, so every actor gets this check: one
 * instance of every permitted {@code Command} is sent to a fresh actor and none may come back as
 * unhandled.
 */
class AllCommandsHandledTest {
  static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void instrumentHandlesEveryCommand() throws Exception {
    InstrumentSpec spec = InstrumentSpec.load(Path.of("instruments/furnace-1.yaml"));
    check(Instrument.Command.class, () -> Instrument.create(spec, new SilentTransport()));
  }

  @Test
  void plannerHandlesEveryCommand() throws Exception {
    DesignSpace space = new DesignSpace(List.of(new DesignSpace.Range("A", "", 0, 1),
        new DesignSpace.Range("B", "", 0, 1)), List.of());
    check(Planner.Command.class, () -> Planner.create(new BatchSelector(space, new double[] {0, 0}, 2,
        BatchSelector.Settings.defaults().withInitialPoints(1).withMcSamples(8)),
        Runnable::run, new SplittableRandom(1)));
  }

  @Test
  void resourceLocksHandleEveryCommand() throws Exception {
    check(ResourceLocks.Command.class, ResourceLocks::create);
  }

  <T> void check(Class<T> protocol, Supplier<Behavior<T>> behavior) throws Exception {
    TestProbe<UnhandledMessage> unhandled = KIT.createTestProbe();
    KIT.system().eventStream().tell(new EventStream.Subscribe<>(UnhandledMessage.class, unhandled.getRef()));
    List<String> tried = new ArrayList<>();
    for (Class<?> type : leaves(protocol)) {
      Object message = instance(type);
      if (message == null) {
        continue; // no way to build it generically (e.g. an internal wrapper of a library object)
      }
      ActorRef<T> actor = KIT.spawn(behavior.get());
      actor.tell(protocol.cast(message));
      tried.add(type.getSimpleName());
      unhandled.expectNoMessage(Duration.ofMillis(100));
      KIT.stop(actor);
    }
    KIT.system().eventStream().tell(new EventStream.Unsubscribe<>(unhandled.getRef()));
    assertTrue(!tried.isEmpty(), "no message of " + protocol + " could be built");
  }

  static List<Class<?>> leaves(Class<?> sealed) {
    List<Class<?>> out = new ArrayList<>();
    for (Class<?> c : sealed.getPermittedSubclasses()) {
      if (c.isSealed()) {
        out.addAll(leaves(c));
      } else {
        out.add(c);
      }
    }
    return out;
  }

  /** A record with placeholder components, or an enum's first constant. */
  static Object instance(Class<?> type) throws Exception {
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    if (!type.isRecord()) {
      return null;
    }
    RecordComponent[] rc = type.getRecordComponents();
    Class<?>[] types = new Class<?>[rc.length];
    Object[] args = new Object[rc.length];
    for (int i = 0; i < rc.length; i++) {
      types[i] = rc[i].getType();
      args[i] = placeholder(types[i]);
    }
    Constructor<?> ctor = type.getDeclaredConstructor(types);
    ctor.setAccessible(true);
    return ctor.newInstance(args);
  }

  static Object placeholder(Class<?> t) {
    if (t == int.class) {
      return 1;
    }
    if (t == long.class) {
      return 1L;
    }
    if (t == double.class) {
      return 1.0;
    }
    if (t == boolean.class) {
      return false;
    }
    if (t == String.class) {
      return "x";
    }
    if (t == Duration.class) {
      return Duration.ofSeconds(1);
    }
    if (t == List.class) {
      return List.of();
    }
    if (t == Map.class) {
      return Map.of();
    }
    if (t == double[].class) {
      return new double[0];
    }
    if (t == ActorRef.class) {
      return KIT.system().deadLetters();
    }
    return null;
  }
}
