package org.ionloop.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's record of its campaigns: what the keeper keeps running and where each one ran.
 * A campaign is started on the cluster once and only while PLANNED; it is kept until it ends.
 */
class ClusterCampaignsTest {
  @TempDir
  Path dir;

  @Test
  void aPlannedCampaignIsStartedOnceKeptUntilItEndsAndEachPlacementCounted() {
    CampaignRepository repo = new CampaignRepository(Database.open(Database.h2FileUrl(dir.resolve("db"))));
    ClusterCampaigns cluster = new ClusterCampaigns(repo.dataSource());
    repo.append(new StoreRecord.CampaignCreated("c1", "one", "one.yaml", "x: 1", 1, Instant.now()));
    repo.append(new StoreRecord.CampaignCreated("c2", "two", "two.yaml", "x: 1", 2, Instant.now()));

    cluster.start("c1", "api");
    var twice = assertThrows(IllegalStateException.class, () -> cluster.start("c1", "queue"));
    assertTrue(twice.getMessage().contains("started on the cluster already"), twice.getMessage());
    var unknown = assertThrows(NoSuchElementException.class, () -> cluster.start("nope", "api"));
    assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
    assertEquals(List.of("c1"), cluster.toKeep());
    assertTrue(cluster.placement("c1").isEmpty(), "not placed before a node takes it");
    var notOurs = assertThrows(IllegalStateException.class, () -> cluster.placed("c2", "akka://ionloop@127.0.0.1:1"));
    assertTrue(notOurs.getMessage().contains("not one of the cluster's"), notOurs.getMessage());

    cluster.placed("c1", "akka://ionloop@127.0.0.1:25601");
    cluster.placed("c1", "akka://ionloop@127.0.0.1:25603"); // its node was lost, another took it
    var where = cluster.placement("c1").orElseThrow();
    assertEquals("akka://ionloop@127.0.0.1:25603", where.node());
    assertEquals(2, where.placements());

    repo.append(new StoreRecord.CampaignStateChanged("c1", "RUNNING", "started", Instant.now()));
    assertEquals(List.of("c1"), cluster.toKeep(), "running: kept");
    repo.append(new StoreRecord.CampaignStateChanged("c1", "COMPLETED", "budget spent", Instant.now()));
    assertEquals(List.of(), cluster.toKeep(), "ended: nothing to keep");
    repo.append(new StoreRecord.CampaignStateChanged("c2", "ABORTED", "by hand", Instant.now()));
    var ended = assertThrows(IllegalStateException.class, () -> cluster.start("c2", "api"));
    assertTrue(ended.getMessage().contains("ABORTED"), ended.getMessage());
  }
}
