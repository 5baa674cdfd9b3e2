package org.ionloop.campaign;

/**
 * A campaign objective: what it is computed from, which way is better, and how good a result
 * must be to count.
 *
 * @param name      the campaign's name for it (a column in exports, a key in the API)
 * @param source    what it is computed from
 * @param maximise  direction
 * @param unit      for people
 * @param reference hypervolume reference value in the objective's own orientation (a value worse
 *                  than any result worth having)
 * @param noiseSd   the measurement's noise standard deviation in the objective's unit, when the
 *                  lab knows it (replicates, the instrument's specification), or NaN: the planner
 *                  then learns it from the results
 */
public record Objective(String name, ObjectiveSource source, boolean maximise, String unit,
    double reference, double noiseSd) {

  /** How tables and axes name it: {@code log10_sigma25 (log10(S/cm))}, or the name alone without a unit. */
  public String label() {
    return name + (unit.isEmpty() ? "" : " (" + unit + ")");
  }

  /** The value oriented for maximisation. */
  public double oriented(double value) {
    return maximise ? value : -value;
  }
}
