package org.ionloop.proposer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-data training table is what models/training/prepare_real_data.py makes of OBELiX and
 * the Liverpool table: its formula reader takes both tables' notations (nested brackets,
 * oxide sums, hydrates) and refuses what is not a formula, and running it again on the shared
 * data gives the committed table byte for byte.
 */
class RealDataPreparationTest {
  static final Path SCRIPT = Path.of("models/training/prepare_real_data.py");
  static final Path TABLE = Path.of("models/training/sse-real.csv");
  static final Path SHARED = Path.of("../shared/data/sse-conductivity");

  @TempDir
  Path dir;

  static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running: " + command);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void theFormulaReaderTakesBothTablesNotationsAndRefusesTheRest() throws Exception {
    assertTrue(run(List.of("/usr/bin/python3", SCRIPT.toString(), "--self-test")).contains("self-test passed"));
  }

  @Test
  void theCommittedTableIsWhatTheScriptMakesOfTheSharedData() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(SHARED), "the shared data folder " + SHARED + " is not on this machine");
    Path out = dir.resolve("sse-real.csv");
    String said = run(List.of("/usr/bin/python3", SCRIPT.toString(), "--data", SHARED.toString(), "--out", out.toString()));
    assertTrue(said.contains("0 refused"), said);
    assertEquals(Files.readString(TABLE), Files.readString(out));
    List<String> rows = Files.readAllLines(TABLE).stream().filter(l -> !l.startsWith("#")).toList();
    assertTrue(rows.get(0).startsWith("split,sources,family,formula,temperature_c,log10_sigma,censored,n,Li,"), rows.get(0));
    assertEquals(1139, rows.size() - 1, said);
  }
}
