package org.ionloop.instruments.modbus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterMapTest {
  @TempDir
  Path dir;

  static RegisterMap.Register reg(RegisterMap.Type type, double scale, boolean highFirst) {
    return new RegisterMap.Register("x", RegisterMap.Table.HOLDING, 0, type, scale, highFirst, "", true,
        -1e9, 1e9);
  }

  @Test
  void floatsFollowTheDeclaredWordOrder() {
    // 550.0f = 0x44098000: ABCD sends 0x4409 then 0x8000, CDAB the other way round.
    assertArrayEquals(new int[] {0x4409, 0x8000}, reg(RegisterMap.Type.FLOAT32, 1, true).encode(550));
    assertArrayEquals(new int[] {0x8000, 0x4409}, reg(RegisterMap.Type.FLOAT32, 1, false).encode(550));
    assertEquals(550.0, reg(RegisterMap.Type.FLOAT32, 1, false).decode(new int[] {0x8000, 0x4409}, 0));
  }

  @Test
  void integersAreScaled() {
    var tenths = reg(RegisterMap.Type.INT16, 0.1, true);
    assertArrayEquals(new int[] {0xFFF6}, tenths.encode(-1.0));
    assertEquals(-1.0, tenths.decode(new int[] {0xFFF6}, 0), 1e-12);
  }

  @Test
  void writesAreRefusedBeyondLimitsOrToReadOnlyRegisters() {
    RegisterMap map = InstrumentSpec.load(Path.of("instruments/furnace-1.yaml")).modbus().registers();
    assertTrue(map.refusal("setpoint_c", 650).isEmpty());
    assertTrue(map.refusal("setpoint_c", 750).orElseThrow().contains("outside the register's limits"));
    assertTrue(map.refusal("temperature_c", 20).orElseThrow().contains("read-only"));
    assertTrue(map.refusal("heater_power", 1).orElseThrow().contains("not declared"));
  }

  @Test
  void aMapMissingAProfileRegisterNamesTheField() throws Exception {
    String yaml = Files.readString(Path.of("instruments/furnace-1.yaml"))
        .replaceAll("(?m)^    alarm:.*$", "");
    Path f = dir.resolve("furnace.yaml");
    Files.writeString(f, yaml);
    SpecException e = assertThrows(SpecException.class, () -> InstrumentSpec.load(f));
    assertEquals("modbus.registers", e.field());
    assertTrue(e.getMessage().contains("needs a register 'alarm'"), e.getMessage());
  }

  @Test
  void inputRegistersCannotBeDeclaredWritable() throws Exception {
    String yaml = Files.readString(Path.of("instruments/furnace-1.yaml"))
        .replace("status:         {table: input, address: 2, type: uint16}",
            "status:         {table: input, address: 2, type: uint16, access: rw}");
    Path f = dir.resolve("furnace.yaml");
    Files.writeString(f, yaml);
    SpecException e = assertThrows(SpecException.class, () -> InstrumentSpec.load(f));
    assertEquals("modbus.registers.status.access", e.field());
  }
}
