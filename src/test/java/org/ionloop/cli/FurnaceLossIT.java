package org.ionloop.cli;

import org.ionloop.TestCampaigns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One of two furnaces (a real Modbus TCP server) vanishes mid-campaign: the experiment on it fails
 * with the stated reason, the furnace is taken out of service, and the campaign finishes its
 * budget on the other one.
 */
class FurnaceLossIT {
  @TempDir
  Path dir;

  @Test
  void theCampaignCarriesOnWithTheRemainingFurnace() throws Exception {
    String yaml = TestCampaigns.demoCopy()
        .replace("experiments: 24", "experiments: 8").replace("initial_points: 6", "initial_points: 3");
    Path campaign = dir.resolve("loss.yaml");
    Files.writeString(campaign, yaml);
    CampaignLauncher.Validated v = CampaignLauncher.validate(campaign,
        InstrumentRegistry.load(Path.of("instruments"))).onLabClock(1e-4);
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    CampaignLauncher.Run run;
    // A 5 h anneal lasts 1.8 s at this scale: the plug is pulled while furnace-2 is busy.
    try (VirtualLab lab = new VirtualLab(1e-4, 11, 2)) {
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      Thread saboteur = new Thread(() -> {
        try {
          // Lost while it anneals a sample (recorded by the lab itself), not at some guessed moment.
          while (lab.bench().executions("furnace-2", "anneal") == 0) {
            Thread.sleep(20);
          }
          lab.disconnectFurnace("furnace-2");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      saboteur.start();
      run = CampaignLauncher.run(v, lab.brokerUrl(), url, new PrintStream(new ByteArrayOutputStream(), true));
      saboteur.join();
    }
    assertEquals("COMPLETED_WITH_FAILURES", run.state(), "the experiment on the lost furnace failed");
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    assertEquals(8, repo.count("experiment", run.campaignId()));
    List<String> failures = repo.query("SELECT failure FROM experiment WHERE campaign_id=? AND state='FAILED'",
        rs -> rs.getString(1), run.campaignId());
    List<String> lost = failures.stream().filter(f -> f.contains("failed on furnace-2")).toList();
    assertEquals(1, lost.size(), "exactly the experiment on the lost furnace fails: " + failures);
    assertTrue(lost.get(0).contains("MODBUS"), lost.get(0));
    assertTrue(failures.stream().noneMatch(f -> f.contains("STATION_OCCUPIED")), failures.toString());
    List<String> lateAnneals = repo.query("SELECT s.instrument FROM step s JOIN experiment e ON e.id = s.experiment_id"
        + " WHERE e.campaign_id=? AND s.action='anneal' AND s.started_at > (SELECT MAX(finished_at) FROM step"
        + " WHERE state='FAILED' AND instrument='furnace-2')", rs -> rs.getString(1), run.campaignId());
    assertTrue(!lateAnneals.isEmpty() && lateAnneals.stream().allMatch("furnace-1"::equals),
        "after the loss only furnace-1 anneals: " + lateAnneals);
  }
}
