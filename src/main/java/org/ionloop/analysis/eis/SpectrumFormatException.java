package org.ionloop.analysis.eis;

import java.nio.file.Path;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/** A spectrum file that cannot be read; the message names the file and the line (1-based). */
public final class SpectrumFormatException extends IonloopException {
  private static final long serialVersionUID = 1L;

  public SpectrumFormatException(Path file, int line, String problem) {
    super(ErrorCode.INVALID_SPEC, file + (line > 0 ? ":" + line : "") + ": " + problem);
  }
}
