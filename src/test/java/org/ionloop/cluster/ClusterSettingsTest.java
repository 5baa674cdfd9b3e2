package org.ionloop.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.cluster.Invalid;
import akka.cluster.Valid$;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The installer's cluster settings: read, refused with the key named, and turned into Akka's. */
class ClusterSettingsTest {
  private static Config with(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  @Test
  void readsAddressSeedsAndTimesFromTheInstallersConfiguration() {
    ClusterSettings s = ClusterSettings.of(with("ionloop.cluster { port = 25601,"
        + " seed-nodes = \" 127.0.0.1:25601, lab-node-2.local:25602 \", stable-after = 4s }"));
    assertEquals(25601, s.port());
    assertEquals(List.of("127.0.0.1:25601", "lab-node-2.local:25602"), s.seedNodes());
    assertEquals(Duration.ofSeconds(4), s.stableAfter());
    assertEquals("akka://ionloop@127.0.0.1:25601", s.selfAddress());
    assertEquals(List.of("akka://ionloop@127.0.0.1:25601", "akka://ionloop@lab-node-2.local:25602"),
        s.seedAddresses());
    assertEquals("v1", s.wireContract());
  }

  @Test
  void withNoSeedNodesANodeIsAClusterOfItsOwn() {
    ClusterSettings s = ClusterSettings.of(with("ionloop.cluster.port = 25700"));
    assertEquals(List.of("akka://ionloop@127.0.0.1:25700"), s.seedAddresses());
  }

  @Test
  void aMalformedSettingIsRefusedNamingItsKey() {
    var seed = assertThrows(IllegalArgumentException.class,
        () -> ClusterSettings.of(with("ionloop.cluster.seed-nodes = \"127.0.0.1\"")));
    assertTrue(seed.getMessage().contains("ionloop.cluster.seed-nodes: '127.0.0.1' is not host:port"),
        seed.getMessage());
    var seedPort = assertThrows(IllegalArgumentException.class,
        () -> ClusterSettings.of(with("ionloop.cluster.seed-nodes = \"127.0.0.1:70000\"")));
    assertTrue(seedPort.getMessage().contains("'127.0.0.1:70000'"), seedPort.getMessage());
    var port = assertThrows(IllegalArgumentException.class,
        () -> ClusterSettings.of(with("ionloop.cluster.port = 0")));
    assertTrue(port.getMessage().contains("ionloop.cluster.port"), port.getMessage());
    var stable = assertThrows(IllegalArgumentException.class,
        () -> ClusterSettings.of(with("ionloop.cluster.stable-after = 100ms")));
    assertTrue(stable.getMessage().contains("ionloop.cluster.stable-after"), stable.getMessage());
    var downing = assertThrows(IllegalArgumentException.class,
        () -> ClusterSettings.of(with("ionloop.cluster.downing = keep-everyone")));
    assertTrue(downing.getMessage().contains("ionloop.cluster.downing") && downing.getMessage().contains("keep-everyone"),
        downing.getMessage());
  }

  @Test
  void akkasSettingsMakeAMemberThatMovesCampaignsOnlyWhenANodeIsLost() {
    ClusterSettings s = ClusterSettings.of(with("ionloop.cluster { port = 25601, seed-nodes = \"127.0.0.1:25601\" }"));
    Config akka = s.akkaConfig(ConfigFactory.defaultReference());
    assertEquals("cluster", akka.getString("akka.actor.provider"));
    assertEquals(25601, akka.getInt("akka.remote.artery.canonical.port"));
    assertEquals("keep-majority", akka.getString("akka.cluster.split-brain-resolver.active-strategy"));
    Config two = ClusterSettings.of(with("ionloop.cluster.downing = keep-oldest")).akkaConfig(ConfigFactory.defaultReference());
    assertEquals("keep-oldest", two.getString("akka.cluster.split-brain-resolver.active-strategy"));
    assertTrue(two.getBoolean("akka.cluster.split-brain-resolver.keep-oldest.down-if-alone"));
    assertEquals("none", akka.getString("akka.cluster.sharding.passivation.strategy"));
    assertTrue(akka.getInt("akka.cluster.sharding.least-shard-allocation-strategy.rebalance-threshold") > 1000);
    assertEquals(0, akka.getInt("akka.cluster.sharding.least-shard-allocation-strategy.rebalance-absolute-limit"),
        "the old allocation strategy, the one rebalance-threshold governs");
    assertEquals(2, akka.getInt("akka.coordinated-shutdown.reason-overrides"
        + ".\"akka.actor.CoordinatedShutdown$IncompatibleConfigurationDetectedReason$\".exit-code"));
    assertEquals("jackson-cbor", akka.getString("akka.actor.serialization-bindings.\"org.ionloop.CrossNode\""));
  }

  @Test
  void aNodeOfAnotherWireContractIsRefusedAndTheReasonSaysBoth() {
    WireContractCheck check = new WireContractCheck();
    assertEquals(Valid$.MODULE$, check.check(with(""), with("")));
    var refused = assertInstanceOf(Invalid.class, check.check(with("ionloop.cluster.wire-contract = v2"), with("")));
    String why = refused.errorMessages().mkString("; ");
    assertTrue(why.contains("wire contract v2, this cluster speaks v1"), why);
    var older = assertInstanceOf(Invalid.class, check.check(ConfigFactory.parseString("a = 1"), with("")));
    assertTrue(older.errorMessages().mkString("; ").contains("none"), older.errorMessages().mkString());
  }
}
