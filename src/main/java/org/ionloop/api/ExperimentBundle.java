package org.ionloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * One experiment as a ZIP a scientist opens in Origin, Excel or pandas: each temperature's raw
 * spectrum as CSV, the circuit fits with each parameter's standard error, σ(T), the Arrhenius fit
 * and the experiment as the API gives it. Numbers are written with a dot and full precision.
 */
final class ExperimentBundle {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExperimentBundle() {}

  /**
   * @param experiment the experiment view (steps, measurements, arrhenius, objectives)
   * @param spectra    its spectra view ({@code temperature_c}, {@code points} [f, Z', Z''])
   */
  static byte[] of(JsonNode experiment, JsonNode spectra) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
      String id = experiment.path("id").asText();
      put(zip, "README.txt", readme(id));
      put(zip, "experiment.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(experiment));
      for (JsonNode s : spectra) {
        StringBuilder csv = new StringBuilder("frequency_hz,z_real_ohm,z_imag_ohm\r\n");
        for (JsonNode p : s.path("points")) {
          csv.append(p.get(0).asText()).append(',').append(p.get(1).asText()).append(',').append(p.get(2).asText())
              .append("\r\n");
        }
        put(zip, "spectra/" + temperature(s.path("temperature_c").asDouble()) + ".csv", csv.toString());
      }
      StringBuilder fits = new StringBuilder("temperature_c,circuit,parameter,value,std_err\r\n");
      StringBuilder sigma = new StringBuilder("temperature_c,resistance_ohm,resistance_std_err_ohm,sigma_s_cm,"
          + "sigma_std_err_s_cm,bulk_resolved,kramers_kronig_valid,chi_square\r\n");
      for (JsonNode m : experiment.path("measurements")) {
        String t = m.path("temperature_c").asText();
        String circuit = '"' + m.path("circuit").asText().replace("\"", "\"\"") + '"'; // it holds commas
        m.path("parameters").fields().forEachRemaining(p -> fits.append(t).append(',').append(circuit)
            .append(',').append(p.getKey()).append(',').append(p.getValue().asText()).append(',')
            .append(text(m.path("parameter_std_errs").path(p.getKey()))).append("\r\n"));
        sigma.append(t).append(',').append(text(m.path("resistance_ohm"))).append(',').append(text(m.path("resistance_se_ohm")))
            .append(',').append(text(m.path("sigma_s_cm"))).append(',').append(text(m.path("sigma_se_s_cm"))).append(',')
            .append(m.path("bulk_resolved").asBoolean()).append(',').append(text(m.path("kk_valid"))).append(',')
            .append(text(m.path("chi_square"))).append("\r\n");
      }
      put(zip, "fits.csv", fits.toString());
      put(zip, "conductivity.csv", sigma.toString());
      var arrhenius = JSON.createObjectNode();
      arrhenius.set("fit", experiment.path("arrhenius_fit"));
      arrhenius.set("points", experiment.path("arrhenius").path("points"));
      put(zip, "arrhenius.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(arrhenius));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** File name of a temperature's spectrum, e.g. {@code 25C}, {@code -25C}, {@code 37.5C}. */
  static String temperature(double t) {
    return (t == Math.rint(t) ? String.valueOf((long) t) : String.format(Locale.ROOT, "%s", t)) + "C";
  }

  private static String text(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? "" : n.asText();
  }

  private static void put(ZipOutputStream zip, String name, String content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  private static String readme(String id) {
    return "Experiment " + id + ", exported by ionloop.\r\n\r\n"
        + "spectra/<T>C.csv   raw impedance spectrum at each cell temperature: frequency (Hz), Z' and Z'' (ohm;\r\n"
        + "                   Z'' as measured, negative for a capacitive arc)\r\n"
        + "fits.csv           the equivalent-circuit fit per temperature: each parameter with its standard error\r\n"
        + "                   (empty where undetermined, or for fits stored before errors were kept)\r\n"
        + "conductivity.csv   the resistance used for sigma (see experiment.json, measurements[].fit_reason and the\r\n"
        + "                   basis), sigma = L / (R A) with its standard error, the Kramers-Kronig verdict\r\n"
        + "arrhenius.json     ln(sigma T) against 1000/T and the fit (Ea, log10 sigma at 25 C, standard errors)\r\n"
        + "experiment.json    everything above and the steps, as the API gives it\r\n";
  }
}
