package org.ionloop.instruments.modbus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device's registers by name, as the instrument file declares them: table (holding or input),
 * address, type, word order, scale, unit, access and limits. Writes are checked here, before
 * anything goes on the wire: only read-write registers, only within their limits.
 */
public record RegisterMap(Map<String, Register> registers) {

  /** Register tables of Modbus. */
  public enum Table { HOLDING, INPUT }

  /** Value encodings: 16-bit unsigned/signed, 32-bit unsigned or IEEE float in two registers. */
  public enum Type {
    UINT16(1), INT16(1), UINT32(2), FLOAT32(2);

    final int words;

    Type(int words) {
      this.words = words;
    }
  }

  /**
   * One register (or register pair).
   *
   * @param scale     engineering value = raw × scale (integers only; 1 for floats)
   * @param highFirst word order of 32-bit values: true for ABCD (v1 default), false for CDAB
   * @param writable  declared read-write
   * @param min       lowest value that may be written
   * @param max       highest value that may be written
   */
  public record Register(String name, Table table, int address, Type type, double scale,
      boolean highFirst, String unit, boolean writable, double min, double max) {

    public int words() {
      return type.words;
    }

    /** Raw register words for an engineering value (no limit check). */
    public int[] encode(double value) {
      return switch (type) {
        case UINT16, INT16 -> new int[] {((int) Math.round(value / scale)) & 0xFFFF};
        case UINT32 -> {
          long raw = Math.round(value / scale) & 0xFFFF_FFFFL;
          int[] r = {(int) (raw >>> 16), (int) (raw & 0xFFFF)};
          yield highFirst ? r : new int[] {r[1], r[0]};
        }
        case FLOAT32 -> {
          int[] r = RegisterCodec.toRegisters((float) value);
          yield highFirst ? r : new int[] {r[1], r[0]};
        }
      };
    }

    /** Engineering value from raw words starting at {@code offset}. */
    public double decode(int[] raw, int offset) {
      return switch (type) {
        case UINT16 -> (raw[offset] & 0xFFFF) * scale;
        case INT16 -> ((short) raw[offset]) * scale;
        case UINT32 -> {
          int hi = highFirst ? raw[offset] : raw[offset + 1];
          int lo = highFirst ? raw[offset + 1] : raw[offset];
          yield (((long) (hi & 0xFFFF) << 16) | (lo & 0xFFFF)) * scale;
        }
        case FLOAT32 -> highFirst ? RegisterCodec.toFloat(raw[offset], raw[offset + 1])
            : RegisterCodec.toFloat(raw[offset + 1], raw[offset]);
      };
    }
  }

  /** Registers every furnace-v1 map must declare. */
  public static final List<String> FURNACE_V1 = List.of("setpoint_c", "ramp_c_per_min", "dwell_min",
      "command", "temperature_c", "status", "alarm");

  /** Registers every impedance-v1 map must declare ({@code points_start}: first spectrum register). */
  public static final List<String> IMPEDANCE_V1 = List.of("start_hz", "end_hz", "points_per_decade",
      "amplitude_mv", "cell_setpoint_c", "command", "status", "points", "cell_temperature_c",
      "points_start");

  /**
   * Largest job tag. A device with the optional {@code job} (holding) and {@code active_job}
   * (input) registers copies the job tag written with a command into {@code active_job} when it
   * accepts the command, and ignores a command carrying the tag it last accepted. The driver tags
   * each command with a hash of its command id, so a command re-sent after a restart is
   * recognised as already accepted and never runs twice, even when the restart fell between
   * writing the command and the device taking it.
   */
  public static final double JOB_MAX = 0x7FFF_FFFF;

  /**
   * The reference map of DESIGN §6 for a profile (ABCD floats): wire contract v1 and nothing
   * more. The optional job registers are ionloop's extension; an instrument file declares them
   * for a device that has them, since writing them to a v1 device could be refused (illegal
   * data address) or land in a register that means something else.
   */
  public static RegisterMap reference(String profile) {
    Map<String, Register> m = new LinkedHashMap<>();
    if (profile.equals("furnace-v1")) {
      put(m, "setpoint_c", Table.HOLDING, 0, Type.FLOAT32, "°C", true, 25, 1200);
      put(m, "ramp_c_per_min", Table.HOLDING, 2, Type.FLOAT32, "°C/min", true, 0, 50);
      put(m, "dwell_min", Table.HOLDING, 4, Type.FLOAT32, "min", true, 0, 10_000);
      put(m, "command", Table.HOLDING, 6, Type.UINT16, "", true, 1, 3);
      put(m, "temperature_c", Table.INPUT, 0, Type.FLOAT32, "°C", false, 0, 0);
      put(m, "status", Table.INPUT, 2, Type.UINT16, "", false, 0, 0);
      put(m, "alarm", Table.INPUT, 3, Type.UINT16, "", false, 0, 0);
    } else if (profile.equals("impedance-v1")) {
      put(m, "start_hz", Table.HOLDING, 0, Type.FLOAT32, "Hz", true, 1e-3, 1e8);
      put(m, "end_hz", Table.HOLDING, 2, Type.FLOAT32, "Hz", true, 1e-3, 1e8);
      put(m, "points_per_decade", Table.HOLDING, 4, Type.UINT16, "", true, 1, 100);
      put(m, "amplitude_mv", Table.HOLDING, 5, Type.FLOAT32, "mV", true, 0.1, 1000);
      put(m, "cell_setpoint_c", Table.HOLDING, 7, Type.FLOAT32, "°C", true, -50, 400);
      put(m, "command", Table.HOLDING, 10, Type.UINT16, "", true, 1, 3);
      put(m, "status", Table.INPUT, 0, Type.UINT16, "", false, 0, 0);
      put(m, "points", Table.INPUT, 1, Type.UINT16, "", false, 0, 0);
      put(m, "cell_temperature_c", Table.INPUT, 2, Type.FLOAT32, "°C", false, 0, 0);
      put(m, "points_start", Table.INPUT, 100, Type.FLOAT32, "", false, 0, 0);
    } else {
      throw new IllegalArgumentException("unknown profile " + profile);
    }
    return new RegisterMap(Map.copyOf(m));
  }

  private static void put(Map<String, Register> m, String name, Table t, int address, Type type,
      String unit, boolean rw, double min, double max) {
    m.put(name, new Register(name, t, address, type, 1, true, unit, rw, min, max));
  }

  /** Names a profile needs. */
  public static List<String> required(String profile) {
    return profile.equals("furnace-v1") ? FURNACE_V1 : IMPEDANCE_V1;
  }

  /** Whether the map declares {@code name} (for optional registers such as {@code job}). */
  public boolean has(String name) {
    return registers.containsKey(name);
  }

  public Register get(String name) {
    Register r = registers.get(name);
    if (r == null) {
      throw new IllegalArgumentException("register map has no '" + name + "'");
    }
    return r;
  }

  /**
   * Why writing {@code value} to {@code name} is not allowed, if it is not: undeclared, read-only
   * or outside the register's limits.
   */
  public Optional<String> refusal(String name, double value) {
    Register r = registers.get(name);
    if (r == null) {
      return Optional.of("register '" + name + "' is not declared");
    }
    if (!r.writable() || r.table() != Table.HOLDING) {
      return Optional.of("register '" + name + "' is read-only");
    }
    if (!Double.isFinite(value) || value < r.min() || value > r.max()) {
      return Optional.of(String.format("%s = %s %s is outside the register's limits [%s, %s]",
          name, value, r.unit(), r.min(), r.max()));
    }
    return Optional.empty();
  }
}
