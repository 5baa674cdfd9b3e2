package org.ionloop.api;

import io.javalin.security.RouteRole;
import java.util.Locale;

/** Who may do what over HTTP, weakest first: each role may do what the ones before it may. */
public enum Role implements RouteRole {
  /** Reads campaigns, experiments, logs, plots. */
  VIEWER,
  /** Creates, starts and steers campaigns, answers approval gates. */
  OPERATOR,
  /** Manages tokens. */
  ADMIN;

  /** True when a holder of this role may use a route that needs {@code required}. */
  public boolean covers(Role required) {
    return ordinal() >= required.ordinal();
  }

  /** The lower-case name used in the store and in JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a stored role name. */
  public static Role of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
