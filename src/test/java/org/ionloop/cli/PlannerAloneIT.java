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
import java.util.regex.Pattern;
import org.ionloop.TestCampaigns;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.proposer.SpaceSampler;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.ionloop.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign without a proposer section (no model covers its design space) runs with the planner
 * alone over random feasible designs, says so at start, and records it in every decision.
 */
class PlannerAloneIT {
  @TempDir
  Path dir;

  static String withoutProposer() {
    String text = TestCampaigns.demoCopy();
    text = Pattern.compile("(?ms)^conditioning:.*?(?=^budget:)").matcher(text).replaceFirst("");
    text = Pattern.compile("(?ms)^proposer:.*?(?=^planner:)").matcher(text).replaceFirst("");
    return text.replace("  mc_samples: 128\n", "  mc_samples: 128\n  candidates: 128\n");
  }

  @Test
  void thePlannerAloneRunsACampaignNoModelCovers() throws Exception {
    Path campaign = dir.resolve("alone.yaml");
    Files.writeString(campaign, withoutProposer().replace("experiments: 24", "experiments: 4")
        .replace("parallel: 4", "parallel: 2"));
    var v = CampaignLauncher.validate(campaign, InstrumentRegistry.load(Path.of("instruments"))).onLabClock(1e-4);
    assertEquals(128, v.spec().candidatesPerDecision());
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CampaignLauncher.Run run;
    try (VirtualLab lab = new VirtualLab(1e-4, 9, 2)) {
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      run = CampaignLauncher.run(v, lab.brokerUrl(), url, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }
    String output = printed.toString(StandardCharsets.UTF_8);
    TestCampaigns.assertCompleted(run.state(), output);
    assertTrue(output.contains("no proposer model: the planner alone chooses among 128 random feasible designs"), output);
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    List<String> decisions = repo.query("SELECT payload FROM campaign_event WHERE campaign_id=? AND kind='decision'",
        rs -> rs.getString(1), run.campaignId());
    assertEquals(4, decisions.size());
    assertTrue(decisions.stream().allMatch(d -> d.contains("\"model_version\":\"" + SpaceSampler.VERSION + "\"")),
        decisions.toString());
  }

  @Test
  void conditioningWithoutAProposerIsRefused() throws Exception {
    Path campaign = dir.resolve("half.yaml");
    String text = TestCampaigns.demoCopy();
    Files.writeString(campaign, Pattern.compile("(?ms)^proposer:.*?(?=^planner:)").matcher(text).replaceFirst(""));
    var e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
        () -> CampaignLauncher.validate(campaign, InstrumentRegistry.load(Path.of("instruments"))));
    assertEquals("conditioning", e.field());
    assertTrue(e.getMessage().contains("has no proposer section"), e.getMessage());
  }
}
