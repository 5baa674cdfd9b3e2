package org.ionloop.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ionloop.cluster.ClusterSettings;
import org.ionloop.cluster.GatewayNode;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.InstrumentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ionloop gateway ID…}: a node of the lab's cluster on a machine near these instruments
 * (the furnaces' network), driving them for the campaigns on the orchestrator nodes, which list
 * them in {@code ionloop.cluster.gateway-instruments}.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = {"Serve instruments near this machine to the lab's cluster: one driver each, reached by the"
        + " campaigns of every orchestrator node (ionloop serve --cluster) that lists them in"
        + " ionloop.cluster.gateway-instruments (IONLOOP_CLUSTER_GATEWAY_INSTRUMENTS). Address and peers from"
        + " ionloop.cluster.* (IONLOOP_CLUSTER_PORT, IONLOOP_CLUSTER_SEED_NODES, …). No store needed.",
        "Runs until stopped (SIGTERM leaves the cluster); exits 1 when the cluster takes this node out, 2 when it"
            + " refuses it (another wire contract)."})
final class GatewayCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "ID", description = "Instruments this gateway drives (ids in the instrument folder).")
  List<String> instruments;

  @Mixin
  LabOptions lab;

  @Override
  public Integer call() throws Exception {
    InstrumentRegistry registry = InstrumentRegistry.load(lab.instruments);
    Map<String, InstrumentSpec> served = new TreeMap<>();
    for (String id : instruments) {
      served.put(id, registry.find(id).orElseThrow(() -> new IllegalArgumentException("gateway: no instrument '"
          + id + "' in " + lab.instruments + " (there are " + String.join(", ", registry.all().keySet()) + ")")));
    }
    var others = new java.util.HashSet<>(registry.all().keySet());
    others.removeAll(served.keySet());
    lab.bindServed(served, others);
    ClusterSettings settings = ClusterSettings.of(com.typesafe.config.ConfigFactory.load());
    GatewayNode node = GatewayNode.join(settings, com.typesafe.config.ConfigFactory.load(), served.values(),
        lab.broker, org.ionloop.cluster.Membership.ShutdownListener.printing("gateway", settings.seedNodes(),
            System.out));
    System.out.printf("gateway %s serving %s to the cluster%n", settings.selfAddress(),
        String.join(", ", served.keySet()));
    node.membership().whenUp().thenAccept(members -> System.out.printf(
        "gateway: this node is up (%d members: %s)%n", members.size(), String.join(", ", members)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        System.err.println("gateway did not leave cleanly: " + e.getMessage());
      }
      stopped.countDown();
    }, "ionloop-gateway-shutdown"));
    node.membership().whenTerminated().thenRun(stopped::countDown);
    stopped.await();
    return 0;
  }
}
