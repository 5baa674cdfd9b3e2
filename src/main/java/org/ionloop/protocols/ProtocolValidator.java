package org.ionloop.protocols;

import java.util.Map;
import org.ionloop.instruments.ActionSpec;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.instruments.ParameterSpec;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.spec.SpecException;

/**
 * Checks a protocol against the instruments a campaign binds and the campaign's design space,
 * before anything runs: every role is bound, every action offered, every parameter declared,
 * and no literal value — nor any value a candidate can take — exceeds an instrument's limit.
 */
public final class ProtocolValidator {
  private ProtocolValidator() {}

  /**
   * @param pools instrument specs for each role name (every instrument of a pool is checked)
   * @throws SpecException naming the protocol file, the step's line and the field
   */
  public static void validatePools(ProtocolSpec p, Map<String, java.util.List<InstrumentSpec>> pools,
      DesignSpace space) {
    int size = pools.values().stream().mapToInt(java.util.List::size).max().orElse(0);
    for (int i = 0; i < size; i++) {
      Map<String, InstrumentSpec> roles = new java.util.HashMap<>();
      for (Map.Entry<String, java.util.List<InstrumentSpec>> e : pools.entrySet()) {
        roles.put(e.getKey(), e.getValue().get(Math.min(i, e.getValue().size() - 1)));
      }
      validate(p, roles, space);
    }
  }

  /**
   * @param roles instrument spec for each role name
   * @throws SpecException naming the protocol file, the step's line and the field
   */
  public static void validate(ProtocolSpec p, Map<String, InstrumentSpec> roles, DesignSpace space) {
    for (int i = 0; i < p.steps().size(); i++) {
      ProtocolStep s = p.steps().get(i);
      String at = "steps[" + i + "]";
      InstrumentSpec inst = roles.get(s.role());
      if (inst == null) {
        throw new SpecException(p.file(), s.line(), at + ".instrument", "role '" + s.role()
            + "' is not bound by the campaign (bound: " + String.join(", ", roles.keySet()) + ")");
      }
      for (String r : concat(s.acquire(), s.release())) {
        if (!roles.containsKey(r)) {
          throw new SpecException(p.file(), s.line(), at + ".acquire/release", "role '" + r
              + "' is not bound by the campaign");
        }
      }
      ActionSpec action = inst.actions().get(s.action());
      if (action == null) {
        throw new SpecException(p.file(), s.line(), at + ".action", inst.id() + " does not offer '"
            + s.action() + "' (offers " + String.join(", ", inst.actions().keySet()) + ")");
      }
      for (Map.Entry<String, Object> e : s.params().entrySet()) {
        String field = at + ".params." + e.getKey();
        checkReferences(p, s, field, e.getValue(), roles, space);
        ParameterSpec ps = action.parameters().get(e.getKey());
        if (ps == null) {
          throw new SpecException(p.file(), s.line(), field, "not a parameter of " + inst.id()
              + " " + s.action() + " (declared: " + String.join(", ", action.parameters().keySet()) + ")");
        }
        checkRange(p, s, field, ps, inst, e.getValue(), space);
      }
      for (ParameterSpec ps : action.parameters().values()) {
        if (ps.required() && !s.params().containsKey(ps.name())) {
          throw new SpecException(p.file(), s.line(), at + ".params." + ps.name(),
              "required by " + inst.id() + " " + s.action());
        }
      }
    }
  }

  /**
   * Every {@code ${…}} in a value (lists and mappings too) names something the runner can fill
   * in for this step: {@code masses_mg}, {@code sample_id}, {@code temperature_c} on a step with
   * temperatures, {@code candidate.<design variable>} or {@code instrument.<bound role>}. A
   * reference that is not exactly one {@code ${name}} is refused, so that nothing half-replaced
   * goes on the wire.
   */
  private static void checkReferences(ProtocolSpec p, ProtocolStep s, String field, Object value,
      Map<String, InstrumentSpec> roles, DesignSpace space) {
    if (value instanceof java.util.List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        checkReferences(p, s, field + "[" + i + "]", list.get(i), roles, space);
      }
    } else if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        checkReferences(p, s, field + "." + e.getKey(), e.getValue(), roles, space);
      }
    } else if (value instanceof String str && str.contains("${")) {
      if (!str.startsWith("${") || !str.endsWith("}") || str.indexOf("${", 2) >= 0
          || str.indexOf('}') != str.length() - 1 || str.length() < 4) {
        throw new SpecException(p.file(), s.line(), field, "a reference must be the whole value,"
            + " exactly ${name}, got '" + str + "'");
      }
      String name = str.substring(2, str.length() - 1);
      boolean known = switch (name) {
        case "masses_mg", "sample_id" -> true;
        case "temperature_c" -> !s.temperaturesC().isEmpty();
        default -> name.startsWith("candidate.") ? space.indexOf(name.substring(10)) >= 0
            : name.startsWith("instrument.") && roles.containsKey(name.substring(11));
      };
      if (!known) {
        throw new SpecException(p.file(), s.line(), field, "unknown reference '" + str + "' (this step"
            + " can use ${masses_mg}, ${sample_id}" + (s.temperaturesC().isEmpty() ? "" : ", ${temperature_c}")
            + ", ${candidate.X} for X in " + space.names() + ", ${instrument.R} for R in "
            + new java.util.TreeSet<>(roles.keySet()) + ")");
      }
    }
  }

  private static void checkRange(ProtocolSpec p, ProtocolStep s, String field, ParameterSpec ps,
      InstrumentSpec inst, Object value, DesignSpace space) {
    if (!ps.type().equals("number")) {
      return;
    }
    double lo;
    double hi;
    if (value instanceof Number n) {
      lo = hi = n.doubleValue();
    } else if (value instanceof String str && str.startsWith("${candidate.")) {
      String name = str.substring(12, str.length() - 1);
      int idx = space.indexOf(name);
      if (idx < 0) {
        throw new SpecException(p.file(), s.line(), field, "refers to '" + name
            + "', which is not in the campaign's design space " + space.names());
      }
      DesignSpace.Range r = idx < space.precursorCount() ? space.precursors().get(idx)
          : space.process().get(idx - space.precursorCount());
      lo = r.min();
      hi = r.max();
    } else if ("${temperature_c}".equals(value) && !s.temperaturesC().isEmpty()) {
      lo = s.temperaturesC().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      hi = s.temperaturesC().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    } else {
      throw new SpecException(p.file(), s.line(), field, "must be a number or a ${candidate.…} "
          + "reference, got '" + value + "'");
    }
    if (lo < ps.min() || hi > ps.max()) {
      throw new SpecException(p.file(), s.line(), field, String.format(
          "can reach %s..%s %s, outside the safety limit [%s, %s] of %s", lo, hi, ps.unit(),
          ps.min(), ps.max(), inst.id()));
    }
  }

  private static java.util.List<String> concat(java.util.List<String> a, java.util.List<String> b) {
    java.util.List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
