package org.ionloop;

/** Root of ionloop's exceptions; carries an {@link ErrorCode} for callers to branch on. */
public class IonloopException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public IonloopException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public IonloopException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
