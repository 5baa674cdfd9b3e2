package org.ionloop.analysis.eis;

import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/** A circuit description that does not parse; {@link #position()} is 1-based. */
public final class CircuitParseException extends IonloopException {
  private static final long serialVersionUID = 1L;
  private final int position;

  public CircuitParseException(String circuit, int position, String problem) {
    super(ErrorCode.INVALID_SPEC, "circuit '" + circuit + "', position " + position + ": " + problem);
    this.position = position;
  }

  public int position() {
    return position;
  }
}
