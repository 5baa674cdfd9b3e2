package org.ionloop.protocols;

import java.util.Map;
import org.ionloop.analysis.eis.ArrheniusFit;
import org.ionloop.store.StoreRecord;

/**
 * Turns what an experiment measured into the values its campaign optimises. The runner collects
 * the raw results (spectra analysed into an Arrhenius fit, the measurements its steps declare);
 * what counts as a result is the campaign's to say.
 */
public interface ResultCalculator {

  /**
   * The campaign's objectives for one experiment, by name, in the campaign's order.
   *
   * @param arrhenius    the Arrhenius fit of the spectra, or null when there is none
   * @param measurements the declared measurements the steps reported, by name
   * @param fractions    precursor mole fractions of the candidate, by precursor
   * @throws IllegalStateException naming the objective that has nothing to be computed from
   */
  Map<String, StoreRecord.Value> objectives(ArrheniusFit.Result arrhenius,
      Map<String, StoreRecord.Value> measurements, Map<String, Double> fractions);

  /** Whether an objective needs the spectra's Arrhenius fit (the experiment fails without it). */
  boolean needsArrhenius();
}
