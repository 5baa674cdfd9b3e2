package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ionloop.TestCampaigns;
import org.ionloop.api.ApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read commands script well: {@code --json} gives the same documented fields whether the command
 * reads a server or the store ({@code campaign list}, {@code token list}), {@code campaign status}
 * gives the API's campaign, {@code campaign log} one object per line with its payload as an
 * object, and {@code validate} checks every file and says for each what is wrong (exit 2).
 */
class CliJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;
  private ApiServer server;
  private String operator;
  private String db;

  @BeforeEach
  void start() {
    RecordingServer recording = RecordingServer.start(dir);
    server = recording.server();
    operator = recording.operator();
    db = recording.db().toString();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Exit code and standard output of one command line. */
  record Ran(int code, String out) {}

  static Ran run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    try {
      return new Ran(Main.execute(args), out.toString());
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void listsAndStatusAreTheSameFieldsFromTheServerAndTheStore() throws Exception {
    Path file = dir.resolve("demo.yaml");
    Files.writeString(file, TestCampaigns.demoText());
    Ran started = run("campaign", "start", file.toString(), "--no-start", "--server", server.url(), "--token", operator);
    assertEquals(0, started.code(), started.out());
    String id = started.out().replaceFirst("(?s)^campaign (\\S+).*", "$1");

    JsonNode viaServer = JSON.readTree(run("campaign", "list", "--json", "--server", server.url(), "--token",
        operator).out());
    server.close(); // the store alone from here on (H2 allows one process at a time)
    JsonNode viaStore = JSON.readTree(run("campaign", "list", "--json", "--db", db).out());
    assertEquals(1, viaServer.size());
    assertEquals(List.of("id", "name", "state", "created_at", "experiments", "results"), fields(viaServer.get(0)));
    assertEquals(fields(viaServer.get(0)), fields(viaStore.get(0)));
    assertEquals(id, viaStore.get(0).path("id").asText());
    assertEquals("argyrodite-demo", viaStore.get(0).path("name").asText());
    assertEquals(viaServer.get(0).path("state"), viaStore.get(0).path("state"));

    List<String> lines = run("campaign", "log", id, "--json", "--db", db).out().lines().toList();
    assertTrue(lines.size() >= 1, "at least the campaign's creation");
    for (String line : lines) {
      JsonNode e = JSON.readTree(line);
      assertEquals(List.of("seq", "ts", "experiment_id", "kind", "payload"), fields(e));
      assertTrue(e.path("payload").isObject(), line);
    }
    JsonNode tokens = JSON.readTree(run("token", "list", "--json", "--db", db).out());
    assertEquals(List.of("id", "name", "role", "created_at", "revoked_at"), fields(tokens.get(0)));
    assertEquals(List.of("op", "boss"), List.of(tokens.get(0).path("name").asText(), tokens.get(1).path("name").asText()));
    assertTrue(tokens.get(0).path("revoked_at").isNull());
    assertTrue(!run("token", "list", "--json", "--db", db).out().contains(operator), "no secret in the list");
  }

  @Test
  void benchJsonPrintsOnlyItsReportsOneObjectPerLine() throws Exception {
    PrintStream oldErr = System.err;
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true)); // the tables, for people
    try {
      Ran eis = run("bench", "eis", "--spectra", "1", "--threads", "1", "--json");
      assertEquals(0, eis.code(), eis.out());
      List<String> lines = eis.out().lines().toList();
      assertEquals(1, lines.size(), eis.out());
      JsonNode report = JSON.readTree(lines.get(0));
      assertEquals("eis", report.path("bench").asText());
      assertTrue(report.path("spectra_per_second").asDouble() > 0, lines.get(0));
      Ran planner = run("bench", "planner", "--problems", "BraninCurrin-noisy", "--seeds", "1", "--batches", "1",
          "--strategies", "SOBOL", "--lab-n", "0", "--out", dir.resolve("planner.json").toString(), "--json");
      assertEquals(0, planner.code(), planner.out());
      assertEquals(1, planner.out().lines().count(), planner.out());
      JsonNode written = JSON.readTree(dir.resolve("planner.json").toFile());
      assertEquals(written, JSON.readTree(planner.out()), "stdout carries the report the file has");
      assertEquals("planner", written.path("bench").asText());
      Ran lab = run("bench", "lab", "--campaigns", "2", "--experiments", "1", "--parallel", "1", "--robots", "1",
          "--furnaces", "2", "--analyzers", "1", "--json");
      assertEquals(0, lab.code(), lab.out());
      JsonNode labReport = JSON.readTree(lab.out().strip());
      assertEquals("lab", labReport.path("bench").asText());
      assertEquals(2, labReport.path("completed").asInt(), lab.out());
      assertEquals(2, labReport.path("experiments_ended").asInt(), lab.out());
      assertTrue(labReport.path("round_trip").has("anneal"), lab.out());
    } finally {
      System.setErr(oldErr);
    }
  }

  @Test
  void statusJsonIsTheApisCampaign() throws Exception {
    Path file = dir.resolve("demo.yaml");
    Files.writeString(file, TestCampaigns.demoText());
    String id = run("campaign", "start", file.toString(), "--no-start", "--server", server.url(), "--token", operator)
        .out().replaceFirst("(?s)^campaign (\\S+).*", "$1");
    Ran status = run("campaign", "status", id, "--json", "--server", server.url(), "--token", operator);
    assertEquals(0, status.code(), status.out());
    JsonNode c = JSON.readTree(status.out());
    assertEquals(id, c.path("id").asText());
    assertEquals(24, c.path("budget").asInt());
    assertEquals(List.of("log10_sigma25", "ea_ev"), List.of(c.path("objectives").get(0).path("name").asText(),
        c.path("objectives").get(1).path("name").asText()));
    assertEquals(2, run("campaign", "status", id, "--json", "--watch", "--server", server.url(), "--token", operator)
        .code(), "--watch draws for people: refused with --json");
  }

  @Test
  void validateJsonChecksEveryFileAndSaysWhatIsWrongWithEach() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, TestCampaigns.demoCopy().replace("experiments: 24", "experiments: -3"));
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, TestCampaigns.demoCopy());
    Ran r = run("validate", "--json", bad.toString(), good.toString());
    assertEquals(2, r.code(), r.out());
    JsonNode results = JSON.readTree(r.out());
    assertEquals(2, results.size());
    assertEquals(false, results.get(0).path("ok").asBoolean());
    assertEquals("budget.experiments", results.get(0).path("field").asText());
    assertTrue(results.get(0).path("line").asInt() > 0);
    assertTrue(results.get(0).path("problem").asText().length() > 0);
    assertEquals(true, results.get(1).path("ok").asBoolean());
    assertTrue(results.get(1).path("problem").isNull());
    assertEquals(0, run("validate", "--json", good.toString()).code());
  }

  static List<String> fields(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
