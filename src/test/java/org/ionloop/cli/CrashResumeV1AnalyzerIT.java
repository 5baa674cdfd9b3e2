package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ionloop.TestCampaigns;
import org.ionloop.sim.Ports;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the orchestrator while an impedance analyzer that implements wire contract v1 and
 * nothing more (an independent pymodbus peer, no job registers) is in the middle of a sweep, then
 * {@code campaign recover}: the sweep in flight is followed to its end and its spectrum used, not
 * swept again, as the analyzer's own log shows; every experiment ends with a result.
 */
class CrashResumeV1AnalyzerIT {
  private static final int BUDGET = 2;
  /** Long enough that a killed orchestrator's successor reads the analyzer while it still sweeps. */
  private static final String SWEEP_SECONDS = "18";
  /** Every settling and every sweep after the one the kill interrupts: nothing waits on them. */
  private static final String LATER_SECONDS = "3";
  private static final Pattern CAMPAIGN_ID = Pattern.compile("campaign (c\\d{8}-\\d{6}-[0-9a-f]+)");

  @TempDir
  Path dir;
  private Process analyzer;
  private final int port = Ports.free();
  private NativeLab lab;

  @org.junit.jupiter.api.BeforeEach
  void lab() {
    lab = new NativeLab(dir, Map.of("EIS_PORT", port));
  }

  @AfterEach
  void down() throws Exception {
    lab.run("down").waitFor(30, TimeUnit.SECONDS);
    if (analyzer != null) {
      analyzer.destroy();
      analyzer.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSweepInFlightAtTheKillRunsOnceOnAnAnalyzerWithoutJobRegisters() throws Exception {
    Process up = lab.run("up");
    assertTrue(up.waitFor(120, TimeUnit.SECONDS) && up.exitValue() == 0, lab.log("up.out"));
    // The lab's simulated analyzer makes way for a v1 analyzer on the same port.
    Path pid = dir.resolve("lab/eis-1.pid");
    new ProcessBuilder("kill", Files.readString(pid).strip()).start().waitFor();
    Files.delete(pid);
    NativeLab.awaitPortFree(port);
    analyzer = new ProcessBuilder("/usr/bin/python3", "src/test/resources/peers/pymodbus_analyzer_v1.py",
        Integer.toString(port), deviceLog().toString(), "--sweep-seconds", SWEEP_SECONDS,
        "--later-seconds", LATER_SECONDS)
        .redirectErrorStream(true).redirectOutput(dir.resolve("analyzer.out").toFile()).start();
    NativeLab.awaitListening(port, analyzer, "the analyzer peer");
    // Its instrument file declares the v1 register map only.
    Path instruments = Files.createDirectories(dir.resolve("v1/instruments"));
    try (var files = Files.list(Path.of("instruments"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String text = Files.readString(f);
        if (f.getFileName().toString().startsWith("eis")) {
          text = text.lines().filter(l -> !l.strip().startsWith("job:") && !l.strip().startsWith("active_job:"))
              .reduce("", (a, b) -> a + b + "\n");
        }
        Files.writeString(instruments.resolve(f.getFileName()), text);
      }
    }
    // Three cell temperatures; an 18 s sweep needs a deadline above the compressed lab clock's floor.
    Path protocol = dir.resolve("v1-protocol.yaml");
    String protocolText = Files.readString(Path.of("protocols/argyrodite-solid-state.yaml"));
    assertTrue(protocolText.contains("temperatures_c: [25, 50, 75, 100]") && protocolText.contains("timeout: PT2H"));
    Files.writeString(protocol, protocolText.replace("temperatures_c: [25, 50, 75, 100]", "temperatures_c: [25, 60, 100]")
        .replace("timeout: PT2H", "timeout: PT300H"));
    Path campaign = dir.resolve("v1.yaml");
    Files.writeString(campaign, TestCampaigns.demoCopy().replace("experiments: 24", "experiments: " + BUDGET)
        .replace(TestCampaigns.PROTOCOLS + "/argyrodite-solid-state.yaml", protocol.toString()));

    Process first = lab.run("run", campaign.toString(), "--instruments", instruments.toString());
    String campaignId = awaitSweeping(first);
    first.destroyForcibly(); // SIGKILL mid-sweep
    first.waitFor(10, TimeUnit.SECONDS);
    List<String> sweptBeforeRecovery = sweeps();

    Process second = lab.run("recover", campaignId, "--instruments", instruments.toString());
    second.getOutputStream().close();
    assertTrue(second.waitFor(300, TimeUnit.SECONDS), "resume did not finish: " + lab.log("recover.out"));
    assertEquals(0, second.exitValue(), lab.log("recover.out"));

    CampaignRepository repo = new CampaignRepository(Database.open(Database.h2FileUrl(dir.resolve("lab/ionloop"))));
    var history = CampaignHistory.load(repo, campaignId);
    TestCampaigns.assertCompleted(history.state(), lab.log("recover.out"));
    // A result per experiment whose pellet did not crack in the press (the simulated robot's rate).
    assertEquals(repo.query("SELECT COUNT(*) FROM experiment WHERE campaign_id=? AND state='COMPLETED'",
        rs -> rs.getInt(1), campaignId).get(0), repo.query("SELECT COUNT(*) FROM result r JOIN experiment e"
        + " ON e.id = r.experiment_id WHERE e.campaign_id=?", rs -> rs.getInt(1), campaignId).get(0));
    // The sweeps the log has as done, by cell temperature, against what the analyzer says it swept.
    List<String> logged = repo.query("SELECT s.params FROM step s JOIN experiment e ON e.id = s.experiment_id"
        + " WHERE e.campaign_id=? AND s.action='eis_sweep' AND s.state='DONE'", rs -> rs.getString(1), campaignId)
        .stream().map(p -> String.format("sweep %.2f", cellTemperature(p))).sorted().toList();
    long resent = repo.query("SELECT payload FROM campaign_event WHERE campaign_id=? AND kind='command_sent'",
        rs -> rs.getString(1), campaignId).stream().filter(p -> p.contains("eis_sweep")).count() - logged.size();
    String evidence = "analyzer " + sweeps() + " (before recovery " + sweptBeforeRecovery + "), done in the log "
        + logged + "\n--- recover:\n" + lab.log("recover.out");
    System.out.println("sweeps re-sent after the kill: " + resent + "; analyzer sweeps " + sweeps().size()
        + "; before recovery " + sweptBeforeRecovery.size() + "; sweeps done in the log " + logged.size());
    assertTrue(logged.size() >= 3, "at least one experiment measured at its three temperatures: " + evidence);
    assertTrue(resent >= 1, "a sweep was in flight at the kill and re-sent: " + evidence);
    assertEquals(logged, sweeps().stream().sorted().toList(), "each sweep ran once on the analyzer: " + evidence);
  }

  private static double cellTemperature(String params) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(params).path("cell_temperature_c").asDouble();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Path deviceLog() {
    return dir.resolve("eis-1-device.log");
  }

  private List<String> sweeps() throws IOException {
    return Files.exists(deviceLog()) ? Files.readAllLines(deviceLog()) : List.of();
  }

  /** Waits until the analyzer is sweeping (status 2) with its settling behind it; the campaign id. */
  private String awaitSweeping(Process p) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < until) {
      String text = lab.log("run.out");
      Matcher m = CAMPAIGN_ID.matcher(text);
      if (m.find() && status() == 2) {
        return m.group(1);
      }
      if (!p.isAlive()) {
        throw new AssertionError("the orchestrator ended before it could be killed: " + text);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no sweep in flight within 180 s: " + lab.log("run.out"));
  }

  private int status() throws Exception {
    ModbusTCPMaster m = new ModbusTCPMaster("127.0.0.1", port);
    m.connect();
    try {
      return m.readInputRegisters(1, 0, 1)[0].getValue();
    } finally {
      m.disconnect();
    }
  }
}
