package org.ionloop.instruments.modbus;

/**
 * 32-bit IEEE-754 floats in two 16-bit registers, high word first (ABCD), as in the v1 register
 * maps (DESIGN §6).
 */
public final class RegisterCodec {
  private RegisterCodec() {}

  /** {high word, low word} of a float. */
  public static int[] toRegisters(float value) {
    int bits = Float.floatToIntBits(value);
    return new int[] {(bits >>> 16) & 0xFFFF, bits & 0xFFFF};
  }

  /** The float held in two registers, high word first. */
  public static float toFloat(int high, int low) {
    return Float.intBitsToFloat(((high & 0xFFFF) << 16) | (low & 0xFFFF));
  }
}
