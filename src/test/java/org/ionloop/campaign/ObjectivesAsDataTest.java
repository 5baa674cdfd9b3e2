package org.ionloop.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ionloop.analysis.eis.ArrheniusFit;
import org.ionloop.spec.SpecException;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign's objectives are its own: any number of them, each computed from a named source,
 * and every objective without something behind it is refused when the file is read, naming the
 * file, line and field.
 */
class ObjectivesAsDataTest {
  static final Path PURITY = Path.of("campaigns/argyrodite-purity.yaml");

  @TempDir
  Path dir;

  String purityCopy() throws Exception {
    return Files.readString(PURITY).replace("protocol: ../protocols/",
        "protocol: " + org.ionloop.TestCampaigns.PROTOCOLS + "/");
  }

  Path write(String yaml) throws Exception {
    Path f = dir.resolve("objectives.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  static int lineOf(Path f, String text) throws Exception {
    List<String> lines = Files.readAllLines(f);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + f);
  }

  @Test
  void threeObjectivesFromThreeKindsOfSource() {
    CampaignSpec spec = CampaignSpec.load(PURITY);
    assertEquals(List.of("log10_sigma25", "phase_purity", "precursor_cost"),
        spec.objectives().stream().map(Objective::name).toList());
    assertEquals(new ObjectiveSource.Conductivity(25), spec.objectives().get(0).source());
    assertEquals(new ObjectiveSource.Measurement("phase_purity"), spec.objectives().get(1).source());
    assertInstanceOf(ObjectiveSource.PrecursorCost.class, spec.objectives().get(2).source());
    assertEquals(List.of(-6.0, 0.0, -8.0), java.util.Arrays.stream(spec.orientedReference()).boxed().toList());
  }

  @Test
  void campaignFilesWrittenBeforeObjectivesWereDataKeepTheirMeaning() {
    CampaignSpec spec = CampaignSpec.load(Path.of("campaigns/demo.yaml"));
    assertEquals(new ObjectiveSource.Conductivity(25), spec.objectives().get(0).source());
    assertInstanceOf(ObjectiveSource.ActivationEnergy.class, spec.objectives().get(1).source());
  }

  @Test
  void anObjectiveOnAMeasurementNoStepDeclaresIsRefused() throws Exception {
    Path f = write(purityCopy().replace("measurement: phase_purity,", "measurement: phase_fraction,"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("objectives[1].measurement", e.field());
    assertEquals(lineOf(f, "phase_fraction"), e.line());
    assertTrue(e.getMessage().contains("objective 'phase_purity' is computed from measurement 'phase_fraction',"
        + " which no step of protocol") && e.getMessage().contains("(declared: phase_purity)"), e.getMessage());
  }

  @Test
  void conductivityAndEaNeedSpectraAtTwoTemperatures() throws Exception {
    Path protocol = dir.resolve("one-temperature.yaml");
    Files.writeString(protocol, Files.readString(Path.of("protocols/argyrodite-with-xrd.yaml"))
        .replace("temperatures_c: [25, 50, 75, 100]", "temperatures_c: [25]"));
    Path f = write(purityCopy().replaceAll("protocol: .*", "protocol: " + protocol));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("objectives[0].name", e.field());
    assertTrue(e.getMessage().contains("from an Arrhenius fit, but protocol " + protocol
        + " measures impedance at 1 temperature(s)"), e.getMessage());
  }

  @Test
  void aCostNeedsEveryPrecursorsPrice() throws Exception {
    Path f = write(purityCopy().replace(", price_per_g: 1.60}", "}"));
    SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f));
    assertEquals("objectives[2].name", e.field());
    assertTrue(e.getMessage().contains("but LiBr has no price_per_g"), e.getMessage());
  }

  @Test
  void badObjectivesEachGetTheirOwnError() throws Exception {
    String base = purityCopy();
    Object[][] cases = {
        {base.replace("name: phase_purity, from: measurement, measurement: phase_purity,",
            "name: log10_sigma25, from: measurement, measurement: phase_purity,"), "objectives[1].name",
            "objective 'log10_sigma25' is already listed (line"},
        {base.replace("name: precursor_cost, from: precursor_cost,", "name: lithium, from: element_fraction, element: Lq,"),
            "objectives[2].element", "'Lq' is not an element symbol"},
        {base.replace("name: precursor_cost, from: precursor_cost,", "name: sulfur, from: element_fraction, element: Fe,"),
            "objectives[2].element", "no precursor contains Fe"},
        {base.replace("name: precursor_cost, from: precursor_cost,", "name: toughness,"),
            "objectives[2]", "objective 'toughness' needs 'from'"},
        {base.replace("name: precursor_cost, from: precursor_cost,", "name: toughness, from: vibes,"),
            "objectives[2].from", "unknown source 'vibes'"},
        {base.replace("from: conductivity, temperature_c: 25,", "from: conductivity, temperature_c: 900,"),
            "objectives[0].temperature_c", "must be a cell temperature in −50..400 °C"},
        {base.replace("from: precursor_cost,", "from: precursor_cost, element: Li,"),
            "objectives[2].element", "does not apply to 'from: precursor_cost'"},
        {base.replace("name: precursor_cost,", "name: precursor cost,"),
            "objectives[2].name", "must be a name of letters, digits and '_'"},
    };
    for (Object[] c : cases) {
      Path f = write((String) c[0]);
      SpecException e = assertThrows(SpecException.class, () -> CampaignSpec.load(f), (String) c[2]);
      assertEquals(c[1], e.field(), e.getMessage());
      assertTrue(e.getMessage().startsWith(f + ":") && e.getMessage().contains((String) c[2]), e.getMessage());
    }
  }

  @Test
  void costAndElementFractionComeFromTheCatalogue() {
    CampaignSpec spec = CampaignSpec.load(PURITY);
    ObjectiveValues values = spec.results();
    // Li6PS5Cl from 5 Li2S + 1 P2S5 + 2 LiCl, as mole fractions 5/8, 1/8, 2/8.
    Map<String, Double> x = Map.of("Li2S", 0.625, "P2S5", 0.125, "LiCl", 0.25, "LiBr", 0.0);
    double li2s = 5 * 45.95, p2s5 = 1 * 222.27, licl = 2 * 42.39; // g per 8 mol of mixture
    double expected = (li2s * 6.10 + p2s5 * 1.20 + licl * 0.55) / (li2s + p2s5 + licl);
    assertEquals(expected, values.costPerGram(x), 0.01);
    // Atoms: 5·3 + 1·7 + 2·2 = 26, lithium 5·2 + 2·1 = 12.
    assertEquals(12.0 / 26.0, values.elementFraction("Li", x), 1e-9);
    assertEquals(10.0 / 26.0, values.elementFraction("S", x), 1e-9); // 5·1 + 1·5
  }

  @Test
  void valuesFollowTheirSourceAndAMissingMeasurementIsSaidByName() {
    CampaignSpec spec = CampaignSpec.load(PURITY);
    double[] t = {25, 50, 75, 100};
    double[] sigma = new double[t.length];
    for (int i = 0; i < t.length; i++) { // σT = A·exp(−Ea/kT), Ea = 0.35 eV, σ25 = 2 mS/cm
      double k = t[i] + 273.15;
      sigma[i] = 2e-3 * (298.15 / k) * Math.exp(-0.35 / 8.617333262e-5 * (1 / k - 1 / 298.15));
    }
    ArrheniusFit.Result fit = ArrheniusFit.fit(t, sigma);
    Map<String, Double> x = Map.of("Li2S", 0.625, "P2S5", 0.125, "LiCl", 0.25, "LiBr", 0.0);
    Map<String, StoreRecord.Value> v = spec.results().objectives(fit,
        Map.of("phase_purity", new StoreRecord.Value(0.93, 0.01)), x);
    assertEquals(List.of("log10_sigma25", "phase_purity", "precursor_cost"), List.copyOf(v.keySet()));
    assertEquals(Math.log10(2e-3), v.get("log10_sigma25").value(), 1e-9);
    assertEquals(new StoreRecord.Value(0.93, 0.01), v.get("phase_purity"));
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> spec.results().objectives(fit, Map.of(), x));
    assertEquals("objective 'phase_purity': no step reported measurement 'phase_purity'", missing.getMessage());
    IllegalStateException noFit = assertThrows(IllegalStateException.class,
        () -> spec.results().objectives(null, Map.of("phase_purity", new StoreRecord.Value(0.9, 0.01)), x));
    assertTrue(noFit.getMessage().startsWith("objective 'log10_sigma25' (conductivity at 25 °C (log10 S/cm))"
        + " needs an Arrhenius fit"), noFit.getMessage());
  }

  @Test
  void conductivityAtAnotherTemperatureLiesOnTheArrheniusLine() {
    double[] t = {25, 50, 75, 100};
    double[] sigma = new double[t.length];
    java.util.Random noise = new java.util.Random(3);
    for (int i = 0; i < t.length; i++) {
      double k = t[i] + 273.15;
      sigma[i] = 1e-3 * (298.15 / k) * Math.exp(-0.40 / 8.617333262e-5 * (1 / k - 1 / 298.15))
          * (1 + 0.02 * noise.nextGaussian());
    }
    ArrheniusFit.Result fit = ArrheniusFit.fit(t, sigma);
    assertEquals(fit.log10Sigma25(), fit.log10SigmaAt(25), 1e-12);
    assertEquals(fit.log10Sigma25StdErr(), fit.log10SigmaStdErrAt(25), 1e-12);
    double k60 = 333.15;
    double truth60 = Math.log10(1e-3 * (298.15 / k60) * Math.exp(-0.40 / 8.617333262e-5 * (1 / k60 - 1 / 298.15)));
    assertEquals(truth60, fit.log10SigmaAt(60), 0.02);
    // Inside the measured range the line is surer than at its end, and far outside it less so.
    assertTrue(fit.log10SigmaStdErrAt(60) < fit.log10SigmaStdErrAt(25), "mid-range error below the edge's");
    assertTrue(fit.log10SigmaStdErrAt(-40) > 2 * fit.log10SigmaStdErrAt(25), "extrapolation is less sure");
  }
}
