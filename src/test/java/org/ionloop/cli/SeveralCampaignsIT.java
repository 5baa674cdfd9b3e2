package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.ionloop.TestCampaigns;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two campaigns at once on one lab (campaigns-at-once = 2): both run to the end on the furnaces
 * they share, their experiments interleave, a furnace never holds two samples, each anneal runs
 * on the device exactly once; a third campaign is refused while both run and, queued, starts
 * when one of them ends.
 */
class SeveralCampaignsIT {
  @TempDir
  Path dir;

  record Span(String campaign, String experiment, String furnace, Instant from, Instant to) {}

  @Test
  void twoCampaignsShareTheFurnacesInTurnAndAQueuedThirdTakesTheFirstFreePlace() throws Exception {
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (VirtualLab lab = new VirtualLab(1e-4, 5, 2)) {
      LabCampaigns campaigns = DemoCommand.campaignsOnVirtualLab(InstrumentRegistry.load(Path.of("instruments")),
          dir.resolve("campaigns"), repo, lab, 1e-4, Duration.ofMillis(5),
          TestCampaigns.withProtocols(TestCampaigns.copyOfProtocols(dir.resolve("installation"))),
          new PrintStream(log, true), 2);
      try {
        String a = campaigns.create(campaign("lab-a", 7, 4));
        String b = campaigns.create(campaign("lab-b", 8, 4));
        String c = campaigns.create(campaign("lab-c", 9, 2));
        campaigns.start(a);
        campaigns.start(b);
        assertEquals(List.of(a, b), campaigns.running());
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> campaigns.start(c));
        assertTrue(full.getMessage().contains("2 at once"), full.getMessage());
        campaigns.enqueue(c, false, "test");
        for (String id : List.of(a, b, c)) {
          awaitEnded(repo, id);
          TestCampaigns.assertCompleted(state(repo, id), log.toString());
        }

        List<Span> spans = furnaceSpans(repo);
        Map<String, List<Span>> byFurnace = new HashMap<>();
        spans.forEach(s -> byFurnace.computeIfAbsent(s.furnace(), k -> new java.util.ArrayList<>()).add(s));
        for (var e : byFurnace.entrySet()) {
          List<Span> on = e.getValue();
          for (int i = 0; i < on.size(); i++) {
            for (int j = i + 1; j < on.size(); j++) {
              Span x = on.get(i);
              Span y = on.get(j);
              assertTrue(!x.from().isBefore(y.to()) || !y.from().isBefore(x.to()),
                  e.getKey() + " held two samples at once: " + x + " and " + y);
            }
          }
        }
        Set<String> sharedFurnaces = new HashSet<>();
        byFurnace.forEach((furnace, on) -> {
          if (on.stream().anyMatch(s -> s.campaign().equals(a)) && on.stream().anyMatch(s -> s.campaign().equals(b))) {
            sharedFurnaces.add(furnace);
          }
        });
        assertTrue(!sharedFurnaces.isEmpty(), "A and B used a furnace in common: " + byFurnace.keySet());
        // Interleaved: B started experiments before A's last one ended, and A before B's.
        assertTrue(first(spans, b).isBefore(last(spans, a)) && first(spans, a).isBefore(last(spans, b)),
            "the two campaigns ran at the same time: " + spans);
        long anneals = repo.query("SELECT COUNT(*) FROM step WHERE action='anneal'", rs -> rs.getLong(1)).get(0);
        assertTrue(anneals >= 8, "the experiments of the three campaigns annealed: " + anneals);
        assertEquals(anneals, lab.bench().executions("furnace-1", "anneal") + lab.bench().executions("furnace-2", "anneal"),
            "one driver per furnace for both campaigns: each anneal ran on the device exactly once");
        assertTrue(log.toString().contains("campaign " + c + " started from the queue"), log.toString());
      } finally {
        campaigns.stopAndWait(Duration.ofMinutes(1));
      }
    }
  }

  private static String campaign(String name, int seed, int experiments) {
    return TestCampaigns.demoText().replace("name: argyrodite-demo", "name: " + name)
        .replace("seed: 42", "seed: " + seed).replace("experiments: 24", "experiments: " + experiments)
        .replace("parallel: 4", "parallel: 2").replace("initial_points: 6", "initial_points: 2");
  }

  private static String state(CampaignRepository repo, String id) {
    return repo.query("SELECT state FROM campaign WHERE id=?", rs -> rs.getString(1), id).get(0);
  }

  private static void awaitEnded(CampaignRepository repo, String id) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (Set.of("PLANNED", "RUNNING", "PAUSED").contains(state(repo, id))) {
      if (System.nanoTime() > until) {
        throw new AssertionError("campaign " + id + " did not end: " + state(repo, id));
      }
      Thread.sleep(50);
    }
  }

  /** Per experiment, its furnace and the time it held it: loaded into it until moved to the cell. */
  private static List<Span> furnaceSpans(CampaignRepository repo) {
    return repo.query("SELECT e.campaign_id, e.id, a.instrument, l.started_at, c.finished_at FROM experiment e"
        + " JOIN step a ON a.experiment_id=e.id AND a.action='anneal'"
        + " JOIN step l ON l.experiment_id=e.id AND l.step_id='load-furnace'"
        + " JOIN step c ON c.experiment_id=e.id AND c.step_id='load-cell'",
        rs -> new Span(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getObject(4, java.time.OffsetDateTime.class).toInstant(),
            rs.getObject(5, java.time.OffsetDateTime.class).toInstant()));
  }

  private static Instant first(List<Span> spans, String campaign) {
    return spans.stream().filter(s -> s.campaign().equals(campaign)).map(Span::from).min(Instant::compareTo).orElseThrow();
  }

  private static Instant last(List<Span> spans, String campaign) {
    return spans.stream().filter(s -> s.campaign().equals(campaign)).map(Span::to).max(Instant::compareTo).orElseThrow();
  }
}
