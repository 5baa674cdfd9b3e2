package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A lock table that restarts elsewhere (a cluster singleton whose node was lost) must not hand
 * out a station that holds a sample, and must learn of the experiments that were waiting: it
 * reads the holdings from its book, and experiments ask again while they wait, which keeps their
 * place and, for a station they hold, is answered with that station.
 */
class LocksThatRestartTest {
  static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A book as the shared store keeps it: written on grant and release, read on start. */
  static final class Book implements ResourceLocks.HoldBook {
    final Map<String, ResourceLocks.Hold> held = new LinkedHashMap<>();

    @Override
    public synchronized List<ResourceLocks.Hold> all() {
      return new ArrayList<>(held.values());
    }

    @Override
    public synchronized void hold(ResourceLocks.Hold hold) {
      held.put(hold.station(), hold);
    }

    @Override
    public synchronized void free(String station) {
      held.remove(station);
    }

    synchronized Map<String, ResourceLocks.Hold> snapshot() {
      return Map.copyOf(held);
    }
  }

  @Test
  void aRestartedTableKeepsWhatWasHeldAndGrantsItOnlyToItsHolder() {
    Book book = new Book();
    TestProbe<ResourceLocks.Reply> a = KIT.createTestProbe();
    TestProbe<ResourceLocks.Reply> b = KIT.createTestProbe();
    List<String> furnaces = List.of("furnace-1", "furnace-2");
    var first = KIT.spawn(ResourceLocks.create(book));
    first.tell(new ResourceLocks.Acquire(furnaces, "A-e001", "A", a.getRef()));
    String held = a.expectMessageClass(ResourceLocks.Granted.class).resource();
    assertEquals(Map.of(held, new ResourceLocks.Hold(held, "A-e001", "A")), book.snapshot(),
        "in the book before the grant was told");
    KIT.stop(first); // its node is lost

    var second = KIT.spawn(ResourceLocks.create(book));
    second.tell(new ResourceLocks.Acquire(List.of(held), "B-e001", "B", b.getRef()));
    b.expectNoMessage(Duration.ofMillis(100)); // the sample of A-e001 is inside
    second.tell(new ResourceLocks.Acquire(furnaces, "A-e001", "A", a.getRef()));
    assertEquals(held, a.expectMessageClass(ResourceLocks.Granted.class).resource(),
        "the holder asking again gets its own station back, not the other free one");
    second.tell(new ResourceLocks.Release(held, "A-e001"));
    assertEquals("B-e001", b.expectMessageClass(ResourceLocks.Granted.class).owner());
    assertEquals(Map.of(held, new ResourceLocks.Hold(held, "B-e001", "B")), book.snapshot());
    second.tell(new ResourceLocks.ReleaseParty("B"));
    TestProbe<ResourceLocks.Reply> c = KIT.createTestProbe();
    second.tell(new ResourceLocks.Acquire(List.of(held), "C-e001", "C", c.getRef()));
    c.expectMessageClass(ResourceLocks.Granted.class);
    assertEquals("C-e001", book.snapshot().get(held).owner(), "an ended campaign's holds are freed in the book");
  }

  @Test
  void askingAgainWhileWaitingKeepsTheRequestsPlaceAndIsGrantedOnce() {
    var locks = KIT.spawn(ResourceLocks.create());
    TestProbe<ResourceLocks.Reply> probe = KIT.createTestProbe();
    List<String> furnace = List.of("furnace-1");
    locks.tell(new ResourceLocks.Acquire(furnace, "A-e001", "A", probe.getRef()));
    probe.expectMessageClass(ResourceLocks.Granted.class);
    locks.tell(new ResourceLocks.Acquire(furnace, "A-e002", "A", probe.getRef()));
    locks.tell(new ResourceLocks.Acquire(furnace, "A-e003", "A", probe.getRef()));
    locks.tell(new ResourceLocks.Acquire(furnace, "A-e002", "A", probe.getRef())); // asks again
    probe.expectNoMessage(Duration.ofMillis(50));
    locks.tell(new ResourceLocks.Release("furnace-1", "A-e001"));
    assertEquals("A-e002", probe.expectMessageClass(ResourceLocks.Granted.class).owner(), "kept its place");
    probe.expectNoMessage(Duration.ofMillis(50));
    locks.tell(new ResourceLocks.Release("furnace-1", "A-e002"));
    assertEquals("A-e003", probe.expectMessageClass(ResourceLocks.Granted.class).owner());
    locks.tell(new ResourceLocks.Release("furnace-1", "A-e003"));
    probe.expectNoMessage(Duration.ofMillis(100)); // A-e002's second request was not a second wait
  }
}
