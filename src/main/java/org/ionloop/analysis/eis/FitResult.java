package org.ionloop.analysis.eis;

/**
 * Outcome of a CNLS fit. Non-convergence is a result ({@code converged == false} with a
 * {@code reason}), never an exception.
 *
 * @param circuit             the fitted circuit
 * @param converged           the optimiser stopped on its tolerance with finite parameters
 * @param reason              "ok", or why not
 * @param parameters          fitted values in {@link Circuit#parameterNames()} order
 * @param standardErrors      1σ errors from the Jacobian at the optimum; NaN for parameters the
 *                            data do not determine
 * @param covariance          parameter covariance (pseudo-inverse of JᵀJ scaled by χ²/dof)
 * @param chiSquare           Σ of squared weighted residuals (real and imaginary parts)
 * @param rmsRelativeResidual RMS of (Z_fit − Z)/|Z| over both parts
 * @param points              number of frequencies
 */
public record FitResult(Circuit circuit, boolean converged, String reason, double[] parameters,
    double[] standardErrors, double[][] covariance, double chiSquare, double rmsRelativeResidual,
    int points) {

  /** Akaike information criterion, N·ln(χ²/N) + 2k with N = 2·points residuals. */
  public double aic() {
    int n = 2 * points;
    return n * Math.log(chiSquare / n) + 2 * parameters.length;
  }

  /** A fit that did not happen. */
  static FitResult failed(Circuit c, int points, String reason) {
    int k = c.parameterCount();
    double[] nan = new double[k];
    java.util.Arrays.fill(nan, Double.NaN);
    return new FitResult(c, false, reason, nan, nan.clone(), new double[k][k], Double.NaN, Double.NaN,
        points);
  }

  /** Value of a named parameter. */
  public double get(String name) {
    return parameters[circuit.indexOf(name)];
  }
}
