package org.ionloop.analysis.eis;

/**
 * Equivalent circuit {@code p(Rb,CPEb)-CPEel}: the bulk electrolyte (resistance Rb in parallel
 * with a constant-phase element for the geometric capacitance) in series with a blocking
 * electrode (CPE). This is the standard description of an ion conductor between ion-blocking
 * electrodes (Irvine, Sinclair &amp; West, Adv. Mater. 2, 132, 1990).
 *
 * <p>Z(ω) = Rb / (1 + Rb·Qb·(jω)^nb) + 1 / (Qel·(jω)^nel), with Z_CPE = 1/(Q (jω)^n).
 * For fast conductors at room temperature the bulk arc's apex, ω* = (Rb·Qb)^(−1/nb), lies far
 * above 1 MHz: the spectrum then shows only the electrode spike and its high-frequency
 * intercept, which is Rb.
 */
public final class BlockingElectrodeCircuit {
  /** Parameter names, in the order of the parameter vector. */
  public static final String[] PARAMETERS = {"Rb", "Qb", "nb", "Qel", "nel"};

  private BlockingElectrodeCircuit() {}

  /**
   * Impedance at angular frequency {@code omega} (rad/s).
   *
   * @param p {Rb Ω, Qb F·s^(nb−1), nb, Qel F·s^(nel−1), nel}. Not modified.
   * @return {Re Z, Im Z} in Ω
   */
  public static double[] impedance(double omega, double[] p) {
    double[] cpeB = cpeAdmittance(omega, p[1], p[2]);
    // bulk: 1 / (1/Rb + Y_cpe)
    double yr = 1 / p[0] + cpeB[0];
    double yi = cpeB[1];
    double den = yr * yr + yi * yi;
    double zr = yr / den;
    double zi = -yi / den;
    double[] cpeE = cpeAdmittance(omega, p[3], p[4]);
    double dd = cpeE[0] * cpeE[0] + cpeE[1] * cpeE[1];
    zr += cpeE[0] / dd;
    zi += -cpeE[1] / dd;
    return new double[] {zr, zi};
  }

  /** Y = Q (jω)^n = Q ω^n (cos nπ/2 + j sin nπ/2). */
  private static double[] cpeAdmittance(double omega, double q, double n) {
    double mag = q * Math.pow(omega, n);
    return new double[] {mag * Math.cos(n * Math.PI / 2), mag * Math.sin(n * Math.PI / 2)};
  }

  /** Angular frequency of the bulk arc's apex, (Rb·Qb)^(−1/nb), rad/s. */
  public static double bulkApexOmega(double[] p) {
    return Math.pow(p[0] * p[1], -1 / p[2]);
  }
}
