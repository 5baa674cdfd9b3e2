package org.ionloop.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An orchestrator that died after storing a candidate and before starting its experiment: the
 * resumed campaign chooses again for that experiment, and the new choice replaces the one that
 * never ran (it used to fail on the candidate's key and keep the campaign paused). A candidate
 * whose experiment started is never replaced.
 */
class ChoiceAgainAfterCrashTest {
  @TempDir
  Path dir;

  @Test
  void aChoiceThatNeverRanGivesWayAndOneThatRanStays() {
    CampaignRepository repo = new CampaignRepository(Database.open(Database.h2FileUrl(dir.resolve("db"))));
    repo.append(new StoreRecord.CampaignCreated("c1", "one", "one.yaml", "x: 1", 1, Instant.now()));
    repo.append(new StoreRecord.CandidateChosen("c1", "c1-e001-c", Map.of("a", 0.1), "m", 0.5, Map.of(), Instant.now()));
    repo.append(new StoreRecord.CandidateChosen("c1", "c1-e001-c", Map.of("a", 0.7), "m", 0.4, Map.of(), Instant.now()));
    List<String> x = repo.query("SELECT x FROM candidate WHERE id='c1-e001-c'", rs -> rs.getString(1));
    assertEquals(1, x.size());
    assertEquals(true, x.get(0).contains("0.7"), x.get(0));
    repo.append(new StoreRecord.ExperimentStarted("c1", "c1-e001", "c1-e001-c", 1, Instant.now()));
    assertThrows(RuntimeException.class, () -> repo.append(new StoreRecord.CandidateChosen("c1", "c1-e001-c",
        Map.of("a", 0.9), "m", 0.3, Map.of(), Instant.now())));
  }
}
