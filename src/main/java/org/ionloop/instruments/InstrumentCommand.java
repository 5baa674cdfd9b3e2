package org.ionloop.instruments;

import java.time.Duration;
import java.util.Map;

/**
 * One command for an instrument, as it goes on the wire (MQTT contract v1 {@code cmd}).
 *
 * @param commandId unique id; a repeated id is the same command and is never executed twice
 * @param action    an action the instrument's spec offers, e.g. {@code dispense}, {@code anneal}
 * @param params    action parameters in wire units (names carry the unit: {@code setpoint_c})
 * @param deadline  how long the orchestrator waits for {@code done} before failing the step
 * @param resent    this id may already have reached the device (sent before a crash or a lost
 *                  link, outcome not in the log): a driver for a device that cannot recognise a
 *                  repeated command must find out from the device what became of it, never
 *                  simply run it again
 */
public record InstrumentCommand(String commandId, String action, Map<String, Object> params,
    Duration deadline, boolean resent) {
  public InstrumentCommand {
    params = Map.copyOf(params);
  }

  /** A command sent for the first time. */
  public InstrumentCommand(String commandId, String action, Map<String, Object> params, Duration deadline) {
    this(commandId, action, params, deadline, false);
  }
}
