package org.ionloop.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every answer of the server carries and every request is stripped of, before Javalin sees
 * it: the standard security headers (also on static files and errors), and no method-override
 * headers. Javalin treats {@code POST} with {@code X-HTTP-Method-Override: DELETE} as a DELETE,
 * which lets a form or a proxy rule that allows only POST reach DELETE routes; the server answers
 * each request as the method it was sent with.
 */
final class HttpHardening implements Filter {
  /** Request headers that some frameworks read as "treat this request as another method". */
  static final Set<String> METHOD_OVERRIDE_HEADERS =
      Set.of("x-http-method-override", "x-http-method", "x-method-override");

  /**
   * The dashboard loads only its own scripts, styles and images (Chart.js comes from the server's
   * WebJar), talks only to its own API, and may not be framed by another site.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
      + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
      + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** Header name → value, set on every response. */
  static final List<String[]> SECURITY_HEADERS = List.of(
      new String[] {"Content-Security-Policy", CONTENT_SECURITY_POLICY},
      new String[] {"X-Content-Type-Options", "nosniff"},
      new String[] {"X-Frame-Options", "DENY"},
      new String[] {"Referrer-Policy", "no-referrer"},
      new String[] {"Cross-Origin-Opener-Policy", "same-origin"},
      new String[] {"Cross-Origin-Resource-Policy", "same-origin"},
      new String[] {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"});

  static void addSecurityHeaders(HttpServletResponse res) {
    for (String[] h : SECURITY_HEADERS) {
      res.setHeader(h[0], h[1]);
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    addSecurityHeaders((HttpServletResponse) response);
    chain.doFilter(new WithoutMethodOverride((HttpServletRequest) request), response);
  }

  /** The request as sent, minus the method-override headers. */
  private static final class WithoutMethodOverride extends HttpServletRequestWrapper {
    WithoutMethodOverride(HttpServletRequest request) {
      super(request);
    }

    private static boolean hidden(String name) {
      return name != null && METHOD_OVERRIDE_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String getHeader(String name) {
      return hidden(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
          .filter(n -> !hidden(n)).collect(Collectors.toList()));
    }
  }
}
