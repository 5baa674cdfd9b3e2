package org.ionloop.cli;

import org.ionloop.sim.PostgresServer;
import org.junit.jupiter.api.AfterAll;

/** The short campaign on a real PostgreSQL server (schema from the postgresql migrations). */
class ShortCampaignPostgresIT extends ShortCampaignChecks {
  private PostgresServer server;

  @Override
  String storeUrl() throws Exception {
    server = new PostgresServer();
    return server.newDatabase("ionloop_short");
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
