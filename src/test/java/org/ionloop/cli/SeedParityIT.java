package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One campaign file, one seed, the same decisions and results whether it runs under {@code demo},
 * under {@code run} against the lab's endpoints, or on a server's virtual lab that has already run another campaign: the lab's scatter belongs
 * to each sample (and to the one world seed), not to a stream the campaigns share.
 */
class SeedParityIT {
  @TempDir
  Path dir;

  /**
   * The demo campaign run one experiment at a time (with more, arrival order varies the inputs):
   * for the demo with its protocol's absolute path, for a server with the name in its protocols
   * folder — nothing else differs.
   */
  private Path campaign(String name, int experiments, int seed, boolean forServer) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, (forServer ? Files.readString(Path.of("campaigns/demo.yaml"))
        : org.ionloop.TestCampaigns.demoCopy())
        .replace("experiments: 24", "experiments: " + experiments).replace("parallel: 4", "parallel: 1")
        .replace("initial_points: 6", "initial_points: 3").replace("seed: 42", "seed: " + seed));
    return file;
  }

  private static int quietly(String... args) {
    PrintStream old = System.out;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream(), true));
      return Main.execute(args);
    } finally {
      System.setOut(old);
    }
  }

  /** Each result's design and objectives, in experiment order, without the campaign's id. */
  private static List<String> outcomes(CampaignRepository repo, String campaignId) {
    return repo.results(campaignId).stream().map(r -> r.experimentId().substring(campaignId.length()) + " " + r.x()
        + " " + r.objectives()).toList();
  }

  @Test
  void demoRunAndServeMakeTheSameDecisionsForTheSameSeed() throws Exception {
    Path file = campaign("parity-demo.yaml", 5, 42, false);
    String demoDb = dir.resolve("demo/ionloop").toString();
    // 0, or 3 when a pellet cracked: the same pellets crack under both.
    int demoExit = quietly("demo", "--campaign", file.toString(), "--db", demoDb, "--time-scale", "2e-5");
    assertTrue(demoExit == 0 || demoExit == 3, "demo exit " + demoExit);
    CampaignRepository demoRepo = new CampaignRepository(Database.open(Database.h2FileUrl(Path.of(demoDb))));
    String demoId = demoRepo.campaigns().get(0).id();
    List<String> demo = outcomes(demoRepo, demoId);
    assertTrue(demo.size() >= 3, demo.toString());

    // ionloop run: the same campaign against instruments it reaches only by broker URL and Modbus
    // endpoints, as a real lab's (here the virtual lab's, running beside it).
    String runDb = dir.resolve("run/ionloop").toString();
    try (VirtualLab lab = new VirtualLab(2e-5, VirtualLab.WORLD_SEED)) {
      int runExit = quietly("run", file.toString(), "--broker", lab.brokerUrl(), "--lab-clock", "2e-5",
          "--endpoint", "furnace-1=127.0.0.1:" + lab.modbusPort("furnace-1").getAsInt(),
          "--endpoint", "furnace-2=127.0.0.1:" + lab.modbusPort("furnace-2").getAsInt(),
          "--endpoint", "eis-1=127.0.0.1:" + lab.analyzerPort(), "--poll-ms", "10", "--db", runDb);
      assertEquals(demoExit, runExit, "run ends as the demo did");
    }
    CampaignRepository runRepo = new CampaignRepository(Database.open(Database.h2FileUrl(Path.of(runDb))));
    assertEquals(demo, outcomes(runRepo, runRepo.campaigns().get(0).id()),
        "run makes the demo's decisions and gets its results");

    ServerIT.Fixture f = ServerIT.Fixture.start(dir.resolve("serve"), VirtualLab.WORLD_SEED, 2e-5);
    try {
      // Another campaign first: the server's instruments have handled other samples by then.
      for (Path c : List.of(campaign("other.yaml", 2, 7, true), campaign("parity.yaml", 5, 42, true))) {
        ByteArrayOutputStream started = new ByteArrayOutputStream();
        PrintStream old = System.out;
        try {
          System.setOut(new PrintStream(started, true));
          assertEquals(0, Main.execute("campaign", "start", c.toString(), "--server", f.server.url(), "--token",
              f.operator));
        } finally {
          System.setOut(old);
        }
        String id = started.toString().replaceFirst("(?s)^campaign (\\S+).*", "$1");
        int end = quietly("campaign", "status", id, "--watch", "--server", f.server.url(), "--token", f.viewer);
        assertTrue(end == 0 || end == 3, "campaign " + id + " ended with exit " + end);
      }
      String serveId = f.repo.campaigns().get(0).id();
      List<String> served = outcomes(f.repo, serveId);
      assertTrue(!served.isEmpty(), "the served campaign has results");
      assertEquals(demo, served, "the same designs, in the same order, with the same results");
    } finally {
      f.close();
    }
  }
}
