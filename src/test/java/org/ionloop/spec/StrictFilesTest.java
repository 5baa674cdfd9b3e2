package org.ionloop.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ionloop.protocols.ProtocolSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strictness YAML itself lacks: repeated keys, wrapping numbers, huge files, overflowing durations. */
class StrictFilesTest {
  static final Path PROTOCOL = Path.of("protocols/argyrodite-solid-state.yaml");
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"1e309", "1.0e+309", "-.inf", ".nan", "0", "-5", "PT-5M", "P99999999999D",
      "PT9999999999999999999H", "P400D", "forever", "[PT1H]"})
  void aStepTimeoutThatIsNotASensibleDurationIsRefusedNamingItsLine(String timeout) throws Exception {
    Path f = dir.resolve("p.yaml");
    Files.writeString(f, Files.readString(PROTOCOL).replaceFirst("timeout: PT30M", "timeout: " + timeout));
    SpecException e = assertThrows(SpecException.class, () -> ProtocolSpec.load(f));
    assertTrue(e.field().endsWith(".timeout"), e.getMessage());
    assertTrue(e.line() > 0, e.getMessage());
  }

  @Test
  void aRepeatedSafetyLimitIsAnErrorNamingBothLines() throws Exception {
    Path f = dir.resolve("furnace.yaml");
    Files.writeString(f, "version: 1\nid: f\nlimits:\n  setpoint_c: {max: 700}\n  ramp: 5\n  setpoint_c: {max: 5000}\n");
    SpecException e = assertThrows(SpecException.class, () -> SpecDocument.read(f));
    assertEquals(6, e.line());
    assertEquals("limits.setpoint_c", e.field());
    assertTrue(e.getMessage().contains("first at line 4"), e.getMessage());
  }

  @Test
  void aRepeatedKeyInsideAFlowMappingToo() throws Exception {
    Path f = dir.resolve("flow.yaml");
    Files.writeString(f, "a: {min: 1, max: 700, max: 5000}\n");
    SpecException e = assertThrows(SpecException.class, () -> SpecDocument.read(f));
    assertEquals("a.max", e.field());
  }

  @Test
  void integersOutOfRangeAreRefusedNotWrapped() throws Exception {
    Path f = dir.resolve("n.yaml");
    Files.writeString(f, "small: 4294967297\nhuge: 123456789012345678901234567890\n");
    SpecNode root = SpecDocument.read(f).root();
    SpecException wrap = assertThrows(SpecException.class, () -> root.requiredInt("small"));
    assertTrue(wrap.getMessage().contains("out of range"), wrap.getMessage());
    assertEquals(4294967297L, root.requiredLong("small"));
    assertThrows(SpecException.class, () -> root.requiredLong("huge"));
  }

  @Test
  void aHugeFileIsRefusedAtOnceWithItsSize() throws Exception {
    Path f = dir.resolve("big.yaml");
    Files.writeString(f, "version: 1\ndescription: \"" + "x".repeat(50_000_000) + "\"\n");
    SpecException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        assertThrows(SpecException.class, () -> SpecDocument.read(f)));
    assertTrue(e.getMessage().contains("limited to 1,000,000 bytes"), e.getMessage());
  }

  @Test
  void aBillionLaughsIsRefused() throws Exception {
    StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    Path f = dir.resolve("laughs.yaml");
    Files.writeString(f, y.toString());
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(SpecException.class, () -> SpecDocument.read(f)));
  }
}
