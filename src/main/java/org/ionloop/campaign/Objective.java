package org.ionloop.campaign;

/**
 * A campaign objective.
 *
 * @param name      a measured quantity: {@code log10_sigma25} (log10 S/cm at 25 °C) or
 *                  {@code ea_ev} (activation energy, eV)
 * @param maximise  direction
 * @param unit      for people
 * @param reference hypervolume reference value in the objective's own orientation (a value worse
 *                  than any result worth having)
 * @param noiseSd   the measurement's noise standard deviation in the objective's unit, when the
 *                  lab knows it (replicates, the instrument's specification), or NaN: the planner
 *                  then learns it from the results
 */
public record Objective(String name, boolean maximise, String unit, double reference,
    double noiseSd) {
  /** Names of the quantities an experiment measures. */
  public static final java.util.List<String> MEASURED = java.util.List.of("log10_sigma25", "ea_ev");

  /** The value oriented for maximisation. */
  public double oriented(double value) {
    return maximise ? value : -value;
  }
}
