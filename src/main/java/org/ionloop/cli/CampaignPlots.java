package org.ionloop.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ionloop.planner.pareto.Pareto;
import org.ionloop.store.CampaignRepository.ResultRow;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * A campaign at a glance: conductivity against experiment number with the best so far, and the
 * two objectives against each other with the Pareto front.
 */
final class CampaignPlots {
  private CampaignPlots() {}

  static void write(String campaignId, List<ResultRow> rows, Path png) throws IOException {
    int n = rows.size();
    double[] number = new double[n];
    double[] sigma = new double[n];
    double[] best = new double[n];
    double[] ea = new double[n];
    List<double[]> objectives = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ResultRow r = rows.get(i);
      number[i] = Integer.parseInt(r.experimentId().replaceFirst("^.*-e(\\d+)$", "$1"));
      sigma[i] = r.log10Sigma25();
      best[i] = i == 0 ? sigma[i] : Math.max(best[i - 1], sigma[i]);
      ea[i] = r.eaEv();
      objectives.add(new double[] {r.log10Sigma25(), -r.eaEv()});
    }
    XYChart progress = new XYChartBuilder().width(700).height(500).title(campaignId + " — progress")
        .xAxisTitle("experiment").yAxisTitle("log10 σ25 (S/cm)").build();
    Charts.points(progress.addSeries("measured", number, sigma));
    Charts.line(progress.addSeries("best so far", number, best));

    List<Integer> front = new ArrayList<>(Pareto.nonDominated(objectives));
    front.sort((a, b) -> Double.compare(sigma[a], sigma[b]));
    XYChart pareto = new XYChartBuilder().width(700).height(500).title("objectives")
        .xAxisTitle("log10 σ25 (S/cm)").yAxisTitle("Ea (eV)").build();
    Charts.points(pareto.addSeries("experiments", sigma, ea));
    var frontSeries = pareto.addSeries("Pareto front", front.stream().mapToDouble(i -> sigma[i]).toArray(),
        front.stream().mapToDouble(i -> ea[i]).toArray());
    Charts.line(frontSeries);
    frontSeries.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.DIAMOND);
    Charts.writeSideBySide(png, progress, pareto);
  }
}
