package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ionloop.TestCampaigns;
import org.ionloop.sim.Ports;
import org.ionloop.sim.VirtualBench;
import org.ionloop.store.CampaignRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The furnaces are driven by a gateway node ({@code ionloop gateway furnace-1 furnace-2}, its own
 * JVM, as on an edge machine on their network); two orchestrator nodes list them as gateway
 * instruments and never drive them. A campaign runs on the first orchestrator, whose furnace
 * commands go to the gateway's drivers; that node is killed with SIGKILL while an anneal runs.
 * The campaign resumes on the other orchestrator, which finds the same drivers: the anneal in
 * flight is answered by the gateway (it is running, or done) rather than sent to the furnace
 * again, and the furnaces' own counts show each anneal once.
 */
class ClusterGatewayIT extends ClusterLabIT {
  private static final int BUDGET = 8;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void campaignsReachTheFurnacesThroughTheGatewayAndAMovedCampaignFindsTheSameDrivers() throws Exception {
    startLab("ionloop_gateway");

    int orchestrator1 = Ports.free();
    int orchestrator2 = Ports.free();
    int gatewayPort = Ports.free();
    String seeds = "127.0.0.1:" + orchestrator1 + ",127.0.0.1:" + gatewayPort;
    int http1 = Ports.free();
    nodes.put("node1", lab.node("node1", env(orchestrator1, seeds), "--port", String.valueOf(http1)));
    lab.await(() -> lab.logOf("node1.out").contains("cluster: this node is up"), 180, "node1 is up", "node1.out");
    nodes.put("gateway", lab.gateway("gateway", env(gatewayPort, seeds), "furnace-1", "furnace-2"));
    lab.await(() -> lab.logOf("gateway.out").contains("gateway: this node is up"), 180, "the gateway joins",
        "gateway.out", "node1.out");

    NodeApi api = new NodeApi(http1, operator);
    String campaignId = api.start(TestCampaigns.demoText().replace("experiments: 24", "experiments: " + BUDGET));
    String gateway = "akka://ionloop@127.0.0.1:" + gatewayPort;
    lab.await(() -> lab.logOf("node1.out").contains("furnace-1 through the gateway at " + gateway)
        && lab.logOf("node1.out").contains("furnace-2 through the gateway at " + gateway), 120,
        "node1 reaches both furnaces through the gateway", "node1.out", "gateway.out");
    // Paused while node2 joins, however slow this machine: the kill must find an anneal in flight.
    api.steer(campaignId, "pause", "until node2 is up");
    lab.await(() -> "PAUSED".equals(state(campaignId)), 120, "the campaign pauses", "node1.out");
    nodes.put("node2", lab.node("node2", env(orchestrator2, seeds), "--port", String.valueOf(Ports.free())));
    lab.await(() -> lab.logOf("node2.out").contains("cluster: this node is up"), 180, "node2 joins", "node2.out");
    api.steer(campaignId, "resume", "node2 is up");

    lab.await(() -> annealsInFlight(repo, campaignId) >= 1 && ended(campaignId) >= 2, 180,
        "an anneal in flight", "node1.out", "gateway.out");
    // The node's live lab view has the gateway's furnaces, asked at the gateway, beside its own analyzer.
    java.util.Map<String, String> liveStates = api.liveStates();
    assertTrue(liveStates.get("furnace-1") != null && liveStates.get("furnace-2") != null
        && liveStates.get("eis-1") != null, "the gateway's furnaces and the node's analyzer in its live view: "
        + liveStates);
    Process node1 = nodes.get("node1");
    node1.destroyForcibly();
    assertTrue(node1.waitFor(30, TimeUnit.SECONDS));

    lab.await(() -> !List.of("RUNNING", "PLANNED").contains(state(campaignId)), 300,
        "the campaign ends on node2", "node2.out", "gateway.out");
    TestCampaigns.assertCompleted(state(campaignId), lab.logOf("node2.out"));
    assertTrue(lab.logOf("node2.out").contains("campaign " + campaignId + ": resuming on this node"),
        lab.logOf("node2.out"));
    assertTrue(lab.logOf("node2.out").contains("furnace-1 through the gateway at " + gateway), lab.logOf("node2.out"));
    String gatewayLog = lab.logOf("gateway.out");
    assertTrue(gatewayLog.contains("its outcome goes to the new sender") || gatewayLog.contains("its outcome answers"),
        "the gateway answered the re-sent anneal itself: " + gatewayLog);

    ResumeChecks.assertEveryExperimentOnce(repo, campaignId, BUDGET);
    VirtualBench bench = ResumeChecks.assertNoPhysicalStepTwice(dir.resolve("lab/bench"), BUDGET,
        () -> ResumeChecks.commandsOf(repo, campaignId) + "\n--- gateway:\n" + gatewayLog);
    long anneals = repo.query("SELECT COUNT(*) FROM step s JOIN experiment e ON e.id=s.experiment_id"
        + " WHERE e.campaign_id=? AND s.action='anneal' AND s.state='DONE'", rs -> rs.getLong(1), campaignId).get(0);
    assertEquals(anneals, bench.executions("furnace-1", "anneal") + bench.executions("furnace-2", "anneal"),
        "each anneal once, by the furnaces' count");
    long questions = repo.query("SELECT COUNT(*) FROM campaign_event WHERE campaign_id=? AND kind='approval_requested'",
        rs -> rs.getLong(1), campaignId).get(0);
    assertEquals(0, questions, "no operator was asked what became of an anneal: the gateway knew");
  }

  private static Map<String, String> env(int port, String seeds) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("IONLOOP_CLUSTER_PORT", String.valueOf(port));
    env.put("IONLOOP_CLUSTER_SEED_NODES", seeds);
    env.put("IONLOOP_CLUSTER_STABLE_AFTER", "4s");
    env.put("IONLOOP_CLUSTER_GATEWAY_INSTRUMENTS", "furnace-1,furnace-2");
    env.put("IONLOOP_LOG_LEVEL", "INFO"); // the nodes say which driver each instrument goes through
    env.put("IONLOOP_JAVA_OPTS", "-Xmx512m");
    return env;
  }

  private static long annealsInFlight(CampaignRepository repo, String id) {
    return repo.query("SELECT COUNT(*) FROM step s JOIN experiment e ON e.id=s.experiment_id"
        + " WHERE e.campaign_id=? AND s.action='anneal' AND s.state='SENT'", rs -> rs.getLong(1), id).get(0);
  }
}
