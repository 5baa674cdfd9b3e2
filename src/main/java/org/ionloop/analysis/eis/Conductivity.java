package org.ionloop.analysis.eis;

/** Conductivity of a cylindrical pellet from its resistance: σ = L / (R·A). */
public final class Conductivity {
  private Conductivity() {}

  /**
   * @param resistanceOhm R, Ω (&gt; 0)
   * @param thicknessMm   pellet thickness L, mm
   * @param diameterMm    pellet diameter, mm; A = π (d/2)²
   * @return σ in S/cm
   */
  public static double sigmaSPerCm(double resistanceOhm, double thicknessMm, double diameterMm) {
    double lengthCm = thicknessMm / 10;
    double radiusCm = diameterMm / 20;
    return lengthCm / (resistanceOhm * Math.PI * radiusCm * radiusCm);
  }

  /** The inverse: R (Ω) of a pellet with conductivity σ (S/cm). */
  public static double resistanceOhm(double sigmaSPerCm, double thicknessMm, double diameterMm) {
    double lengthCm = thicknessMm / 10;
    double radiusCm = diameterMm / 20;
    return lengthCm / (sigmaSPerCm * Math.PI * radiusCm * radiusCm);
  }
}
