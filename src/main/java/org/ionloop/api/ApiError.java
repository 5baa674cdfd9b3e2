package org.ionloop.api;

/**
 * An error the API answers with: an HTTP status, a stable machine-readable code and a message a
 * person can act on. Rendered as {@code {"code": …, "message": …}}.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static ApiError notFound(String what) {
    return new ApiError(404, "not_found", what);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }

  static ApiError conflict(String message) {
    return new ApiError(409, "conflict", message);
  }
}
