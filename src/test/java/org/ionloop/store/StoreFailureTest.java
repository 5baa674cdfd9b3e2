package org.ionloop.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store never acknowledges a write it has not committed: while the database refuses
 * connections, a Sync behind a write waits, the watcher hears of the failure with the error, and
 * once the database is back everything is written in order and the Sync answered. (Before, the
 * failing write restarted the actor, was dropped, and the next Sync answered Synced.)
 */
class StoreFailureTest {
  static final ActorTestKit KIT = ActorTestKit.create();
  @TempDir
  Path dir;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A DataSource whose database can be "stopped": getConnection fails while down is set. */
  static DataSource switchable(DataSource real, AtomicBoolean down) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection") && down.get()) {
            throw new SQLException("Connection refused (the database is stopped)", "08001");
          }
          try {
            return method.invoke(real, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aFailedWriteIsKeptAndRetriedAndNoSyncIsAnsweredBeforeItCommits() {
    AtomicBoolean down = new AtomicBoolean(false);
    CampaignRepository repo = new CampaignRepository(switchable(
        Database.open(Database.h2FileUrl(dir.resolve("ionloop"))), down));
    TestProbe<Store.Health> watcher = KIT.createTestProbe();
    TestProbe<Store.Synced> synced = KIT.createTestProbe();
    var store = KIT.spawn(Store.create(repo, watcher.getRef()));

    down.set(true);
    store.tell(new Store.Write(new StoreRecord.CampaignCreated("c1", "test", "f.yaml", "x: 1", 1, Instant.now())));
    store.tell(new Store.Write(new StoreRecord.Event("c1", null, "note", Map.of("n", 1), Instant.now())));
    store.tell(new Store.Sync(synced.getRef()));
    Store.Health failing = watcher.expectMessageClass(Store.Health.class, Duration.ofSeconds(10));
    assertFalse(failing.ok());
    assertTrue(failing.error().contains("Connection refused"), failing.error());
    synced.expectNoMessage(Duration.ofMillis(800)); // several retries go by: still nothing acknowledged

    down.set(false);
    synced.expectMessage(Duration.ofSeconds(15), Store.Synced.INSTANCE);
    assertTrue(watcher.expectMessageClass(Store.Health.class, Duration.ofSeconds(5)).ok());
    List<String> kinds = repo.timeline("c1").stream().map(CampaignRepository.EventRow::kind).toList();
    assertEquals(List.of("campaign_created", "note"), kinds, "both writes, in order, once");
  }
}
