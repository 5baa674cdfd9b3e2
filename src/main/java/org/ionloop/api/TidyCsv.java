package org.ionloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A campaign's measurements in long ("tidy") form for pandas or R: one row per experiment,
 * quantity and temperature, with the value, its standard error and unit. Quantities: each of the
 * campaign's objectives, and from the impedance analysis the resistance and σ at every cell
 * temperature and the Arrhenius fit's Ea and log10 σ25.
 */
final class TidyCsv {
  static final String HEADER = "experiment_id,seq_no,quantity,temperature_c,value,std_err,unit";

  private TidyCsv() {}

  /**
   * @param objectives the campaign's objectives (its file's entries: name, unit)
   * @param detailed   each experiment's full view (objectives, measurements, arrhenius_fit)
   */
  static String of(JsonNode objectives, List<? extends JsonNode> detailed) {
    StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
    for (JsonNode e : detailed) {
      String id = e.path("id").asText();
      int seq = e.path("seq_no").asInt();
      for (JsonNode o : objectives) {
        JsonNode v = e.path("objectives").path(o.path("name").asText());
        if (v.has("value") && !v.path("value").isNull()) {
          row(sb, id, seq, o.path("name").asText(), "", v.path("value"), v.path("std_err"), o.path("unit").asText(""));
        }
      }
      for (JsonNode m : e.path("measurements")) {
        String t = m.path("temperature_c").asText();
        row(sb, id, seq, "resistance", t, m.path("resistance_ohm"), m.path("resistance_se_ohm"), "ohm");
        row(sb, id, seq, "sigma", t, m.path("sigma_s_cm"), m.path("sigma_se_s_cm"), "S/cm");
      }
      JsonNode fit = e.path("arrhenius_fit");
      if (fit.isObject()) {
        row(sb, id, seq, "activation_energy", "", fit.path("ea_ev"), fit.path("ea_se_ev"), "eV");
        row(sb, id, seq, "log10_sigma_25c", "25", fit.path("log10_sigma25"), fit.path("log10_sigma25_se"), "log10(S/cm)");
      }
    }
    return sb.toString();
  }

  private static void row(StringBuilder sb, String id, int seq, String quantity, String temperature, JsonNode value,
      JsonNode stdErr, String unit) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    sb.append(id).append(',').append(seq).append(',').append(quantity).append(',').append(temperature).append(',')
        .append(value.asText()).append(',').append(stdErr == null || stdErr.isNull() || stdErr.isMissingNode() ? ""
            : stdErr.asText()).append(',').append(unit.contains(",") ? '"' + unit + '"' : unit).append("\r\n");
  }
}
