package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.ionloop.TestCampaigns;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.VirtualBench;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.ionloop.sim.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's PostgreSQL server stops for a while in the middle of a campaign. The campaign pauses
 * with the store's error (the operator sees why), nothing physical happens that the log will not
 * have, and once the server is back the kept writes commit, the campaign carries on by itself and
 * ends with every experiment and every step on record: what the instruments did (their own
 * count) is exactly what the database says was done.
 */
class PostgresOutageIT {
  @TempDir
  Path dir;

  @Test
  void aStoppedDatabasePausesTheCampaignAndNothingIsLostWhenItIsBack() throws Exception {
    Path campaign = dir.resolve("outage.yaml");
    Files.writeString(campaign, TestCampaigns.demoCopy()
        .replace("experiments: 24", "experiments: 6").replace("parallel: 4", "parallel: 2"));
    var v = CampaignLauncher.validate(campaign, InstrumentRegistry.load(Path.of("instruments"))).onLabClock(1e-4);
    try (PostgresServer server = new PostgresServer(); VirtualLab lab = new VirtualLab(1e-4, 7, 2)) {
      String url = server.newDatabase("ionloop_outage");
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      var running = CampaignLauncher.start(v, lab.brokerUrl(), url, new PrintStream(printed, true, StandardCharsets.UTF_8));
      String id = running.campaignId();
      CampaignRepository during = new CampaignRepository(Database.open(url));
      await("two experiments ended", () -> ended(during, id) >= 2);

      server.stop();
      await("the campaign said it paused for the store", () -> printed.toString(StandardCharsets.UTF_8)
          .contains("PAUSED  campaign " + id + ": the store cannot commit"));
      int executionsAtPause = lab.bench().executions().size();
      server.start();

      var run = CampaignLauncher.await(running);
      TestCampaigns.assertCompleted(run.state(), printed.toString(StandardCharsets.UTF_8));
      CampaignRepository repo = new CampaignRepository(Database.open(url));
      assertEquals(6, ended(repo, id), "every experiment ended on record");
      List<String> states = repo.query("SELECT payload FROM campaign_event WHERE campaign_id=?"
          + " AND kind='campaign_state_changed' ORDER BY seq", rs -> rs.getString(1), id);
      assertTrue(states.stream().anyMatch(s -> s.contains("PAUSED") && s.contains("the store cannot commit")), states.toString());
      assertTrue(states.stream().anyMatch(s -> s.contains("RUNNING") && s.contains("the store commits again")), states.toString());
      // What the instruments did, by their own count, is what the log says they answered (done, or
      // failed by the device, as a pellet that cracked in the press): nothing ran that the log
      // lost, nothing ran twice.
      Map<String, Integer> done = new TreeMap<>();
      repo.query("SELECT s.instrument || ' ' || s.action FROM step s JOIN experiment e ON e.id = s.experiment_id"
          + " WHERE e.campaign_id=? AND s.state IN ('DONE', 'FAILED')", rs -> rs.getString(1), id)
          .forEach(k -> done.merge(k, 1, Integer::sum));
      Map<String, Integer> ran = new TreeMap<>();
      for (VirtualBench.Execution e : lab.bench().executions()) {
        if (List.of("anneal", "eis_sweep", "dispense", "press").contains(e.action())) {
          ran.merge(e.instrument() + " " + e.action(), 1, Integer::sum);
        }
      }
      done.keySet().removeIf(k -> !List.of("anneal", "eis_sweep", "dispense", "press").contains(k.replaceAll(".* ", "")));
      assertEquals(ran, done, "instrument counts against the log (" + executionsAtPause + " executions at the pause)");
    }
  }

  private static int ended(CampaignRepository repo, String id) {
    try {
      return repo.query("SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND state <> 'RUNNING'",
          rs -> rs.getInt(1), id).get(0);
    } catch (RuntimeException e) {
      return -1; // the server is down for this check
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }
}
