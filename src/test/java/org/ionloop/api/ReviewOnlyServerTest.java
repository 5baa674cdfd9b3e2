package org.ionloop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ionloop.store.ApiTokens;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server without a lab ({@code serve --no-lab}, the dashboard next to an orchestrator run
 * elsewhere): reads work, creating a campaign is refused with a reason, and a browser asking for
 * an unknown API path gets a JSON error while the dashboard's pages are served without a token.
 */
class ReviewOnlyServerTest {
  @TempDir
  Path dir;

  @Test
  void readsWorkAndCreatingACampaignIsRefused() throws Exception {
    CampaignRepository repo = new CampaignRepository(Database.open(Database.h2FileUrl(dir.resolve("ionloop"))));
    ApiTokens tokens = new ApiTokens(repo.dataSource());
    String operator = tokens.create("op", "operator").secret();
    try (ApiServer server = ApiServer.start(new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(1)),
        repo, tokens, CampaignControl.none())) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/campaigns"))
          .header("Authorization", "Bearer " + operator).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, list.statusCode());
      assertEquals("[]", list.body());
      HttpResponse<String> create = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/campaigns"))
          .header("Authorization", "Bearer " + operator).header("Content-Type", "application/yaml")
          .POST(HttpRequest.BodyPublishers.ofString(Files.readString(Path.of("campaigns/demo.yaml")))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(409, create.statusCode(), create.body());
      var error = new ObjectMapper().readTree(create.body());
      assertEquals("conflict", error.path("code").asText());
      assertTrue(error.path("message").asText().contains("no lab"), create.body());
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/campaign.html")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("chart.umd.js"), "the page loads Chart.js from its WebJar");
      HttpResponse<String> chartJs = http.send(HttpRequest.newBuilder(URI.create(server.url()
          + "/webjars/chart.js/4.4.1/dist/chart.umd.js")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, chartJs.statusCode());
      HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/nope"))
          .header("Authorization", "Bearer " + operator).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, unknown.statusCode());
      assertEquals("not_found", new ObjectMapper().readTree(unknown.body()).path("code").asText());
    }
  }
}
