package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One lock table for the lab's campaigns: a furnace they share goes round-robin between the
 * campaigns that wait for it (first come first served inside each), and a station one campaign
 * took out of service is out for every campaign.
 */
class LabWideLocksTest {
  static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void aSharedFurnaceAlternatesBetweenWaitingCampaigns() {
    var locks = KIT.spawn(ResourceLocks.create());
    TestProbe<ResourceLocks.Reply> probe = KIT.createTestProbe();
    List<String> furnace = List.of("furnace-1");
    locks.tell(new ResourceLocks.Acquire(furnace, "A-e001", "A", probe.getRef()));
    probe.expectMessageClass(ResourceLocks.Granted.class);
    // Campaign A has three more experiments waiting before campaign B's first arrives.
    for (String owner : List.of("A-e002", "A-e003", "A-e004", "B-e001", "B-e002")) {
      locks.tell(new ResourceLocks.Acquire(furnace, owner, owner.substring(0, 1), probe.getRef()));
    }
    probe.expectNoMessage(java.time.Duration.ofMillis(50));
    List<String> order = new ArrayList<>();
    String holder = "A-e001";
    for (int i = 0; i < 5; i++) {
      locks.tell(new ResourceLocks.Release("furnace-1", holder));
      holder = probe.expectMessageClass(ResourceLocks.Granted.class).owner();
      order.add(holder);
    }
    // First come first served would give A-e002, A-e003, A-e004, then B.
    assertEquals(List.of("B-e001", "A-e002", "B-e002", "A-e003", "A-e004"), order);
  }

  @Test
  void aStationOneCampaignTookOutOfServiceIsOutForEveryCampaign() {
    var locks = KIT.spawn(ResourceLocks.create());
    TestProbe<ResourceLocks.Reply> probe = KIT.createTestProbe();
    locks.tell(new ResourceLocks.Acquire(List.of("furnace-1"), "A-e001", "A", probe.getRef()));
    probe.expectMessageClass(ResourceLocks.Granted.class);
    locks.tell(new ResourceLocks.Acquire(List.of("furnace-1"), "B-e001", "B", probe.getRef()));
    locks.tell(new ResourceLocks.Quarantine("furnace-1", "A-e001: thermocouple open"));
    var denied = probe.expectMessageClass(ResourceLocks.Denied.class);
    assertEquals("B-e001", denied.owner());
    assertTrue(denied.outOfService().get("furnace-1").contains("thermocouple"), denied.toString());
    locks.tell(new ResourceLocks.Acquire(List.of("furnace-1", "furnace-2"), "B-e002", "B", probe.getRef()));
    assertEquals("furnace-2", probe.expectMessageClass(ResourceLocks.Granted.class).resource());
  }
}
