package org.ionloop.analysis.eis;

/**
 * An impedance spectrum measured at one cell temperature.
 *
 * @param temperatureC cell temperature, °C
 * @param frequencyHz  frequencies, Hz (any order)
 * @param zReOhm       Z', Ω
 * @param zImOhm       Z'', Ω (negative for capacitive behaviour)
 */
public record Spectrum(double temperatureC, double[] frequencyHz, double[] zReOhm, double[] zImOhm) {
  public Spectrum {
    if (frequencyHz.length != zReOhm.length || zReOhm.length != zImOhm.length) {
      throw new IllegalArgumentException("frequencyHz, zReOhm and zImOhm differ in length");
    }
    frequencyHz = frequencyHz.clone();
    zReOhm = zReOhm.clone();
    zImOhm = zImOhm.clone();
  }

  public int size() {
    return frequencyHz.length;
  }

  public double modulus(int i) {
    return Math.hypot(zReOhm[i], zImOhm[i]);
  }

  /** The lowest measured angular frequency, rad/s (+∞ for no points). */
  public double minOmega() {
    double min = Double.POSITIVE_INFINITY;
    for (double f : frequencyHz) {
      min = Math.min(min, 2 * Math.PI * f);
    }
    return min;
  }

  /** The highest measured angular frequency, rad/s (0 for no points). */
  public double maxOmega() {
    double max = 0;
    for (double f : frequencyHz) {
      max = Math.max(max, 2 * Math.PI * f);
    }
    return max;
  }
}
