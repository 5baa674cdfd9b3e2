package org.ionloop.spec;

import java.nio.file.Path;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * A user file failed validation. The message always names the file, the line (1-based; 0 when
 * unknown) and the field (a JSON-pointer-like path such as {@code budget.experiments}).
 */
public final class SpecException extends IonloopException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final int line;
  private final String field;
  private final String problem;

  public SpecException(Path file, int line, String field, String problem) {
    this(file, line, field, problem, null);
  }

  public SpecException(Path file, int line, String field, String problem, Throwable cause) {
    super(ErrorCode.INVALID_SPEC, format(file, line, field, problem), cause);
    this.file = file;
    this.line = line;
    this.field = field;
    this.problem = problem;
  }

  /** What is wrong, without where. */
  public String problem() {
    return problem;
  }

  /**
   * The message without the file's path, for answers over the API: the server's own copy of a
   * campaign file is nobody's business but the server's.
   */
  public String withoutPath() {
    return (line > 0 ? "line " + line + ": " : "") + "field '" + field + "': " + problem;
  }

  private static String format(Path file, int line, String field, String problem) {
    String where = file + (line > 0 ? ":" + line : "");
    return where + ": field '" + field + "': " + problem;
  }

  public Path file() {
    return file;
  }

  public int line() {
    return line;
  }

  public String field() {
    return field;
  }
}
