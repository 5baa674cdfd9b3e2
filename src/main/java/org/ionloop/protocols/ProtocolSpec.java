package org.ionloop.protocols;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ionloop.spec.SpecDocument;
import org.ionloop.spec.SpecNode;

/**
 * A protocol file ({@code protocols/*.yaml}, schema version 1): the ordered steps a robot cell
 * follows to make and measure one sample.
 *
 * @param id          protocol id
 * @param batchMassMg total precursor mass per sample, mg (used by {@code ${masses_mg}})
 * @param steps       steps in order
 * @param file        where it was loaded from
 */
public record ProtocolSpec(String id, double batchMassMg, List<ProtocolStep> steps, Path file) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * This protocol with every step deadline compressed by {@code timeScale} (real seconds per lab
   * second), for a simulated lab whose clock runs faster than the wall's. The deadlines in the file
   * are written for real hardware (a 30-minute dispense); on a lab running 10 000× faster a lost
   * link would otherwise stall each step for the full real-lab time. {@code floor} keeps scaled
   * deadlines above message and scheduling latency, which does not compress.
   */
  public ProtocolSpec onLabClock(double timeScale, Duration floor) {
    if (!(timeScale > 0) || timeScale >= 1) {
      return this;
    }
    List<ProtocolStep> scaled = steps.stream().map(s -> {
      Duration compressed = Duration.ofNanos(Math.round(s.timeout().toNanos() * timeScale));
      Duration timeout = compressed.compareTo(floor) < 0 ? floor : compressed;
      return new ProtocolStep(s.id(), s.role(), s.action(), s.params(), timeout, s.retries(),
          s.acquire(), s.release(), s.temperaturesC(), s.save(), s.measures(), s.approval(), s.line());
    }).toList();
    return new ProtocolSpec(id, batchMassMg, scaled, file);
  }

  /** Loads and checks the file on its own; {@link ProtocolValidator} checks it against a lab. */
  @SuppressWarnings("unchecked")
  public static ProtocolSpec load(Path file) {
    SpecNode root = SpecDocument.read(file).root();
    root.allowOnly("version", "id", "description", "batch_mass_mg", "steps");
    if (root.requiredInt("version") != 1) {
      throw root.required("version").error("unsupported version (this ionloop reads 1)");
    }
    String id = root.requiredText("id");
    double batch = root.requiredDouble("batch_mass_mg");
    if (!(batch > 0)) {
      throw root.required("batch_mass_mg").error("must be > 0");
    }
    List<SpecNode> stepNodes = root.list("steps");
    if (stepNodes.isEmpty()) {
      throw root.required("steps").error("must list at least one step");
    }
    List<ProtocolStep> steps = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Map<String, SpecNode> measured = new java.util.HashMap<>();
    for (SpecNode s : stepNodes) {
      s.allowOnly("id", "instrument", "action", "params", "timeout", "retries", "acquire",
          "release", "temperatures_c", "save", "measures", "approval");
      String stepId = s.requiredText("id");
      if (!ids.add(stepId)) {
        throw s.required("id").error("duplicate step id '" + stepId + "'");
      }
      int retries = s.optionalInt("retries", 0);
      if (retries < 0 || retries > 10) {
        throw s.required("retries").error("must be 0..10");
      }
      Duration timeout = s.optionalDuration("timeout", Duration.ofHours(1));
      if (timeout.isNegative() || timeout.isZero()) {
        throw s.required("timeout").error("must be positive");
      }
      List<Double> temps = new ArrayList<>();
      for (SpecNode t : s.list("temperatures_c")) {
        double v = t.asDouble();
        if (v < -50 || v > 400) {
          throw t.error("cell temperature " + v + " °C is outside −50..400 °C");
        }
        temps.add(v);
      }
      Map<String, Object> params = s.has("params")
          ? JSON.convertValue(s.requiredObject("params").raw(), Map.class) : Map.of();
      steps.add(new ProtocolStep(stepId, s.requiredText("instrument"), s.requiredText("action"),
          params, timeout, retries, roles(s, "acquire"), roles(s, "release"), List.copyOf(temps),
          s.optionalText("save", null), measures(s, measured), approval(s), s.line()));
    }
    return new ProtocolSpec(id, batch, List.copyOf(steps), file);
  }

  /** The measurements a step's result carries; each name once in the whole protocol. */
  private static List<ProtocolStep.Measured> measures(SpecNode s, Map<String, SpecNode> seen) {
    List<ProtocolStep.Measured> out = new ArrayList<>();
    for (SpecNode m : s.list("measures")) {
      m.allowOnly("name", "field", "unit", "std_err_field");
      String name = m.requiredColumnName("name");
      SpecNode before = seen.putIfAbsent(name, m);
      if (before != null) {
        throw m.required("name").error("measurement '" + name + "' is already declared (line "
            + before.line() + "): each measurement has one step");
      }
      String field = m.optionalText("field", name);
      String stdErr = m.optionalText("std_err_field", null);
      if (field.equals(stdErr)) {
        throw m.required("std_err_field").error("is the value's own field '" + field + "'");
      }
      out.add(new ProtocolStep.Measured(name, field, m.optionalText("unit", ""), stdErr));
    }
    return List.copyOf(out);
  }

  /** Every measurement the protocol's steps declare, by name. */
  public Map<String, ProtocolStep.Measured> measurements() {
    Map<String, ProtocolStep.Measured> all = new java.util.LinkedHashMap<>();
    steps.forEach(st -> st.measures().forEach(m -> all.put(m.name(), m)));
    return all;
  }

  /** The most cell temperatures any impedance step measures (an Arrhenius fit needs two). */
  public int impedanceTemperatures() {
    return steps.stream().mapToInt(st -> st.temperaturesC().size()).max().orElse(0);
  }

  /** An approval gate: what the operator is asked before the step runs, or null for none. */
  private static String approval(SpecNode s) {
    if (!s.has("approval")) {
      return null;
    }
    String prompt = s.requiredText("approval").strip();
    if (prompt.isEmpty()) {
      throw s.required("approval").error("must say what the operator approves");
    }
    return prompt;
  }

  private static List<String> roles(SpecNode s, String field) {
    List<String> out = new ArrayList<>();
    for (SpecNode r : s.list(field)) {
      if (!r.raw().isTextual()) {
        throw r.error("must be an instrument role name");
      }
      out.add(r.raw().asText());
    }
    return List.copyOf(out);
  }
}
