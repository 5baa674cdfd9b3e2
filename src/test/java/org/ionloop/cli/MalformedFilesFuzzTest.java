package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ionloop.TestCampaigns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated corpus of malformed campaign, protocol and instrument files, each made from a
 * shipped file by one edit a clumsy user or an attacker would make: a key repeated, a number
 * replaced by text, a list, a mapping, NaN or an infinity, an integer that would wrap, a
 * reference half typed. For every one, {@code validate} must exit 2 with one line naming the
 * mutated file and a field, print no stack trace, and take well under a few seconds; and a
 * sample of them given to {@code demo} must leave no database behind.
 */
class MalformedFilesFuzzTest {
  /** {@code key: number}, also inside a flow mapping; the number is the mutation site. */
  private static final Pattern NUMBER = Pattern.compile("(\\b[a-z_0-9]+: )(-?[0-9][0-9.]*)(?=[,}\\s]|$)");
  private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)[a-z_0-9]+:( |$).*");
  private static final String[] NOT_NUMBERS = {"abc", "[1, 2]", "{x: 1}", ".nan", "-.inf", "1.0e+999"};
  /** Fields that hold whole numbers (an int, or a long for the seed): wrapping values go there. */
  private static final java.util.Set<String> INT_FIELDS = java.util.Set.of("version:", "experiments:",
      "parallel:", "candidates:", "ddim_steps:", "initial_points:", "mc_samples:", "port:", "unit_id:",
      "address:", "poll_interval_ms:");
  private static final String[] WRAPPING = {"4294967297", "99999999999999999999999"};
  /** Values the number pattern matches that are not numbers to the file (an IP address). */
  private static final java.util.Set<String> NOT_NUMERIC_FIELDS = java.util.Set.of("host:");

  @TempDir
  Path dir;

  /** One malformed file: which shipped file it came from, the edit, and its text. */
  record Case(String kind, String origin, String edit, String text) {}

  static List<Case> mutations(String kind, String origin, String text) {
    List<Case> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.strip().startsWith("#") || line.strip().isEmpty()) {
        continue;
      }
      if (KEY_LINE.matcher(line).matches()) {
        // Repeating a key line (a block mapping's header too) gives the same key twice.
        out.add(new Case(kind, origin, "line " + (i + 1) + " repeated", join(lines, i, line + "\n" + line)));
      }
      Matcher m = NUMBER.matcher(line);
      while (m.find()) {
        String key = m.group(1).strip();
        if (NOT_NUMERIC_FIELDS.contains(key)) {
          continue;
        }
        for (String bad : NOT_NUMBERS) {
          out.add(new Case(kind, origin, "line " + (i + 1) + " " + key + " " + m.group(2) + " -> " + bad,
              join(lines, i, line.substring(0, m.start(2)) + bad + line.substring(m.end(2)))));
        }
        if (key.equals("seed:")) {
          out.add(new Case(kind, origin, "line " + (i + 1) + " seed beyond a long",
              join(lines, i, line.substring(0, m.start(2)) + WRAPPING[1] + line.substring(m.end(2)))));
        } else if (INT_FIELDS.contains(key)) {
          for (String bad : WRAPPING) {
            out.add(new Case(kind, origin, "line " + (i + 1) + " " + key + " -> " + bad,
                join(lines, i, line.substring(0, m.start(2)) + bad + line.substring(m.end(2)))));
          }
        }
      }
      if (line.contains("${")) {
        out.add(new Case(kind, origin, "line " + (i + 1) + " reference cut short",
            join(lines, i, line.replaceFirst("\\$\\{([a-z_.]*)\\}", "\\${$1"))));
        out.add(new Case(kind, origin, "line " + (i + 1) + " unknown reference",
            join(lines, i, line.replaceFirst("\\$\\{([a-z_.]*)\\}", "\\${candidate.nope}"))));
      }
    }
    return out;
  }

  private static String join(String[] lines, int at, String replacement) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      b.append(i == at ? replacement : lines[i]);
      if (i < lines.length - 1) {
        b.append('\n');
      }
    }
    return b.toString();
  }

  @Test
  void everyMalformedFileIsOneClearErrorWithExitCode2AndNothingWritten() throws Exception {
    Path campaigns = Files.createDirectories(dir.resolve("campaigns"));
    Path protocols = Files.createDirectories(dir.resolve("protocols"));
    Path instruments = Files.createDirectories(dir.resolve("instruments"));
    List<Case> corpus = new ArrayList<>();
    corpus.addAll(mutations("campaign", "campaigns/demo.yaml", TestCampaigns.demoCopy()));
    corpus.addAll(mutations("protocol", "protocols/argyrodite-solid-state.yaml",
        Files.readString(Path.of("protocols/argyrodite-solid-state.yaml"))));
    for (String id : new String[] {"robot-1", "furnace-1", "eis-1"}) {
      corpus.addAll(mutations("instrument", "instruments/" + id + ".yaml",
          Files.readString(Path.of("instruments/" + id + ".yaml"))));
    }
    long campaignsMade = corpus.stream().filter(c -> c.kind().equals("campaign")).count();
    long protocolsMade = corpus.stream().filter(c -> c.kind().equals("protocol")).count();
    long instrumentsMade = corpus.stream().filter(c -> c.kind().equals("instrument")).count();
    System.out.printf("malformed files: %d (campaign %d, protocol %d, instrument %d)%n", corpus.size(),
        campaignsMade, protocolsMade, instrumentsMade);
    assertTrue(corpus.size() >= 200, "corpus of " + corpus.size());

    List<String> failures = new ArrayList<>();
    long slowest = 0;
    for (int n = 0; n < corpus.size(); n++) {
      Case c = corpus.get(n);
      Path bad;
      String[] args;
      switch (c.kind()) {
        case "campaign" -> {
          bad = campaigns.resolve("bad-" + n + ".yaml");
          Files.writeString(bad, c.text());
          args = new String[] {"validate", bad.toString()};
        }
        case "protocol" -> {
          // A protocol is checked against the campaign that uses it and that campaign's lab.
          bad = protocols.resolve("bad-" + n + ".yaml");
          Files.writeString(bad, c.text());
          Path campaign = campaigns.resolve("uses-" + n + ".yaml");
          Files.writeString(campaign, TestCampaigns.demoCopy().replace(
              TestCampaigns.PROTOCOLS + "/argyrodite-solid-state.yaml", bad.toString()));
          args = new String[] {"validate", campaign.toString()};
        }
        default -> {
          // An instrument file is read on its own and as part of the lab a campaign binds.
          Path lab = Files.createDirectories(instruments.resolve("lab-" + n + "/instruments"));
          for (String id : new String[] {"robot-1", "furnace-1", "furnace-2", "eis-1"}) {
            Files.copy(Path.of("instruments/" + id + ".yaml"), lab.resolve(id + ".yaml"));
          }
          bad = lab.resolve(Path.of(c.origin()).getFileName());
          Files.writeString(bad, c.text());
          args = new String[] {"validate", bad.toString()};
        }
      }
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream oldErr = System.err;
      PrintStream oldOut = System.out;
      long t0 = System.nanoTime();
      int code;
      try {
        System.setErr(new PrintStream(err, true));
        System.setOut(new PrintStream(out, true));
        code = Main.execute(args);
      } finally {
        System.setErr(oldErr);
        System.setOut(oldOut);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      slowest = Math.max(slowest, ms);
      String message = err.toString().strip();
      String why = null;
      if (code != 2) {
        why = "exit " + code;
      } else if (message.lines().count() != 1) {
        why = "not one line";
      } else if (!message.startsWith("error: " + bad + ":")) {
        why = "does not name the file";
      } else if (!message.contains("field '")) {
        why = "names no field";
      } else if (message.contains("Exception") || message.contains("\tat ")) {
        why = "stack trace";
      } else if (ms > 5_000) {
        why = "took " + ms + " ms";
      }
      if (why != null) {
        failures.add(c.origin() + " [" + c.edit() + "]: " + why + ": " + message + out.toString().strip());
      }
    }
    System.out.printf("slowest validate: %d ms%n", slowest);
    assertEquals(List.of(), failures, failures.size() + " of " + corpus.size() + " malformed files");
  }

  @Test
  void aMalformedCampaignGivenToTheDemoWritesNoDatabase() throws Exception {
    List<Case> corpus = mutations("campaign", "campaigns/demo.yaml", TestCampaigns.demoCopy());
    for (int n = 0; n < corpus.size(); n += 9) {
      Path bad = dir.resolve("bad-" + n + ".yaml");
      Files.writeString(bad, corpus.get(n).text());
      Path db = dir.resolve("db-" + n);
      PrintStream oldErr = System.err;
      int code;
      try {
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
        code = Main.execute("demo", "--campaign", bad.toString(), "--db", db.resolve("ionloop").toString());
      } finally {
        System.setErr(oldErr);
      }
      assertEquals(2, code, corpus.get(n).edit());
      assertFalse(Files.exists(db), "nothing written for " + corpus.get(n).edit());
    }
  }
}
