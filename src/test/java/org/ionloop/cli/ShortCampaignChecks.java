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
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short campaign through every real component: ONNX proposer, GP planner, Paho ↔ in-process
 * broker ↔ simulated robot, j2mod ↔ simulated furnace and analyzer, and a store (an H2 file in
 * {@link ShortCampaignIT}, a PostgreSQL server in {@link ShortCampaignPostgresIT}). Asserts what
 * was stored, that stored conductivities match the virtual lab's truth, and that the campaign's
 * state rebuilt from its event log alone equals the tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShortCampaignChecks {
  @TempDir
  static Path dir;
  CampaignRepository repo;
  CampaignLauncher.Run run;
  VirtualLab lab;
  String output;

  /** JDBC URL of the store to run on. */
  abstract String storeUrl() throws Exception;

  @BeforeAll
  void runCampaign() throws Exception {
    String yaml = TestCampaigns.demoCopy()
        .replace("experiments: 24", "experiments: 6").replace("parallel: 4", "parallel: 3")
        .replace("initial_points: 6", "initial_points: 3");
    Path campaign = dir.resolve("short.yaml");
    Files.writeString(campaign, yaml);
    CampaignLauncher.Validated v = CampaignLauncher.validate(campaign,
        InstrumentRegistry.load(Path.of("instruments"))).onLabClock(2e-5);
    String url = storeUrl();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    lab = new VirtualLab(2e-5, 7);
    try {
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      run = CampaignLauncher.run(v, lab.brokerUrl(), url, new PrintStream(out, true));
    } finally {
      lab.close();
    }
    output = out.toString();
    repo = new CampaignRepository(Database.open(url));
  }

  @Test
  void completesItsBudget() {
    org.ionloop.TestCampaigns.assertCompleted(run.state(), output);
    assertEquals(6, repo.count("experiment", run.campaignId()));
    assertEquals(6, repo.count("candidate", run.campaignId()));
    assertTrue(output.contains("6/6"), output);
  }

  @Test
  void storesEveryCommandReplySpectrumAndResult() {
    String id = run.campaignId();
    long results = repo.count("result", id);
    long failed = repo.query("SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND state='FAILED'",
        rs -> rs.getLong(1), id).get(0);
    assertEquals(6, results + failed);
    assertTrue(results >= 4, "too many failed syntheses: " + failed);
    assertEquals(4 * results, repo.count("spectrum", id), "four temperatures per result");
    assertEquals(4 * results, repo.count("measurement", id));
    long unanswered = repo.query("SELECT COUNT(*) FROM step s JOIN experiment e ON e.id=s.experiment_id"
        + " WHERE e.campaign_id=? AND s.state='SENT'", rs -> rs.getLong(1), id).get(0);
    assertEquals(0, unanswered, "every command has its reply");
    assertTrue(repo.count("step", id) >= 12 * results, "12 commands per finished experiment");
  }

  @Test
  void everyDecisionNamesItsModelVersionAndAcquisitionValue() {
    List<String> decisions = repo.query("SELECT payload FROM campaign_event WHERE campaign_id=? AND"
        + " kind='decision'", rs -> rs.getString(1), run.campaignId());
    assertEquals(6, decisions.size());
    decisions.forEach(d -> {
      assertTrue(d.contains("\"model_version\":\"diffusion-v1\""), d);
      assertTrue(d.contains("\"acquisition\":"), d);
    });
    assertTrue(decisions.stream().anyMatch(d -> d.contains("qNEHVI")), "the GP planner decided at least once");
    // A reviewer sees what measurement noise the surrogates assumed, and that it was learned.
    decisions.stream().filter(d -> d.contains("qNEHVI")).forEach(d -> {
      assertTrue(d.contains("\"noise_sd\":["), d);
      assertTrue(d.contains("\"noise\":[\"learned\",\"learned\"]"), d);
    });
  }

  @Test
  void storedConductivityMatchesTheVirtualLabsTruthWithinFivePercent() {
    List<double[]> rows = repo.query("SELECT r.log10_sigma25, e.id FROM result r JOIN experiment e"
        + " ON e.id=r.experiment_id WHERE r.campaign_id=?", rs -> new double[] {rs.getDouble(1),
            truthOf(rs.getString(2))}, run.campaignId());
    assertTrue(rows.size() >= 4);
    for (double[] r : rows) {
      double measured = Math.pow(10, r[0]);
      double truth = Math.pow(10, r[1]);
      assertEquals(truth, measured, 0.05 * truth, "σ25 measured " + measured + " vs truth " + truth);
    }
  }

  double truthOf(String experimentId) {
    return lab.bench().find(experimentId).orElseThrow().truth().log10Sigma25();
  }

  @Test
  void theStateRebuiltFromTheEventLogAloneMatchesTheTables() {
    String id = run.campaignId();
    CampaignHistory history = CampaignHistory.load(repo, id);
    org.ionloop.TestCampaigns.assertCompleted(history.state());
    assertTrue(history.specYaml().contains("experiments: 6"), "the log holds the campaign file");
    assertTrue(history.unfinished().isEmpty());
    List<String> tableStates = repo.query("SELECT id, state FROM experiment WHERE campaign_id=? ORDER BY seq_no",
        rs -> rs.getString(1) + "=" + rs.getString(2), id);
    assertEquals(tableStates, history.experiments().stream().map(e -> e.id() + "=" + e.state()).toList());
    List<String> tableSteps = repo.query("SELECT s.command_id, s.state FROM step s JOIN experiment e"
        + " ON e.id=s.experiment_id WHERE e.campaign_id=? ORDER BY s.command_id",
        rs -> rs.getString(1) + "=" + rs.getString(2), id);
    List<String> loggedSteps = history.experiments().stream().flatMap(e -> e.commands().values().stream())
        .map(c -> c.commandId() + "=" + c.state()).sorted().toList();
    assertEquals(tableSteps, loggedSteps);
    List<String> tableResults = repo.query("SELECT experiment_id, name, val FROM objective_value"
        + " WHERE campaign_id=? ORDER BY experiment_id, name",
        rs -> rs.getString(1) + ":" + rs.getString(2) + "=" + rs.getDouble(3), id);
    assertEquals(tableResults, history.experiments().stream().filter(CampaignHistory.ExperimentRecord::hasResult)
        .flatMap(e -> e.objectives().entrySet().stream().map(o -> e.id() + ":" + o.getKey() + "=" + o.getValue().value()))
        .sorted().toList());
    List<String> tableCandidates = repo.query("SELECT e.id, c.x FROM experiment e JOIN candidate c"
        + " ON c.id=e.candidate_id WHERE e.campaign_id=? ORDER BY e.seq_no", rs -> rs.getString(1), id);
    assertEquals(tableCandidates.size(), history.experiments().stream().filter(e -> e.x().size() == 5).count(),
        "every experiment's candidate (4 fractions + anneal) is in the log");
  }

  @Test
  void theTimelineCanBePrintedFromTheDatabaseAlone() {
    var timeline = repo.timeline(run.campaignId());
    assertEquals("campaign_created", timeline.get(0).kind());
    assertEquals("campaign_state_changed", timeline.get(timeline.size() - 1).kind());
    assertTrue(timeline.get(timeline.size() - 1).payload().contains("COMPLETED"));
  }
}
