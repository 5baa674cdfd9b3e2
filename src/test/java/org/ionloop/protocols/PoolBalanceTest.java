package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Pools share the work: two free furnaces are granted in turn (the first one no longer does
 * everything while the second idles), and experiments take turns on a pooled robot that no step
 * reserves.
 */
class PoolBalanceTest {
  static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void freeStationsOfAPoolAreGrantedInTurn() {
    var locks = KIT.spawn(ResourceLocks.create());
    TestProbe<ResourceLocks.Reply> probe = KIT.createTestProbe();
    List<String> pool = List.of("furnace-1", "furnace-2");
    Map<String, Integer> grants = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      locks.tell(new ResourceLocks.Acquire(pool, "e" + i, probe.getRef()));
      var g = probe.expectMessageClass(ResourceLocks.Granted.class);
      grants.merge(g.resource(), 1, Integer::sum);
      locks.tell(new ResourceLocks.Release(g.resource(), "e" + i)); // one at a time: both always free
    }
    assertEquals(Map.of("furnace-1", 5, "furnace-2", 5), grants);
  }

  @Test
  void aStationOutOfServiceIsSkippedWhenItsTurnComes() {
    var locks = KIT.spawn(ResourceLocks.create());
    TestProbe<ResourceLocks.Reply> probe = KIT.createTestProbe();
    List<String> pool = List.of("furnace-1", "furnace-2", "furnace-3");
    locks.tell(new ResourceLocks.Quarantine("furnace-2", "sample stuck"));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      locks.tell(new ResourceLocks.Acquire(pool, "e" + i, probe.getRef()));
      var g = probe.expectMessageClass(ResourceLocks.Granted.class);
      order.add(g.resource());
      locks.tell(new ResourceLocks.Release(g.resource(), "e" + i));
    }
    assertEquals(List.of("furnace-1", "furnace-3", "furnace-1", "furnace-3"), order);
  }

  @Test
  void experimentsTakeTurnsOnAnUnreservedPool() {
    assertEquals(0, ExperimentRunner.experimentNumber("c20261201-101010-abc-e001"));
    assertEquals(6, ExperimentRunner.experimentNumber("c20261201-101010-abc-e007"));
    Map<Integer, Integer> perRobot = new TreeMap<>();
    for (int e = 1; e <= 24; e++) {
      perRobot.merge(Math.floorMod(ExperimentRunner.experimentNumber(String.format("c-e%03d", e)), 2), 1, Integer::sum);
    }
    assertEquals(Map.of(0, 12, 1, 12), perRobot);
  }
}
