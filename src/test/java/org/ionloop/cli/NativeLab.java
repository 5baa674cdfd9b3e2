package org.ionloop.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ionloop.sim.Ports;

/**
 * The README's lab topology as native processes ({@code deploy/native/lab.sh}) in a test's
 * folder, on free loopback ports: each command's output goes to {@code DIR/COMMAND.out}.
 */
final class NativeLab {
  private final Path dir;
  private final Map<String, String> env = new LinkedHashMap<>();

  /**
   * @param ports the ports {@code up} uses, by variable (MQTT_PORT, FURNACE1_PORT, FURNACE2_PORT,
   *              EIS_PORT); those not given are free ones
   */
  NativeLab(Path dir, Map<String, Integer> ports) {
    this.dir = dir;
    for (String p : List.of("MQTT_PORT", "FURNACE1_PORT", "FURNACE2_PORT", "EIS_PORT")) {
      env.put(p, String.valueOf(ports.containsKey(p) ? ports.get(p) : Ports.free()));
    }
  }

  /** Campaigns on this lab use {@code jdbcUrl} instead of the lab's H2 file. */
  NativeLab store(String jdbcUrl) {
    env.put("IONLOOP_JDBC_URL", jdbcUrl);
    return this;
  }

  /** Starts {@code lab.sh COMMAND DIR/lab ARGS…}. */
  Process run(String command, String... args) throws IOException {
    return start(command, command + ".out", Map.of(), args);
  }

  /**
   * Starts one orchestrator node of a cluster on this lab ({@code lab.sh node}), its output in
   * {@code DIR/NAME.out}.
   *
   * @param clusterEnv IONLOOP_CLUSTER_PORT, IONLOOP_CLUSTER_SEED_NODES, … for this node
   */
  Process node(String name, Map<String, String> clusterEnv, String... args) throws IOException {
    return start("node", name + ".out", clusterEnv, args);
  }

  /** Starts a gateway node of a cluster on this lab ({@code lab.sh gateway}) driving {@code ids}. */
  Process gateway(String name, Map<String, String> clusterEnv, String... ids) throws IOException {
    return start("gateway", name + ".out", clusterEnv, ids);
  }

  private Process start(String command, String out, Map<String, String> extraEnv, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of("deploy/native/lab.sh", command, dir.resolve("lab").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(out).toFile());
    pb.environment().put("IONLOOP_NO_BUILD", "1"); // the build running the test has compiled everything
    pb.environment().put("TIME_SCALE", "1e-4");
    pb.environment().putAll(env);
    pb.environment().putAll(extraEnv);
    return pb.start();
  }

  /** What a command (or a file in the test's folder) wrote so far; empty if nothing. */
  String log(String name) throws IOException {
    Path f = dir.resolve(name);
    return Files.exists(f) ? Files.readString(f) : "";
  }

  /** {@link #log}, with a read error as the text (for a wait's condition or a failure message). */
  String logOf(String name) {
    try {
      return log(name);
    } catch (IOException e) {
      return "(cannot read " + name + ": " + e + ")";
    }
  }

  /**
   * Waits on recorded state (store rows, log lines), never a fixed time; fails naming what it
   * waited for, with the logs given. Prints when it held, so a slow run says where its time went.
   */
  void await(java.util.function.BooleanSupplier condition, int seconds, String what, String... logs)
      throws InterruptedException {
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        StringBuilder b = new StringBuilder("not within " + seconds + " s: " + what);
        for (String log : logs) {
          b.append("\n--- ").append(log).append(":\n").append(logOf(log));
        }
        throw new AssertionError(b.toString());
      }
      Thread.sleep(100);
    }
    System.out.printf("%s: %s%n", java.time.Instant.now(), what);
  }

  /** Waits until {@code peer} listens on {@code port} (it must not exit meanwhile). */
  static void awaitListening(int port, Process peer, String what) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (!peer.isAlive()) {
        throw new AssertionError(what + " exited: " + new String(peer.getInputStream().readAllBytes()));
      }
      try (var s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 100);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError(what + " does not listen on " + port);
  }

  /** Waits until nothing listens on {@code port} any more (a killed simulator's port). */
  static void awaitPortFree(int port) throws Exception {
    for (int i = 0; i < 200; i++) {
      try (var s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return;
      } catch (IOException busy) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("port " + port + " still in use");
  }
}
