package org.ionloop.protocols;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ionloop.planner.space.Precursor;

/**
 * Resolves a step's parameters for one experiment. A string value {@code "${name}"} is replaced by:
 * <ul>
 *   <li>{@code candidate.<coordinate>} — the candidate's value (e.g. {@code candidate.anneal_c});</li>
 *   <li>{@code masses_mg} — precursor masses for the protocol's batch mass:
 *       m_i = M · f_i·MM_i / Σ_j f_j·MM_j (f mole fractions, MM molar masses);</li>
 *   <li>{@code sample_id}, {@code temperature_c} and {@code instrument.<role>}.</li>
 * </ul>
 */
public final class StepParameters {
  private StepParameters() {}

  /** What a step's parameters may refer to. */
  public record Context(String sampleId, Map<String, Double> candidate,
      Map<String, Double> fractions, double batchMassMg, Map<String, String> instruments,
      Double temperatureC) {}

  /**
   * @throws IllegalArgumentException naming the unknown reference
   */
  public static Map<String, Object> resolve(Map<String, Object> params, Context ctx) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : params.entrySet()) {
      out.put(e.getKey(), resolveValue(e.getValue(), ctx));
    }
    return out;
  }

  private static Object resolveValue(Object v, Context ctx) {
    if (!(v instanceof String s) || !s.startsWith("${") || !s.endsWith("}")) {
      return v;
    }
    String name = s.substring(2, s.length() - 1);
    if (name.equals("masses_mg")) {
      return masses(ctx.fractions(), ctx.batchMassMg());
    }
    if (name.equals("sample_id")) {
      return ctx.sampleId();
    }
    if (name.equals("temperature_c") && ctx.temperatureC() != null) {
      return ctx.temperatureC();
    }
    if (name.startsWith("candidate.") && ctx.candidate().containsKey(name.substring(10))) {
      return ctx.candidate().get(name.substring(10));
    }
    if (name.startsWith("instrument.") && ctx.instruments().containsKey(name.substring(11))) {
      return ctx.instruments().get(name.substring(11));
    }
    throw new IllegalArgumentException("unknown reference ${" + name + "}");
  }

  /** Precursor masses (mg, rounded to 0.01 mg) for a batch of {@code batchMassMg}. */
  public static Map<String, Double> masses(Map<String, Double> fractions, double batchMassMg) {
    double molar = 0;
    for (Map.Entry<String, Double> f : fractions.entrySet()) {
      molar += f.getValue() * molarMass(f.getKey());
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> f : fractions.entrySet()) {
      double mg = batchMassMg * f.getValue() * molarMass(f.getKey()) / molar;
      out.put(f.getKey(), Math.round(mg * 100) / 100.0);
    }
    return out;
  }

  private static double molarMass(String precursor) {
    return Precursor.byName(precursor).orElseThrow(
        () -> new IllegalArgumentException("unknown precursor " + precursor)).molarMassGPerMol();
  }
}
