package org.ionloop.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ionloop.campaign.Objective;
import org.ionloop.planner.pareto.Hypervolume;
import org.ionloop.planner.pareto.Pareto;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.CampaignRepository.ResultRow;

/** The end-of-campaign summary, read from the store alone, in the campaign's own objectives. */
final class CampaignReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CampaignReport() {}

  static void print(CampaignRepository repo, String campaignId, List<Objective> objectives, PrintStream out)
      throws Exception {
    List<ResultRow> rows = repo.results(campaignId);
    long experiments = repo.count("experiment", campaignId);
    out.printf("%nexperiments: %d run, %d with results, %d failed%n", experiments, rows.size(),
        experiments - rows.size());
    if (rows.isEmpty()) {
      return;
    }
    Objective first = objectives.get(0);
    Comparator<ResultRow> best = Comparator.comparingDouble(r -> -first.oriented(r.value(first.name())));
    out.printf("%nbest candidates by %s (%s):%n", first.name(), first.maximise() ? "highest" : "lowest");
    header(objectives, out);
    rows.stream().sorted(best).limit(5).forEach(r -> line(r, objectives, out));
    List<double[]> points = new ArrayList<>();
    rows.forEach(r -> points.add(oriented(r, objectives)));
    List<Integer> front = Pareto.nonDominated(points);
    out.printf("%nPareto front (%s): %d points%n", String.join(", ", objectives.stream()
        .map(o -> (o.maximise() ? "max " : "min ") + o.name()).toList()), front.size());
    header(objectives, out);
    front.stream().map(rows::get).sorted(best).forEach(r -> line(r, objectives, out));
    double[] reference = objectives.stream().mapToDouble(o -> o.oriented(o.reference())).toArray();
    out.printf("hypervolume above the reference (%s): %.4f%n", String.join(", ", objectives.stream()
        .map(o -> o.name() + " = " + o.reference()).toList()), Hypervolume.of(points, reference));
  }

  /** A result's objectives in the campaign's order, each oriented for maximisation. */
  static double[] oriented(ResultRow r, List<Objective> objectives) {
    return objectives.stream().mapToDouble(o -> o.oriented(r.value(o.name()))).toArray();
  }

  private static void header(List<Objective> objectives, PrintStream out) {
    StringBuilder sb = new StringBuilder(String.format("  %-16s %-44s", "experiment", "composition (mol frac) | process"));
    for (Objective o : objectives) {
      sb.append(' ').append(String.format("%" + width(o) + "s", o.label()));
    }
    out.println(sb);
  }

  private static void line(ResultRow r, List<Objective> objectives, PrintStream out) {
    StringBuilder sb = new StringBuilder(String.format("  %-16s %-44s", CampaignCommand.shortId(r.experimentId()),
        composition(r.x())));
    for (Objective o : objectives) {
      sb.append(' ').append(String.format("%" + width(o) + ".4g", r.value(o.name())));
    }
    out.println(sb);
  }

  /** An objective's column: as wide as its label, at least 10. */
  private static int width(Objective o) {
    return Math.max(10, o.label().length());
  }

  private static String composition(String json) {
    try {
      Map<String, Double> x = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Double>>() {});
      StringBuilder sb = new StringBuilder();
      for (Map.Entry<String, Double> e : x.entrySet()) {
        if (e.getKey().endsWith("_c")) {
          sb.append(String.format("| %.0f °C", e.getValue()));
        } else {
          sb.append(String.format("%s %.3f ", e.getKey(), e.getValue()));
        }
      }
      return sb.toString();
    } catch (Exception e) {
      return json;
    }
  }
}
