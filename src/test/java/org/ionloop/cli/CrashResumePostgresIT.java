package org.ionloop.cli;

import org.ionloop.sim.PostgresServer;
import org.junit.jupiter.api.AfterEach;

/** The crash-resume test with the orchestrator's store on a real PostgreSQL server. */
class CrashResumePostgresIT extends CrashResumeIT {
  private PostgresServer server;

  @Override
  String jdbcUrl() throws Exception {
    server = new PostgresServer();
    return server.newDatabase("ionloop_crash");
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
