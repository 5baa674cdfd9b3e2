package org.ionloop.instruments.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.instruments.InstrumentState;
import org.junit.jupiter.api.Test;

class WireCodecTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void commandRoundTrips() {
    var c = new InstrumentCommand("id-1", "mill", Map.of("rpm", 500, "minutes", 60), Duration.ofMinutes(90));
    var back = WireCodec.decodeCommand(WireCodec.encodeCommand(c, Instant.EPOCH));
    assertEquals(c, back);
  }

  @Test
  void eventsRoundTrip() {
    for (InstrumentEvent e : new InstrumentEvent[] {new InstrumentEvent.Ack("a"),
        new InstrumentEvent.Progress("a", 0.4), new InstrumentEvent.Done("a", Map.of("thickness_mm", 1.02)),
        new InstrumentEvent.Error("a", "JAM", "gripper jammed")}) {
      assertEquals(e, WireCodec.decodeEvent(WireCodec.encodeEvent(e, Instant.EPOCH)));
    }
  }

  @Test
  void unknownFieldsAreIgnored() {
    var e = WireCodec.decodeEvent(b("{\"v\":1,\"id\":\"x\",\"type\":\"ack\",\"vendor\":{\"fw\":\"2.1\"}}"));
    assertEquals(new InstrumentEvent.Ack("x"), e);
  }

  @Test
  void garbageIsRejectedWithoutAnId() {
    var e = assertThrows(WireFormatException.class, () -> WireCodec.decodeEvent(b("not json {")));
    assertNull(e.commandId());
  }

  @Test
  void missingVersionIsRejectedButTheIdIsKept() {
    var e = assertThrows(WireFormatException.class,
        () -> WireCodec.decodeCommand(b("{\"id\":\"c-7\",\"action\":\"mill\"}")));
    assertEquals("c-7", e.commandId());
  }

  @Test
  void progressOutsideZeroToOneIsRejected() {
    assertThrows(WireFormatException.class,
        () -> WireCodec.decodeEvent(b("{\"v\":1,\"id\":\"x\",\"type\":\"progress\",\"progress\":7}")));
  }

  @Test
  void stateUsesLowerCaseStatus() {
    assertEquals(InstrumentState.BUSY, WireCodec.decodeState(b("{\"v\":1,\"status\":\"busy\"}")));
    assertEquals("ionloop/v1/lab/robot-1/cmd", WireCodec.topic("lab", "robot-1", "cmd"));
  }
}
