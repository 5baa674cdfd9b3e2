package org.ionloop.cli;

import org.ionloop.TestCampaigns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.ionloop.campaign.Campaign;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators steer a running campaign: pause at step boundaries, resume, stop, abort. */
class CampaignLifecycleIT {
  @TempDir
  Path dir;

  record Started(CampaignLauncher.Running running, CampaignRepository repo, VirtualLab lab) {}

  Started start(int experiments) throws Exception {
    String yaml = TestCampaigns.demoCopy()
        .replace("experiments: 24", "experiments: " + experiments).replace("parallel: 4", "parallel: 2")
        .replace("initial_points: 6", "initial_points: 3");
    Path campaign = dir.resolve("life.yaml");
    Files.writeString(campaign, yaml);
    var v = CampaignLauncher.validate(campaign, InstrumentRegistry.load(Path.of("instruments"))).onLabClock(1e-4);
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    VirtualLab lab = new VirtualLab(1e-4, 5, 2);
    DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
    var running = CampaignLauncher.start(v, lab.brokerUrl(), url, new PrintStream(new ByteArrayOutputStream(), true));
    return new Started(running, new CampaignRepository(Database.open(url)), lab);
  }

  static void tell(Started s, java.util.function.Function<akka.actor.typed.ActorRef<StatusReply<akka.Done>>, Campaign.Command> cmd)
      throws Exception {
    AskPattern.<Object, StatusReply<akka.Done>>ask(s.running().host(), cmd::apply, Duration.ofSeconds(5),
        s.running().system().scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS).getValue();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static long count(Started s, String sql) {
    return s.repo().query(sql, rs -> rs.getLong(1), s.running().campaignId()).get(0);
  }

  static List<String> states(Started s) {
    return s.repo().query("SELECT payload FROM campaign_event WHERE campaign_id=? AND kind='campaign_state_changed'"
        + " ORDER BY seq", rs -> rs.getString(1), s.running().campaignId());
  }

  @Test
  void pauseHoldsAtStepBoundariesAndResumeFinishesTheBudget() throws Exception {
    Started s = start(4);
    try {
      await("two experiments", () -> count(s, "SELECT COUNT(*) FROM experiment WHERE campaign_id=?") >= 2);
      tell(s, Campaign.Pause::new);
      // The steps in progress end (an anneal takes 2.4 s here, a sweep measures every temperature)
      // and every running experiment records that it holds; then, for a while, none starts.
      await("every running experiment held", () -> count(s, "SELECT COUNT(*) FROM experiment e WHERE"
          + " e.campaign_id=? AND e.state='RUNNING' AND NOT EXISTS (SELECT 1 FROM campaign_event v"
          + " WHERE v.experiment_id=e.id AND v.kind='experiment_held')") == 0);
      assertEquals(0, count(s, "SELECT COUNT(*) FROM step t JOIN experiment e"
          + " ON e.id=t.experiment_id WHERE e.campaign_id=? AND t.state='SENT'"), "a held experiment has no command out");
      long steps = count(s, "SELECT COUNT(*) FROM step t JOIN experiment e ON e.id=t.experiment_id WHERE e.campaign_id=?");
      long experiments = count(s, "SELECT COUNT(*) FROM experiment WHERE campaign_id=?");
      Thread.sleep(1500);
      assertEquals(steps, count(s, "SELECT COUNT(*) FROM step t JOIN experiment e ON e.id=t.experiment_id WHERE e.campaign_id=?"),
          "no step may start while paused");
      assertEquals(experiments, count(s, "SELECT COUNT(*) FROM experiment WHERE campaign_id=?"));
      tell(s, Campaign.Resume::new);
      var run = CampaignLauncher.await(s.running());
      org.ionloop.TestCampaigns.assertCompleted(run.state());
      assertEquals(4, count(s, "SELECT COUNT(*) FROM experiment WHERE campaign_id=?"));
      List<String> states = states(s);
      assertTrue(states.stream().anyMatch(p -> p.contains("PAUSED")), states.toString());
      assertTrue(states.stream().anyMatch(p -> p.contains("resumed by operator")), states.toString());
    } finally {
      s.lab().close();
    }
  }

  @Test
  void stopFinishesRunningExperimentsAndStartsNoMore() throws Exception {
    Started s = start(8);
    try {
      await("two experiments", () -> count(s, "SELECT COUNT(*) FROM experiment WHERE campaign_id=?") >= 2);
      tell(s, r -> new Campaign.Stop("enough for today", r));
      var run = CampaignLauncher.await(s.running());
      org.ionloop.TestCampaigns.assertCompleted(run.state());
      assertTrue(run.reason().contains("enough for today"), run.reason());
      assertTrue(count(s, "SELECT COUNT(*) FROM experiment WHERE campaign_id=?") < 8);
      assertEquals(0, count(s, "SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND state='RUNNING'"),
          "every started experiment ended");
    } finally {
      s.lab().close();
    }
  }

  @Test
  void abortStopsTheFurnaceAndRecordsWhy() throws Exception {
    Started s = start(4);
    try {
      await("an anneal in progress", () -> count(s, "SELECT COUNT(*) FROM step t JOIN experiment e"
          + " ON e.id=t.experiment_id WHERE e.campaign_id=? AND t.action='anneal' AND t.state='SENT'") >= 1);
      tell(s, r -> new Campaign.Abort("argon supply lost", r));
      var run = CampaignLauncher.await(s.running());
      assertEquals("ABORTED", run.state());
      assertEquals("argon supply lost", run.reason());
      // The stop travels to the furnace on its own (an abort does not wait for instruments to
      // answer), so it may land a moment after the campaign has recorded its end.
      await("the annealing furnace told to stop", () -> s.lab().bench().executions("furnace-1", "stop")
          + s.lab().bench().executions("furnace-2", "stop") >= 1);
      assertTrue(count(s, "SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND failure LIKE '%aborted: argon supply lost%'") >= 1);
      assertEquals(0, count(s, "SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND state='RUNNING'"));
    } finally {
      s.lab().close();
    }
  }
}
