package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ionloop.store.CampaignQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's queue through the CLI and the API on a server with a virtual lab: campaigns created
 * while another runs are queued, put in front, moved and taken out; the queue is the store's (a
 * fresh reader sees it); a bad id, a running campaign and a viewer are refused with the reason;
 * when the running campaign ends, the head of the queue starts by itself.
 */
class CampaignQueueIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path dir;

  @Test
  void campaignsWaitInTheQueueInTheOperatorsOrderAndTheHeadStartsWhenTheLabIsFree() throws Exception {
    ServerIT.Fixture f = ServerIT.Fixture.start(dir);
    try {
      String[] as = {"--server", f.server.url(), "--token", f.operator};
      Path file = f.shortCampaign(dir, 3);
      String a = id(cli(0, "campaign", "start", file.toString(), as[0], as[1], as[2], as[3]));
      // Paused, A holds the lab while the queue is arranged (it is resumed below).
      cli(0, "campaign", "pause", a, as[0], as[1], as[2], as[3]);
      List<String> created = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        created.add(id(cli(0, "campaign", "start", file.toString(), "--no-start", as[0], as[1], as[2], as[3])));
      }
      String b = created.get(0);
      String c = created.get(1);
      String d = created.get(2);
      cli(0, "campaign", "queue", "add", b, as[0], as[1], as[2], as[3]);
      String front = cli(0, "campaign", "queue", "add", c, "--front", as[0], as[1], as[2], as[3]).out();
      assertTrue(front.indexOf(c) < front.indexOf(b), "C in front of B:\n" + front);
      cli(0, "campaign", "queue", "move", b, "0", as[0], as[1], as[2], as[3]);
      cli(0, "campaign", "queue", "add", d, as[0], as[1], as[2], as[3]);
      cli(0, "campaign", "queue", "remove", c, as[0], as[1], as[2], as[3]);
      assertEquals(List.of(b, d), queued(cli(0, "campaign", "queue", "list", "--json", as[0], as[1], as[2], as[3]).out()));
      assertEquals(List.of(b, d), new CampaignQueue(f.repo.dataSource()).entries().stream()
          .map(CampaignQueue.Entry::campaignId).toList(), "kept in the store: it survives a restart");

      StoreLeaseIT.Ran unknown = cli(1, "campaign", "queue", "move", "c20260101-000000-abc", "0", as[0], as[1], as[2], as[3]);
      assertTrue(unknown.err().contains("404") && unknown.err().contains("c20260101-000000-abc"), unknown.err());
      StoreLeaseIT.Ran running = cli(1, "campaign", "queue", "add", a, as[0], as[1], as[2], as[3]);
      assertTrue(running.err().contains("409"), running.err());
      StoreLeaseIT.Ran viewer = cli(1, "campaign", "queue", "remove", d, as[0], as[1], as[2], f.viewer);
      assertTrue(viewer.err().contains("403"), viewer.err());
      StoreLeaseIT.Ran badPlace = cli(2, "campaign", "queue", "move", d, "-1", as[0], as[1], as[2], as[3]);
      assertTrue(badPlace.err().contains("POSITION must be ≥ 0"), badPlace.err());

      // In the dashboard an operator moves D up; a viewer's page has no buttons.
      org.openqa.selenium.WebDriver browser = DashboardCheck.signedInOnTheCampaignsPage(f.server.url(), f.operator);
      try {
        assertEquals(2, browser.findElements(org.openqa.selenium.By.cssSelector("#queue tbody tr")).size());
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
            "document.querySelector(\"button.up[data-id='" + d + "']\").click();");
        // Read in one script: the page redraws the table after each change.
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(20)).until(x ->
            String.valueOf(((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const r = document.querySelector('#queue tbody tr'); return r ? r.textContent : '';")).contains(d));
        assertEquals(List.of(d, b), new CampaignQueue(f.repo.dataSource()).entries().stream()
            .map(CampaignQueue.Entry::campaignId).toList(), "the button moved it in the server's queue");
      } finally {
        browser.quit();
      }
      org.openqa.selenium.WebDriver asViewer = DashboardCheck.signedInOnTheCampaignsPage(f.server.url(), f.viewer);
      try {
        assertEquals(2, asViewer.findElements(org.openqa.selenium.By.cssSelector("#queue tbody tr")).size());
        assertEquals(0, asViewer.findElements(org.openqa.selenium.By.cssSelector("#queue button, button.enqueue")).size(),
            "no queue buttons for a viewer");
      } finally {
        asViewer.quit();
      }

      // A ends; D, now at the head, takes the lab without anyone asking.
      cli(0, "campaign", "resume", a, as[0], as[1], as[2], as[3]);
      awaitState(f, a, s -> !s.equals("RUNNING") && !s.equals("PAUSED") && !s.equals("PLANNED"));
      awaitState(f, d, s -> !s.equals("PLANNED"));
      assertEquals(List.of(b), queued(cli(0, "campaign", "queue", "list", "--json", as[0], as[1], as[2], as[3]).out()));
      cli(0, "campaign", "queue", "remove", b, as[0], as[1], as[2], as[3]);
      awaitState(f, d, s -> !s.equals("RUNNING"));
      assertEquals("PLANNED", f.repo.query("SELECT state FROM campaign WHERE id=?", rs -> rs.getString(1), b).get(0),
          "taken out of the queue, it waits as created");
    } finally {
      f.close();
    }
  }

  private static StoreLeaseIT.Ran cli(int expectedExit, String... args) {
    StoreLeaseIT.Ran r = StoreLeaseIT.run(args);
    assertEquals(expectedExit, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
    return r;
  }

  private static String id(StoreLeaseIT.Ran started) {
    return started.out().replaceFirst("(?s)^campaign (\\S+).*", "$1");
  }

  private static List<String> queued(String json) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode e : JSON.readTree(json)) {
      ids.add(e.path("campaign_id").asText());
    }
    return ids;
  }

  /** Waits (on the store's recorded state, up to 3 minutes) until the campaign's state passes the test. */
  private static void awaitState(ServerIT.Fixture f, String id, java.util.function.Predicate<String> done)
      throws InterruptedException {
    long until = System.nanoTime() + 180_000_000_000L;
    String state = null;
    while (System.nanoTime() < until) {
      state = f.repo.query("SELECT state FROM campaign WHERE id=?", rs -> rs.getString(1), id).get(0);
      if (done.test(state)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("campaign " + id + " still " + state);
  }
}
