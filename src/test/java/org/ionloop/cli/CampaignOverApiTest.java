package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ionloop.TestCampaigns;
import org.ionloop.api.ApiServer;
import org.ionloop.store.CampaignRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign sent over the API cannot run a program, write outside its role or learn which
 * server files exist: the trainer and its folder are the installation's, models and protocols
 * come from the installation's folders, and errors name the field, never a server path.
 */
class CampaignOverApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;
  private ApiServer server;
  private CampaignRepository repo;
  private String operator;
  private String admin;

  @BeforeEach
  void start() {
    // Created campaigns are only validated and recorded here: nothing starts them.
    RecordingServer recording = RecordingServer.start(dir);
    server = recording.server();
    repo = recording.repo();
    operator = recording.operator();
    admin = recording.admin();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a trainer command|  ddim_steps: 40|  ddim_steps: 40\\n  retrain: {every: 1, command: [/bin/sh, -c, touch]}|proposer.retrain.command",
      "a folder to write in|  ddim_steps: 40|  ddim_steps: 40\\n  retrain: {every: 1, work_dir: ANYDIR}|proposer.retrain.work_dir",
      "an absolute model path|  model: proposer|  model: /etc|proposer.model",
      "a model outside the models folder|  model: proposer|  model: ../../../../etc|proposer.model",
      "a model folder that is not a model|  model: proposer|  model: training|proposer.model",
      "a missing model|  model: proposer|  model: nothing-here|proposer.model",
      "an absolute protocol path|protocol: ../protocols/argyrodite-solid-state.yaml|protocol: /etc/passwd|protocol",
      "a protocol outside the protocols folder|protocol: ../protocols/argyrodite-solid-state.yaml|protocol: ../../../../../etc/hostname|protocol",
      "a missing protocol|protocol: ../protocols/argyrodite-solid-state.yaml|protocol: nothing.yaml|protocol"})
  void isRefusedNamingTheFieldAndNoServerPath(String name, String from, String to, String field) throws Exception {
    // "\\n" in a row stands for a line break (a real one would end the CSV row).
    String yaml = TestCampaigns.demoText().replace(from, to.replace("\\n", "\n"));
    assertFalse(yaml.equals(TestCampaigns.demoText()), "the mutation applies to demo.yaml");
    HttpResponse<String> r = post(yaml);
    assertEquals(400, r.statusCode(), r.body());
    JsonNode e = JSON.readTree(r.body());
    assertEquals("invalid_spec", e.path("code").asText());
    String message = e.path("message").asText();
    assertTrue(message.contains("field '" + field + "'"), message);
    String root = Path.of("").toAbsolutePath().toString();
    assertFalse(message.contains(root) || message.contains(dir.toString()) || message.contains("/tmp")
        || message.contains("/work"), "no server path in: " + message);
    assertEquals(0L, repo.query("SELECT COUNT(*) FROM campaign", rs -> rs.getLong(1)).get(0), "nothing recorded");
    assertFalse(Files.exists(Path.of("PROOF")) || Files.exists(Path.of("ANYDIR")), "nothing ran");
    try (var left = Files.list(dir.resolve("server/campaigns"))) {
      assertEquals(0, left.count(), "the refused file is not kept");
    }
  }

  @Test
  void theDemoCampaignIsAcceptedWithItsProtocolFromTheServersFolder() throws Exception {
    HttpResponse<String> r = post(TestCampaigns.demoText());
    assertEquals(201, r.statusCode(), r.body());
    assertEquals("PLANNED", JSON.readTree(r.body()).path("state").asText());
  }

  private HttpResponse<String> post(String yaml) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/campaigns"))
        .header("Authorization", "Bearer " + operator).header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPlannedCampaignIsListedFromTheServerAndBeginNamesAnUnknownOne() throws Exception {
    Path file = dir.resolve("planned.yaml");
    Files.writeString(file, TestCampaigns.demoText());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true));
    int started;
    int listed;
    try {
      started = Main.execute("campaign", "start", file.toString(), "--no-start", "--server", server.url(),
          "--token", operator);
      listed = Main.execute("campaign", "list", "--server", server.url(), "--token", operator);
    } finally {
      System.setOut(old);
    }
    assertEquals(0, started, out.toString());
    assertEquals(0, listed, out.toString());
    String id = out.toString().lines().findFirst().orElseThrow().split(" ")[1];
    assertTrue(out.toString().lines().anyMatch(l -> l.startsWith(id) && l.contains("PLANNED")), out.toString());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldErr = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(1, Main.execute("campaign", "begin", "c-nothing", "--server", server.url(), "--token", operator));
    } finally {
      System.setErr(oldErr);
    }
    assertTrue(err.toString().contains("404"), err.toString());
  }

  @Test
  void tokensAreManagedThroughARunningServer() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true));
    try {
      assertEquals(0, Main.execute("token", "create", "bob", "--role", "viewer", "--server", server.url(), "--token", admin));
      String id = out.toString().replaceAll("(?s)^token (\\d+) .*", "$1");
      assertTrue(out.toString().contains("ilt_"), out.toString());
      assertEquals(0, Main.execute("token", "list", "--server", server.url(), "--token", admin));
      assertTrue(out.toString().lines().anyMatch(l -> l.contains("bob") && l.contains("viewer") && !l.contains("REVOKED")),
          out.toString());
      assertEquals(0, Main.execute("token", "revoke", id, "--server", server.url(), "--token", admin));
      assertEquals(0, Main.execute("token", "list", "--server", server.url(), "--token", admin));
      assertTrue(out.toString().lines().anyMatch(l -> l.contains("bob") && l.contains("REVOKED")), out.toString());
      // An operator may not make tokens.
      assertEquals(1, Main.execute("token", "create", "eve", "--role", "admin", "--server", server.url(), "--token", operator));
    } finally {
      System.setOut(old);
    }
  }
}
