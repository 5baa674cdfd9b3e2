package org.ionloop.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ionloop.campaign.Objective;
import org.ionloop.planner.pareto.Pareto;
import org.ionloop.store.CampaignRepository.ResultRow;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * A campaign at a glance: its first objective against experiment number with the best so far,
 * and the first two objectives against each other with the Pareto front (non-dominated over all
 * of the campaign's objectives).
 */
final class CampaignPlots {
  private CampaignPlots() {}

  static void write(String campaignId, List<ResultRow> rows, List<Objective> objectives, Path png)
      throws IOException {
    int n = rows.size();
    Objective first = objectives.get(0);
    double[] number = new double[n];
    double[] a = new double[n];
    double[] best = new double[n];
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ResultRow r = rows.get(i);
      number[i] = Integer.parseInt(r.experimentId().replaceFirst("^.*-e(\\d+)$", "$1"));
      a[i] = r.value(first.name());
      best[i] = i == 0 || first.oriented(a[i]) > first.oriented(best[i - 1]) ? a[i] : best[i - 1];
      points.add(CampaignReport.oriented(r, objectives));
    }
    XYChart progress = new XYChartBuilder().width(700).height(500).title(campaignId + " — progress")
        .xAxisTitle("experiment").yAxisTitle(first.label()).build();
    Charts.points(progress.addSeries("measured", number, a));
    Charts.line(progress.addSeries("best so far", number, best));
    if (objectives.size() < 2) {
      Charts.writeSideBySide(png, progress);
      return;
    }
    Objective second = objectives.get(1);
    double[] b = rows.stream().mapToDouble(r -> r.value(second.name())).toArray();
    List<Integer> front = new ArrayList<>(Pareto.nonDominated(points));
    front.sort((i, j) -> Double.compare(a[i], a[j]));
    XYChart pareto = new XYChartBuilder().width(700).height(500).title("objectives")
        .xAxisTitle(first.label()).yAxisTitle(second.label()).build();
    Charts.points(pareto.addSeries("experiments", a, b));
    var frontSeries = pareto.addSeries("Pareto front", front.stream().mapToDouble(i -> a[i]).toArray(),
        front.stream().mapToDouble(i -> b[i]).toArray());
    if (objectives.size() == 2) {
      Charts.line(frontSeries); // with more objectives the front is not a line in this plane
    } else {
      Charts.points(frontSeries);
    }
    frontSeries.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.DIAMOND);
    Charts.writeSideBySide(png, progress, pareto);
  }
}
