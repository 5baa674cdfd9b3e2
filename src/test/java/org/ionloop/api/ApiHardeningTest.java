package org.ionloop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.ionloop.store.ApiTokens;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP holes an attacker found, each closed: a case-changed token on a keep-alive connection,
 * HTML and database text in error answers, method override, missing security headers, unbounded
 * token names and bodies.
 */
class ApiHardeningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;
  private ApiServer server;
  private ApiTokens tokens;
  private String admin;

  @BeforeEach
  void start() {
    CampaignRepository repo = new CampaignRepository(Database.open(Database.h2FileUrl(dir.resolve("ionloop"))));
    tokens = new ApiTokens(repo.dataSource());
    admin = tokens.create("bootstrap-admin", "admin").secret();
    CampaignControl failing = new CampaignControl() {
      @Override
      public String create(String yaml) {
        // What a failing database driver says: table, column and a server path.
        throw new org.ionloop.IonloopException(org.ionloop.ErrorCode.STORE, "Value too long for column \"NAME CHARACTER VARYING(200)\":"
            + " INSERT INTO PUBLIC.API_TOKEN at /srv/ionloop/data/ionloop.mv.db");
      }

      @Override
      public void start(String campaignId) {
        create(null);
      }

      @Override
      public java.util.List<String> running() {
        return java.util.List.of();
      }
    };
    server = ApiServer.start(new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(1)), repo, tokens, failing);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aCaseChangedOrTruncatedTokenIsRefusedOnTheSameKeepAliveConnection() throws Exception {
    String upper = "ILT_" + admin.substring(4).toUpperCase(Locale.ROOT);
    String lower = admin.toLowerCase(Locale.ROOT);
    int letter = 4;
    while (!Character.isLetter(admin.charAt(letter))) {
      letter++;
    }
    String oneFlipped = admin.substring(0, letter) + flipCase(admin.charAt(letter)) + admin.substring(letter + 1);
    for (String variant : new String[] {upper, lower, oneFlipped, admin.substring(0, admin.length() - 1),
        admin + "x", admin.substring(0, 20)}) {
      try (RawHttp http = new RawHttp(server.port())) {
        // Jetty builds a connection's header cache from its second request on: send the real
        // token twice, so the cache holds it, then the variant on the same connection.
        for (int i = 0; i < 2; i++) {
          RawHttp.Response ok = http.send("GET", "/api/whoami", null, "Authorization: Bearer " + admin);
          assertEquals(200, ok.status(), ok.body());
          assertEquals("bootstrap-admin", JSON.readTree(ok.body()).path("name").asText());
        }
        RawHttp.Response r = http.send("GET", "/api/whoami", null, "Authorization: Bearer " + variant);
        assertEquals(401, r.status(), "variant " + variant + " of " + admin + ": " + r.body());
        assertEquals("unauthorized", JSON.readTree(r.body()).path("code").asText());
        RawHttp.Response t = http.send("POST", "/api/tokens", "{\"name\":\"x\",\"role\":\"admin\"}",
            "Authorization: Bearer " + variant, "Content-Type: application/json");
        assertEquals(401, t.status(), "variant " + variant + " cannot make tokens: " + t.body());
      }
    }
    assertEquals(1, tokens.all().size(), "no token was made with a variant");
  }

  @Test
  void errorsAreJsonWithoutDatabaseOrServerTextAndEveryAnswerCarriesSecurityHeaders() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response internal = http.send("POST", "/api/campaigns", "name: x\n",
          "Authorization: Bearer " + admin, "Content-Type: application/yaml");
      assertEquals(500, internal.status());
      JsonNode e = JSON.readTree(internal.body());
      assertEquals("internal", e.path("code").asText());
      assertFalse(internal.body().contains("API_TOKEN") || internal.body().contains("/srv")
          || internal.body().contains("IllegalState") || internal.body().contains("Exception"), internal.body());
      assertSecurityHeaders(internal);

      RawHttp.Response page = http.send("GET", "/campaign.html", null);
      assertEquals(200, page.status());
      assertSecurityHeaders(page);
      assertTrue(page.header("content-security-policy").contains("frame-ancestors 'none'"));
      assertFalse(page.body().contains("<script>"), "no inline scripts: the policy forbids them");

      RawHttp.Response health = http.send("GET", "/api/health", null);
      assertSecurityHeaders(health);
      assertEquals(null, health.header("server"), "the server does not name itself");
    }
  }

  @Test
  void tooLargeBodyUriAndHeadersAreJsonErrors() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response big = http.send("POST", "/api/campaigns", "a".repeat(1_200_000),
          "Authorization: Bearer " + admin, "Content-Type: application/yaml");
      assertJsonError(big, 413, "payload_too_large");
    }
    try (RawHttp http = new RawHttp(server.port())) {
      assertJsonError(http.send("GET", "/api/campaigns/" + "c".repeat(100_000), null,
          "Authorization: Bearer " + admin), 414, "uri_too_long");
    }
    try (RawHttp http = new RawHttp(server.port())) {
      assertJsonError(http.send("GET", "/api/campaigns", null, "Authorization: Bearer " + admin,
          "X-Padding: " + "p".repeat(20_000)), 431, "headers_too_large");
    }
  }

  @Test
  void methodOverrideIsIgnoredAndAWrongMethodIs405() throws Exception {
    long id = tokens.all().get(0).id();
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response wrong = http.send("DELETE", "/api/campaigns", null, "Authorization: Bearer " + admin);
      assertJsonError(wrong, 405, "method_not_allowed");
      for (String header : new String[] {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"}) {
        RawHttp.Response r = http.send("POST", "/api/tokens/" + id, "",
            "Authorization: Bearer " + admin, header + ": DELETE");
        assertJsonError(r, 405, "method_not_allowed");
      }
    }
    assertTrue(tokens.authenticate(admin).isPresent(), "the token was not revoked through an override");
  }

  @Test
  void aHugeTokenNameIsABadRequestNamingTheLimitNotTheDatabase() throws Exception {
    try (RawHttp http = new RawHttp(server.port())) {
      RawHttp.Response r = http.send("POST", "/api/tokens", "{\"name\":\"" + "n".repeat(100_000)
          + "\",\"role\":\"viewer\"}", "Authorization: Bearer " + admin, "Content-Type: application/json");
      assertJsonError(r, 400, "bad_request");
      assertTrue(r.body().contains("at most 100 characters"), r.body());
      RawHttp.Response control = http.send("POST", "/api/tokens", "{\"name\":\"robot\\u0000\",\"role\":\"viewer\"}",
          "Authorization: Bearer " + admin, "Content-Type: application/json");
      assertJsonError(control, 400, "bad_request");
    }
    assertEquals(1, tokens.all().size());
  }

  @Test
  void oddRequestsGetAJsonClientErrorNeverA500() throws Exception {
    String[][] requests = {
        {"GET", "/api/campaigns/%00"}, {"GET", "/api/campaigns/..%2f..%2fetc%2fpasswd"},
        {"GET", "/api/campaigns/x/events?after=abc"}, {"GET", "/api/campaigns/x/events?limit=-1"},
        {"GET", "/api/campaigns/x/events?limit=99999999999999999999999"},
        {"GET", "/api/campaigns/x/experiments/%ff%fe"}, {"GET", "/api/campaigns/" + "x".repeat(5000)},
        {"DELETE", "/api/tokens/abc"}, {"DELETE", "/api/tokens/99999999999999999999"},
        {"DELETE", "/api/tokens/-1"}, {"POST", "/api/tokens", "not json"}, {"POST", "/api/tokens", "[]"},
        {"POST", "/api/tokens", "{\"name\": 5, \"role\": []}"}, {"POST", "/api/tokens", "{\"name\": \"a\"}"},
        {"POST", "/api/tokens", "{\"name\": \"a\", \"role\": \"root\"}"},
        {"POST", "/api/tokens", "\"just a string\""}, {"POST", "/api/tokens", "{\"name\": \"a\", \"role\": null}"},
        {"POST", "/api/campaigns/x/pause", "["}, {"POST", "/api/campaigns/x/abort", "{}"},
        {"PUT", "/api/campaigns"}, {"PATCH", "/api/tokens/1"}, {"GET", "/api/../../etc/passwd"},
        {"TRACE", "/api/health"}};
    for (String[] r : requests) {
      try (RawHttp http = new RawHttp(server.port())) {
        RawHttp.Response res = r.length > 2
            ? http.send(r[0], r[1], r[2], "Authorization: Bearer " + admin, "Content-Type: application/json")
            : http.send(r[0], r[1], null, "Authorization: Bearer " + admin);
        String what = String.join(" ", r) + " -> " + res.status() + " " + res.body();
        assertTrue(res.status() >= 400 && res.status() < 500, what);
        assertTrue(String.valueOf(res.header("content-type")).startsWith("application/json"), what);
        assertFalse(JSON.readTree(res.body()).path("message").asText().isBlank(), what);
      }
    }
    assertEquals(1, tokens.all().size(), "no odd request made a token");
  }

  private static void assertJsonError(RawHttp.Response r, int status, String code) throws Exception {
    assertEquals(status, r.status(), r.body());
    assertTrue(String.valueOf(r.header("content-type")).startsWith("application/json"),
        status + " is JSON, not " + r.header("content-type") + ": " + r.body());
    JsonNode n = JSON.readTree(r.body());
    assertEquals(code, n.path("code").asText(), r.body());
    assertFalse(n.path("message").asText().isBlank(), r.body());
    assertFalse(r.body().contains("<html") || r.body().contains("jetty") || r.body().contains("Exception"), r.body());
    assertSecurityHeaders(r);
  }

  private static void assertSecurityHeaders(RawHttp.Response r) {
    for (String h : new String[] {"content-security-policy", "x-content-type-options", "referrer-policy",
        "x-frame-options"}) {
      assertNotNull(r.header(h), "header " + h + " on a " + r.status() + " answer: " + r.headers());
    }
    assertEquals("nosniff", r.header("x-content-type-options"));
  }

  private static char flipCase(char c) {
    return Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
  }
}
