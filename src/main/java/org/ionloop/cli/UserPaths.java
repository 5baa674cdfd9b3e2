package org.ionloop.cli;

import java.nio.file.Path;

/**
 * Paths on the command line mean what they mean in every other tool: relative to the folder the
 * user ran the command in. {@code bin/ionloop} runs the JVM inside the installation (its
 * configuration and defaults live there) and passes the caller's folder as {@code ionloop.cwd};
 * defaults are written against {@code ionloop.home} and arrive absolute.
 */
final class UserPaths {
  /** The caller's folder, set by bin/ionloop. */
  static final String CWD = "ionloop.cwd";

  private UserPaths() {}

  /** A command-line path: absolute as given, relative ones against the caller's folder. */
  static Path of(String text) {
    Path p = Path.of(text);
    String cwd = System.getProperty(CWD);
    if (p.isAbsolute() || cwd == null || cwd.isBlank()) {
      return p;
    }
    return Path.of(cwd).resolve(p).normalize();
  }
}
