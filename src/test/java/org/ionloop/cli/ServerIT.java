package org.ionloop.cli;

import org.ionloop.TestCampaigns;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.api.ApiServer;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.ApiTokens;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a lab uses it: a real HTTP server on loopback over an H2 store and a virtual lab;
 * a campaign started with the CLI ({@code campaign start}), paused and resumed over the API,
 * followed with {@code campaign status --watch} to the end. Then roles (401 without a token, 403
 * for a viewer's start), JSON errors, exports, and the OpenAPI description against the routes.
 * Finally the dashboard of the finished campaign in headless Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path dir;
  VirtualLab lab;
  ApiServer server;
  Fixture fixture;
  ApiTokens tokens;
  String admin;
  String operator;
  String viewer;
  String campaignId;
  String startOutput;
  String watchOutput;
  int watchExit;
  JsonNode pausedAnswer;
  JsonNode busyAnswer;
  int busyStatus;
  JsonNode resumedAnswer;
  CampaignRepository repo;
  final HttpClient http = HttpClient.newHttpClient();

  /** Starts lab and server, runs a short campaign through the CLI and the API. */
  @BeforeAll
  void runACampaignThroughTheServer() throws Exception {
    Fixture f = Fixture.start(dir);
    fixture = f;
    lab = f.lab;
    server = f.server;
    tokens = f.tokens;
    admin = f.admin;
    operator = f.operator;
    viewer = f.viewer;

    Path file = f.shortCampaign(dir, 6);
    // Created first, then started by its id, as an operator who reviewed it would.
    String created = cli("campaign", "start", file.toString(), "--no-start", "--server", server.url(), "--token",
        operator);
    assertTrue(created.contains("PLANNED"), created);
    campaignId = created.replaceFirst("(?s)^campaign (\\S+).*", "$1");
    startOutput = cli("campaign", "start", campaignId, "--server", server.url(), "--token", operator);
    pausedAnswer = call("POST", "/api/campaigns/" + campaignId + "/pause", operator, "{}").body;
    assertEquals("PAUSED", get("/api/campaigns/" + campaignId, viewer).body.path("state").asText());
    Response busy = call("POST", "/api/campaigns?start=true", operator, Files.readString(file));
    busyStatus = busy.status;
    busyAnswer = busy.body;
    resumedAnswer = call("POST", "/api/campaigns/" + campaignId + "/resume", operator, "{}").body;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    watchExit = withStdout(out, () -> Main.execute("campaign", "status", campaignId, "--watch",
        "--server", server.url(), "--token", viewer));
    watchOutput = out.toString();
    repo = f.repo;
  }

  @AfterAll
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void theDashboardShowsTheCampaignInHeadlessChromium() throws Exception {
    DashboardCheck.run(server.url(), viewer, campaignId, get("/api/campaigns/" + campaignId, viewer).body,
        get("/api/campaigns/" + campaignId + "/experiments", viewer).body,
        Path.of("target", "dashboard-screenshots"), path -> get(path, viewer).body);
  }

  @Test
  void theCliStartsACampaignAndWatchesItToTheEnd() {
    assertTrue(startOutput.contains("RUNNING"), startOutput);
    // 0 when every experiment gave a result, 3 when a pellet cracked on the way (the output says which).
    assertEquals(watchOutput.contains("COMPLETED_WITH_FAILURES") ? 3 : 0, watchExit, watchOutput);
    assertTrue(watchOutput.contains("COMPLETED") && watchOutput.contains("6/6"), watchOutput);
    assertTrue(watchOutput.contains("[########################]"), "a full progress bar: " + watchOutput);
  }

  @Test
  void pauseAndResumeAreCarriedOutAndASecondCampaignWaitsForTheLab() {
    assertEquals("done", pausedAnswer.path("status").asText(), pausedAnswer.toString());
    assertEquals("done", resumedAnswer.path("status").asText(), resumedAnswer.toString());
    assertEquals(409, busyStatus, busyAnswer.toString());
    assertEquals("conflict", busyAnswer.path("code").asText());
    assertTrue(busyAnswer.path("message").asText().contains("the lab is running campaign " + campaignId),
        busyAnswer.toString());
    JsonNode kinds = get("/api/campaigns/" + campaignId + "/events", viewer).body;
    Set<String> states = new HashSet<>();
    kinds.forEach(e -> {
      if (e.path("kind").asText().equals("campaign_state_changed")) {
        states.add(e.path("payload").path("state").asText());
      }
    });
    assertTrue(states.containsAll(Set.of("RUNNING", "PAUSED"))
        && (states.contains("COMPLETED") || states.contains("COMPLETED_WITH_FAILURES")), states.toString());
  }

  @Test
  void anOperatorAnswersAnApprovalGateOverTheApi() throws Exception {
    // A protocol the installer put in the server's protocols folder; the campaign names it.
    Path protocol = fixture.protocols.resolve("gated.yaml");
    Files.writeString(protocol, Files.readString(Path.of("protocols/argyrodite-solid-state.yaml"))
        .replace("    action: anneal\n", "    action: anneal\n    approval: Pellet intact?\n"));
    String yaml = TestCampaigns.demoText().replace("experiments: 24", "experiments: 1")
        .replace("parallel: 4", "parallel: 1").replace("protocol: ../protocols/argyrodite-solid-state.yaml",
            "protocol: gated.yaml");
    Response created = call("POST", "/api/campaigns?start=true", operator, yaml);
    assertEquals(201, created.status, created.body.toString());
    String id = created.body.path("id").asText();
    long until = System.nanoTime() + 60_000_000_000L;
    JsonNode waiting = null;
    while (waiting == null && System.nanoTime() < until) {
      for (JsonNode e : get("/api/campaigns/" + id + "/events", viewer).body) {
        if (e.path("kind").asText().equals("approval_requested")) {
          waiting = e;
        }
      }
      Thread.sleep(100);
    }
    assertTrue(waiting != null, "the gate asks for approval");
    String experiment = waiting.path("experiment_id").asText();
    assertEquals(403, call("POST", "/api/campaigns/" + id + "/experiments/" + experiment + "/steps/anneal/approve",
        viewer, "{}").status, "a viewer cannot open a furnace");
    Response wrongStep = call("POST", "/api/campaigns/" + id + "/experiments/" + experiment + "/steps/mill/approve",
        operator, "{}");
    assertEquals(409, wrongStep.status, wrongStep.body.toString());
    Response approved = call("POST", "/api/campaigns/" + id + "/experiments/" + experiment + "/steps/anneal/approve",
        operator, "{}");
    assertEquals("done", approved.body.path("status").asText(), approved.body.toString());
    while (!CampaignHistory.ENDED_STATES.contains(get("/api/campaigns/" + id, viewer).body.path("state").asText())
        && System.nanoTime() < until) {
      Thread.sleep(200);
    }
    JsonNode end = get("/api/campaigns/" + id, viewer).body;
    org.ionloop.TestCampaigns.assertCompleted(end.path("state").asText(), end.toString());
    boolean granted = false;
    for (JsonNode e : get("/api/campaigns/" + id + "/events", viewer).body) {
      granted |= e.path("kind").asText().equals("approval_granted")
          && e.path("payload").toString().contains("operator-test");
    }
    assertTrue(granted, "the log says who approved");
  }

  @Test
  void noTokenIs401AViewersStartIs403AndAdminsManageTokens() throws Exception {
    Response anonymous = call("GET", "/api/campaigns", null, null);
    assertEquals(401, anonymous.status);
    assertEquals("unauthorized", anonymous.body.path("code").asText());
    assertEquals(401, call("GET", "/api/campaigns", "ilt_not-a-token", null).status);

    Response viewerStart = call("POST", "/api/campaigns/" + campaignId + "/start", viewer, "");
    assertEquals(403, viewerStart.status, viewerStart.body.toString());
    assertEquals("forbidden", viewerStart.body.path("code").asText());
    assertTrue(viewerStart.body.path("message").asText().contains("operator"), viewerStart.body.toString());
    assertEquals(403, call("POST", "/api/campaigns", viewer, "version: 1").status);
    assertEquals(403, call("POST", "/api/campaigns/" + campaignId + "/abort", viewer, "{\"reason\":\"x\"}").status);
    assertEquals(403, call("GET", "/api/tokens", operator, null).status);
    assertEquals(200, call("GET", "/api/campaigns", viewer, null).status);

    Response made = call("POST", "/api/tokens", admin, "{\"name\":\"temp\",\"role\":\"viewer\"}");
    assertEquals(201, made.status, made.body.toString());
    String secret = made.body.path("token").asText();
    assertEquals(200, call("GET", "/api/whoami", secret, null).status);
    assertEquals(204, call("DELETE", "/api/tokens/" + made.body.path("id").asLong(), admin, null).status);
    assertEquals(401, call("GET", "/api/whoami", secret, null).status, "a revoked token is refused");
    assertTrue(tokens.all().stream().noneMatch(t -> t.name().equals("temp") && t.revokedAt() == null));
    String stored = repo.query(
        "SELECT token_sha256 FROM api_token WHERE name='temp'", rs -> rs.getString(1)).get(0);
    assertTrue(!stored.contains(secret) && stored.length() == 64, "only a hash is stored");
  }

  @Test
  void badInputGetsAJsonErrorNamingTheProblem() throws Exception {
    Response badSpec = call("POST", "/api/campaigns", operator, Files.readString(Path.of("campaigns/demo.yaml"))
        .replace("parallel: 4", "parallel: -2"));
    assertEquals(400, badSpec.status, badSpec.body.toString());
    assertEquals("invalid_spec", badSpec.body.path("code").asText());
    assertTrue(badSpec.body.path("message").asText().contains("budget.parallel"), badSpec.body.toString());

    Response badJson = call("POST", "/api/campaigns/" + campaignId + "/abort", operator, "{reason:");
    assertEquals(400, badJson.status);
    assertEquals("bad_request", badJson.body.path("code").asText());
    Response noReason = call("POST", "/api/campaigns/" + campaignId + "/abort", operator, "{}");
    assertEquals(400, noReason.status);
    assertTrue(noReason.body.path("message").asText().contains("reason"));

    Response unknown = call("GET", "/api/campaigns/c-nope", viewer, null);
    assertEquals(404, unknown.status);
    assertEquals("not_found", unknown.body.path("code").asText());
    assertEquals(404, call("GET", "/api/campaigns/" + campaignId + "/experiments/e999", viewer, null).status);
    assertEquals("not_found", call("GET", "/api/no/such/route", viewer, null).body.path("code").asText());

    Response ended = call("POST", "/api/campaigns/" + campaignId + "/start", operator, "");
    assertEquals(409, ended.status, "a completed campaign does not start again: " + ended.body);
    Response gate = call("POST", "/api/campaigns/" + campaignId + "/experiments/e001/steps/anneal/approve", operator, "{}");
    assertEquals(409, gate.status, "nothing runs a completed campaign: " + gate.body);
    assertTrue(gate.body.path("message").asText().contains("COMPLETED"), gate.body.toString());
    assertEquals(409, call("POST", "/api/campaigns/" + campaignId + "/pause", operator, "{}").status);
  }

  @Test
  void readsAndExportsMatchTheStore() throws Exception {
    JsonNode c = get("/api/campaigns/" + campaignId, viewer).body;
    JsonNode experiments = get("/api/campaigns/" + campaignId + "/experiments", viewer).body;
    assertEquals(6, experiments.size());
    assertEquals(c.path("results").asInt(), c.path("hypervolume_so_far").size());
    assertTrue(c.path("pareto_front").size() >= 1);
    // A measured experiment (any one may fail in the virtual lab, as in a real one).
    String measured = null;
    for (JsonNode x : experiments) {
      if (measured == null && x.path("objectives").has("log10_sigma25")) {
        measured = x.path("id").asText();
      }
    }
    assertTrue(measured != null, experiments.toString());
    JsonNode e = get("/api/campaigns/" + campaignId + "/experiments/" + measured, viewer).body;
    assertTrue(e.path("steps").size() >= 8, e.path("steps").toString());
    JsonNode spectra = get("/api/campaigns/" + campaignId + "/experiments/" + measured + "/spectra", viewer).body;
    assertEquals(4, spectra.size());
    assertEquals(4, e.path("arrhenius").path("points").size());
    for (JsonNode s : spectra) {
      assertTrue(s.path("fit").size() > 50, "a fitted curve for each spectrum");
    }
    assertTrue(get("/api/campaigns/" + campaignId + "/decisions", viewer).body.size() >= 6);
    assertTrue(get("/api/models", viewer).body.size() >= 1);

    HttpResponse<String> csv = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/campaigns/"
        + campaignId + "/export.csv")).header("Authorization", "Bearer " + viewer).build(),
        HttpResponse.BodyHandlers.ofString());
    String[] lines = csv.body().split("\r\n");
    assertEquals(7, lines.length, csv.body());
    assertTrue(lines[0].startsWith("experiment_id,seq_no,state") && lines[0].contains("Li2S")
        && lines[0].contains(",log10_sigma25,log10_sigma25_se,ea_ev,ea_ev_se,"), lines[0]);
    // A scientist's bundle of one experiment: each temperature's spectrum, fits with errors, σ(T).
    HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/campaigns/"
        + campaignId + "/experiments/" + measured + "/bundle.zip")).header("Authorization", "Bearer " + viewer).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, zip.statusCode());
    java.util.Map<String, String> entries = new java.util.TreeMap<>();
    try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
      for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    assertEquals(java.util.Set.of("README.txt", "experiment.json", "fits.csv", "conductivity.csv", "arrhenius.json",
        "spectra/25C.csv", "spectra/50C.csv", "spectra/75C.csv", "spectra/100C.csv"), entries.keySet());
    assertEquals(spectra.get(0).path("points").size() + 1, entries.get("spectra/25C.csv").split("\r\n").length);
    assertEquals(spectra.get(0).path("points").get(0).get(1).asDouble(),
        Double.parseDouble(entries.get("spectra/25C.csv").split("\r\n")[1].split(",")[1]));
    String[] fitRows = entries.get("fits.csv").split("\r\n");
    // Every parameter of every temperature, with its standard error where the fit determines it
    // (a parameter at its bound, e.g. an arc above the band, has none: the cell is empty).
    assertTrue(fitRows.length > 4 * 4 && java.util.Arrays.stream(fitRows).allMatch(r -> r.replaceAll("\"[^\"]*\"", "circuit").split(",", -1).length == 5)
        && java.util.Arrays.stream(fitRows).skip(1).filter(r -> !r.endsWith(",")).count() >= 2 * 4, // the electrode CPE at least
        entries.get("fits.csv"));
    assertEquals(5, entries.get("conductivity.csv").split("\r\n").length, entries.get("conductivity.csv"));
    // Every measurement in long form: the objectives, and R and σ at each temperature.
    String tidy = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/campaigns/" + campaignId
        + "/measurements.csv")).header("Authorization", "Bearer " + viewer).build(), HttpResponse.BodyHandlers.ofString()).body();
    List<String> tidyRows = tidy.lines().toList();
    assertEquals("experiment_id,seq_no,quantity,temperature_c,value,std_err,unit", tidyRows.get(0));
    int results = c.path("results").asInt();
    assertEquals(results * (2 + 4 * 2 + 2), tidyRows.size() - 1, "per result: 2 objectives, R and σ at 4"
        + " temperatures, Ea and σ25 of the fit");
    JsonNode export = get("/api/campaigns/" + campaignId + "/export.json", viewer).body;
    assertTrue(export.path("experiments").get(0).path("bundle_url").asText().endsWith("/bundle.zip"));
    assertEquals(6, export.path("experiments").size());
    assertTrue(export.path("spec_yaml").asText().contains("argyrodite-demo"));
  }

  @Test
  void theCliReadsTheLogFromTheServer() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = withStdout(out, () -> Main.execute("campaign", "log", campaignId, "--server", server.url(),
        "--token", viewer));
    assertEquals(0, code);
    String log = out.toString();
    assertTrue(log.contains("campaign_created") && log.contains("decision") && log.contains("result_recorded"), log);
    ByteArrayOutputStream filtered = new ByteArrayOutputStream();
    assertEquals(0, withStdout(filtered, () -> Main.execute("campaign", "log", campaignId, "--server", server.url(),
        "--token", viewer, "--kind", "decision,experiment_ended", "--experiment", "e002")));
    List<String> lines = filtered.toString().lines().toList();
    assertEquals(2, lines.size(), filtered.toString());
    assertTrue(lines.stream().allMatch(l -> l.contains(" e002 ")), filtered.toString());
    ByteArrayOutputStream recent = new ByteArrayOutputStream();
    assertEquals(0, withStdout(recent, () -> Main.execute("campaign", "log", campaignId, "--server", server.url(),
        "--token", viewer, "--since", "1d")));
    assertEquals(log.lines().count(), recent.toString().lines().count(), "everything happened within a day");
    ByteArrayOutputStream future = new ByteArrayOutputStream();
    assertEquals(0, withStdout(future, () -> Main.execute("campaign", "log", campaignId, "--server", server.url(),
        "--token", viewer, "--since", java.time.Instant.now().plusSeconds(3600).toString())));
    assertEquals("", future.toString(), "nothing after an hour from now");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true));
    try {
      assertEquals(1, Main.execute("campaign", "start", "campaigns/demo.yaml", "--server", server.url(),
          "--token", viewer));
    } finally {
      System.setErr(old);
    }
    assertTrue(err.toString().contains("403"), err.toString());
  }

  @Test
  void anInvalidCampaignFileSentToTheServerIsExit2NamingTheUsersFile() throws Exception {
    Path bad = Files.createTempDirectory("ionloop-bad").resolve("mine.yaml");
    Files.writeString(bad, Files.readString(Path.of("campaigns/demo.yaml")).replace("experiments: 24", "experiments: -3"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true));
    int code;
    try {
      code = Main.execute("campaign", "start", bad.toString(), "--server", server.url(), "--token", operator);
    } finally {
      System.setErr(old);
    }
    assertEquals(2, code, err.toString());
    assertEquals(2, Main.execute("validate", bad.toString()), "validate says the same");
    assertTrue(err.toString().startsWith("error: " + bad + ":"), err.toString());
    assertTrue(err.toString().contains("field 'budget.experiments'"), err.toString());
  }

  @Test
  void theOpenApiDescriptionListsEveryRouteWithItsRole() throws Exception {
    JsonNode doc = call("GET", "/api/openapi.json", null, null).body;
    assertEquals("3.0.3", doc.path("openapi").asText());
    JsonNode paths = doc.path("paths");
    for (String p : new String[] {"/api/campaigns", "/api/campaigns/{id}/start", "/api/campaigns/{id}/pause",
        "/api/campaigns/{id}/experiments/{experiment}/spectra", "/api/campaigns/{id}/events", "/api/models",
        "/api/tokens"}) {
      assertTrue(paths.has(p), "OpenAPI lacks " + p);
    }
    assertEquals("operator", paths.path("/api/campaigns/{id}/start").path("post").path("x-required-role").asText());
    assertEquals("viewer", paths.path("/api/campaigns").path("get").path("x-required-role").asText());
    assertEquals("admin", paths.path("/api/tokens").path("post").path("x-required-role").asText());
    assertTrue(paths.path("/api/campaigns/{id}/start").path("post").path("responses").has("403"));
    // Every POST route of the description really exists and checks its role.
    for (var it = paths.fields(); it.hasNext(); ) {
      var entry = it.next();
      if (entry.getValue().has("post")) {
        String path = entry.getKey().replace("{id}", campaignId).replace("{experiment}", "e001")
            .replace("{step}", "anneal").replace("{station}", "furnace-1");
        assertEquals(401, call("POST", path, null, "{}").status, path);
      }
    }
  }

  record Response(int status, JsonNode body) {}

  Response get(String path, String token) {
    try {
      Response r = call("GET", path, token, null);
      assertEquals(200, r.status, path + ": " + r.body);
      return r;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  Response call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null && body.startsWith("{")) {
      b.header("Content-Type", "application/json");
    } else if (body != null) {
      b.header("Content-Type", "application/yaml");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body()));
  }

  private static String cli(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = withStdout(out, () -> Main.execute(args));
    assertEquals(0, code, String.join(" ", args) + ":\n" + out);
    return out.toString();
  }

  static int withStdout(ByteArrayOutputStream out, Callable<Integer> body) throws Exception {
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true));
    try {
      return body.call();
    } finally {
      System.setOut(old);
    }
  }

  /** A server on loopback over a fresh H2 store and a virtual lab, with one token per role. */
  static final class Fixture implements AutoCloseable {
    VirtualLab lab;
    ApiServer server;
    LabCampaigns campaigns;
    Path protocols;
    ApiTokens tokens;
    CampaignRepository repo;
    String admin;
    String operator;
    String viewer;

    static Fixture start(Path dir) throws Exception {
      return start(dir, 11, 2e-5);
    }

    /** As {@link #start(Path)}, on a lab of this seed and clock. */
    static Fixture start(Path dir, long labSeed, double timeScale) throws Exception {
      Fixture f = new Fixture();
      f.lab = new VirtualLab(timeScale, labSeed);
      CampaignRepository repo = new CampaignRepository(Database.open(Database.h2FileUrl(dir.resolve("db/ionloop"))));
      f.repo = repo;
      f.tokens = new ApiTokens(repo.dataSource());
      f.admin = f.tokens.create("admin-test", "admin").secret();
      f.operator = f.tokens.create("operator-test", "operator").secret();
      f.viewer = f.tokens.create("viewer-test", "viewer").secret();
      // The server's protocols folder is a copy, so a test can add a protocol to it.
      f.protocols = TestCampaigns.copyOfProtocols(dir);
      LabCampaigns campaigns = DemoCommand.campaignsOnVirtualLab(InstrumentRegistry.load(Path.of("instruments")),
          dir.resolve("campaigns"), repo, f.lab, timeScale, Duration.ofMillis(5),
          TestCampaigns.withProtocols(f.protocols),
          new PrintStream(new ByteArrayOutputStream(), true));
      f.campaigns = campaigns;
      f.server = ApiServer.start(new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(15)), repo, f.tokens,
          campaigns);
      return f;
    }

    /** Stops what runs on the lab (nothing of it may outlive the test, e.g. drivers logging), the server, the lab. */
    @Override
    public void close() {
      try {
        campaigns.stopAndWait(Duration.ofMinutes(2));
      } catch (Exception e) {
        throw new AssertionError("the lab's campaigns did not stop", e);
      } finally {
        server.close();
        lab.close();
      }
    }

    Path shortCampaign(Path dir, int experiments) throws Exception {
      Path file = dir.resolve("short.yaml");
      Files.writeString(file, Files.readString(Path.of("campaigns/demo.yaml"))
          .replace("experiments: 24", "experiments: " + experiments).replace("parallel: 4", "parallel: 3")
          .replace("initial_points: 6", "initial_points: 3"));
      return file;
    }
  }
}
