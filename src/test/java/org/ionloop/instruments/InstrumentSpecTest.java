package org.ionloop.instruments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ionloop.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstrumentSpecTest {
  @TempDir
  Path dir;

  @Test
  void loadsEveryShippedInstrument() {
    InstrumentRegistry r = InstrumentRegistry.load(Path.of("instruments"));
    assertEquals(java.util.Set.of("robot-1", "xrd-1", "furnace-1", "furnace-2", "eis-1"), r.all().keySet());
    assertEquals("impedance-v1", r.find("eis-1").orElseThrow().modbus().profile());
  }

  @Test
  void reportsUndeclaredAndMissingParameters() {
    InstrumentSpec robot = InstrumentSpec.load(Path.of("instruments/robot-1.yaml"));
    assertTrue(robot.violation("mill", Map.of("sample_id", "s", "rpm", 500)).orElseThrow()
        .contains("'minutes' is required"));
    assertTrue(robot.violation("mill", Map.of("sample_id", "s", "rpm", 500, "minutes", 5, "speed", 1))
        .orElseThrow().contains("'speed' is not declared"));
    assertTrue(robot.violation("fly", Map.of()).orElseThrow().contains("does not offer"));
    assertTrue(robot.violation("mill", Map.of("sample_id", "s", "rpm", 500, "minutes", 5)).isEmpty());
  }

  @Test
  void badTransportNamesTheField() throws Exception {
    Path f = dir.resolve("x.yaml");
    Files.writeString(f, "version: 1\nid: x\ntransport: canbus\nactions: {}\n");
    SpecException e = assertThrows(SpecException.class, () -> InstrumentSpec.load(f));
    assertEquals("transport", e.field());
    assertEquals(3, e.line());
  }
}
