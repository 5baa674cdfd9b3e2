package org.ionloop.instruments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ionloop.instruments.modbus.RegisterMap;
import org.ionloop.spec.SpecDocument;
import org.ionloop.spec.SpecNode;

/**
 * An instrument as described by its file in {@code instruments/}: transport and address, the
 * actions it offers and the safety limits of their parameters.
 *
 * @param id        instrument id, also the MQTT topic segment
 * @param transport "mqtt" or "modbus"
 * @param mqtt      MQTT settings when transport is mqtt
 * @param modbus    Modbus settings when transport is modbus
 * @param actions   offered actions by name
 * @param sampleFailures device error codes that mean the sample failed, not the instrument (a
 *                  cracked pellet): such a failure does not count against the instrument
 */
public record InstrumentSpec(String id, String transport, Mqtt mqtt, Modbus modbus,
    Map<String, ActionSpec> actions, java.util.Set<String> sampleFailures) {

  public InstrumentSpec(String id, String transport, Mqtt mqtt, Modbus modbus, Map<String, ActionSpec> actions) {
    this(id, transport, mqtt, modbus, actions, java.util.Set.of());
  }

  /**
   * MQTT addressing and security: topics are {@code ionloop/v1/{lab}/{id}/cmd|evt|state}.
   *
   * @param credentials name of a credential set the orchestrator uses on the broker, resolved
   *                    from the environment ({@code IONLOOP_CREDENTIALS_<NAME>_USERNAME} and
   *                    {@code _PASSWORD}) so no secret lives in the file; null for anonymous
   * @param tlsCaFile   PEM file of the CA that signed the broker's certificate; null for plain TCP
   */
  public record Mqtt(String lab, String credentials, String tlsCaFile) {}

  /**
   * Modbus TCP addressing, behaviour profile and register map (DESIGN §6).
   *
   * @param profile      "furnace-v1" or "impedance-v1": how actions map onto the registers
   * @param pollInterval how often input registers are polled while a command runs
   * @param registers    the device's registers; the v1 reference map when the file names none
   */
  public record Modbus(String host, int port, int unitId, String profile, Duration pollInterval,
      RegisterMap registers) {
    /** With the v1 reference register map of the profile. */
    public Modbus(String host, int port, int unitId, String profile, Duration pollInterval) {
      this(host, port, unitId, profile, pollInterval, RegisterMap.reference(profile));
    }
  }

  /** Loads and validates one instrument file. */
  public static InstrumentSpec load(Path file) {
    SpecNode root = SpecDocument.read(file).root();
    root.allowOnly("version", "id", "description", "transport", "mqtt", "modbus", "actions", "sample_failures");
    if (root.requiredInt("version") != 1) {
      throw root.required("version").error("unsupported version (this ionloop reads 1)");
    }
    String id = root.requiredText("id");
    if (!id.matches("[A-Za-z0-9_-]+")) {
      throw root.required("id").error("must be letters, digits, '-' or '_' (it is a topic segment)");
    }
    String transport = root.requiredText("transport");
    Mqtt mqtt = null;
    Modbus modbus = null;
    switch (transport) {
      case "mqtt" -> {
        SpecNode m = root.requiredObject("mqtt");
        m.allowOnly("lab", "credentials", "tls_ca_file");
        String lab = m.requiredText("lab");
        if (!lab.matches("[A-Za-z0-9_-]+")) {
          throw m.required("lab").error("must be letters, digits, '-' or '_' (it is a topic segment)");
        }
        mqtt = new Mqtt(lab, m.optionalText("credentials", null), m.optionalText("tls_ca_file", null));
      }
      case "modbus" -> {
        SpecNode m = root.requiredObject("modbus");
        m.allowOnly("host", "port", "unit_id", "profile", "poll_interval_ms", "word_order", "registers");
        String profile = m.requiredText("profile");
        if (!profile.equals("furnace-v1") && !profile.equals("impedance-v1")) {
          throw m.required("profile").error("unknown profile (known: furnace-v1, impedance-v1)");
        }
        int port = m.requiredInt("port");
        if (port < 1 || port > 65535) {
          throw m.required("port").error("must be 1..65535");
        }
        modbus = new Modbus(m.requiredText("host"), port, m.optionalInt("unit_id", 1), profile,
            Duration.ofMillis(m.optionalInt("poll_interval_ms", 500)), registers(m, profile));
      }
      default -> throw root.required("transport").error("must be 'mqtt' or 'modbus'");
    }
    Map<String, ActionSpec> actions = new LinkedHashMap<>();
    for (Map.Entry<String, SpecNode> a : root.requiredObject("actions").entries().entrySet()) {
      SpecNode an = a.getValue();
      an.allowOnly("timeout", "params");
      Map<String, ParameterSpec> params = new LinkedHashMap<>();
      for (Map.Entry<String, SpecNode> p : an.entries("params").entrySet()) {
        SpecNode pn = p.getValue();
        pn.allowOnly("type", "unit", "min", "max", "required");
        String type = pn.optionalText("type", "number");
        if (!type.equals("number") && !type.equals("string") && !type.equals("object")) {
          throw pn.required("type").error("must be number, string or object");
        }
        double min = pn.optionalDouble("min", Double.NEGATIVE_INFINITY);
        double max = pn.optionalDouble("max", Double.POSITIVE_INFINITY);
        if (min > max) {
          throw pn.required("min").error("min " + min + " is above max " + max);
        }
        boolean required = pn.has("required") && pn.required("required").raw().asBoolean();
        params.put(p.getKey(), new ParameterSpec(p.getKey(), type, pn.optionalText("unit", ""),
            min, max, required));
      }
      actions.put(a.getKey(), new ActionSpec(a.getKey(), Map.copyOf(params),
          an.optionalDuration("timeout", Duration.ofHours(1))));
    }
    java.util.Set<String> sampleFailures = new java.util.LinkedHashSet<>();
    if (root.has("sample_failures")) {
      for (SpecNode code : root.list("sample_failures")) {
        if (!code.raw().isTextual() || !code.raw().asText().matches("[A-Z0-9_]+")) {
          throw code.error("must be a device error code (upper case, digits, '_'), got " + code.raw());
        }
        sampleFailures.add(code.raw().asText());
      }
    }
    return new InstrumentSpec(id, transport, mqtt, modbus, Map.copyOf(actions), java.util.Set.copyOf(sampleFailures));
  }

  /** The same instrument reached at another Modbus endpoint (the demo's free ports). */
  public InstrumentSpec withModbusEndpoint(String host, int port, Duration pollInterval) {
    return new InstrumentSpec(id, transport, mqtt, new Modbus(host, port, modbus.unitId(),
        modbus.profile(), pollInterval, modbus.registers()), actions, sampleFailures);
  }

  /** The register map of a modbus section: the file's, checked against the profile, or v1's. */
  private static RegisterMap registers(SpecNode m, String profile) {
    String order = m.optionalText("word_order", "ABCD");
    if (!order.equals("ABCD") && !order.equals("CDAB")) {
      throw m.required("word_order").error("must be ABCD (high word first) or CDAB");
    }
    if (!m.has("registers")) {
      return RegisterMap.reference(profile);
    }
    java.util.Map<String, RegisterMap.Register> regs = new LinkedHashMap<>();
    for (Map.Entry<String, SpecNode> e : m.requiredObject("registers").entries().entrySet()) {
      SpecNode r = e.getValue();
      r.allowOnly("table", "address", "type", "scale", "unit", "access", "min", "max");
      RegisterMap.Table table = enumValue(r, "table", RegisterMap.Table.class);
      RegisterMap.Type type = enumValue(r, "type", RegisterMap.Type.class);
      int address = r.requiredInt("address");
      if (address < 0 || address > 65535) {
        throw r.required("address").error("must be 0..65535");
      }
      String access = r.optionalText("access", "r");
      if (!access.equals("r") && !access.equals("rw")) {
        throw r.required("access").error("must be 'r' or 'rw'");
      }
      if (access.equals("rw") && table == RegisterMap.Table.INPUT) {
        throw r.required("access").error("input registers cannot be written");
      }
      double min = r.optionalDouble("min", Double.NEGATIVE_INFINITY);
      double max = r.optionalDouble("max", Double.POSITIVE_INFINITY);
      if (min > max) {
        throw r.required("min").error("min " + min + " is above max " + max);
      }
      regs.put(e.getKey(), new RegisterMap.Register(e.getKey(), table, address, type,
          r.optionalDouble("scale", 1), order.equals("ABCD"), r.optionalText("unit", ""),
          access.equals("rw"), min, max));
    }
    for (String needed : RegisterMap.required(profile)) {
      if (!regs.containsKey(needed)) {
        throw m.required("registers").error("profile " + profile + " needs a register '" + needed + "'");
      }
    }
    return new RegisterMap(Map.copyOf(regs));
  }

  private static <E extends Enum<E>> E enumValue(SpecNode n, String field, Class<E> type) {
    String v = n.requiredText(field);
    try {
      return Enum.valueOf(type, v.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw n.required(field).error("must be one of " + java.util.Arrays.toString(type.getEnumConstants())
          .toLowerCase(java.util.Locale.ROOT));
    }
  }

  /**
   * Checks a command against this spec before anything goes on the wire.
   *
   * @return a description of the first violation, or empty when the command is allowed
   */
  public Optional<String> violation(String action, Map<String, Object> params) {
    ActionSpec a = actions.get(action);
    if (a == null) {
      return Optional.of(id + " does not offer action '" + action + "' (offers "
          + String.join(", ", actions.keySet()) + ")");
    }
    for (ParameterSpec p : a.parameters().values()) {
      Object v = params.get(p.name());
      if (v == null) {
        if (p.required()) {
          return Optional.of(action + ": parameter '" + p.name() + "' is required");
        }
        continue;
      }
      if (p.type().equals("number")) {
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
          return Optional.of(action + ": parameter '" + p.name() + "' must be a number");
        }
        double d = n.doubleValue();
        if (d < p.min() || d > p.max()) {
          return Optional.of(String.format("%s: %s = %s %s is outside the limit [%s, %s] of %s",
              action, p.name(), d, p.unit(), p.min(), p.max(), id));
        }
      }
    }
    for (String name : params.keySet()) {
      if (!a.parameters().containsKey(name)) {
        return Optional.of(action + ": parameter '" + name + "' is not declared by " + id);
      }
    }
    return Optional.empty();
  }
}
