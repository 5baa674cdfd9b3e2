package org.ionloop.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ionloop.analysis.eis.FitResult;
import org.ionloop.analysis.eis.Spectrum;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** Nyquist and Bode plots of a spectrum with its fitted curve, side by side in one PNG. */
final class EisPlots {
  private EisPlots() {}

  static void write(Spectrum s, FitResult fit, String title, Path png) throws IOException {
    int n = s.size();
    double[] negIm = new double[n];
    double[] mod = new double[n];
    double[] phase = new double[n];
    for (int i = 0; i < n; i++) {
      negIm[i] = -s.zImOhm()[i];
      mod[i] = s.modulus(i);
      phase[i] = Math.toDegrees(Math.atan2(s.zImOhm()[i], s.zReOhm()[i]));
    }
    double fMin = java.util.Arrays.stream(s.frequencyHz()).min().orElse(1);
    double fMax = java.util.Arrays.stream(s.frequencyHz()).max().orElse(1);
    int m = 200;
    double[] ff = new double[m];
    double[] fr = new double[m];
    double[] fi = new double[m];
    double[] fm = new double[m];
    double[] fp = new double[m];
    for (int i = 0; i < m; i++) {
      ff[i] = fMax * Math.pow(fMin / fMax, i / (m - 1.0));
      double[] z = fit.circuit().impedance(2 * Math.PI * ff[i], fit.parameters());
      fr[i] = z[0];
      fi[i] = -z[1];
      fm[i] = Math.hypot(z[0], z[1]);
      fp[i] = Math.toDegrees(Math.atan2(z[1], z[0]));
    }
    // Equal axes on a square plot, framed on the arcs: the fit's resistances in series (leads,
    // bulk, grain boundary) and a quarter more. The blocking electrode's spike, which reaches
    // far beyond them and would flatten the arcs that give σ, leaves the frame (said in the title).
    double span = nyquistSpan(s, fit);
    double maxNegIm = java.util.Arrays.stream(negIm).max().orElse(0);
    double maxRe = java.util.Arrays.stream(s.zReOhm()).max().orElse(0);
    boolean clipped = maxNegIm > span || maxRe > span;
    XYChart nyquist = new XYChartBuilder().width(560).height(560).title("Nyquist — " + title
        + (clipped ? " (spike clipped)" : ""))
        .xAxisTitle("Z' (Ω)").yAxisTitle("−Z'' (Ω)").build();
    nyquist.getStyler().setXAxisMin(0.0).setXAxisMax(span).setYAxisMin(0.0).setYAxisMax(span)
        .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    data(nyquist.addSeries("measured", s.zReOhm(), negIm));
    if (fit.converged()) {
      line(nyquist.addSeries("fit " + fit.circuit().text(), fr, fi));
    }
    XYChart bode = new XYChartBuilder().width(640).height(560).title("Bode |Z|")
        .xAxisTitle("f (Hz)").yAxisTitle("|Z| (Ω)").build();
    bode.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
    data(bode.addSeries("|Z| measured", s.frequencyHz(), mod));
    XYChart phaseChart = new XYChartBuilder().width(640).height(560).title("Bode phase")
        .xAxisTitle("f (Hz)").yAxisTitle("phase (°)").build();
    phaseChart.getStyler().setXAxisLogarithmic(true);
    data(phaseChart.addSeries("phase measured", s.frequencyHz(), phase));
    if (fit.converged()) {
      line(bode.addSeries("|Z| fit", ff, fm));
      line(phaseChart.addSeries("phase fit", ff, fp));
    }
    Charts.writeSideBySide(png, nyquist, bode, phaseChart);
  }

  /**
   * The Nyquist frame's side, Ω: 1.25 × the sum of the fit's resistances (R parameters), or, with
   * no converged fit, the largest |Z| measured.
   */
  static double nyquistSpan(Spectrum s, FitResult fit) {
    double all = 0;
    for (int i = 0; i < s.size(); i++) {
      all = Math.max(all, Math.max(s.zReOhm()[i], -s.zImOhm()[i]));
    }
    if (fit == null || !fit.converged()) {
      return all > 0 ? all : 1;
    }
    double series = 0;
    java.util.List<String> names = fit.circuit().parameterNames();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).matches("R\\w*") && fit.parameters()[i] > 0) {
        series += fit.parameters()[i];
      }
    }
    return series > 0 ? Math.min(all > 0 ? all : Double.POSITIVE_INFINITY, 1.25 * series) : (all > 0 ? all : 1);
  }

  private static void data(XYSeries s) {
    Charts.points(s);
  }

  private static void line(XYSeries s) {
    Charts.line(s);
  }
}
