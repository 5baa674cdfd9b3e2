package org.ionloop.cli;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ionloop.instruments.Instrument;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.instruments.mqtt.MqttTransport;
import org.ionloop.sim.SimRobot;
import org.ionloop.sim.VirtualBench;

/**
 * Load generator for {@code bench instruments}: N simulated robots (instant actions) on one
 * broker, one {@link Instrument} actor each, each driven by a client that sends its next command
 * as soon as the previous one completed. Records the ack and done round trips of every command.
 */
final class InstrumentBench {

  /** Round trips in ns: {ack, done}. */
  record Sample(long ackNanos, long doneNanos) {}

  record Result(int instruments, int commands, double seconds, double[] ackMs, double[] doneMs,
      int executions) {}

  /** Tells a client to begin, once every instrument is connected. */
  enum Go { INSTANCE }

  /**
   * @param rate total commands per second offered (paced per instrument); 0 = as fast as possible
   */
  static Result run(String brokerUrl, int instruments, int commandsEach, double rate) throws Exception {
    InstrumentSpec robotSpec = InstrumentSpec.load(Path.of("instruments/robot-1.yaml"));
    VirtualBench bench = new VirtualBench();
    List<SimRobot> robots = new ArrayList<>();
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    CountDownLatch done = new CountDownLatch(instruments);
    // A 1 ms scheduler tick so that pacing is not rounded up to Akka's default 10 ms.
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench",
        com.typesafe.config.ConfigFactory.parseString("akka.scheduler.tick-duration = 1ms")
            .withFallback(com.typesafe.config.ConfigFactory.load()));
    List<ActorRef<Instrument.Command>> instrumentRefs = new ArrayList<>();
    List<ActorRef<Object>> clients = new ArrayList<>();
    try {
      for (int i = 0; i < instruments; i++) {
        String id = String.format("bench-robot-%02d", i);
        robots.add(new SimRobot(brokerUrl, "bench-lab", id, bench, 0, new SplittableRandom(i), 0));
        bench.create(id + "-sample", Map.of("Li2S", 1.0));
        InstrumentSpec spec = new InstrumentSpec(id, "mqtt", new InstrumentSpec.Mqtt("bench-lab", null, null),
            null, robotSpec.actions());
        ActorRef<Instrument.Command> instrument = system.systemActorOf(Instrument.create(spec,
            new MqttTransport(brokerUrl, "bench-orchestrator-" + id, "bench-lab", id)), id,
            akka.actor.typed.Props.empty());
        instrumentRefs.add(instrument);
        clients.add(system.systemActorOf(client(instrument, id, commandsEach, samples, done,
            rate > 0 ? (long) (1e9 * instruments / rate) : 0),
            id + "-client", akka.actor.typed.Props.empty()));
      }
      for (ActorRef<Instrument.Command> instrument : instrumentRefs) {
        awaitConnected(system, instrument);
      }
      long t0 = System.nanoTime();
      // Stagger the first commands over one interval so the offered load is smooth, not bursts.
      long interval = rate > 0 ? (long) (1e9 * instruments / rate) : 0;
      for (int i = 0; i < clients.size(); i++) {
        ActorRef<Object> c = clients.get(i);
        system.scheduler().scheduleOnce(Duration.ofNanos(interval * i / clients.size()),
            () -> c.tell(Go.INSTANCE), system.executionContext());
      }
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("benchmark did not finish in 10 minutes");
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double[] ack = samples.stream().mapToDouble(s -> s.ackNanos() / 1e6).sorted().toArray();
      double[] fin = samples.stream().mapToDouble(s -> s.doneNanos() / 1e6).sorted().toArray();
      return new Result(instruments, samples.size(), seconds, ack, fin, countMills(bench, instruments));
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      robots.forEach(SimRobot::close);
    }
  }

  private static int countMills(VirtualBench bench, int instruments) {
    int n = 0;
    for (int i = 0; i < instruments; i++) {
      n += bench.executions(String.format("bench-robot-%02d", i), "mill");
    }
    return n;
  }

  private static void awaitConnected(ActorSystem<Void> system, ActorRef<Instrument.Command> instrument)
      throws Exception {
    for (int attempt = 0; attempt < 200; attempt++) {
      Instrument.Description d = akka.actor.typed.javadsl.AskPattern.<Instrument.Command, Instrument.Description>ask(
          instrument, Instrument.Describe::new, Duration.ofSeconds(5), system.scheduler())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (d.connected() && d.state() == org.ionloop.instruments.InstrumentState.ONLINE) {
        return;
      }
      Thread.sleep(25);
    }
    throw new IllegalStateException("an instrument did not connect");
  }

  /**
   * Waits for {@link Go}, then sends commands one after another, each no sooner than
   * {@code intervalNanos} after the previous one was sent.
   */
  private static Behavior<Object> client(ActorRef<Instrument.Command> instrument, String id,
      int commands, ConcurrentLinkedQueue<Sample> samples, CountDownLatch done, long intervalNanos) {
    return Behaviors.setup(ctx -> {
      long[] sentAt = new long[1];
      long[] ackAt = new long[1];
      int[] next = {0};
      ActorRef<Instrument.Event> self = ctx.getSelf().narrow();
      Runnable send = () -> {
        sentAt[0] = System.nanoTime();
        instrument.tell(new Instrument.Execute(id + "-" + next[0], "mill", Map.of("sample_id",
            id + "-sample", "rpm", 300, "minutes", 1), Duration.ofSeconds(30), self));
      };
      return Behaviors.receive(Object.class)
          .onMessageEquals(Go.INSTANCE, () -> {
            send.run();
            return Behaviors.same();
          })
          .onMessage(Instrument.Accepted.class, a -> {
            ackAt[0] = System.nanoTime();
            return Behaviors.same();
          })
          .onMessage(Instrument.Completed.class, c -> {
            long now = System.nanoTime();
            samples.add(new Sample(ackAt[0] - sentAt[0], now - sentAt[0]));
            if (++next[0] == commands) {
              done.countDown();
              return Behaviors.stopped();
            }
            long wait = sentAt[0] + intervalNanos - now;
            if (wait > 0) {
              ctx.scheduleOnce(Duration.ofNanos(wait), ctx.getSelf(), Go.INSTANCE);
            } else {
              send.run();
            }
            return Behaviors.same();
          })
          .onMessage(Instrument.Failed.class, f -> {
            throw new IllegalStateException("benchmark command failed: " + f);
          })
          .build();
    });
  }

  static double percentile(double[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN
        : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  /** A Mosquitto process (Debian package) on a free loopback port, for the benchmark. */
  static final class Mosquitto implements AutoCloseable {
    final int port = org.ionloop.sim.Ports.free();
    final Process process;

    Mosquitto() throws Exception {
      Path dir = Files.createTempDirectory("bench-mosquitto");
      Path conf = dir.resolve("mosquitto.conf");
      Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nuser root\n"
          + "max_inflight_messages 0\nmax_queued_messages 0\nset_tcp_nodelay true\n");
      process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
      for (int i = 0; i < 100; i++) {
        try (var s = new java.net.Socket("127.0.0.1", port)) {
          return;
        } catch (java.io.IOException e) {
          Thread.sleep(50);
        }
      }
      throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("log")));
    }

    String url() {
      return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  static String describe(double[] sorted) {
    return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms", percentile(sorted, 0.5),
        percentile(sorted, 0.99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
  }

  private InstrumentBench() {}
}
