package org.ionloop.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ionloop.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignSpecTest {
  static final Path DEMO = Path.of("campaigns/demo.yaml");

  @TempDir
  Path dir;

  static String demoWith(String from, String to) throws Exception {
    String yaml = org.ionloop.TestCampaigns.demoCopy(); // written beside the test, not in campaigns/
    assertTrue(yaml.contains(from), "demo.yaml no longer contains '" + from + "'");
    return yaml.replace(from, to);
  }

  Path write(String yaml) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void loadsTheDemoCampaign() {
    CampaignSpec spec = CampaignSpec.load(DEMO);
    assertEquals(24, spec.experiments());
    assertEquals(4, spec.parallel());
    assertEquals(java.util.List.of("Li2S", "P2S5", "LiCl", "LiBr", "anneal_c"), spec.space().names());
    assertEquals(-6.0, spec.orientedReference()[0]);
    assertEquals(-0.65, spec.orientedReference()[1]);
  }

  @Test
  void rejectsUnknownPrecursorNamingFileLineAndField() throws Exception {
    Path f = write(demoWith("    LiBr: {min: 0.00, max: 0.45}", "    LiXx: {min: 0.00, max: 0.45}"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("design_space.precursors.LiXx", e.field());
    assertEquals(lineOf(f, "LiXx"), e.line());
    assertTrue(e.getMessage().startsWith(f + ":" + e.line() + ": field 'design_space.precursors.LiXx'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("not a chemical formula: 'LiXx' at position 3: 'Xx' is not an element"),
        e.getMessage());
  }

  @Test
  void readsConstraintsAndDiscreteLevels() throws Exception {
    Path f = write(demoWith("    - {sum: [LiCl, LiBr], max: 0.5}", "    - {sum: [LiCl, LiBr], max: 0.5}\n"
        + "    - {sum: [LiCl, LiBr], equals: 0.2}\n    - {terms: {Li2S: 1, P2S5: -2}, min: 0}")
        .replace("anneal_c: {min: 300, max: 650, unit: °C}",
            "anneal_c: {min: 300, max: 650, unit: °C, levels: [450, 500, 550]}"));
    CampaignSpec spec = CampaignSpec.load(f);
    var space = spec.space();
    assertEquals(2, space.inequalities().size());
    assertEquals(1, space.fixedSums().size());
    double[] x = space.sample(new java.util.SplittableRandom(1));
    assertTrue(space.isFeasible(x));
    assertEquals(0.2, x[2] + x[3], 1e-9);
    assertTrue(x[4] == 450 || x[4] == 500 || x[4] == 550);
  }

  @Test
  void rejectsAConstraintOnAnUnknownName() throws Exception {
    Path f = write(demoWith("- {sum: [LiCl, LiBr], max: 0.5}", "- {sum: [LiCl, LiI], max: 0.5}"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("design_space.constraints[0].sum[1]", e.field());
    assertTrue(e.getMessage().contains("'LiI' is not a precursor"), e.getMessage());
  }

  @Test
  void rejectsConstraintsThatAdmitNoComposition() throws Exception {
    Path f = write(demoWith("- {sum: [LiCl, LiBr], max: 0.5}", "- {sum: [Li2S, P2S5], max: 0.2}"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("design_space.constraints", e.field());
  }

  @Test
  void rejectsNegativeBudget() throws Exception {
    Path f = write(demoWith("experiments: 24", "experiments: -3"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("budget.experiments", e.field());
    assertEquals(lineOf(f, "experiments: -3"), e.line());
    assertTrue(e.getMessage().contains("positive"), e.getMessage());
  }

  @Test
  void readsAKnownNoiseAndRejectsANonPositiveOne() throws Exception {
    assertTrue(java.util.Arrays.stream(CampaignSpec.load(DEMO).planner().noiseSd())
        .allMatch(Double::isNaN), "the demo learns both noises");
    String known = "reference: 0.65, noise_sd: 0.02}";
    Path ok = write(demoWith("reference: 0.65}", known));
    double[] sd = CampaignSpec.load(ok).planner().noiseSd();
    assertTrue(Double.isNaN(sd[0]), "σ25's noise is still learned");
    assertEquals(0.02, sd[1]);
    Path f = write(demoWith("reference: 0.65}", "reference: 0.65, noise_sd: 0}"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertTrue(e.field().startsWith("objectives") && e.field().endsWith("noise_sd"), e.field());
    assertEquals(lineOf(f, "noise_sd: 0}"), e.line());
    assertTrue(e.getMessage().contains("standard deviation > 0"), e.getMessage());
  }

  @Test
  void readsSurrogateGuidanceAndRejectsANegativeWeight() throws Exception {
    assertEquals(0.5, CampaignSpec.load(DEMO).surrogateGuidance());
    Path f = write(demoWith("surrogate_guidance: 0.5", "surrogate_guidance: -1"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("proposer.surrogate_guidance", e.field());
    assertEquals(lineOf(f, "surrogate_guidance: -1"), e.line());
  }

  @Test
  void rejectsBrokenYamlWithItsLine() throws Exception {
    Path f = write(demoWith("  parallel: 4", "  parallel: [4"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("(syntax)", e.field());
    assertTrue(e.line() >= lineOf(f, "parallel: [4"), "line " + e.line());
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  @Test
  void rejectsBoundsThatAdmitNoComposition() throws Exception {
    Path f = write(demoWith("Li2S: {min: 0.30, max: 0.80}", "Li2S: {min: 0.97, max: 0.99}"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("design_space.precursors", e.field());
  }

  @Test
  void rejectsUnknownFieldsSoTyposDoNotPassSilently() throws Exception {
    Path f = write(demoWith("budget:", "budgte: {experiments: 1}\nbudget:"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("budgte", e.field());
  }

  @Test
  void rejectsMissingFile() {
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(dir.resolve("nope.yaml")));
    assertTrue(e.getMessage().contains("file not found"));
  }

  static int lineOf(Path f, String text) throws Exception {
    var lines = Files.readAllLines(f);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + f);
  }
}
