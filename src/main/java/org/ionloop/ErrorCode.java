package org.ionloop;

/**
 * Machine-readable error categories. Callers branch on the code, never on message text
 * (the Milo {@code StatusCode} / Paho {@code REASON_CODE_*} idea).
 */
public enum ErrorCode {
  /** A user file (campaign, protocol, instrument) is malformed or inconsistent. */
  INVALID_SPEC,
  /** A command parameter is outside an instrument's declared safety limit. */
  LIMIT,
  /** The instrument or transport reported an error while executing. */
  INSTRUMENT_ERROR,
  /**
   * The instrument worked and the sample did not (a pellet cracked in the press): the experiment
   * fails, the instrument is not to blame. Which device error codes mean this, the instrument file
   * says ({@code sample_failures}).
   */
  SAMPLE_FAILED,
  /** No reply arrived before the command's deadline. */
  TIMEOUT,
  /** The transport is not connected. */
  NOT_CONNECTED,
  /** A wire payload could not be decoded. */
  BAD_PAYLOAD,
  /** A numerical routine could not produce a trustworthy answer. */
  NUMERICAL,
  /** A model file could not be loaded or run. */
  MODEL,
  /** Storage failed. */
  STORE,
  /**
   * A command re-sent after a crash reached a device that cannot recognise it, and the device's
   * state cannot tell whether it ran: an operator must say (it is never simply run again).
   */
  OUTCOME_UNKNOWN,
  /** The installation's configuration (reference.conf, -D options, environment) is incomplete. */
  CONFIG
}
