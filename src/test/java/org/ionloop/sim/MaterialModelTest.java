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
}
