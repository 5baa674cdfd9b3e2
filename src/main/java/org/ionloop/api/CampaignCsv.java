package org.ionloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A campaign's experiments as CSV: one row each; the campaign's objectives (each with its standard
 * error) and the design variables as columns; RFC 4180 quoting.
 */
final class CampaignCsv {
  private static final List<String> FIXED = List.of("experiment_id", "seq_no", "state", "failure",
      "started_at", "finished_at", "acquisition", "model_version");

  private CampaignCsv() {}

  /** @param objectives the campaign's objective names, in its order */
  static String of(List<String> objectives, JsonNode experiments) {
    Set<String> variables = new LinkedHashSet<>();
    for (JsonNode e : experiments) {
      e.path("x").fieldNames().forEachRemaining(variables::add);
    }
    List<String> header = new ArrayList<>(FIXED);
    for (String o : objectives) {
      header.add(o);
      header.add(o + "_se");
    }
    header.addAll(variables);
    StringBuilder sb = new StringBuilder(String.join(",", header)).append("\r\n");
    for (JsonNode e : experiments) {
      List<String> cells = new ArrayList<>();
      cells.add(text(e.get("id")));
      for (String f : FIXED.subList(1, FIXED.size())) {
        cells.add(text(e.get(f)));
      }
      for (String o : objectives) {
        cells.add(text(e.path("objectives").path(o).get("value")));
        cells.add(text(e.path("objectives").path(o).get("std_err")));
      }
      for (String v : variables) {
        cells.add(text(e.path("x").get(v)));
      }
      Iterator<String> it = cells.iterator();
      while (it.hasNext()) {
        sb.append(quote(it.next()));
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? "" : n.asText();
  }

  private static String quote(String cell) {
    if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
      return '"' + cell.replace("\"", "\"\"") + '"';
    }
    return cell;
  }
}
