package org.ionloop.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure longer than the experiment table's column (an experiment denied a station of a
 * sixty-furnace pool, each listed with why it is out): the write used to be refused, and the
 * store kept retrying the batch, so the campaign never stored another record. Now the column
 * holds the reason cut short, saying so, and the event log holds all of it.
 */
class LongFailureTest {
  @TempDir
  Path dir;

  @Test
  void aFailureLongerThanItsColumnIsStoredCutShortAndWholeInTheLog() {
    CampaignRepository repo = new CampaignRepository(Database.open(Database.h2FileUrl(dir.resolve("db"))));
    repo.append(new StoreRecord.CampaignCreated("c1", "one", "one.yaml", "x: 1", 1, Instant.now()));
    repo.append(new StoreRecord.CandidateChosen("c1", "c1-e001-c", Map.of("a", 0.1), "m", 0.5, Map.of(), Instant.now()));
    repo.append(new StoreRecord.ExperimentStarted("c1", "c1-e001", "c1-e001-c", 1, Instant.now()));
    StringBuilder why = new StringBuilder("no furnace available: every station of the pool is out of service:");
    for (int k = 1; k <= 60; k++) {
      why.append(" furnace-").append(k).append(" (an experiment failed while holding it; its sample may still be inside),");
    }
    String failure = why.toString();
    assertTrue(failure.length() > 5000, "longer than the column: " + failure.length());

    repo.append(new StoreRecord.ExperimentEnded("c1", "c1-e001", "FAILED", failure, Instant.now()));
    repo.append(new StoreRecord.CandidateChosen("c1", "c1-e002-c", Map.of("a", 0.2), "m", 0.5, Map.of(), Instant.now()));
    repo.append(new StoreRecord.ExperimentStarted("c1", "c1-e002", "c1-e002-c", 2, Instant.now()));

    String stored = repo.query("SELECT failure FROM experiment WHERE id='c1-e001'", rs -> rs.getString(1)).get(0);
    assertTrue(stored.length() <= CampaignRepository.FAILURE_CHARS, "fits its column: " + stored.length());
    assertTrue(stored.startsWith(failure.substring(0, 1500)), stored);
    int kept = stored.indexOf(" … (");
    assertEquals(" … (" + (failure.length() - kept) + " more characters in the campaign log)", stored.substring(kept));
    assertEquals(List.of("FAILED", "RUNNING"), repo.query("SELECT state FROM experiment ORDER BY id", rs -> rs.getString(1)),
        "the store went on after the long failure");
    assertTrue(repo.timeline("c1").stream().anyMatch(e -> e.payload().contains("furnace-60 (an experiment failed")),
        "the campaign log has the whole reason");
  }
}
