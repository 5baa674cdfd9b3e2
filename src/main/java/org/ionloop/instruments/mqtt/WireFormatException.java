package org.ionloop.instruments.mqtt;

import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/** A payload that does not follow wire contract v1; carries the command id when one was readable. */
public final class WireFormatException extends IonloopException {
  private static final long serialVersionUID = 1L;
  private final String commandId;

  public WireFormatException(String message, String commandId) {
    super(ErrorCode.BAD_PAYLOAD, message);
    this.commandId = commandId;
  }

  /** The id read from the payload, or null. */
  public String commandId() {
    return commandId;
  }
}
