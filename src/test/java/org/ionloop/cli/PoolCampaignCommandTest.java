package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code campaign pool}: what it seeks is said, and a bad --value is refused before anything runs. */
class PoolCampaignCommandTest {
  private static final String POOL = "src/test/resources/pools/p3ht.csv";

  private static String run(int[] code, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrintStream both = new PrintStream(out, true);
      System.setOut(both);
      System.setErr(both);
      code[0] = Main.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return out.toString();
  }

  @Test
  void seeksTheRecordedValuesUnlessToldTheProperty() {
    int[] code = new int[1];
    String recorded = run(code, "campaign", "pool", POOL, "--objective", "conductivity_measured_s_cm",
        "--budget", "8", "--q", "2");
    assertEquals(0, code[0], recorded);
    assertTrue(recorded.contains("seeking the best recorded values"), recorded);
    assertEquals(8, recorded.lines().filter(l -> l.startsWith("[")).count(), recorded);
    String property = run(code, "campaign", "pool", POOL, "--objective", "conductivity_measured_s_cm",
        "--budget", "8", "--q", "2", "--value", "property");
    assertEquals(0, code[0], property);
    assertTrue(property.contains("seeking the best property"), property);
  }

  @Test
  void anUnknownValueIsRefusedWithWhatItMayBe() {
    int[] code = new int[1];
    String out = run(code, "campaign", "pool", POOL, "--objective", "conductivity_measured_s_cm", "--value", "best");
    assertEquals(2, code[0], out);
    assertTrue(out.contains("--value must be 'recorded' or 'property', got 'best'"), out);
    assertTrue(List.of(out.split("\n")).stream().noneMatch(l -> l.startsWith("[")), out);
  }
}
