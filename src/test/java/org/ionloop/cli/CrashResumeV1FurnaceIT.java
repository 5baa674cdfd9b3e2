package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * SIGKILL of the orchestrator while furnaces that implement wire contract v1 and nothing more
 * (independent pymodbus peers, no job registers) are annealing, then {@code campaign recover}:
 * every anneal in flight is followed to its end, not run again, as the furnaces' own logs show.
 * The rest of the lab is the native topology (Mosquitto with the ACL, simulated robot and
 * analyzer as processes).
 */
class CrashResumeV1FurnaceIT {
  private static final int BUDGET = 6;
  /** Long enough that a killed orchestrator's successor starts while the anneal still runs. */
  private static final String RUN_SECONDS = "20";
  private static final Pattern CAMPAIGN_ID = Pattern.compile("campaign (c\\d{8}-\\d{6}-[0-9a-f]+)");

  @TempDir
  Path dir;
  private final List<Process> furnaces = new ArrayList<>();
  private final int[] ports = {Ports.free(), Ports.free()};
  private NativeLab lab;

  @org.junit.jupiter.api.BeforeEach
  void lab() {
    lab = new NativeLab(dir, Map.of("FURNACE1_PORT", ports[0], "FURNACE2_PORT", ports[1]));
  }

  @AfterEach
  void down() throws Exception {
    lab.run("down").waitFor(30, TimeUnit.SECONDS);
    for (Process p : furnaces) {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void annealsInFlightAtTheKillRunOnceOnFurnacesWithoutJobRegisters() throws Exception {
    Process up = lab.run("up");
    assertTrue(up.waitFor(120, TimeUnit.SECONDS) && up.exitValue() == 0, lab.log("up.out"));
    // The lab's simulated furnaces make way for v1 furnaces on the same ports.
    for (int i = 0; i < 2; i++) {
      Path pid = dir.resolve("lab/furnace-" + (i + 1) + ".pid");
      new ProcessBuilder("kill", Files.readString(pid).strip()).start().waitFor();
      Files.delete(pid);
      NativeLab.awaitPortFree(ports[i]);
      Process p = new ProcessBuilder("/usr/bin/python3", "src/test/resources/peers/pymodbus_furnace_v1.py",
          Integer.toString(ports[i]), deviceLog(i).toString(), "--run-seconds", RUN_SECONDS)
          .redirectErrorStream(true).redirectOutput(dir.resolve("furnace-" + (i + 1) + ".out").toFile()).start();
      furnaces.add(p);
      NativeLab.awaitListening(ports[i], p, "the furnace peer");
    }
    // Their instrument files declare the v1 register map only.
    Path instruments = Files.createDirectories(dir.resolve("v1/instruments"));
    try (var files = Files.list(Path.of("instruments"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String text = Files.readString(f);
        if (f.getFileName().toString().startsWith("furnace")) {
          text = text.lines().filter(l -> !l.strip().startsWith("job:") && !l.strip().startsWith("active_job:"))
              .reduce("", (a, b) -> a + b + "\n");
        }
        Files.writeString(instruments.resolve(f.getFileName()), text);
      }
    }
    // A 20 s program needs a deadline above the compressed lab clock's 10 s floor.
    Path protocol = dir.resolve("v1-protocol.yaml");
    String protocolText = Files.readString(Path.of("protocols/argyrodite-solid-state.yaml"));
    assertTrue(protocolText.contains("timeout: PT12H"), "the anneal step's deadline");
    Files.writeString(protocol, protocolText.replace("timeout: PT12H", "timeout: PT300H"));
    Path campaign = dir.resolve("v1.yaml");
    Files.writeString(campaign, TestCampaigns.demoCopy().replace("experiments: 24", "experiments: " + BUDGET)
        .replace(TestCampaigns.PROTOCOLS + "/argyrodite-solid-state.yaml", protocol.toString()));

    Process first = lab.run("run", campaign.toString(), "--instruments", instruments.toString());
    String campaignId = awaitAnnealing(first);
    first.destroyForcibly(); // SIGKILL mid-anneal
    first.waitFor(10, TimeUnit.SECONDS);
    List<String> ranBeforeRecovery = runs();

    Process second = lab.run("recover", campaignId, "--instruments", instruments.toString());
    second.getOutputStream().close();
    assertTrue(second.waitFor(300, TimeUnit.SECONDS), "resume did not finish: " + lab.log("recover.out"));
    assertEquals(0, second.exitValue(), lab.log("recover.out"));

    CampaignRepository repo = new CampaignRepository(Database.open(Database.h2FileUrl(dir.resolve("lab/ionloop"))));
    org.ionloop.TestCampaigns.assertCompleted(CampaignHistory.load(repo, campaignId).state());
    assertEquals(BUDGET, repo.count("experiment", campaignId), "every experiment once");
    // What the log says was annealed (the setpoint of every anneal with a DONE reply), against
    // what the furnaces say they ran. Setpoints can repeat (the design space's bounds).
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    Map<String, Double> setpointOf = new java.util.HashMap<>();
    List<Double> logged = new ArrayList<>();
    int resentAnneals = 0;
    boolean resumed = false;
    for (var r : repo.timeline(campaignId)) {
      var payload = json.readTree(r.payload());
      String id = payload.path("commandId").asText();
      if (r.kind().equals("campaign_state_changed") && r.payload().contains("resumed after a restart")) {
        resumed = true;
      } else if (r.kind().equals("command_sent") && id.endsWith(":anneal")) {
        if (resumed && setpointOf.containsKey(id)) {
          resentAnneals++;
        }
        setpointOf.put(id, payload.path("params").path("setpoint_c").asDouble());
      } else if (r.kind().equals("reply_received") && id.endsWith(":anneal") && payload.path("state").asText().equals("DONE")) {
        logged.add(setpointOf.get(id));
      }
    }
    List<Double> ran = runs().stream().map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sorted().toList();
    String evidence = "device runs " + runs() + " (before recovery " + ranBeforeRecovery + "), anneals done in the log "
        + logged + "\n--- recover:\n" + lab.log("recover.out");
    System.out.println("anneals re-sent after the kill: " + resentAnneals + "; device runs " + runs()
        + "; runs before recovery " + ranBeforeRecovery + "; anneals done in the log " + logged.size());
    assertTrue(resentAnneals >= 1, "an anneal was in flight at the kill and re-sent: " + evidence);
    // The device logs its float32 setpoint to 0.01 °C.
    assertEquals(logged.stream().map(x -> Math.round(x * 100) / 100.0).sorted().toList(), ran, "each anneal ran once on the furnaces: " + evidence);
    assertTrue(lab.log("recover.out").contains("resuming"), lab.log("recover.out"));
  }

  private Path deviceLog(int i) {
    return dir.resolve("furnace-" + (i + 1) + "-device.log");
  }

  /** Every program the two furnaces started, by their own logs ("furnace-N run SETPOINT"). */
  private List<String> runs() throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      if (Files.exists(deviceLog(i))) {
        for (String l : Files.readAllLines(deviceLog(i))) {
          out.add("furnace-" + (i + 1) + " " + l);
        }
      }
    }
    return out;
  }

  /** Waits until two experiments are done and a furnace is ramping; the campaign id. */
  private String awaitAnnealing(Process p) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < until) {
      String text = lab.log("run.out");
      Matcher m = CAMPAIGN_ID.matcher(text);
      if (m.find() && text.lines().filter(l -> l.contains("] done ")).count() >= 2 && ramping()) {
        return m.group(1);
      }
      if (!p.isAlive()) {
        throw new AssertionError("the orchestrator ended before it could be killed: " + text);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no anneal in flight within 180 s: " + lab.log("run.out"));
  }

  /** Whether a furnace reports status 1 (ramping): the first third of its program. */
  private boolean ramping() throws Exception {
    for (int port : ports) {
      ModbusTCPMaster m = new ModbusTCPMaster("127.0.0.1", port);
      m.connect();
      try {
        if (m.readInputRegisters(1, 2, 1)[0].getValue() == 1) {
          return true;
        }
      } finally {
        m.disconnect();
      }
    }
    return false;
  }
}
