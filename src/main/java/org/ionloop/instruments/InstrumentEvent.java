package org.ionloop.instruments;

import java.util.Map;

/**
 * What an instrument reports about a command (wire contract v1 {@code evt.type}).
 * Modbus instruments produce the same events from their status registers.
 */
public sealed interface InstrumentEvent {
  /** Id of the command this event belongs to. */
  String commandId();

  /** The instrument accepted the command. */
  record Ack(String commandId) implements InstrumentEvent {}

  /** Progress in [0, 1]. */
  record Progress(String commandId, double fraction) implements InstrumentEvent {}

  /** The command finished; {@code result} holds measured values (e.g. {@code thickness_mm}). */
  record Done(String commandId, Map<String, Object> result) implements InstrumentEvent {}

  /** The command failed on the instrument, with the instrument's code and message. */
  record Error(String commandId, String code, String message) implements InstrumentEvent {}
}
