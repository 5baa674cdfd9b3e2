package org.ionloop.cli;

import org.ionloop.TestCampaigns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
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
 * A campaign that retrains its proposer every two results with the real PyTorch trainer: the
 * new model is validated, recorded as a model version and hot-swapped while experiments run,
 * and the decisions made after the swap name the model that made them.
 */
class RetrainingCampaignIT {
  @TempDir
  Path dir;

  @Test
  void theProposerIsRetrainedOnTheCampaignsResultsAndSwappedInMidCampaign() throws Exception {
    Path campaign = dir.resolve("retrain.yaml");
    Files.writeString(campaign, TestCampaigns.demoCopy()
        // 12 experiments: room for decisions after a swap even when training is slow on a loaded machine
        .replace("experiments: 24", "experiments: 12").replace("parallel: 4", "parallel: 2")
        .replace("initial_points: 6", "initial_points: 3")
        .replace("  ddim_steps: 40\n", "  ddim_steps: 40\n  retrain: {every: 2, epochs: 3,"
            + " tolerance: 100}\n"));
    var v = CampaignLauncher.validate(campaign, InstrumentRegistry.load(Path.of("instruments"))).onLabClock(1e-4);
    assertEquals(2, v.spec().retrain().every());
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    CampaignLauncher.Run run = runRetraining(v, url);
    TestCampaigns.assertCompleted(run.state());
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    String id = run.campaignId();
    List<Long> swaps = repo.query("SELECT seq FROM campaign_event WHERE campaign_id=? AND kind='model_swapped'"
        + " ORDER BY seq", rs -> rs.getLong(1), id);
    assertTrue(!swaps.isEmpty(), "at least one retrained model was swapped in: "
        + repo.query("SELECT kind || ' ' || payload FROM campaign_event WHERE campaign_id=? AND kind LIKE 'model%'",
            rs -> rs.getString(1), id));
    assertEquals(1, repo.query("SELECT COUNT(*) FROM model_version WHERE id='diffusion-v1-r1'",
        rs -> rs.getLong(1)).get(0), "the new model is a model_version row");
    List<String> decisionsAfter = repo.query("SELECT payload FROM campaign_event WHERE campaign_id=?"
        + " AND kind='decision' AND seq > ?", rs -> rs.getString(1), id, swaps.get(0));
    assertTrue(!decisionsAfter.isEmpty(), "decisions were made after the swap");
    // A proposal already being sampled at the swap finishes on the old model and says so.
    assertTrue(decisionsAfter.get(decisionsAfter.size() - 1).contains("\"model_version\":\"diffusion-v1-r"),
        "the last decisions name the retrained model: " + decisionsAfter);
    assertTrue(Files.exists(dir.resolve("retrain").resolve(id).resolve("diffusion-v1-r1/model/diffusion.onnx")));
  }

  /**
   * The real-data proposer on a chloride campaign: fine-tuned on the lab's measured rows (no
   * simulator rows), validated on the real test split and the lab's held-out experiments, and
   * swapped in mid-campaign as the design-space model is.
   */
  @Test
  void theRealDataProposerIsFineTunedOnTheLabsResultsAndSwappedIn() throws Exception {
    Path campaign = dir.resolve("halide-real.yaml");
    Files.writeString(campaign, Files.readString(Path.of("campaigns/halide-chlorides-real-proposer.yaml"))
        .replace("protocol: ../protocols/", "protocol: " + TestCampaigns.PROTOCOLS + "/")
        .replace("experiments: 24", "experiments: 12").replace("parallel: 4", "parallel: 2")
        .replace("initial_points: 6", "initial_points: 3")
        .replace("retrain: {every: 8, epochs: 40}", "retrain: {every: 2, epochs: 3, tolerance: 100}"));
    var v = CampaignLauncher.validate(campaign, InstrumentRegistry.load(Path.of("instruments"))).onLabClock(1e-4);
    String url = Database.h2FileUrl(dir.resolve("db/halide"));
    CampaignLauncher.Run run = runRetraining(v, url);
    TestCampaigns.assertCompleted(run.state());
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    String id = run.campaignId();
    List<String> modelEvents = repo.query("SELECT kind || ' ' || payload FROM campaign_event WHERE campaign_id=?"
        + " AND kind LIKE 'model%' ORDER BY seq", rs -> rs.getString(1), id);
    assertTrue(modelEvents.stream().anyMatch(e -> e.startsWith("model_swapped")), modelEvents.toString());
    assertTrue(modelEvents.stream().anyMatch(e -> e.contains("real test split")),
        "validated on the real test split: " + modelEvents);
    assertEquals(1, repo.query("SELECT COUNT(*) FROM model_version WHERE id='sse-elements-v1-r1'",
        rs -> rs.getLong(1)).get(0), "the fine-tuned model is a model_version row");
    List<String> table = Files.readAllLines(dir.resolve("retrain").resolve(id).resolve("sse-elements-v1-r1/train.csv"));
    assertTrue(table.stream().anyMatch(l -> l.startsWith("train,lab:" + id)), "the lab's rows are in the table");
    assertTrue(table.stream().noneMatch(l -> l.startsWith("Li2S,") || l.contains(",sim")), "no simulator rows");
    // Before the planner had surrogates, the forward model screened the proposals.
    List<String> first = repo.query("SELECT payload FROM campaign_event WHERE campaign_id=? AND kind='proposal'"
        + " ORDER BY seq", rs -> rs.getString(1), id);
    assertTrue(first.get(0).matches(".*\"screened_by_prior\":[1-9].*"), first.get(0));
  }

  /**
   * Runs the campaign on a virtual lab with retraining writing under this test's folder: where
   * retraining writes is the installation's setting, never the campaign file's.
   */
  private CampaignLauncher.Run runRetraining(CampaignLauncher.Validated v, String url) throws Exception {
    System.setProperty("ionloop.installation.retrain-dir", dir.resolve("retrain").toString());
    ConfigFactory.invalidateCaches();
    try (VirtualLab lab = new VirtualLab(1e-4, 3, 2)) {
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      return CampaignLauncher.run(v, lab.brokerUrl(), url, new PrintStream(new ByteArrayOutputStream(), true));
    } finally {
      System.clearProperty("ionloop.installation.retrain-dir");
      ConfigFactory.invalidateCaches();
    }
  }
}
