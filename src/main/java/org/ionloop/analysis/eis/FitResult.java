package org.ionloop.analysis.eis;

/**
 * Outcome of a circuit fit. Non-convergence is a result ({@code converged == false} with a
 * {@code reason}), never an exception.
 *
 * @param converged      whether the optimiser met its tolerance and the parameters are finite
 * @param reason         why not, or "ok"
 * @param parameters     fitted parameters in {@link BlockingElectrodeCircuit#PARAMETERS} order
 * @param standardErrors 1σ standard errors from the Jacobian (NaN when singular)
 * @param chiSquare      Σ of squared modulus-weighted residuals
 * @param resistanceOhm  resistance used for conductivity (bulk)
 * @param resistanceStdErrOhm its standard error
 * @param bulkArcResolved whether the bulk arc's apex lies inside the measured band
 */
public record FitResult(boolean converged, String reason, double[] parameters,
    double[] standardErrors, double chiSquare, double resistanceOhm, double resistanceStdErrOhm,
    boolean bulkArcResolved) {}
