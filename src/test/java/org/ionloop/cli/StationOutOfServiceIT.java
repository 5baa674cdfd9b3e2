package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ionloop.TestCampaigns;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.ionloop.store.OperatorCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only furnace is lost mid-campaign: instead of starting experiments that would be dispensed,
 * milled and pressed only to fail at the furnace, the campaign pauses and says why; the
 * quarantine is in the log (what recovery reads); an operator's release returns the station and
 * the campaign carries on; a release of a station in service is refused.
 */
class StationOutOfServiceIT {
  @TempDir
  Path dir;

  @Test
  void aCampaignWithNoFurnaceInServicePausesAndAReleaseResumesIt() throws Exception {
    Path campaign = dir.resolve("one-furnace.yaml");
    Files.writeString(campaign, TestCampaigns.demoCopy().replace("experiments: 24", "experiments: 8")
        .replace("parallel: 4", "parallel: 2").replace("initial_points: 6", "initial_points: 3")
        .replace("furnace: [furnace-1, furnace-2]", "furnace: furnace-2"));
    CampaignLauncher.Validated v = CampaignLauncher.validate(campaign,
        InstrumentRegistry.load(Path.of("instruments"))).onLabClock(1e-4);
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    try (VirtualLab lab = new VirtualLab(1e-4, 11, 2)) {
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      CampaignLauncher.Running running = CampaignLauncher.start(v, lab.brokerUrl(), url,
          new PrintStream(new ByteArrayOutputStream(), true));
      String id = running.campaignId();
      CampaignRepository repo = new CampaignRepository(Database.open(url));
      await(() -> repo.count("experiment", id) >= 1 && annealing(repo, id), "an anneal on furnace-2");
      lab.disconnectFurnace("furnace-2");

      await(() -> pausedFor(repo, id) >= 1, "the campaign pauses for lack of a furnace");
      String reason = lastState(repo, id);
      assertTrue(reason.contains("no furnace in service") && reason.contains("furnace-2")
          && reason.contains("campaign station release"), reason);
      long startedAtPause = repo.count("experiment", id);
      long endedAtPause = ended(repo, id);
      await(() -> ended(repo, id) == startedAtPause, "the experiments running at the pause end");
      assertEquals(startedAtPause, repo.count("experiment", id), "nothing started while paused");
      assertTrue(CampaignHistory.load(repo, id).outOfService().containsKey("furnace-2"),
          "the quarantine is in the log, for recovery");
      var views = new org.ionloop.api.CampaignViews(repo);
      var out = views.campaign(id).orElseThrow().path("stations_out_of_service");
      assertEquals(1, out.size(), "the dashboard lists it for an operator to release: " + out);
      assertEquals("furnace-2", out.get(0).path("station").asText());

      OperatorCommands inbox = repo.operatorCommands();
      assertTrue(OperatorWaits.answer(inbox, inbox.issue(id, "release", null, "robot-1", "checked", "tester"))
          .contains("not out of service"), "a station in service cannot be released");
      assertEquals("ok", OperatorWaits.answer(inbox, inbox.issue(id, "release", null, "furnace-2", "pellet removed", "tester")));
      assertEquals(0, views.campaign(id).orElseThrow().path("stations_out_of_service").size(), "released");
      assertTrue(endedAtPause <= ended(repo, id));
      // furnace-2 is still unplugged: the next experiment fails on it and the campaign pauses again.
      await(() -> pausedFor(repo, id) >= 2, "paused again once furnace-2 failed again");
      assertTrue(repo.count("experiment", id) > startedAtPause, "the release let experiments start");
      assertEquals("ok", OperatorWaits.answer(inbox, inbox.issue(id, "stop", null, null, "furnace broken", "tester")));
      CampaignLauncher.Run run = CampaignLauncher.await(running);
      assertTrue(List.of("COMPLETED", "COMPLETED_WITH_FAILURES", "STOPPED").contains(run.state()), run.state());
      List<String> kinds = repo.query("SELECT kind FROM campaign_event WHERE campaign_id=? AND kind LIKE 'station_%'",
          rs -> rs.getString(1), id);
      assertTrue(kinds.contains("station_quarantined") && kinds.contains("station_released"), kinds.toString());
    }
  }

  private static boolean annealing(CampaignRepository repo, String id) {
    return repo.query("SELECT COUNT(*) FROM campaign_event WHERE campaign_id=? AND kind='command_sent'"
        + " AND payload LIKE '%:anneal\"%'", rs -> rs.getLong(1), id).get(0) > 0;
  }

  private static long pausedFor(CampaignRepository repo, String id) {
    return repo.query("SELECT COUNT(*) FROM campaign_event WHERE campaign_id=? AND kind='campaign_state_changed'"
        + " AND payload LIKE '%PAUSED%' AND payload LIKE '%no furnace in service%'", rs -> rs.getLong(1), id).get(0);
  }

  private static long ended(CampaignRepository repo, String id) {
    return repo.query("SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND state <> 'RUNNING'",
        rs -> rs.getLong(1), id).get(0);
  }

  private static String lastState(CampaignRepository repo, String id) {
    List<String> s = repo.query("SELECT payload FROM campaign_event WHERE campaign_id=? AND kind='campaign_state_changed'"
        + " ORDER BY seq", rs -> rs.getString(1), id);
    return s.get(s.size() - 1);
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws Exception {
    OperatorWaits.await(condition, Duration.ofSeconds(90), what);
  }
}
