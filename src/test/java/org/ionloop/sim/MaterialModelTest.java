package org.ionloop.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ground truth hits the literature anchors cited in {@link MaterialModel}. */
class MaterialModelTest {
  final MaterialModel model = new MaterialModel();

  /** Mole fractions of (7−2y) Li2S + P2S5 + 2y LiX. */
  static Map<String, Double> argyrodite(double y, double brShare) {
    double total = (7 - 2 * y) + 1 + 2 * y;
    return Map.of("Li2S", (7 - 2 * y) / total, "P2S5", 1 / total,
        "LiCl", 2 * y * (1 - brShare) / total, "LiBr", 2 * y * brShare / total);
  }

  @Test
  void li6ps5clIsAFewMilliSiemensWithEaNear035() {
    MaterialModel.Truth t = model.truth(argyrodite(1, 0), 525);
    double sigma = Math.pow(10, t.log10Sigma25());
    assertTrue(sigma > 1e-3 && sigma < 3e-3, "σ25 = " + sigma);
    assertTrue(t.eaEv() > 0.3 && t.eaEv() < 0.4, "Ea = " + t.eaEv());
  }

  @Test
  void halogenRichArgyroditesConductBetter() {
    double cl = model.truth(argyrodite(1, 0), 525).log10Sigma25();
    double rich = model.truth(argyrodite(1.5, 0), 525).log10Sigma25();
    double mixed = model.truth(argyrodite(1.7, 0.41), 525).log10Sigma25();
    assertTrue(rich > cl + 0.4, rich + " vs " + cl);
    assertTrue(mixed > rich, mixed + " vs " + rich);
    assertTrue(Math.pow(10, mixed) > 1e-2 && Math.pow(10, mixed) < 4e-2, "Li5.3PS4.3ClBr0.7 " + mixed);
  }

  @Test
  void offStoichiometricMixturesAreFarLower() {
    double li2sRich = model.truth(Map.of("Li2S", 0.8, "P2S5", 0.05, "LiCl", 0.15), 525).log10Sigma25();
    assertTrue(li2sRich < -5.5, "Li2S-rich: " + li2sRich);
    double li3ps4 = model.truth(Map.of("Li2S", 0.75, "P2S5", 0.25), 525).log10Sigma25();
    assertTrue(li3ps4 > -4.5 && li3ps4 < -3.3, "β-Li3PS4-like: " + li3ps4);
  }

  @Test
  void lowAnnealTemperatureLowersConductivity() {
    assertTrue(model.truth(argyrodite(1, 0), 300).log10Sigma25()
        < model.truth(argyrodite(1, 0), 525).log10Sigma25() - 0.8);
  }

  @Test
  void sigmaFollowsArrheniusInSigmaT() {
    double s25 = 2e-3;
    double ea = 0.35;
    double s100 = MaterialModel.sigmaAt(s25, ea, 100);
    double expected = Math.log(s25 * 298.15) - ea / MaterialModel.K_B * (1 / 373.15 - 1 / 298.15);
    assertEquals(expected, Math.log(s100 * 373.15), 1e-12);
  }

  /** Mole fractions of (3−z) LiCl + (1−z) MCl3 + z ZrCl4, M = Y with share yShare, else In. */
  static Map<String, Double> chloride(double z, double yShare) {
    double total = (3 - z) + (1 - z) + z;
    return Map.of("LiCl", (3 - z) / total, "YCl3", (1 - z) * yShare / total,
        "InCl3", (1 - z) * (1 - yShare) / total, "ZrCl4", z / total);
  }

  @Test
  void theChloridesHitTheirAnchors() {
    double[][] anchors = { // z, Y share, σ25 (S/cm), Ea (eV)
        {0, 1, 5.1e-4, 0.40}, {0, 0, 1.49e-3, 0.35}, {1, 0.5, 8.1e-4, 0.38}, {0.5, 1, 1.4e-3, Double.NaN}};
    for (double[] a : anchors) {
      MaterialModel.Truth t = model.truth(chloride(a[0], a[1]), 450);
      assertEquals(Math.log10(a[2]), t.log10Sigma25(), 0.05, "z = " + a[0] + ", Y share " + a[1]);
      if (!Double.isNaN(a[3])) {
        assertEquals(a[3], t.eaEv(), 0.01, "Ea at z = " + a[0] + ", Y share " + a[1]);
      }
    }
  }

  @Test
  void chloridesOffTheirLocusOrUnannealedAreFarLower() {
    double onLocus = model.truth(chloride(0, 1), 450).log10Sigma25();
    double liClRich = model.truth(Map.of("LiCl", 0.9, "YCl3", 0.1), 450).log10Sigma25();
    assertTrue(liClRich < onLocus - 2, "LiCl-rich: " + liClRich);
    assertTrue(model.truth(chloride(0, 1), 200).log10Sigma25() < onLocus - 0.5);
    assertTrue(model.phasePurity(chloride(0.3, 0.5), 450) > 0.9);
    assertTrue(model.phasePurity(chloride(0.3, 0.5), 150) < 0.05);
  }
}
