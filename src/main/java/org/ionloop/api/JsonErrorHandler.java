package org.ionloop.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches a route: a header block or URI too long
 * (431, 414), a malformed request line (400), a body over the limit (413). They get the same
 * {@code {"code", "message"}} JSON as every route's error and the same security headers, never
 * Jetty's HTML page (which names the server and may echo the request).
 */
final class JsonErrorHandler extends ErrorHandler {

  static byte[] body(int status, String message) {
    ObjectNode n = ApiServer.JSON.createObjectNode()
        .put("code", ApiError.codeFor(status))
        .put("message", message == null || message.isBlank() ? HttpStatus.getMessage(status) : message);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) {
    HttpFields.Mutable headers = response.getHeaders();
    for (String[] h : HttpHardening.SECURITY_HEADERS) {
      headers.put(h[0], h[1]);
    }
    headers.put(HttpHeader.CONTENT_TYPE, "application/json");
    // Jetty's message for a parse failure names the limit, not the request: safe to show.
    response.write(true, ByteBuffer.wrap(body(code, HttpStatus.getMessage(code))), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    for (String[] h : HttpHardening.SECURITY_HEADERS) {
      fields.put(h[0], h[1]);
    }
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    return ByteBuffer.wrap(body(status, HttpStatus.getMessage(status)));
  }
}
