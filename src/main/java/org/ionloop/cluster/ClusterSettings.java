package org.ionloop.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a cluster node listens and whom it joins ({@code ionloop.cluster}), read from the
 * installer's configuration, and the Akka settings that make an actor system a member: Artery TCP
 * on that address, the split-brain resolver's strategy ({@code downing}), CBOR for {@link
 * org.ionloop.CrossNode} messages, and the join check that refuses a node speaking another wire
 * contract.
 *
 * @param seedNodes host:port of the nodes to contact when joining; empty: a cluster of this node
 */
public record ClusterSettings(String host, int port, List<String> seedNodes, Duration stableAfter,
    String downing, Duration keeperInterval, String wireContract, List<String> gatewayInstruments) {
  /** The role of a node that runs campaigns and the singletons. */
  public static final String ORCHESTRATOR = "orchestrator";
  /** The role of a node that serves instruments near it ({@link InstrumentGateway}). */
  public static final String GATEWAY = "gateway";

  /** The actor system's name on every node: members must share it. */
  public static final String SYSTEM_NAME = "ionloop";
  private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+\\]):(\\d{1,5})");

  public ClusterSettings {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("ionloop.cluster.port must be 1-65535, not " + port);
    }
    seedNodes = List.copyOf(seedNodes);
    gatewayInstruments = List.copyOf(gatewayInstruments);
    if (!List.of("keep-majority", "keep-oldest").contains(downing)) {
      throw new IllegalArgumentException("ionloop.cluster.downing must be keep-majority (three or more nodes)"
          + " or keep-oldest (two nodes), not '" + downing + "'");
    }
  }

  /** The settings under {@code ionloop.cluster}; a clear error naming the key when one is malformed. */
  public static ClusterSettings of(Config config) {
    Config c = config.getConfig("ionloop.cluster");
    List<String> seeds = new ArrayList<>();
    for (String s : c.getString("seed-nodes").split(",")) {
      String seed = s.trim();
      if (seed.isEmpty()) {
        continue;
      }
      Matcher m = HOST_PORT.matcher(seed);
      if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
        throw new IllegalArgumentException("ionloop.cluster.seed-nodes: '" + seed + "' is not host:port"
            + " (e.g. 127.0.0.1:25520)");
      }
      seeds.add(seed);
    }
    Duration stable = c.getDuration("stable-after");
    if (stable.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("ionloop.cluster.stable-after must be at least 1s, not " + stable);
    }
    List<String> gateway = new ArrayList<>();
    for (String id : c.getString("gateway-instruments").split(",")) {
      if (!id.isBlank()) {
        gateway.add(id.trim());
      }
    }
    return new ClusterSettings(c.getString("host"), c.getInt("port"), seeds, stable, c.getString("downing"),
        c.getDuration("keeper-interval"), c.getString("wire-contract"), gateway);
  }

  /** This node's address as members name it. */
  public String selfAddress() {
    return "akka://" + SYSTEM_NAME + "@" + host + ":" + port;
  }

  /** The nodes to join, as member addresses: the seed nodes, or this node alone if none are given. */
  public List<String> seedAddresses() {
    List<String> seeds = seedNodes.isEmpty() ? List.of(host + ":" + port) : seedNodes;
    return seeds.stream().map(s -> "akka://" + SYSTEM_NAME + "@" + s).toList();
  }

  /** {@code base} with what makes its actor system an orchestrator node of this cluster. */
  public Config akkaConfig(Config base) {
    return akkaConfig(base, ORCHESTRATOR);
  }

  /** {@code base} with what makes its actor system a member of this cluster in {@code role}. */
  public Config akkaConfig(Config base, String role) {
    String overlay = String.join("\n",
        "akka.actor.provider = cluster",
        "akka.remote.artery.transport = tcp",
        "akka.remote.artery.canonical.hostname = \"" + host + "\"",
        "akka.remote.artery.canonical.port = " + port,
        "akka.cluster.roles = [" + role + "]",
        // No seed nodes in the configuration: ClusterLab joins them itself once it has said what
        // to do on a refusal, which can come before the node has finished starting.
        "akka.cluster.seed-nodes = []",
        "akka.cluster.downing-provider-class = \"akka.cluster.sbr.SplitBrainResolverProvider\"",
        "akka.cluster.split-brain-resolver.active-strategy = " + downing,
        // keep-oldest: when the oldest node is the one cut off, the others are kept, so either
        // node of two may be lost.
        "akka.cluster.split-brain-resolver.keep-oldest.down-if-alone = on",
        "akka.cluster.split-brain-resolver.stable-after = " + stableAfter.toMillis() + "ms",
        // A node the cluster took out (or refused) ends its process; whoever supervises the node
        // starts it again and it joins as a new member.
        "akka.coordinated-shutdown.exit-jvm = on",
        // ... with the exit codes of every ionloop command: 1 a failure while running (taken out,
        // or no seed node answered), 2 bad input (the installer's settings do not match the
        // cluster's). Leaving on the node's own stop ends the process the ordinary way.
        "akka.coordinated-shutdown.reason-overrides {",
        "  \"akka.actor.CoordinatedShutdown$ClusterDowningReason$\".exit-code = 1",
        "  \"akka.actor.CoordinatedShutdown$ClusterJoinUnsuccessfulReason$\".exit-code = 1",
        "  \"akka.actor.CoordinatedShutdown$IncompatibleConfigurationDetectedReason$\".exit-code = 2",
        "  \"akka.actor.CoordinatedShutdown$ClusterLeavingReason$\".exit-jvm = off",
        "}",
        "akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 60s",
        // A campaign moves only when its node is lost: never to even out the nodes' shares (a
        // move mid-experiment is a resumption, with every in-flight command sent again), and
        // never for being quiet (the keeper's wakes are its only messages).
        "akka.cluster.sharding.least-shard-allocation-strategy.rebalance-threshold = 1000000",
        "akka.cluster.sharding.passivation.strategy = none",
        "akka.cluster.configuration-compatibility-check.checkers.ionloop-wire-contract = \""
            + WireContractCheck.class.getName() + "\"",
        // Only Java records cross nodes: the Scala module is not on the classpath.
        "akka.serialization.jackson.jackson-modules = [",
        "  \"akka.serialization.jackson.AkkaJacksonModule\",",
        "  \"akka.serialization.jackson.AkkaTypedJacksonModule\",",
        "  \"akka.serialization.jackson.AkkaStreamJacksonModule\",",
        "  \"com.fasterxml.jackson.module.paramnames.ParameterNamesModule\",",
        "  \"com.fasterxml.jackson.datatype.jdk8.Jdk8Module\",",
        "  \"com.fasterxml.jackson.datatype.jsr310.JavaTimeModule\"]",
        "akka.serialization.jackson.allowed-class-prefix = [\"org.ionloop.\"]");
    return ConfigFactory.parseString(overlay).withFallback(base).resolve();
  }
}
