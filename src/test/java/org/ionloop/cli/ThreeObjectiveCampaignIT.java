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
 * The shipped three-objective campaigns end to end on the virtual lab, shortened to 6
 * experiments. campaigns/argyrodite-purity.yaml takes its objectives from three kinds of source
 * (conductivity from the spectra, phase purity from the simulated XRD station's result as the
 * protocol declares it, precursor cost from the catalogue): each result carries all three, the
 * stored purity is the station's own reading and follows the material model, and the summary
 * speaks of the campaign's objectives. campaigns/halide-chlorides.yaml is a chemistry no code
 * names (LiCl, YCl3, InCl3, ZrCl4, dispensed by formula), run by the planner alone.
 */
class ThreeObjectiveCampaignIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** A shipped campaign, 6 experiments 3 at a time, written beside the test. */
  Path shortened(String file) throws Exception {
    String yaml = Files.readString(Path.of("campaigns", file))
        .replace("protocol: ../protocols/", "protocol: " + TestCampaigns.PROTOCOLS + "/")
        .replace("experiments: 24", "experiments: 6").replace("parallel: 4", "parallel: 3")
        .replace("initial_points: 6", "initial_points: 3");
    Path campaign = dir.resolve(file);
    Files.writeString(campaign, yaml);
    return campaign;
  }

  @Test
  void chloridesTheCodeNeverNamedRunOnThePlannerAlone() throws Exception {
    CampaignLauncher.Validated v = CampaignLauncher.validate(shortened("halide-chlorides.yaml"),
        InstrumentRegistry.load(Path.of("instruments"))).onLabClock(2e-5);
    String url = "jdbc:h2:file:" + dir.resolve("halide").toAbsolutePath();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (VirtualLab lab = new VirtualLab(2e-5, 13)) {
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      CampaignLauncher.Run run = CampaignLauncher.run(v, lab.brokerUrl(), url, new PrintStream(out, true));
      TestCampaigns.assertCompleted(run.state(), out.toString());
      assertTrue(out.toString().contains("no proposer model: the planner alone"), out.toString());
      CampaignRepository repo = new CampaignRepository(Database.open(url));
      List<CampaignRepository.ResultRow> results = repo.results(run.campaignId());
      assertTrue(results.size() >= 4, "too many cracked pellets: " + out);
      for (CampaignRepository.ResultRow r : results) {
        var sample = lab.bench().find(r.experimentId()).orElseThrow();
        assertTrue(sample.fractions().keySet().containsAll(List.of("LiCl", "YCl3", "InCl3", "ZrCl4")),
            "dispensed by formula: " + sample.fractions());
        double truth = sample.truth().log10Sigma25();
        assertEquals(truth, r.value("log10_sigma25"), Math.log10(1.05) + 0.01, "σ25 of " + r.experimentId());
        assertEquals(sample.truth().eaEv(), r.value("ea_ev"), 0.02, "Ea of " + r.experimentId());
      }
    }
  }

  @Test
  void aCampaignOptimisesConductivityPhasePurityAndCost() throws Exception {
    Path campaign = shortened("argyrodite-purity.yaml");
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
