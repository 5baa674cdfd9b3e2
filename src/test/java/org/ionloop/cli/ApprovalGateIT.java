package org.ionloop.cli;

import org.ionloop.TestCampaigns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.protocols.ProtocolSpec;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.ionloop.store.OperatorCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A protocol with an approval gate before the anneal: nothing goes into a furnace until an
 * operator says so, from another terminal (the store's operator inbox, as `ionloop campaign
 * approve|reject` files it). Who approved or rejected what is in the campaign log.
 */
class ApprovalGateIT {
  @TempDir
  Path dir;

  @Test
  void annealsWaitForTheOperatorAndARejectionFailsOnlyThatExperiment() throws Exception {
    Path protocol = dir.resolve("gated.yaml");
    Files.writeString(protocol, Files.readString(Path.of("protocols/argyrodite-solid-state.yaml"))
        .replace("    action: anneal\n", "    action: anneal\n    approval: Pellet intact and seated in the crucible?\n"));
    assertEquals("Pellet intact and seated in the crucible?", ProtocolSpec.load(protocol).steps().stream()
        .filter(s -> s.id().equals("anneal")).findFirst().orElseThrow().approval());
    Path campaign = dir.resolve("gated-campaign.yaml");
    Files.writeString(campaign, TestCampaigns.demoCopy()
        .replace("experiments: 24", "experiments: 2").replace("parallel: 4", "parallel: 2")
        .replace("protocol: " + TestCampaigns.PROTOCOLS + "/argyrodite-solid-state.yaml", "protocol: " + protocol));
    var v = CampaignLauncher.validate(campaign, InstrumentRegistry.load(Path.of("instruments"))).onLabClock(1e-4);
    String url = Database.h2FileUrl(dir.resolve("db/ionloop"));
    try (VirtualLab lab = new VirtualLab(1e-4, 5, 2)) {
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      var running = CampaignLauncher.start(v, lab.brokerUrl(), url, new PrintStream(new ByteArrayOutputStream(), true));
      String id = running.campaignId();
      CampaignRepository repo = new CampaignRepository(Database.open(url));
      await("both experiments at the gate", () -> events(repo, id, "approval_requested").size() == 2);
      assertEquals(0, lab.bench().executions("furnace-1", "anneal") + lab.bench().executions("furnace-2", "anneal"),
          "no anneal before approval");

      // The dashboard's list of what waits for an operator: both gates, with their prompt.
      var views = new org.ionloop.api.CampaignViews(repo);
      var waiting = views.campaign(id).orElseThrow().path("pending_approvals");
      assertEquals(2, waiting.size(), waiting.toString());
      assertEquals("anneal", waiting.get(0).path("step").asText());
      assertEquals("Pellet intact and seated in the crucible?", waiting.get(0).path("prompt").asText());

      OperatorCommands inbox = repo.operatorCommands();
      long wrong = inbox.issue(id, "approve", id + "-e001", "mill", null, "tester");
      await("the wrong approval answered", () -> inbox.find(wrong).orElseThrow().handledAt() != null);
      assertTrue(inbox.find(wrong).orElseThrow().outcome().contains("no approval is waiting"),
          inbox.find(wrong).orElseThrow().outcome());
      long approve = inbox.issue(id, "approve", id + "-e001", "anneal", null, "tester");
      await("approval answered", () -> inbox.find(approve).orElseThrow().handledAt() != null);
      assertEquals("ok", inbox.find(approve).orElseThrow().outcome());
      await("the approved gate leaves the list", () -> views.campaign(id).orElseThrow().path("pending_approvals")
          .size() == 1);
      assertEquals(id + "-e002", views.campaign(id).orElseThrow().path("pending_approvals").get(0)
          .path("experiment_id").asText());
      // The CLI files the rejection the same way and waits for the answer.
      assertEquals(0, Main.execute("campaign", "reject", id, "e002", "anneal", "--reason", "pellet cracked",
          "--by", "tester", "--jdbc-url", url));

      var run = CampaignLauncher.await(running);
      assertEquals("COMPLETED_WITH_FAILURES", run.state(), "e002 was rejected");
      assertEquals(1, lab.bench().executions("furnace-1", "anneal") + lab.bench().executions("furnace-2", "anneal"),
          "only the approved experiment was annealed");
      List<String> states = repo.query("SELECT state || ':' || COALESCE(failure, '') FROM experiment"
          + " WHERE campaign_id=? ORDER BY seq_no", rs -> rs.getString(1), id);
      assertEquals("COMPLETED:", states.get(0));
      assertTrue(states.get(1).startsWith("FAILED:step anneal rejected by tester: pellet cracked"), states.get(1));
      assertTrue(events(repo, id, "approval_granted").get(0).contains("\"by\":\"tester\""));
      assertTrue(events(repo, id, "approval_rejected").get(0).contains("pellet cracked"));
      assertEquals(3, events(repo, id, "operator_command").size(), "every operator command is in the log");
      assertEquals(0, views.campaign(id).orElseThrow().path("pending_approvals").size(), "nothing waits any more");
    }
  }

  private static List<String> events(CampaignRepository repo, String id, String kind) {
    return repo.query("SELECT payload FROM campaign_event WHERE campaign_id=? AND kind=? ORDER BY seq",
        rs -> rs.getString(1), id, kind);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
