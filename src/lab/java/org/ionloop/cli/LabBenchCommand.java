package org.ionloop.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.BenchInstruments;
import org.ionloop.sim.LocalCluster;
import org.ionloop.sim.PostgresServer;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.ApiTokens;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ionloop bench lab}: many campaigns at once on one virtual lab of robots, Modbus
 * furnaces and impedance analyzers (by default 20 + 60 + 20 = 100 instruments). With
 * {@code --nodes 0} the campaigns run in this JVM on an H2 file, as {@code serve} runs them; with
 * {@code --nodes N} on a local cluster of N orchestrator JVMs ({@code serve --cluster}) sharing one
 * PostgreSQL store, the campaigns handed to the nodes' APIs in turn and placed by the cluster.
 * Reports the decisions per second, each step's round trip (command recorded → reply recorded,
 * which holds the simulated device's own time too) and how evenly the campaigns were served
 * while all of them ran (Jain's index over experiments finished per campaign, 1 = perfectly even).
 */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "Several campaigns at once on one virtual lab,"
    + " in this JVM or on a local cluster of nodes: decisions per second, step round trips, fairness between campaigns.")
final class LabBenchCommand implements Callable<Integer> {
  @Option(names = "--campaigns", defaultValue = "20", description = "Campaigns run at once (default ${DEFAULT-VALUE}).")
  int campaigns;

  @Option(names = "--experiments", defaultValue = "8", description = "Experiments per campaign (default ${DEFAULT-VALUE}).")
  int experiments;

  @Option(names = "--parallel", defaultValue = "4", description = "Experiments in flight per campaign (default ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--robots", defaultValue = "20", description = "Robots (MQTT); campaign k uses robot k, in turn (default ${DEFAULT-VALUE}).")
  int robots;

  @Option(names = "--furnaces", defaultValue = "60", description = "Modbus furnaces in the pool every campaign shares (default ${DEFAULT-VALUE}).")
  int furnaces;

  @Option(names = "--analyzers", defaultValue = "20", description = "Modbus impedance analyzers in the pool every campaign shares (default ${DEFAULT-VALUE}).")
  int analyzers;

  @Option(names = "--nodes", defaultValue = "0", description = "0: the campaigns run in this JVM (H2 file); N: on a local"
      + " cluster of N orchestrator JVMs on PostgreSQL (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--gateway", description = "With --nodes: the furnaces and analyzers on one gateway node"
      + " (ionloop gateway) that every orchestrator reaches them through, one Modbus master per device for the"
      + " whole cluster; without it each node drives every instrument its campaigns bind.")
  boolean gateway;

  @Option(names = "--jdbc-url", description = "With --nodes: the cluster's PostgreSQL database (it must be empty);"
      + " default a scratch server from Debian's postgresql package, removed afterwards.")
  String jdbcUrl;

  @Option(names = "--lab-clock", defaultValue = "2e-5", description = "Real seconds per simulated second (default ${DEFAULT-VALUE}).")
  double labClock;

  @Option(names = "--poll-ms", defaultValue = "20", description = "Modbus poll interval (default ${DEFAULT-VALUE}).")
  int pollMs;

  @Mixin
  BenchOutput output;

  /**
   * The orchestrators' CPU seconds (in this JVM: with the simulators), and how the printout
   * names them: {@code before} the per-decision figure, {@code after} it.
   */
  private record Cpu(double orchestratorSeconds, String before, String after) {}

  @Override
  public Integer call() throws Exception {
    return output.run(this::measure);
  }

  private Integer measure() throws Exception {
    if (campaigns < 1 || experiments < 1 || parallel < 1 || robots < 1 || furnaces < 1 || analyzers < 1) {
      throw new IllegalArgumentException("--campaigns, --experiments, --parallel, --robots, --furnaces and --analyzers"
          + " must be at least 1");
    }
    if (nodes < 0) {
      throw new IllegalArgumentException("--nodes must be 0 (this JVM) or a number of cluster nodes");
    }
    if ((jdbcUrl != null || gateway) && nodes == 0) {
      throw new IllegalArgumentException((gateway ? "--gateway" : "--jdbc-url") + " is the cluster's; give --nodes N"
          + " with it");
    }
    Path dir = Files.createTempDirectory("ionloop-bench-lab");
    Path instruments = BenchInstruments.write(dir.resolve("instruments"), robots, furnaces, analyzers);
    System.out.printf("bench lab: %d campaigns × %d experiments (%d in flight each) at once, on %d robots, %d Modbus"
        + " furnaces and %d analyzers (%d instruments), %s; lab clock %.0e, Modbus poll %d ms%n", campaigns,
        experiments, parallel, robots, furnaces, analyzers, robots + furnaces + analyzers,
        nodes == 0 ? "in this JVM on H2" : nodes + " cluster node" + (nodes == 1 ? "" : "s") + " on PostgreSQL"
            + (gateway ? " and a gateway node for the Modbus instruments" : ""),
        labClock, pollMs);
    try (VirtualLab lab = new VirtualLab(labClock, 5, robots, furnaces, analyzers)) {
      if (nodes == 0) {
        return inThisJvm(dir, instruments, lab);
      }
      if (jdbcUrl != null) {
        return onCluster(dir, instruments, lab, jdbcUrl);
      }
      try (PostgresServer postgres = new PostgresServer()) {
        return onCluster(dir, instruments, lab, postgres.newDatabase("ionloop_bench"));
      }
    }
  }

  private int inThisJvm(Path dir, Path instruments, VirtualLab lab) throws Exception {
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<String> ids = new ArrayList<>();
    LabCampaigns lc = DemoCommand.campaignsOnVirtualLab(InstrumentRegistry.load(instruments), dir.resolve("campaigns"),
        repo, lab, labClock, Duration.ofMillis(pollMs), org.ionloop.Installation.current(), new PrintStream(log, true),
        campaigns);
    long t0;
    Instant startedAt;
    try {
      for (int c = 0; c < campaigns; c++) {
        ids.add(lc.create(campaign(c)));
      }
      t0 = System.nanoTime();
      startedAt = Instant.now();
      for (String id : ids) {
        lc.start(id);
      }
      awaitEnded(repo, ids, t0, () -> true, "");
    } finally {
      lc.stopAndWait(Duration.ofMinutes(2));
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = ownCpuSeconds();
    System.out.println("store (campaign log, steps): " + url);
    return report(repo, ids, startedAt, wall, new Cpu(cpu, String.format(Locale.ROOT,
        "this JVM (orchestrator, the %d simulated instruments and the broker) %.0f s", robots + furnaces + analyzers,
        cpu), ""));
  }

  private int onCluster(Path dir, Path instruments, VirtualLab lab, String url) throws Exception {
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    String operator = new ApiTokens(repo.dataSource()).create("bench-lab", "operator").secret();
    LocalCluster.Setup setup = new LocalCluster.Setup(dir, url, instruments, lab.brokerUrl(), lab.modbusPorts(),
        labClock, pollMs, campaigns, gateway ? List.copyOf(lab.modbusPorts().keySet()) : List.of());
    long joinStart = System.nanoTime();
    try (LocalCluster cluster = LocalCluster.start(setup, nodes, Duration.ofMinutes(3))) {
      System.out.printf("  %d node%s up in %.1f s (logs %s)%n", nodes, nodes == 1 ? "" : "s",
          (System.nanoTime() - joinStart) / 1e9, dir);
      List<String> ids = new ArrayList<>();
      for (int c = 0; c < campaigns; c++) {
        ids.add(cluster.createCampaign(c % nodes + 1, campaign(c), operator)); // each node's API in turn
      }
      long t0 = System.nanoTime();
      Instant startedAt = Instant.now();
      List<java.util.concurrent.CompletableFuture<Void>> starts = new ArrayList<>();
      for (int c = 0; c < campaigns; c++) {
        starts.add(cluster.startCampaign(c % nodes + 1, ids.get(c), operator));
      }
      java.util.concurrent.CompletableFuture.allOf(starts.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
          .get(5, java.util.concurrent.TimeUnit.MINUTES);
      System.out.printf("  %d campaigns started through the nodes' APIs at once, all answered in %.1f s%n", campaigns,
          (System.nanoTime() - t0) / 1e9);
      awaitEnded(repo, ids, t0, cluster::allAlive, "a node stopped; its log is in " + dir);
      double wall = (System.nanoTime() - t0) / 1e9;
      List<Double> cpu = cluster.cpuSeconds();
      List<Double> ofNodes = cpu.subList(0, nodes);
      Cpu used = new Cpu(ofNodes.stream().mapToDouble(Double::doubleValue).sum(), "orchestrator nodes "
          + ofNodes.stream().map(c -> String.format(Locale.ROOT, "%.0f", c)).toList() + " s",
          (gateway ? String.format(Locale.ROOT, ", gateway %.0f s", cpu.get(nodes)) : "") + String.format(Locale.ROOT,
              "; this JVM (the %d simulated instruments and the broker) %.0f s", robots + furnaces + analyzers,
              ownCpuSeconds()));
      System.out.println("store (campaign log, steps): " + url.replaceAll("password=[^&]*", "password=…"));
      System.out.println("campaigns per node: " + repo.query("SELECT node, COUNT(*) FROM cluster_campaign GROUP BY node"
          + " ORDER BY node", rs -> rs.getString(1) + " " + rs.getLong(2)));
      return report(repo, ids, startedAt, wall, used);
    }
  }

  /** Waits until every campaign has ended, printing progress every 5 s; fails when {@code healthy} stops holding. */
  private void awaitEnded(CampaignRepository repo, List<String> ids, long t0, java.util.function.BooleanSupplier healthy,
      String unhealthy) throws InterruptedException {
    long lastReport = System.nanoTime();
    while (ended(repo, ids) < ids.size()) {
      if (!healthy.getAsBoolean()) {
        throw new IllegalStateException(unhealthy);
      }
      Thread.sleep(200);
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        long done = repo.query("SELECT COUNT(*) FROM experiment WHERE state<>'RUNNING'", rs -> rs.getLong(1)).get(0);
        System.out.printf("  … %.0f s: %d of %d experiments ended, %d of %d campaigns ended%n",
            (System.nanoTime() - t0) / 1e9, done, (long) campaigns * experiments, ended(repo, ids), ids.size());
      }
    }
  }

  private static long ended(CampaignRepository repo, List<String> ids) {
    Set<String> ours = Set.copyOf(ids);
    return repo.query("SELECT id, state FROM campaign", rs -> ours.contains(rs.getString(1))
        && CampaignHistory.ENDED_STATES.contains(rs.getString(2))).stream().filter(b -> b).count();
  }

  /** Campaign {@code index}: the demo campaign on its robot, sharing every furnace and analyzer. */
  private String campaign(int index) throws Exception {
    return Files.readString(Path.of("campaigns/demo.yaml"))
        .replace("name: argyrodite-demo", "name: bench-lab-" + index)
        .replace("seed: 42", "seed: " + (100 + index))
        .replace("experiments: 24", "experiments: " + experiments)
        .replace("parallel: 4", "parallel: " + parallel)
        .replace("initial_points: 6", "initial_points: " + Math.min(2, experiments))
        .replace("robot: robot-1", "robot: robot-" + (index % robots + 1))
        .replace("furnace: [furnace-1, furnace-2]", "furnace: " + BenchInstruments.pool("furnace-", furnaces))
        .replace("analyzer: eis-1", "analyzer: " + BenchInstruments.pool("eis-", analyzers));
  }

  private static double ownCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  /** The nearest-rank {@code q} quantile of sorted values. */
  private static double percentile(List<Double> sorted, double q) {
    return sorted.get((int) Math.floor(q * (sorted.size() - 1)));
  }

  private int report(CampaignRepository repo, List<String> ids, Instant startedAt, double wall, Cpu cpu) {
    long decisions = repo.query("SELECT COUNT(*) FROM candidate", rs -> rs.getLong(1)).get(0);
    double cpuPerDecision = cpu.orchestratorSeconds() / decisions;
    System.out.printf("CPU: %s (%.2f s per decision, start-up included)%s%n", cpu.before(), cpuPerDecision,
        cpu.after());
    long ended = repo.query("SELECT COUNT(*) FROM experiment WHERE state<>'RUNNING'", rs -> rs.getLong(1)).get(0);
    long failed = repo.query("SELECT COUNT(*) FROM experiment WHERE state='FAILED'", rs -> rs.getLong(1)).get(0);
    Map<String, List<Double>> roundTrips = new HashMap<>();
    repo.query("SELECT action, started_at, finished_at FROM step WHERE finished_at IS NOT NULL", rs -> {
      double ms = Duration.between(rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant()).toNanos() / 1e6;
      return roundTrips.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(ms);
    });
    // Fairness while every campaign ran: from the moment the last one had its first experiment
    // going until the first one ended, the experiments each finished. Campaigns that start late
    // (placement, planning, a node's JIT) would otherwise count against the scheduler.
    Map<String, Instant> firstStart = new HashMap<>();
    Map<String, Instant> lastEnd = new HashMap<>();
    repo.query("SELECT campaign_id, MIN(started_at), MAX(finished_at) FROM experiment GROUP BY campaign_id", rs -> {
      firstStart.put(rs.getString(1), rs.getTimestamp(2).toInstant());
      return rs.getTimestamp(3) == null ? null : lastEnd.put(rs.getString(1), rs.getTimestamp(3).toInstant());
    });
    Instant allRunning = firstStart.values().stream().max(Instant::compareTo).orElseThrow();
    Instant firstEnd = lastEnd.values().stream().min(Instant::compareTo).orElseThrow();
    Map<String, Long> finishedBy = new HashMap<>();
    ids.forEach(id -> finishedBy.put(id, 0L));
    repo.query("SELECT campaign_id, finished_at FROM experiment WHERE finished_at IS NOT NULL", rs -> {
      Instant at = rs.getTimestamp(2).toInstant();
      if (at.isAfter(allRunning) && !at.isAfter(firstEnd)) {
        finishedBy.merge(rs.getString(1), 1L, Long::sum);
      }
      return null;
    });
    double sum = 0;
    double sumSq = 0;
    for (long n : finishedBy.values()) {
      sum += n;
      sumSq += (double) n * n;
    }
    double jain = sumSq == 0 ? Double.NaN : sum * sum / (finishedBy.size() * sumSq);
    List<Double> startLatency = new ArrayList<>();
    firstStart.values().forEach(at -> startLatency.add(Duration.between(startedAt, at).toMillis() / 1000.0));
    java.util.Collections.sort(startLatency);
    double window = Duration.between(allRunning, firstEnd).toMillis() / 1000.0;
    List<String> states = repo.query("SELECT state FROM campaign", rs -> rs.getString(1));
    long completed = states.stream().filter(s -> s.startsWith("COMPLETED")).count();
    System.out.printf("%d campaigns (%d completed), %d experiments ended (%d failed) in %.1f s: %.2f decisions/s,"
        + " %.2f experiments/s%n", ids.size(), completed, ended, failed, wall, decisions / wall, ended / wall);
    System.out.printf("start: the first experiment of each campaign began %.1f s (median) and at most %.1f s after"
        + " the campaigns were started%n", percentile(startLatency, 0.5), percentile(startLatency, 1.0));
    System.out.printf("fairness while all ran (%.1f s, from the last campaign's first experiment to the first campaign's"
        + " end): Jain's index %s over experiments finished per campaign %s%n", window,
        Double.isNaN(jain) ? "n/a (none finished in that window)" : String.format(Locale.ROOT, "%.3f", jain),
        new java.util.TreeMap<>(finishedBy).values());
    System.out.println("step round trip (command recorded → reply recorded: the wait in the instrument's queue, the"
        + " simulated device's time and the orchestrator's), ms:");
    StringBuilder json = new StringBuilder();
    for (String action : new java.util.TreeSet<>(roundTrips.keySet())) {
      List<Double> ms = roundTrips.get(action);
      java.util.Collections.sort(ms);
      double p50 = percentile(ms, 0.5);
      double p99 = percentile(ms, 0.99);
      System.out.printf("  %-18s n=%-5d p50 %9.1f  p99 %9.1f%n", action, ms.size(), p50, p99);
      json.append(String.format(Locale.ROOT, "%s\"%s\":{\"n\":%d,\"p50_ms\":%.1f,\"p99_ms\":%.1f}",
          json.length() == 0 ? "" : ",", action, ms.size(), p50, p99));
    }
    output.line(String.format(Locale.ROOT, "{\"bench\":\"lab\",\"nodes\":%d,\"gateway\":%b,\"campaigns\":%d,\"completed\":%d,"
        + "\"experiments_ended\":%d,\"experiments_failed\":%d,\"robots\":%d,\"furnaces\":%d,\"analyzers\":%d,"
        + "\"wall_s\":%.2f,\"decisions_per_second\":%.3f,\"cpu_s_per_decision\":%s,\"cpu_includes_lab\":%b,\"start_latency_s\":{\"p50\":%.2f,\"max\":%.2f},"
        + "\"fairness_window_s\":%.2f,\"jain_fairness\":%s,\"round_trip\":{%s}}", nodes, gateway,
        ids.size(), completed, ended, failed, robots, furnaces, analyzers, wall, decisions / wall,
        Double.isFinite(cpuPerDecision) ? String.format(Locale.ROOT, "%.3f", cpuPerDecision) : "null", nodes == 0,
        percentile(startLatency, 0.5), percentile(startLatency, 1.0), window,
        Double.isNaN(jain) ? "null" : String.format(Locale.ROOT, "%.4f", jain), json));
    return completed == ids.size() ? 0 : 1;
  }
}
