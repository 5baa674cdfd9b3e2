package org.ionloop.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.ionloop.Installation;
import org.ionloop.TestCampaigns;
import org.ionloop.api.ApiServer;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.store.ApiTokens;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;

/**
 * An API server over an H2 store in a test's folder whose created campaigns are only validated
 * and recorded (nothing starts them), with an operator's and an admin's token.
 */
record RecordingServer(ApiServer server, CampaignRepository repo, String operator, String admin, Path db)
    implements AutoCloseable {

  static RecordingServer start(Path dir) {
    Path db = dir.resolve("db/ionloop");
    CampaignRepository repo = new CampaignRepository(Database.open(Database.h2FileUrl(db)));
    ApiTokens tokens = new ApiTokens(repo.dataSource());
    String operator = tokens.create("op", "operator").secret();
    String admin = tokens.create("boss", "admin").secret();
    Installation installation = TestCampaigns.withProtocols(TestCampaigns.copyOfProtocols(dir.resolve("server")));
    LabCampaigns campaigns = new LabCampaigns(InstrumentRegistry.load(Path.of("instruments")),
        dir.resolve("server/campaigns"), repo, "tcp://127.0.0.1:1", v -> v, installation,
        new PrintStream(new ByteArrayOutputStream(), true));
    ApiServer server = ApiServer.start(new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(1)), repo, tokens,
        campaigns);
    return new RecordingServer(server, repo, operator, admin, db);
  }

  String url() {
    return server.url();
  }

  @Override
  public void close() {
    server.close();
  }
}
