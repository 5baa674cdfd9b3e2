package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ionloop.store.ApiTokens;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.ionloop.sim.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the cluster tests share: a PostgreSQL server, the native lab on it, an operator token,
 * the node processes (killed and waited for after each test) and the store reads they wait on.
 */
abstract class ClusterLabIT {
  @TempDir
  Path dir;
  PostgresServer postgres;
  NativeLab lab;
  CampaignRepository repo;
  String operator;
  final Map<String, Process> nodes = new LinkedHashMap<>();

  /** Starts PostgreSQL with a fresh {@code database} and the lab on it. */
  void startLab(String database) throws Exception {
    postgres = new PostgresServer();
    String store = postgres.newDatabase(database);
    repo = new CampaignRepository(Database.open(store));
    operator = new ApiTokens(repo.dataSource()).create("cluster-test", "operator").secret();
    lab = new NativeLab(dir, Map.of()).store(store);
    Process up = lab.run("up");
    assertTrue(up.waitFor(120, TimeUnit.SECONDS) && up.exitValue() == 0, lab.log("up.out"));
  }

  @AfterEach
  void down() throws Exception {
    nodes.values().forEach(Process::destroyForcibly);
    for (Process p : nodes.values()) {
      p.waitFor(30, TimeUnit.SECONDS);
    }
    if (lab != null) {
      lab.run("down").waitFor(30, TimeUnit.SECONDS);
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  String state(String campaignId) {
    return repo.query("SELECT state FROM campaign WHERE id=?", rs -> rs.getString(1), campaignId).get(0);
  }

  long ended(String campaignId) {
    return repo.query("SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND state<>'RUNNING'",
        rs -> rs.getLong(1), campaignId).get(0);
  }
}
