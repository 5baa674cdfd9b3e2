package org.ionloop.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Orchestrator nodes of one cluster as JVMs on 127.0.0.1 ({@code ionloop serve --cluster}, the
 * classpath of this process), all on one PostgreSQL store and one virtual lab, and optionally a
 * gateway node ({@code ionloop gateway}) driving the lab's Modbus instruments for all of them,
 * for the lab benchmark: it measures the cluster the way a lab runs it, each node its own process
 * speaking to the instruments over loopback. Output goes to {@code DIR/node-K.out} and
 * {@code DIR/gateway.out}.
 */
public final class LocalCluster implements AutoCloseable {
  /**
   * What the nodes share: where they run, the store, the lab's instruments and clock;
   * {@code behindGateway} the instruments a gateway node drives (none: each orchestrator drives
   * every instrument its campaigns bind).
   */
  public record Setup(Path dir, String jdbcUrl, Path instruments, String brokerUrl, Map<String, Integer> modbusPorts,
      double labClock, int pollMs, int campaignsAtOnce, List<String> behindGateway) {
  }

  private final Setup setup;
  private final List<Process> nodes = new ArrayList<>();
  private Process gateway;
  private final List<Integer> httpPorts = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalCluster(Setup setup) {
    this.setup = setup;
  }

  /**
   * Starts {@code count} nodes one after another, each waited for until it says it is a member
   * (so the first, the seed, has migrated the store before the others open it).
   */
  public static LocalCluster start(Setup setup, int count, Duration joinTimeout) throws Exception {
    LocalCluster cluster = new LocalCluster(setup);
    try {
      int seedPort = Ports.free();
      for (int k = 1; k <= count; k++) {
        cluster.startNode(k, k == 1 ? seedPort : Ports.free(), seedPort, joinTimeout);
        if (k == 1 && !setup.behindGateway().isEmpty()) {
          cluster.startGateway(seedPort, joinTimeout);
        }
      }
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void startNode(int k, int clusterPort, int seedPort, Duration joinTimeout) throws Exception {
    int httpPort = Ports.free();
    // The store's URL goes in the environment (IONLOOP_JDBC_URL), not on a command line anyone can list.
    List<String> cmd = java("serve", "--cluster", "--port", String.valueOf(httpPort),
        "--db", setup.dir().resolve("node-" + k).resolve("ionloop").toString());
    Process node = launch(cmd, log(k), clusterPort, seedPort);
    nodes.add(node);
    httpPorts.add(httpPort);
    awaitLine(node, log(k), "cluster: this node is up", "node " + k, joinTimeout);
  }

  private void startGateway(int seedPort, Duration joinTimeout) throws Exception {
    List<String> cmd = java("gateway");
    cmd.addAll(cmd.indexOf("gateway") + 1, setup.behindGateway());
    Path out = setup.dir().resolve("gateway.out");
    gateway = launch(cmd, out, Ports.free(), seedPort);
    awaitLine(gateway, out, "gateway: this node is up", "the gateway", joinTimeout);
  }

  /** The command line of an ionloop command on this lab: its instruments, broker, endpoints and clock. */
  private List<String> java(String... command) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Dionloop.home=" + System.getProperty("ionloop.home", "."), "-DOPT_OUT_TRACKING=true",
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.ionloop.cli.Main"));
    cmd.addAll(List.of(command));
    cmd.addAll(List.of("--instruments", setup.instruments().toString(), "--broker", setup.brokerUrl(),
        "--lab-clock", String.valueOf(setup.labClock()), "--poll-ms", String.valueOf(setup.pollMs())));
    setup.modbusPorts().forEach((id, port) -> cmd.addAll(List.of("--endpoint", id + "=127.0.0.1:" + port)));
    return cmd;
  }

  private Process launch(List<String> cmd, Path out, int clusterPort, int seedPort) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("IONLOOP_CLUSTER_PORT", String.valueOf(clusterPort));
    pb.environment().put("IONLOOP_CLUSTER_SEED_NODES", "127.0.0.1:" + seedPort);
    pb.environment().put("IONLOOP_CAMPAIGNS_AT_ONCE", String.valueOf(setup.campaignsAtOnce()));
    pb.environment().put("IONLOOP_CLUSTER_GATEWAY_INSTRUMENTS", String.join(",", setup.behindGateway()));
    pb.environment().put("IONLOOP_JDBC_URL", setup.jdbcUrl());
    return pb.start();
  }

  private static void awaitLine(Process p, Path out, String line, String what, Duration timeout) throws Exception {
    long until = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(out) || !Files.readString(out).contains(line)) {
      if (!p.isAlive()) {
        throw new IllegalStateException(what + " stopped (exit " + p.exitValue() + ") before it joined:\n"
            + Files.readString(out));
      }
      if (System.nanoTime() > until) {
        throw new IllegalStateException(what + " did not join within " + timeout.toSeconds() + " s; its log: " + out);
      }
      Thread.sleep(100);
    }
  }

  /** Where node {@code k} (from 1) writes its output. */
  public Path log(int k) {
    return setup.dir().resolve("node-" + k + ".out");
  }

  public int size() {
    return nodes.size();
  }

  /** Creates a campaign from its file's text through node {@code k}'s API, as an operator would; its id. */
  public String createCampaign(int k, String yaml, String operatorToken) throws IOException, InterruptedException {
    HttpResponse<String> created = post(k, "/api/campaigns", "application/yaml", yaml, operatorToken);
    if (created.statusCode() != 201) {
      throw new IllegalStateException("node " + k + " refused the campaign (HTTP " + created.statusCode() + "): "
          + created.body());
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).path("id").asText();
  }

  /**
   * Starts a created campaign through node {@code k}'s API; the cluster places it on any node.
   * Asynchronous: the API answers once the campaign has recorded that it runs, and the
   * benchmark starts all its campaigns at once, as many operators would.
   */
  public java.util.concurrent.CompletableFuture<Void> startCampaign(int k, String campaignId, String operatorToken) {
    return http.sendAsync(request(k, "/api/campaigns/" + campaignId + "/start", "application/json", "{}",
        operatorToken), HttpResponse.BodyHandlers.ofString()).thenAccept(started -> {
          if (started.statusCode() / 100 != 2) {
            throw new IllegalStateException("node " + k + " did not start " + campaignId + " (HTTP "
                + started.statusCode() + "): " + started.body());
          }
        });
  }

  private HttpResponse<String> post(int k, String path, String type, String body, String token)
      throws IOException, InterruptedException {
    return http.send(request(k, path, type, body, token), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(int k, String path, String type, String body, String token) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(k - 1) + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /**
   * CPU seconds the orchestrator nodes have used so far, each; then the gateway's (if any) last.
   * Read while they run: an ended process has no such count.
   */
  public List<Double> cpuSeconds() {
    List<Process> all = new ArrayList<>(nodes);
    if (gateway != null) {
      all.add(gateway);
    }
    List<Double> seconds = new ArrayList<>();
    for (Process p : all) {
      seconds.add(p.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN));
    }
    return seconds;
  }

  /** Whether every node is still running (a node that stopped has its reason in its log). */
  public boolean allAlive() {
    return nodes.stream().allMatch(Process::isAlive) && (gateway == null || gateway.isAlive());
  }

  /** Stops the nodes as an installer's service manager would (SIGTERM), then waits for them. */
  @Override
  public void close() throws InterruptedException {
    nodes.forEach(Process::destroy); // together: each leaves the cluster while the others do
    for (Process p : nodes) {
      awaitExit(p);
    }
    if (gateway != null) { // last: the orchestrators' campaigns have stopped by now
      gateway.destroy();
      awaitExit(gateway);
    }
  }

  private static void awaitExit(Process p) throws InterruptedException {
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
