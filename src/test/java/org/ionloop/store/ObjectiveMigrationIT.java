package org.ionloop.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ionloop.sim.PostgresServer;

/**
 * A database written before objectives were data (schema V5: σ25 and Ea as the result's fixed
 * columns) keeps every result when it is opened by this version: the values become objective
 * rows under the names those campaigns used, the event log is read as the same two objectives,
 * and nothing is lost from the result row. On H2 and on PostgreSQL.
 */
class ObjectiveMigrationIT {
  @TempDir
  Path dir;

  @Test
  void anH2StoreFromBeforeObjectivesWereDataKeepsItsResults() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("old").toAbsolutePath() + ";DB_CLOSE_DELAY=0";
    Files.createDirectories(dir);
    writeVersion5Store(url, "h2", "sa", "");
    checkMigrated(url);
  }

  @Test
  void aPostgresStoreFromBeforeObjectivesWereDataKeepsItsResults() throws Exception {
    try (PostgresServer server = new PostgresServer()) {
      String url = server.newDatabase("before_v6");
      writeVersion5Store(url, "postgresql", "ionloop", "");
      checkMigrated(url);
    }
  }

  /** Schema V5 with one campaign, two experiments with results and their result_recorded events. */
  private static void writeVersion5Store(String url, String vendor, String user, String password) throws Exception {
    Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration/" + vendor)
        .target("5").load().migrate();
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("INSERT INTO campaign(id,name,spec_file,spec_yaml,seed,state,created_at,updated_at) VALUES"
          + " ('c-old','old','campaigns/demo.yaml','objectives: [{name: log10_sigma25, direction: maximize,"
          + " reference: -6}, {name: ea_ev, direction: minimize, reference: 0.65}]',42,'COMPLETED',"
          + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
      for (int i = 1; i <= 2; i++) {
        String e = "c-old-e00" + i;
        s.execute("INSERT INTO candidate(id,campaign_id,x,created_at) VALUES ('" + e + "-c','c-old',"
            + "'{\"Li2S\":0.6,\"P2S5\":0.12,\"LiCl\":0.28,\"LiBr\":0,\"anneal_c\":525}',CURRENT_TIMESTAMP)");
        s.execute("INSERT INTO experiment(id,campaign_id,candidate_id,seq_no,state,started_at) VALUES ('" + e
            + "','c-old','" + e + "-c'," + i + ",'COMPLETED',CURRENT_TIMESTAMP)");
        s.execute("INSERT INTO result(experiment_id,campaign_id,log10_sigma25,log10_sigma25_se,ea_ev,ea_se_ev,"
            + "thickness_mm,diameter_mm) VALUES ('" + e + "','c-old'," + (-2.0 - i / 10.0) + ",0.02,"
            + (0.30 + i / 100.0) + ",0.01,1.0,10.0)");
        s.execute("INSERT INTO campaign_event(campaign_id,experiment_id,ts,kind,payload) VALUES ('c-old','" + e
            + "',CURRENT_TIMESTAMP,'experiment_started','{\"candidateId\":\"" + e + "-c\",\"seqNo\":" + i + "}')");
        s.execute("INSERT INTO campaign_event(campaign_id,experiment_id,ts,kind,payload) VALUES ('c-old','" + e
            + "',CURRENT_TIMESTAMP,'result_recorded','{\"log10Sigma25\":" + (-2.0 - i / 10.0)
            + ",\"log10Sigma25Se\":0.02,\"eaEv\":" + (0.30 + i / 100.0) + ",\"eaSeEv\":0.01,"
            + "\"thicknessMm\":1.0,\"diameterMm\":10.0}')");
      }
    }
  }

  private static void checkMigrated(String url) {
    CampaignRepository repo = new CampaignRepository(Database.open(url));
    List<CampaignRepository.ResultRow> rows = repo.results("c-old");
    assertEquals(2, rows.size());
    assertEquals(new StoreRecord.Value(-2.1, 0.02), rows.get(0).objectives().get("log10_sigma25"));
    assertEquals(new StoreRecord.Value(0.31, 0.01), rows.get(0).objectives().get("ea_ev"));
    assertEquals(new StoreRecord.Value(-2.2, 0.02), rows.get(1).objectives().get("log10_sigma25"));
    assertEquals(4, repo.count("objective_value", "c-old"));
    // The result row keeps the Arrhenius fit and the geometry as they were.
    assertEquals(List.of("-2.1:0.31:1.0"), repo.query("SELECT log10_sigma25, ea_ev, thickness_mm FROM result"
        + " WHERE experiment_id='c-old-e001'", rs -> rs.getDouble(1) + ":" + rs.getDouble(2) + ":" + rs.getDouble(3)));
    // A campaign recovered from its log sees the same two objectives.
    CampaignHistory history = CampaignHistory.load(repo, "c-old");
    assertEquals(Map.of("log10_sigma25", new StoreRecord.Value(-2.2, 0.02), "ea_ev", new StoreRecord.Value(0.32, 0.01)),
        history.experiments().get(1).objectives());
    assertTrue(history.experiments().stream().allMatch(CampaignHistory.ExperimentRecord::hasResult));
  }
}
