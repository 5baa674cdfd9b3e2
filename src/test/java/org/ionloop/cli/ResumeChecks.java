package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.ionloop.sim.VirtualBench;
import org.ionloop.store.CampaignRepository;

/**
 * What a campaign resumed after its orchestrator was killed must show, in the store and on the
 * devices: shared by the crash-resume tests (one process killed and started again) and the
 * cluster failover test (a node killed, the campaign moved to another).
 */
final class ResumeChecks {
  private ResumeChecks() {}

  /** Every experiment of the budget stored once and ended, every measurement and spectrum kept. */
  static void assertEveryExperimentOnce(CampaignRepository repo, String campaignId, int budget) {
    assertEquals(budget, repo.count("experiment", campaignId), "every experiment once");
    List<Integer> seqNos = repo.query("SELECT seq_no FROM experiment WHERE campaign_id=? ORDER BY seq_no",
        rs -> rs.getInt(1), campaignId);
    assertEquals(IntStream.rangeClosed(1, budget).boxed().toList(), seqNos);
    long unfinished = repo.query("SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND state='RUNNING'",
        rs -> rs.getLong(1), campaignId).get(0);
    assertEquals(0, unfinished);
    List<String> failures = repo.query("SELECT failure FROM experiment WHERE campaign_id=? AND state='FAILED'",
        rs -> rs.getString(1), campaignId);
    assertTrue(failures.stream().noneMatch(f -> f.contains("STATION_OCCUPIED") || f.contains("take back")),
        "the resumption put no sample in an occupied station: " + failures);
    long results = repo.count("result", campaignId);
    assertEquals(4 * results, repo.count("measurement", campaignId), "no measurement lost or doubled");
    List<Long> spectraPerResult = repo.query("SELECT COUNT(*) FROM spectrum s JOIN result r ON"
        + " r.experiment_id=s.experiment_id WHERE r.campaign_id=? GROUP BY s.experiment_id",
        rs -> rs.getLong(1), campaignId);
    assertTrue(spectraPerResult.stream().allMatch(n -> n == 4), "4 raw spectra per result: " + spectraPerResult);
  }

  /**
   * The devices' own record of what they did: no physical step twice, one dispense per
   * experiment.
   *
   * @param context what to print when it fails (logs, the command timeline)
   */
  static VirtualBench assertNoPhysicalStepTwice(Path benchDir, int budget, Supplier<String> context) {
    VirtualBench bench = VirtualBench.sharedIn(benchDir);
    Map<String, Long> repeated = bench.repeatedSteps();
    assertTrue(repeated.isEmpty(), () -> "physical steps done twice: " + repeated + "\n" + context.get()
        + "\n--- physical steps:\n" + String.join("\n", bench.executions().stream().map(Object::toString).toList()));
    assertEquals(budget, bench.executions("robot-1", "dispense"), "one dispense per experiment");
    return bench;
  }

  /** Every command and reply of the campaign in log order, compactly, for a failure message. */
  static String commandsOf(CampaignRepository repo, String campaignId) {
    StringBuilder b = new StringBuilder("--- commands:\n");
    for (var r : repo.timeline(campaignId)) {
      if (r.kind().equals("command_sent") || r.kind().equals("reply_received")
          || r.kind().startsWith("campaign_state") || r.kind().equals("experiment_ended")) {
        String p = r.payload().replaceAll("\"points\":\\[.*?\\]\\]", "\"points\":[…]");
        b.append(r.seq()).append(' ').append(r.ts().toString(), 11, 23).append(' ')
            .append(r.kind()).append(' ').append(p, 0, Math.min(160, p.length())).append('\n');
      }
    }
    return b.toString();
  }
}
