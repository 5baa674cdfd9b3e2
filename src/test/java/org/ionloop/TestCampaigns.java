package org.ionloop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The demo campaign as tests use it outside {@code campaigns/}, and installations for tests. */
public final class TestCampaigns {
  public static final Path DEMO = Path.of("campaigns/demo.yaml");
  public static final Path PROTOCOLS = Path.of("protocols").toAbsolutePath();

  private TestCampaigns() {}

  /** demo.yaml's text. */
  public static String demoText() {
    try {
      return Files.readString(DEMO);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * demo.yaml's text for a copy written into another folder: its protocol, which the file names
   * relative to itself, becomes an absolute path.
   */
  public static String demoCopy() {
    return demoText().replace("protocol: ../protocols/", "protocol: " + PROTOCOLS + "/");
  }

  /** The default installation with another protocols folder (what a server's API may use). */
  public static Installation withProtocols(Path protocolsDir) {
    Installation d = Installation.current();
    return new Installation(d.modelsDir(), protocolsDir, d.trainerCommand(), d.retrainDir(),
        d.elementTrainerCommand());
  }

  /** A protocols folder under {@code dir} holding the repository's protocols. */
  public static Path copyOfProtocols(Path dir) {
    try {
      Path out = Files.createDirectories(dir.resolve("protocols"));
      try (var files = Files.list(PROTOCOLS)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.copy(p, out.resolve(p.getFileName()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The campaign ran to its end: COMPLETED, or COMPLETED_WITH_FAILURES where the virtual lab's
   * pellets cracked (they do at the ground truth's rate, so a test of something else takes either).
   */
  public static void assertCompleted(String state, String... context) {
    org.junit.jupiter.api.Assertions.assertTrue(
        "COMPLETED".equals(state) || "COMPLETED_WITH_FAILURES".equals(state),
        state + " " + String.join(" ", context));
  }
}
