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

  /** The stable code of an HTTP status, for errors the framework or Jetty raise themselves. */
  static String codeFor(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 431 -> "headers_too_large";
      case 500 -> "internal";
      default -> "http_" + status;
    };
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
