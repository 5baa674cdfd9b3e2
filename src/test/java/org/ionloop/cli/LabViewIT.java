package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live lab view on a server running a campaign on a virtual lab: the stream sends the view
 * as it changes; what it says an instrument runs is a command of the store's steps, a sample's
 * place is a station that lists the sample; the dashboard page shows it and updates by itself;
 * without a token the stream is refused; after the campaign nothing is busy and no sample remains.
 */
class LabViewIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir
  Path dir;

  @Test
  void theStreamFollowsTheCampaignAndTheDashboardShowsItLive() throws Exception {
    ServerIT.Fixture f = ServerIT.Fixture.start(dir, 11, 1e-4);
    serverUrl = f.server.url();
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    try {
      assertEquals(401, http.send(request("/api/lab/stream", null).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode(), "no token, no stream");
      var stream = http.sendAsync(request("/api/lab/stream", f.viewer).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofLines());
      stream.thenAccept(r -> r.body().forEach(line -> {
        if (line.startsWith("data:")) {
          try {
            events.add(JSON.readTree(line.substring(5).trim()));
          } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
          }
        }
      }));
      awaitEvent(events, v -> v.path("instruments").size() > 0, "the view at once");
      JsonNode first = events.get(0);
      assertTrue(ids(first).containsAll(List.of("furnace-1", "furnace-2", "eis-1", "robot-1")), first.toString());

      Path file = f.shortCampaign(dir, 4);
      HttpResponse<String> created = http.send(request("/api/campaigns?start=true", f.operator)
          .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(Files.readString(file)))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      String campaignId = JSON.readTree(created.body()).path("id").asText();

      // A furnace annealing a sample of this campaign, as the store's steps have it.
      JsonNode annealing = awaitEvent(events, v -> busyWith(v, "anneal") != null, "a furnace annealing");
      JsonNode furnace = busyWith(annealing, "anneal");
      JsonNode command = furnace.path("command");
      assertEquals(campaignId, command.path("campaign_id").asText(), furnace.toString());
      String experiment = command.path("experiment_id").asText();
      JsonNode steps = JSON.readTree(http.send(request("/api/campaigns/" + campaignId + "/experiments/"
          + experiment + "/steps", f.viewer).build(), HttpResponse.BodyHandlers.ofString()).body());
      boolean known = false;
      for (JsonNode s : steps) {
        known |= s.path("command_id").asText().equals(command.path("command_id").asText());
      }
      assertTrue(known, "the command the view shows is one the store has sent: " + steps);
      assertEquals(furnace.path("id").asText(), placeOf(annealing, experiment), "the sample is in the furnace: " + annealing);
      assertTrue(furnace.path("samples").toString().contains(experiment), "the furnace lists its sample: " + furnace);
      assertTrue(furnace.path("state").asText().matches("BUSY|ONLINE"), "this server drives it: " + furnace);

      WebDriver browser = DashboardCheck.signedInOnTheCampaignsPage(f.server.url(), f.viewer);
      try {
        browser.get(f.server.url() + "/lab.html");
        DashboardCheck.awaitReady(browser, "lab.html");
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(b -> Integer.parseInt(String.valueOf(
            ((JavascriptExecutor) b).executeScript("return document.body.dataset.events || '0';"))) >= 3);
        assertEquals(ids(first).size(), browser.findElements(By.cssSelector("#instruments tbody tr")).size());
        assertTrue(browser.findElement(By.id("live")).getText().contains("live"));
        Path shots = Files.createDirectories(Path.of("target", "dashboard-screenshots"));
        Files.write(shots.resolve("lab.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      } finally {
        browser.quit();
      }

      JsonNode after = awaitEvent(events, v -> v.path("samples").isEmpty() && noneBusy(v)
          && !"RUNNING".equals(campaignState(f, campaignId)), "the campaign over, the lab idle");
      assertTrue(after.path("instruments").size() >= 4, after.toString());
      assertTrue(events.size() >= 4, "the view came again as it changed: " + events.size() + " events");
    } finally {
      f.close();
    }
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(serverUrl + path));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private String serverUrl;

  private static List<String> ids(JsonNode view) {
    List<String> out = new java.util.ArrayList<>();
    view.path("instruments").forEach(i -> out.add(i.path("id").asText()));
    return out;
  }

  private static JsonNode busyWith(JsonNode view, String action) {
    for (JsonNode i : view.path("instruments")) {
      if (action.equals(i.path("command").path("action").asText())) {
        return i;
      }
    }
    return null;
  }

  private static boolean noneBusy(JsonNode view) {
    for (JsonNode i : view.path("instruments")) {
      if (!i.path("command").isNull()) {
        return false;
      }
    }
    return true;
  }

  private static String placeOf(JsonNode view, String experiment) {
    for (JsonNode s : view.path("samples")) {
      if (s.path("experiment_id").asText().equals(experiment)) {
        return s.path("place").asText();
      }
    }
    return null;
  }

  private String campaignState(ServerIT.Fixture f, String id) {
    return f.repo.query("SELECT state FROM campaign WHERE id=?", rs -> rs.getString(1), id).get(0);
  }

  private static JsonNode awaitEvent(List<JsonNode> events, Predicate<JsonNode> what, String description)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int seen = 0;
    while (System.nanoTime() < until) {
      for (; seen < events.size(); seen++) {
        if (what.test(events.get(seen))) {
          return events.get(seen);
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no lab event showed " + description + " in " + events.size() + " events: "
        + (events.isEmpty() ? "" : events.get(events.size() - 1)));
  }
}
