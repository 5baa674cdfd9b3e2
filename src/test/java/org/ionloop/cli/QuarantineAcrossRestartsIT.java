package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ionloop.TestCampaigns;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.ionloop.store.OperatorCommands;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A station an earlier campaign took out of service stays out when the server starts again, for
 * a new campaign too (its lock table is new; the event log is not): the new campaign anneals only
 * on the other furnace until an operator, through it, returns the station, and then uses it.
 */
class QuarantineAcrossRestartsIT {
  @TempDir
  Path dir;

  @Test
  void aNewLabTakesTheLogsStationsOutOfServiceAndAReleaseThroughANewCampaignReturnsThem() throws Exception {
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    try (VirtualLab lab = new VirtualLab(1e-4, 5, 2)) {
      LabCampaigns campaigns = DemoCommand.campaignsOnVirtualLab(InstrumentRegistry.load(Path.of("instruments")),
          dir.resolve("campaigns"), repo, lab, 1e-4, Duration.ofMillis(5),
          TestCampaigns.withProtocols(TestCampaigns.copyOfProtocols(dir.resolve("installation"))),
          new PrintStream(new ByteArrayOutputStream(), true), 1);
      try {
        // What an earlier run of the server left in the log: furnace-2 out of service, never returned.
        String earlier = campaigns.create(campaign("earlier", 3));
        repo.append(new StoreRecord.Event(earlier, null, "station_quarantined",
            Map.of("station", "furnace-2", "reason", "thermocouple open"), Instant.now()));
        assertEquals(Map.of("furnace-2", "thermocouple open"), repo.stationsOutOfService());

        String id = campaigns.create(campaign("after-restart", 6));
        campaigns.start(id);
        await(() -> anneals(repo, id, "furnace-1") >= 2, "two anneals on furnace-1");
        assertEquals(0, anneals(repo, id, "furnace-2"), "nothing annealed on the station out of service");

        OperatorCommands inbox = repo.operatorCommands();
        assertTrue(OperatorWaits.answer(inbox, inbox.issue(id, "release", null, "furnace-1", "checked", "tester"))
            .contains("not out of service"), "a station in service cannot be released");
        assertEquals("ok", OperatorWaits.answer(inbox, inbox.issue(id, "release", null, "furnace-2", "thermocouple replaced",
            "tester")), "the campaign never met the quarantine; the lab's lock table had it");
        assertEquals(Map.of(), repo.stationsOutOfService(), "the log has it back in service");

        await(() -> Set.of("COMPLETED", "COMPLETED_WITH_FAILURES").contains(state(repo, id)), "the campaign ends");
        assertTrue(anneals(repo, id, "furnace-2") >= 1, "furnace-2 was used once returned");
        assertEquals(lab.bench().executions("furnace-2", "anneal"), anneals(repo, id, "furnace-2"),
            "the device annealed what the store says, no more");
      } finally {
        campaigns.stopAndWait(Duration.ofMinutes(1));
      }
    }
  }

  private static String campaign(String name, int experiments) {
    return TestCampaigns.demoText().replace("name: argyrodite-demo", "name: " + name)
        .replace("experiments: 24", "experiments: " + experiments)
        .replace("parallel: 4", "parallel: 2").replace("initial_points: 6", "initial_points: 2");
  }

  private static long anneals(CampaignRepository repo, String id, String furnace) {
    return repo.query("SELECT COUNT(*) FROM step s JOIN experiment e ON e.id=s.experiment_id WHERE e.campaign_id=?"
        + " AND s.action='anneal' AND s.instrument=? AND s.state='DONE'", rs -> rs.getLong(1), id, furnace).get(0);
  }

  private static String state(CampaignRepository repo, String id) {
    return repo.query("SELECT state FROM campaign WHERE id=?", rs -> rs.getString(1), id).get(0);
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) throws Exception {
    OperatorWaits.await(condition, Duration.ofSeconds(120), what);
  }
}
