package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ionloop.campaign.CampaignSpec;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new kind of station is data: its instrument file names its actions, and the protocol step
 * that uses it declares which result fields are measurements. A declared measurement missing
 * from a result, or not a number, makes the result malformed (the experiment fails with the
 * field's name; the orchestrator goes on); a bad declaration is refused when the file is read.
 */
class DeclaredMeasurementsTest {
  static final Path PROTOCOL = Path.of("protocols/argyrodite-with-xrd.yaml");

  @TempDir
  Path dir;

  @Test
  void theXrdProtocolFitsTheShippedLabAndDeclaresPhasePurity() {
    InstrumentRegistry r = InstrumentRegistry.load(Path.of("instruments"));
    Map<String, InstrumentSpec> roles = new HashMap<>();
    roles.put("robot", r.find("robot-1").orElseThrow());
    roles.put("furnace", r.find("furnace-1").orElseThrow());
    roles.put("xrd", r.find("xrd-1").orElseThrow());
    roles.put("analyzer", r.find("eis-1").orElseThrow());
    ProtocolSpec p = ProtocolSpec.load(PROTOCOL);
    ProtocolValidator.validate(p, roles, CampaignSpec.load(Path.of("campaigns/argyrodite-purity.yaml")).space());
    assertEquals(Map.of("phase_purity", new ProtocolStep.Measured("phase_purity", "phase_purity", "mass fraction",
        "phase_purity_se")), p.measurements());
  }

  @Test
  void aResultWithoutItsDeclaredMeasurementIsMalformed() {
    ProtocolStep xrd = ProtocolSpec.load(PROTOCOL).steps().stream().filter(s -> s.id().equals("xrd"))
        .findFirst().orElseThrow();
    assertNull(ExperimentRunner.malformed(xrd, Map.of("phase_purity", 0.93, "phase_purity_se", 0.01)));
    assertEquals("'phase_purity' (measurement phase_purity) must be a number, got null",
        ExperimentRunner.malformed(xrd, Map.of("phase_purity_se", 0.01)));
    assertEquals("'phase_purity' (measurement phase_purity) must be a number, got high",
        ExperimentRunner.malformed(xrd, Map.of("phase_purity", "high", "phase_purity_se", 0.01)));
    assertEquals("'phase_purity_se' (standard error of phase_purity) must be a number ≥ 0, got -0.1",
        ExperimentRunner.malformed(xrd, Map.of("phase_purity", 0.9, "phase_purity_se", -0.1)));
  }

  @Test
  void badDeclarationsAreRefusedWithFileLineAndField() throws Exception {
    String text = Files.readString(PROTOCOL);
    String[][] cases = {
        {"name: phase_purity, field: phase_purity,", "name: phase purity, field: phase_purity,",
            "steps[7].measures[0].name", "must be a name of letters, digits and '_'"},
        {"std_err_field: phase_purity_se}", "std_err_field: phase_purity}",
            "steps[7].measures[0].std_err_field", "is the value's own field 'phase_purity'"},
        {"std_err_field: phase_purity_se}", "std_err_field: phase_purity_se, scale: 2}",
            "steps[7].measures[0].scale", "scale"},
        {"    timeout: PT2H\n  - id: unload", "    timeout: PT2H\n    measures: [{name: phase_purity}]\n  - id: unload",
            "steps[9].measures[0].name", "measurement 'phase_purity' is already declared (line"},
    };
    for (String[] c : cases) {
      assertTrue(text.contains(c[0]), c[0]);
      Path f = dir.resolve("p.yaml");
      Files.writeString(f, text.replace(c[0], c[1]));
      SpecException e = assertThrows(SpecException.class, () -> ProtocolSpec.load(f), c[3]);
      assertEquals(c[2], e.field(), e.getMessage());
      assertTrue(e.getMessage().startsWith(f + ":") && e.getMessage().contains(c[3]), e.getMessage());
    }
  }
}
