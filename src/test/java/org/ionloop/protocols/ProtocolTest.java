package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolTest {
  static final Path PROTOCOL = Path.of("protocols/argyrodite-solid-state.yaml");

  @TempDir
  Path dir;

  static Map<String, InstrumentSpec> roles() {
    InstrumentRegistry r = InstrumentRegistry.load(Path.of("instruments"));
    Map<String, InstrumentSpec> m = new HashMap<>();
    m.put("robot", r.find("robot-1").orElseThrow());
    m.put("furnace", r.find("furnace-1").orElseThrow());
    m.put("analyzer", r.find("eis-1").orElseThrow());
    return m;
  }

  @Test
  void theShippedProtocolFitsTheShippedLab() {
    ProtocolSpec p = ProtocolSpec.load(PROTOCOL);
    ProtocolValidator.validate(p, roles(), CampaignSpec.load(Path.of("campaigns/demo.yaml")).space());
    assertEquals(9, p.steps().size());
    assertEquals(java.util.List.of(25.0, 50.0, 75.0, 100.0), p.steps().get(7).temperaturesC());
  }

  @Test
  void onASimulatedLabClockDeadlinesCompressButNotBelowTheFloor() {
    ProtocolSpec real = ProtocolSpec.load(PROTOCOL);
    ProtocolSpec fast = real.onLabClock(1e-3, java.time.Duration.ofSeconds(10));
    // anneal: PT12H × 1e-3 = 43.2 s; dispense: PT30M × 1e-3 = 1.8 s, held at the 10 s floor.
    assertEquals(java.time.Duration.ofMillis(43_200), fast.steps().get(5).timeout());
    assertEquals(java.time.Duration.ofSeconds(10), fast.steps().get(0).timeout());
    assertEquals(real.steps().get(5).params(), fast.steps().get(5).params());
    assertEquals(real, real.onLabClock(1, java.time.Duration.ofSeconds(10)), "real time: unchanged");
  }

  @Test
  void aDesignSpaceThatCanExceedTheFurnaceLimitIsRefused() {
    DesignSpace hot = new DesignSpace(CampaignSpec.load(Path.of("campaigns/demo.yaml")).space().precursors(),
        java.util.List.of(new DesignSpace.Range("anneal_c", "°C", 300, 800)));
    SpecException e = assertThrows(SpecException.class,
        () -> ProtocolValidator.validate(ProtocolSpec.load(PROTOCOL), roles(), hot));
    assertEquals("steps[5].params.setpoint_c", e.field());
    assertTrue(e.getMessage().contains("safety limit [25.0, 700.0] of furnace-1"), e.getMessage());
  }

  @Test
  void aLiteralBeyondTheLimitIsRefusedWithItsLine() throws Exception {
    String yaml = Files.readString(PROTOCOL).replace("ramp_c_per_min: 5", "ramp_c_per_min: 50");
    Path f = dir.resolve("p.yaml");
    Files.writeString(f, yaml);
    SpecException e = assertThrows(SpecException.class, () -> ProtocolValidator.validate(
        ProtocolSpec.load(f), roles(), CampaignSpec.load(Path.of("campaigns/demo.yaml")).space()));
    assertEquals("steps[5].params.ramp_c_per_min", e.field());
    assertTrue(e.line() > 0 && Files.readAllLines(f).get(e.line() - 1).contains("- id: anneal"));
  }

  @Test
  void massesFollowMolarMasses() {
    // Li6PS5Cl: 5 Li2S + P2S5 + 2 LiCl → mole fractions 5/8, 1/8, 2/8; 1000 mg batch.
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("Li2S", 0.625);
    f.put("P2S5", 0.125);
    f.put("LiCl", 0.25);
    Map<String, Double> m = StepParameters.masses(f, 1000);
    // Molar masses from IUPAC 2021 abridged weights: Li 6.94, P 30.974, S 32.06, Cl 35.45.
    double total = 5 * 45.94 + 222.248 + 2 * 42.39;
    assertEquals(Math.round(1000 * 5 * 45.94 / total * 100) / 100.0, m.get("Li2S"));
    assertEquals(Math.round(1000 * 222.248 / total * 100) / 100.0, m.get("P2S5"));
    assertEquals(1000, m.values().stream().mapToDouble(Double::doubleValue).sum(), 0.02);
  }

  @Test
  void unknownReferencesAreNamed() {
    var ctx = new StepParameters.Context("s", Map.of(), Map.of(), 1000, Map.of(), null);
    var e = assertThrows(IllegalArgumentException.class,
        () -> StepParameters.resolve(Map.of("x", "${candidate.nope}"), ctx));
    assertEquals("unknown reference ${candidate.nope}", e.getMessage());
  }
}
