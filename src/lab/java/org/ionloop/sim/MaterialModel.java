package org.ionloop.sim;

import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Ground truth of the virtual lab for the Li2S–P2S5–LiCl–LiBr system (argyrodite family
 * Li(7−y)PS(6−y)X(y), X = Cl, Br).
 *
 * <p>Chemistry. Mixing (7−2y) Li2S + P2S5 + 2y LiX gives the argyrodite Li(7−y)PS(6−y)X(y);
 * in mole fractions that locus is exactly x(P2S5) = 1/8 with halide content
 * y = (x(LiCl)+x(LiBr)) / (2 x(P2S5)). Conductivity is modelled as a blend, in log10 σ, of an
 * argyrodite branch weighted by w = exp(−(Δ/0.22)²), Δ = (x(P2S5) − 1/8)/(1/8), and an
 * off-stoichiometric branch (Li2S-rich mixtures and Li3PS4-like glasses).
 *
 * <p>Anchors (room temperature, S/cm; Ea in eV):
 * <ul>
 *   <li>Li6PS5Cl (y = 1): log10 σ = −2.70 (2 mS/cm), Ea 0.38 — Kraft et al., J. Am. Chem. Soc.
 *       139, 10909 (2017); Deiseroth et al., Angew. Chem. Int. Ed. 47, 755 (2008).</li>
 *   <li>Li6PS5Br: slightly lower than Cl (≈1.4 mS/cm) — Kraft et al. (2017).</li>
 *   <li>Li5.5PS4.5Cl1.5 (y = 1.5): ≈ 9 mS/cm, Ea ≈ 0.33 — Adeli et al., Angew. Chem. Int. Ed.
 *       58, 8681 (2019).</li>
 *   <li>Mixed-halide, halogen-rich Li5.3PS4.3ClBr0.7 (y = 1.7): ≈ 24 mS/cm — Patel et al.,
 *       Chem. Mater. (2021).</li>
 *   <li>Li7PS6 (y = 0): ≈ 5·10⁻⁵ S/cm; beyond y ≈ 1.7 LiX segregates and σ falls.</li>
 *   <li>β-Li3PS4 (x(P2S5) = 0.25): ≈ 1.6·10⁻⁴ S/cm, Ea ≈ 0.36 — Liu et al., J. Am. Chem. Soc.
 *       135, 975 (2013); Li2S-rich mixtures fall towards 10⁻⁸ S/cm.</li>
 *   <li>Anneal: optimum near 525 °C (most solid-state argyrodite routes anneal at
 *       500–550 °C, e.g. Kraft et al. 2017), poorly crystallised below 400 °C.</li>
 *   <li>Stability: argyrodites are slightly metastable, energy above hull of order
 *       10–30 meV/atom — Zhu, He &amp; Mo, ACS Appl. Mater. Interfaces 7, 23685 (2015).</li>
 * </ul>
 *
 * <p>A second family, the chloride electrolytes Li(3−z)M(1−z)Zr(z)Cl6 (M = Y, In) from LiCl,
 * YCl3, InCl3 and ZrCl4, is modelled the same way: a phase weight w on the locus
 * LiCl : MCl3 : ZrCl4 = (3−z) : (1−z) : z, a composition-weighted log10 σ on the phase, and a
 * LiCl/MCl3-like baseline off it ({@link #halide}). Anchors (room temperature):
 * <ul>
 *   <li>Li3YCl6: 0.51 mS/cm, Ea ≈ 0.40 eV — Asano et al., Adv. Mater. 30, 1803075 (2018).</li>
 *   <li>Li3InCl6: 1.49 mS/cm, Ea ≈ 0.35 eV — Li et al., Energy Environ. Sci. 12, 2665 (2019).</li>
 *   <li>Li2ZrCl6 (z = 1): 0.81 mS/cm, Ea ≈ 0.38 eV — Wang et al., Nat. Commun. 12, 4410 (2021).</li>
 *   <li>Li2.5Y0.5Zr0.5Cl6: 1.4 mS/cm, Zr substitution raising σ over both ends — Park et al.,
 *       ACS Energy Lett. 5, 533 (2020).</li>
 *   <li>Anneal: these chlorides form between about 250 and 550 °C (optimum taken at 450 °C) and
 *       lose crystallinity below 250 °C.</li>
 * </ul>
 * The Ea values are rounded from the cited papers' Arrhenius plots; the model is a test bench,
 * not a property table.
 *
 * <p>σ(T) follows Arrhenius for σ·T: σ(T) = σ25 · (T25/T) · exp(−Ea/k · (1/T − 1/T25)).
 * Sample-to-sample scatter (σ_log10 = 0.04, σ_Ea = 0.005 eV) and a 4 % pellet-failure rate stand
 * in for what a real lab sees. This class is deterministic given its inputs; randomness comes
 * only from the generator passed to {@link #synthesise}.
 */
public final class MaterialModel {
  /** Boltzmann constant, eV/K. */
  public static final double K_B = 8.617333262e-5;
  public static final double T25_K = 298.15;
  /** Probability that a pellet cracks in the press (a failed synthesis). */
  public static final double PELLET_FAILURE_PROBABILITY = 0.04;

  /** Noise-free properties of a composition annealed at a temperature. */
  public record Truth(double log10Sigma25, double eaEv, double eHullMeVPerAtom) {
    /** Conductivity at {@code tempC} in S/cm. */
    public double sigmaAt(double tempC) {
      return MaterialModel.sigmaAt(Math.pow(10, log10Sigma25), eaEv, tempC);
    }
  }

  /** σ(T) in S/cm from σ25 (S/cm) and Ea (eV), Arrhenius in σ·T. */
  public static double sigmaAt(double sigma25, double eaEv, double tempC) {
    double t = tempC + 273.15;
    return sigma25 * (T25_K / t) * Math.exp(-eaEv / K_B * (1 / t - 1 / T25_K));
  }

  /**
   * Truth for a mixture given precursor mole fractions by name (missing names count as 0;
   * other precursors are inert diluents) and the anneal temperature.
   */
  public Truth truth(Map<String, Double> fractions, double annealC) {
    if (isHalide(fractions)) {
      return halide(fractions, annealC);
    }
    ArgyroditeLocus at = argyroditeLocus(fractions);
    if (at == null) {
      return new Truth(-9, 0.7, 200);
    }
    double p2s5 = at.p2s5();
    double brShare = at.brShare();
    double y = at.y();
    double w = at.w();

    double mixing = 4 * brShare * (1 - brShare);
    double argyrodite = argyroditeLog10Sigma(y) - 0.15 * brShare + 0.20 * mixing
        * Math.min(1, Math.max(0, y - 0.5));
    double anneal = Math.max(-1.2, -0.6 * Math.pow((annealC - 525) / 150, 2));
    double offPhase = offPhaseLog10Sigma(p2s5);
    double log10Sigma = w * (argyrodite + anneal) + (1 - w) * (offPhase + 0.5 * anneal);

    double eaArg = y <= 1 ? 0.38 + 0.12 * (1 - y) : 0.38 - 0.10 * (Math.min(y, 1.7) - 1);
    eaArg += y > 1.7 ? 0.15 * (y - 1.7) : 0;
    eaArg -= 0.03 * mixing;
    double ea = w * eaArg + (1 - w) * 0.52 + 0.05 * (-anneal / 1.2);

    double eHull = 15 + 30 * Math.max(0, y - 1) + 60 * (1 - w) + 8 * mixing;
    return new Truth(log10Sigma, ea, eHull);
  }

  /**
   * Where a Li2S–P2S5–LiX mixture lies against the argyrodite locus: x(P2S5) (normalised), the
   * halide content y of Li(7−y)PS(6−y)X(y), the Br share of the halide and the locus weight w.
   */
  private record ArgyroditeLocus(double p2s5, double y, double brShare, double w) {}

  /** The mixture's place against the argyrodite locus, or null when it holds none of its precursors. */
  private static ArgyroditeLocus argyroditeLocus(Map<String, Double> fractions) {
    double li2s = fractions.getOrDefault("Li2S", 0.0);
    double p2s5 = fractions.getOrDefault("P2S5", 0.0);
    double licl = fractions.getOrDefault("LiCl", 0.0);
    double libr = fractions.getOrDefault("LiBr", 0.0);
    double total = li2s + p2s5 + licl + libr;
    if (total <= 0) {
      return null;
    }
    p2s5 /= total;
    double halide = (licl + libr) / total;
    double brShare = halide > 0 ? libr / (licl + libr) : 0;
    double y = p2s5 > 1e-6 ? Math.min(halide / (2 * p2s5), 3.0) : 3.0;
    double deviation = (p2s5 - 0.125) / 0.125;
    return new ArgyroditeLocus(p2s5, y, brShare, Math.exp(-Math.pow(deviation / 0.22, 2)));
  }

  /** Whether the mixture holds a metal chloride of the chloride family (then it is that family). */
  static boolean isHalide(Map<String, Double> fractions) {
    return fractions.getOrDefault("YCl3", 0.0) + fractions.getOrDefault("InCl3", 0.0)
        + fractions.getOrDefault("ZrCl4", 0.0) > 0;
  }

  /** The chloride phase's weight w, its Zr share z and its Y share among the trivalent metals. */
  private record HalideLocus(double w, double z, double yShare) {}

  private static HalideLocus halideLocus(Map<String, Double> fractions) {
    double li = fractions.getOrDefault("LiCl", 0.0);
    double y = fractions.getOrDefault("YCl3", 0.0);
    double in = fractions.getOrDefault("InCl3", 0.0);
    double zr = fractions.getOrDefault("ZrCl4", 0.0);
    double metals = y + in + zr;
    double z = zr / metals;
    double ideal = 3 - z; // Li per metal in Li(3−z)M(1−z)Zr(z)Cl6
    double deviation = (li / metals - ideal) / ideal;
    return new HalideLocus(Math.exp(-Math.pow(deviation / 0.18, 2)), z, y + in > 0 ? y / (y + in) : 0.5);
  }

  /** Truth of a chloride-family mixture (see the class comment for the anchors). */
  private static Truth halide(Map<String, Double> fractions, double annealC) {
    HalideLocus at = halideLocus(fractions);
    double z = at.z();
    double trivalent = at.yShare() * Math.log10(5.1e-4) + (1 - at.yShare()) * Math.log10(1.49e-3);
    double onPhase = (1 - z) * trivalent + z * Math.log10(8.1e-4) + 1.36 * z * (1 - z);
    double anneal = Math.max(-1.5, -0.7 * Math.pow((annealC - 450) / 150, 2));
    double log10Sigma = at.w() * (onPhase + anneal) + (1 - at.w()) * (-7.0 + 0.5 * anneal);
    double eaPhase = (1 - z) * (0.40 * at.yShare() + 0.35 * (1 - at.yShare())) + z * 0.38 - 0.04 * z * (1 - z);
    double ea = at.w() * eaPhase + (1 - at.w()) * 0.60 + 0.05 * (-anneal / 1.5);
    double eHull = 10 + 50 * (1 - at.w());
    return new Truth(log10Sigma, ea, eHull);
  }

  private static double argyroditeLog10Sigma(double y) {
    if (y <= 1) {
      return -4.3 + 1.6 * y;
    }
    if (y <= 1.7) {
      return -2.7 + 1.3 * (y - 1);
    }
    return -1.79 - 2.5 * Math.pow(y - 1.7, 2) * 4;
  }

  /** Piecewise-linear log10 σ of non-argyrodite mixtures against x(P2S5). */
  private static double offPhaseLog10Sigma(double p2s5) {
    double[] xs = {0.0, 0.125, 0.25, 0.40, 1.0};
    double[] ys = {-8.0, -5.5, -3.8, -4.8, -9.0};
    for (int i = 1; i < xs.length; i++) {
      if (p2s5 <= xs[i]) {
        double t = (p2s5 - xs[i - 1]) / (xs[i] - xs[i - 1]);
        return ys[i - 1] + t * (ys[i] - ys[i - 1]);
      }
    }
    return ys[ys.length - 1];
  }

  /**
   * Mass fraction of the argyrodite phase a diffractometer would find (Rietveld), noise-free:
   * the argyrodite locus weight w (off-stoichiometric mixtures give Li3PS4/Li2S-rich phases),
   * times the crystallised fraction after the anneal (poorly crystallised below about 400 °C, as
   * the conductivity model says), less segregated LiX beyond y ≈ 1.7 (halogen-rich argyrodites
   * expel LiCl/LiBr; Adeli et al. 2019).
   */
  public double phasePurity(Map<String, Double> fractions, double annealC) {
    if (isHalide(fractions)) {
      double crystallised = 1 / (1 + Math.exp(-(annealC - 250) / 25));
      return Math.max(0, Math.min(1, 0.98 * halideLocus(fractions).w() * crystallised));
    }
    ArgyroditeLocus at = argyroditeLocus(fractions);
    if (at == null) {
      return 0;
    }
    double crystallised = 1 / (1 + Math.exp(-(annealC - 400) / 25));
    double segregated = Math.min(1, 0.35 * Math.max(0, at.y() - 1.7));
    return Math.max(0, Math.min(1, 0.98 * at.w() * crystallised * (1 - segregated)));
  }

  /** One real sample: the truth plus sample-to-sample scatter. */
  public Truth synthesise(Map<String, Double> fractions, double annealC, RandomGenerator rng) {
    Truth t = truth(fractions, annealC);
    return new Truth(t.log10Sigma25() + 0.04 * rng.nextGaussian(),
        t.eaEv() + 0.005 * rng.nextGaussian(), t.eHullMeVPerAtom());
  }
}
