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
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ionloop bench lab}: many campaigns at once on one lab (one JVM, one H2 file), on a
 * virtual lab with a pool of Modbus furnaces, one robot and one impedance analyzer. Reports the
 * decisions per second, each step's round trip (command recorded → reply recorded, which holds
 * the simulated device's own time too) and how evenly the campaigns were served while all of
 * them ran (Jain's index over experiments finished per campaign, 1 = perfectly even).
 */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "Several campaigns at once on one virtual lab:"
    + " decisions per second, step round trips, fairness between campaigns.")
final class LabBenchCommand implements Callable<Integer> {
  @Option(names = "--campaigns", defaultValue = "20", description = "Campaigns run at once (default ${DEFAULT-VALUE}).")
  int campaigns;

  @Option(names = "--experiments", defaultValue = "4", description = "Experiments per campaign (default ${DEFAULT-VALUE}).")
  int experiments;

  @Option(names = "--parallel", defaultValue = "2", description = "Experiments in flight per campaign (default ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--furnaces", defaultValue = "16", description = "Modbus furnaces in the shared pool (default ${DEFAULT-VALUE}).")
  int furnaces;

  @Option(names = "--lab-clock", defaultValue = "2e-5", description = "Real seconds per simulated second (default ${DEFAULT-VALUE}).")
  double labClock;

  @Option(names = "--poll-ms", defaultValue = "20", description = "Modbus poll interval (default ${DEFAULT-VALUE}).")
  int pollMs;

  @Mixin
  BenchOutput output;

  @Override
  public Integer call() throws Exception {
    return output.run(this::measure);
  }

  private Integer measure() throws Exception {
    if (campaigns < 1 || experiments < 1 || parallel < 1 || furnaces < 1) {
      throw new IllegalArgumentException("--campaigns, --experiments, --parallel and --furnaces must be at least 1");
    }
    Path dir = Files.createTempDirectory("ionloop-bench-lab");
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    InstrumentRegistry registry = InstrumentRegistry.load(Path.of("instruments"));
    InstrumentSpec furnace = registry.find("furnace-1").orElseThrow();
    List<String> pool = new ArrayList<>();
    for (int k = 1; k <= furnaces; k++) {
      pool.add("furnace-" + k);
      registry = registry.with(new InstrumentSpec("furnace-" + k, furnace.transport(), furnace.mqtt(),
          furnace.modbus(), furnace.actions(), furnace.sampleFailures()));
    }
    System.out.printf("bench lab: %d campaigns × %d experiments (%d in flight each) at once, on %d Modbus furnaces,"
        + " 1 robot, 1 analyzer; lab clock %.0e, Modbus poll %d ms%n", campaigns, experiments, parallel, furnaces,
        labClock, pollMs);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    List<String> ids = new ArrayList<>();
    try (VirtualLab lab = new VirtualLab(labClock, 5, furnaces)) {
      LabCampaigns lc = DemoCommand.campaignsOnVirtualLab(registry, dir.resolve("campaigns"), repo, lab, labClock,
          Duration.ofMillis(pollMs), org.ionloop.Installation.current(), new PrintStream(log, true), campaigns);
      try {
        for (int c = 0; c < campaigns; c++) {
          ids.add(lc.create(campaign(c, pool)));
        }
        t0 = System.nanoTime();
        for (String id : ids) {
          lc.start(id);
        }
        long lastReport = System.nanoTime();
        while (!lc.running().isEmpty()) {
          Thread.sleep(200);
          if (System.nanoTime() - lastReport > 5_000_000_000L) {
            lastReport = System.nanoTime();
            long done = repo.query("SELECT COUNT(*) FROM experiment WHERE state<>'RUNNING'", rs -> rs.getLong(1)).get(0);
            System.out.printf("  … %.0f s: %d of %d experiments ended, %d campaigns running%n",
                (System.nanoTime() - t0) / 1e9, done, (long) campaigns * experiments, lc.running().size());
          }
        }
      } finally {
        lc.stopAndWait(Duration.ofMinutes(2));
      }
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    System.out.println("store (campaign log, steps): " + url);
    return report(repo, ids, wall);
  }

  private String campaign(int index, List<String> pool) throws Exception {
    return Files.readString(Path.of("campaigns/demo.yaml"))
        .replace("name: argyrodite-demo", "name: bench-lab-" + index)
        .replace("seed: 42", "seed: " + (100 + index))
        .replace("experiments: 24", "experiments: " + experiments)
        .replace("parallel: 4", "parallel: " + parallel)
        .replace("initial_points: 6", "initial_points: " + Math.min(2, experiments))
        .replace("furnace: [furnace-1, furnace-2]", "furnace: [" + String.join(", ", pool) + "]");
  }

  private int report(CampaignRepository repo, List<String> ids, double wall) {
    long decisions = repo.query("SELECT COUNT(*) FROM candidate", rs -> rs.getLong(1)).get(0);
    long ended = repo.query("SELECT COUNT(*) FROM experiment WHERE state<>'RUNNING'", rs -> rs.getLong(1)).get(0);
    long failed = repo.query("SELECT COUNT(*) FROM experiment WHERE state='FAILED'", rs -> rs.getLong(1)).get(0);
    Map<String, List<Double>> roundTrips = new HashMap<>();
    repo.query("SELECT action, started_at, finished_at FROM step WHERE finished_at IS NOT NULL", rs -> {
      double ms = Duration.between(rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant()).toNanos() / 1e6;
      return roundTrips.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(ms);
    });
    // Fairness while every campaign ran: experiments each had finished when the first campaign ended.
    Instant firstEnd = repo.query("SELECT MAX(e.finished_at) FROM experiment e GROUP BY e.campaign_id",
        rs -> rs.getTimestamp(1).toInstant()).stream().min(Instant::compareTo).orElseThrow();
    Map<String, Long> finishedBy = new HashMap<>();
    ids.forEach(id -> finishedBy.put(id, 0L));
    repo.query("SELECT campaign_id, finished_at FROM experiment WHERE finished_at IS NOT NULL", rs -> {
      if (!rs.getTimestamp(2).toInstant().isAfter(firstEnd)) {
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
    List<String> states = repo.query("SELECT state FROM campaign", rs -> rs.getString(1));
    long completed = states.stream().filter(s -> s.startsWith("COMPLETED")).count();
    System.out.printf("%d campaigns (%d completed), %d experiments ended (%d failed) in %.1f s: %.2f decisions/s,"
        + " %.2f experiments/s%n", ids.size(), completed, ended, failed, wall, decisions / wall, ended / wall);
    System.out.printf("fairness while all ran (until the first campaign ended): Jain's index %.3f over experiments"
        + " finished per campaign %s%n", jain, new java.util.TreeMap<>(finishedBy).values());
    System.out.println("step round trip (command recorded → reply recorded: the wait in the instrument's queue, the"
        + " simulated device's time and the orchestrator's), ms:");
    StringBuilder json = new StringBuilder();
    for (String action : new java.util.TreeSet<>(roundTrips.keySet())) {
      List<Double> ms = roundTrips.get(action);
      java.util.Collections.sort(ms);
      double p50 = ms.get((int) Math.floor(0.5 * (ms.size() - 1)));
      double p99 = ms.get((int) Math.floor(0.99 * (ms.size() - 1)));
      System.out.printf("  %-18s n=%-5d p50 %9.1f  p99 %9.1f%n", action, ms.size(), p50, p99);
      json.append(String.format(Locale.ROOT, "%s\"%s\":{\"n\":%d,\"p50_ms\":%.1f,\"p99_ms\":%.1f}",
          json.length() == 0 ? "" : ",", action, ms.size(), p50, p99));
    }
    output.line(String.format(Locale.ROOT, "{\"bench\":\"lab\",\"campaigns\":%d,\"completed\":%d,\"experiments_ended\":%d,"
        + "\"experiments_failed\":%d,\"furnaces\":%d,\"wall_s\":%.2f,\"decisions_per_second\":%.3f,"
        + "\"jain_fairness\":%s,\"round_trip\":{%s}}", ids.size(), completed, ended, failed, furnaces, wall,
        decisions / wall, Double.isNaN(jain) ? "null" : String.format(Locale.ROOT, "%.4f", jain), json));
    return completed == ids.size() ? 0 : 1;
  }
}
