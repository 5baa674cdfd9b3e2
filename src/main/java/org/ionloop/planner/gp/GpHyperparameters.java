package org.ionloop.planner.gp;

import java.util.Arrays;

/**
 * Hyper-parameters of one GP on unit-cube inputs and standardised outputs, stored as logarithms
 * so that the optimiser works unconstrained. Packed order: d log-lengthscales, log signal
 * variance, log noise variance.
 */
public record GpHyperparameters(double[] logLengthscales, double logSignalVariance,
    double logNoiseVariance) {

  /** Noise floor: measurements are never exact, and a floor keeps K well conditioned. */
  public static final double MIN_NOISE_VARIANCE = 1e-6;

  public GpHyperparameters {
    logLengthscales = logLengthscales.clone();
  }

  @Override
  public double[] logLengthscales() {
    return logLengthscales.clone();
  }

  public int dimension() {
    return logLengthscales.length;
  }

  public double[] lengthscales() {
    return Arrays.stream(logLengthscales).map(Math::exp).toArray();
  }

  public double signalVariance() {
    return Math.exp(logSignalVariance);
  }

  public double noiseVariance() {
    return Math.exp(logNoiseVariance);
  }

  /** 1/ℓ_k², the form the kernel loops use. */
  double[] inverseLengthscaleSquared() {
    return Arrays.stream(logLengthscales).map(l -> Math.exp(-2 * l)).toArray();
  }

  public double[] pack() {
    double[] p = Arrays.copyOf(logLengthscales, logLengthscales.length + 2);
    p[logLengthscales.length] = logSignalVariance;
    p[logLengthscales.length + 1] = logNoiseVariance;
    return p;
  }

  public static GpHyperparameters unpack(double[] p) {
    int d = p.length - 2;
    return new GpHyperparameters(Arrays.copyOf(p, d), p[d], p[d + 1]);
  }

  @Override
  public String toString() {
    return String.format("ℓ=%s s²=%.3g σ²=%.3g", Arrays.toString(Arrays.stream(lengthscales())
        .map(v -> Math.round(v * 1000) / 1000.0).toArray()), signalVariance(), noiseVariance());
  }
}
