package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ionloop.TestCampaigns;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.MaterialModel;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * campaigns/argyrodite-purity.yaml end to end on the virtual lab: three objectives from three
 * kinds of source (conductivity from the spectra, phase purity from the simulated XRD station's
 * result as the protocol declares it, precursor cost from the catalogue). Each result carries all
 * three, the stored purity is the station's own reading and follows the material model, and the
 * summary speaks of the campaign's objectives.
 */
class ThreeObjectiveCampaignIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aCampaignOptimisesConductivityPhasePurityAndCost() throws Exception {
    String yaml = Files.readString(Path.of("campaigns/argyrodite-purity.yaml"))
        .replace("protocol: ../protocols/", "protocol: " + TestCampaigns.PROTOCOLS + "/")
        .replace("experiments: 24", "experiments: 6").replace("parallel: 4", "parallel: 3")
        .replace("initial_points: 6", "initial_points: 3");
    Path campaign = dir.resolve("purity.yaml");
    Files.writeString(campaign, yaml);
    CampaignLauncher.Validated v = CampaignLauncher.validate(campaign,
        InstrumentRegistry.load(Path.of("instruments"))).onLabClock(2e-5);
    String url = "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VirtualLab lab = new VirtualLab(2e-5, 11);
    CampaignLauncher.Run run;
    try {
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      run = CampaignLauncher.run(v, lab.brokerUrl(), url, new PrintStream(out, true));
      TestCampaigns.assertCompleted(run.state(), out.toString());
      CampaignRepository repo = new CampaignRepository(Database.open(url));
      List<CampaignRepository.ResultRow> results = repo.results(run.campaignId());
      assertTrue(results.size() >= 4, "too many cracked pellets: " + out);
      assertEquals(3L * results.size(), repo.count("objective_value", run.campaignId()));
      MaterialModel truth = new MaterialModel();
      for (CampaignRepository.ResultRow r : results) {
        assertEquals(List.of("log10_sigma25", "phase_purity", "precursor_cost"),
            List.copyOf(new java.util.TreeSet<>(r.objectives().keySet())));
        // The stored purity is what xrd-1 reported for this sample, with its standard error.
        JsonNode scan = JSON.readTree(repo.query("SELECT result FROM step WHERE experiment_id=? AND step_id='xrd'",
            rs -> rs.getString(1), r.experimentId()).get(0));
        assertEquals(new StoreRecord.Value(scan.path("phase_purity").asDouble(), scan.path("phase_purity_se").asDouble()),
            r.objectives().get("phase_purity"));
        var sample = lab.bench().find(r.experimentId()).orElseThrow();
        assertEquals(truth.phasePurity(sample.fractions(), sample.peakAnnealC), r.value("phase_purity"), 0.05,
            "purity follows the virtual material model");
        assertTrue(r.value("precursor_cost") > 0.5 && r.value("precursor_cost") < 6.1, r.toString());
      }
      String said = out.toString();
      assertTrue(said.contains("phase_purity = "), "each experiment's end says its objectives: " + said);
      ByteArrayOutputStream report = new ByteArrayOutputStream();
      CampaignReport.print(repo, run.campaignId(), v.spec().objectives(), new PrintStream(report, true));
      assertTrue(report.toString().contains("Pareto front (max log10_sigma25, max phase_purity, min precursor_cost)")
          && report.toString().contains("hypervolume above the reference (log10_sigma25 = -6.0, phase_purity = 0.0,"
          + " precursor_cost = 8.0)"), report.toString());
      JsonNode decision = JSON.readTree(repo.query("SELECT payload FROM campaign_event WHERE campaign_id=?"
          + " AND kind='decision' ORDER BY seq DESC", rs -> rs.getString(1), run.campaignId()).get(0));
      assertEquals(3, decision.path("noise").size(), decision.toString());
    } finally {
      lab.close();
    }
  }
}
