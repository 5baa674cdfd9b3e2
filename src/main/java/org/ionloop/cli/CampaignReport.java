package org.ionloop.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ionloop.planner.pareto.Hypervolume;
import org.ionloop.planner.pareto.Pareto;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.CampaignRepository.ResultRow;

/** The end-of-campaign summary, read from the store alone. */
final class CampaignReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CampaignReport() {}

  /**
   * @param reference hypervolume reference {log10 σ25, −Ea}, oriented for maximisation
   */
  static void print(CampaignRepository repo, String campaignId, double[] reference, PrintStream out)
      throws Exception {
    List<ResultRow> rows = repo.results(campaignId);
    long experiments = repo.count("experiment", campaignId);
    out.printf("%nexperiments: %d run, %d with results, %d failed%n", experiments, rows.size(),
        experiments - rows.size());
    if (rows.isEmpty()) {
      return;
    }
    out.println("\nbest candidates by σ at 25 °C:");
    header(out);
    rows.stream().sorted(Comparator.comparingDouble(ResultRow::log10Sigma25).reversed()).limit(5)
        .forEach(r -> line(r, out));
    List<double[]> objectives = new ArrayList<>();
    rows.forEach(r -> objectives.add(new double[] {r.log10Sigma25(), -r.eaEv()}));
    List<Integer> front = Pareto.nonDominated(objectives);
    out.printf("%nPareto front (max σ25, min Ea): %d points%n", front.size());
    header(out);
    front.stream().map(rows::get).sorted(Comparator.comparingDouble(ResultRow::log10Sigma25).reversed())
        .forEach(r -> line(r, out));
    out.printf("hypervolume (log10 σ25 × Ea) above the reference σ25 = %.0e S/cm, Ea = %.2f eV: %.4f%n",
        Math.pow(10, reference[0]), -reference[1], Hypervolume.of(objectives, reference));
  }

  private static void header(PrintStream out) {
    out.printf("  %-16s %-44s %12s %8s%n", "experiment", "composition (mol frac) | anneal",
        "σ25 (S/cm)", "Ea (eV)");
  }

  private static void line(ResultRow r, PrintStream out) {
    out.printf("  %-16s %-44s %12.3e %8.3f%n", CampaignCommand.shortId(r.experimentId()),
        composition(r.x()), Math.pow(10, r.log10Sigma25()), r.eaEv());
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
