package org.ionloop.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.ionloop.TestCampaigns;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator hears of a campaign without watching it: the installation's webhook receives a JSON
 * POST when the campaign ends, after the store has committed it, retried when the receiver
 * fails, and never in the campaign's way (the receiver here answers slowly and refuses its first
 * request).
 */
class WebhookNotificationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void theEndOfACampaignIsPostedAfterARefusalAndASlowReceiver() throws Exception {
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    AtomicInteger requests = new AtomicInteger();
    HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    hook.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int n = requests.incrementAndGet();
      try {
        Thread.sleep(300); // a slow receiver: the campaign must not wait for it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      int status = n == 1 ? 500 : 200; // the first request is refused: it must be sent again
      if (status == 200) {
        received.add(JSON.readTree(body));
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    hook.start();
    String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
    System.setProperty("ionloop.notifications.webhook", url);
    System.setProperty("ionloop.notifications.first-retry", "50ms");
    ConfigFactory.invalidateCaches();
    try {
      String state = runShortCampaign(dir);
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.stream().noneMatch(n -> n.path("kind").asText().startsWith("campaign_completed"))
          && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      JsonNode end = received.stream().filter(n -> n.path("kind").asText().startsWith("campaign_completed"))
          .findFirst().orElseThrow(() -> new AssertionError("no completion posted; got " + received));
      assertTrue(end.path("text").asText().startsWith("ionloop: campaign "), end.toString());
      assertEquals(state, end.path("state").asText());
      assertTrue(requests.get() >= received.size() + 1, "the refused request was sent again: " + requests);
    } finally {
      System.clearProperty("ionloop.notifications.webhook");
      System.clearProperty("ionloop.notifications.first-retry");
      ConfigFactory.invalidateCaches();
      hook.stop(0);
    }
  }

  @Test
  void onlyWhatNeedsSomeoneIsWorthANotification() {
    Instant t = Instant.now();
    assertEquals("campaign_paused", Notifier.notificationOf(new StoreRecord.CampaignStateChanged("c", "PAUSED",
        "robot-1 failed 3 experiments in a row", t)).path("kind").asText());
    assertNull(Notifier.notificationOf(new StoreRecord.CampaignStateChanged("c", "RUNNING", null, t)));
    JsonNode ask = Notifier.notificationOf(new StoreRecord.Event("c", "c-e001", "approval_requested",
        Map.of("step", "anneal", "prompt", "anneal above 600 °C?"), t));
    assertEquals("approval_requested", ask.path("kind").asText());
    assertTrue(ask.path("text").asText().contains("waits for an operator's approval (anneal above 600 °C?)"),
        ask.toString());
    assertNull(Notifier.notificationOf(new StoreRecord.Event("c", "c-e001", "decision", Map.of(), t)));
  }

  /** A three-experiment demo campaign on a fresh virtual lab, to its end; its end state. */
  static String runShortCampaign(Path dir) throws Exception {
    Path campaign = dir.resolve("short.yaml");
    Files.writeString(campaign, TestCampaigns.demoCopy().replace("experiments: 24", "experiments: 3")
        .replace("parallel: 4", "parallel: 3").replace("initial_points: 6", "initial_points: 3"));
    Object v = org.ionloop.cli.TestLaunch.validate(campaign);
    String state = org.ionloop.cli.TestLaunch.runOnVirtualLab(v, "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath(),
        new PrintStream(new ByteArrayOutputStream(), true));
    TestCampaigns.assertCompleted(state);
    return state;
  }
}
