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
