package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.instruments.InstrumentTransport;
import org.ionloop.instruments.mqtt.MosquittoBroker;
import org.ionloop.instruments.mqtt.MqttTransport;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Experiments driven through Mosquitto on robots ionloop's code has never seen: Paho robots
 * written from wire contract v1 alone ({@code peers/paho_robot_v1.py}), each with its own log of
 * what it ran. Two robots in one pool share the work and every command runs once; a robot whose
 * geometry lacks {@code thickness_mm}, and which sends garbage and duplicated events besides,
 * fails only that experiment, with the reason, and no sample is carried on.
 */
class IndependentRobotsIT {
  static final ActorTestKit KIT = ActorTestKit.create();
  static final ObjectMapper JSON = new ObjectMapper();
  static MosquittoBroker broker;
  final List<Process> peers = new ArrayList<>();

  @TempDir
  Path dir;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new MosquittoBroker();
  }

  @AfterAll
  static void stop() throws Exception {
    KIT.shutdownTestKit();
    broker.close();
  }

  @AfterEach
  void stopPeers() throws Exception {
    for (Process p : peers) {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** Starts a Paho robot and waits for its "ready"; returns the file it logs its runs to. */
  Path robot(String id, String... flags) throws Exception {
    Path log = dir.resolve(id + ".runs");
    Files.createFile(log);
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "src/test/resources/peers/paho_robot_v1.py",
        "127.0.0.1", broker.url().replaceAll(".*:", ""), "demo-lab", id, log.toString()));
    command.addAll(List.of(flags));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    peers.add(p);
    var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = CompletableFuture.supplyAsync(() -> {
      try {
        for (String l; (l = out.readLine()) != null; ) {
          if (l.equals("ready")) {
            return l;
          }
        }
        return "exited with " + p.waitFor();
      } catch (Exception e) {
        return e.toString();
      }
    }).get(30, TimeUnit.SECONDS);
    assertEquals("ready", line, id + " did not start (python3-paho-mqtt is installed by bin/test)");
    return log;
  }

  /** The robot's instrument file (robot-2: robot-1's, renamed) wired to Mosquitto. */
  Map.Entry<InstrumentSpec, InstrumentTransport> wired(String id) throws Exception {
    Path file = dir.resolve(id + ".yaml");
    Files.writeString(file, Files.readString(Path.of("instruments/robot-1.yaml")).replace("id: robot-1", "id: " + id));
    return Map.entry(InstrumentSpec.load(file), new MqttTransport(broker.url(), "ionloop-it-" + id, "demo-lab", id));
  }

  static List<JsonNode> runs(Path log) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(log)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void twoRobotsInAPoolShareTheExperimentsAndRunEachCommandOnce() throws Exception {
    Path log1 = robot("robot-1");
    Path log2 = robot("robot-2");
    var bench = new RunnerBench(KIT, ProtocolSpec.load(Path.of("protocols/argyrodite-solid-state.yaml")),
        Map.of("robot", List.of("robot-1", "robot-2"), "furnace", List.of("furnace-1", "furnace-2"),
            "analyzer", List.of("eis-1")),
        Map.of("robot-1", wired("robot-1"), "robot-2", wired("robot-2")), Map.of());
    for (int n = 1; n <= 4; n++) {
      bench.start(String.format("c-test-e%03d", n));
    }
    for (int n = 0; n < 4; n++) {
      var outcome = bench.campaign.expectMessageClass(ExperimentRunner.Succeeded.class, Duration.ofSeconds(60));
      assertTrue(outcome.instruments().contains(ExperimentRunner.experimentNumber(outcome.experimentId()) % 2 == 0
          ? "robot-1" : "robot-2"), outcome.experimentId() + " ran on " + outcome.instruments());
    }
    // From the robots' own logs: who ran what, and how often.
    Map<String, Integer> times = new TreeMap<>();
    Map<String, String> ranOn = new TreeMap<>();
    for (var entry : Map.of("robot-1", log1, "robot-2", log2).entrySet()) {
      for (JsonNode r : runs(entry.getValue())) {
        times.merge(r.path("id").asText(), 1, Integer::sum);
        ranOn.put(r.path("id").asText().replaceAll(":.*", ""), entry.getKey());
      }
    }
    assertEquals(4 * 7, times.size(), "7 robot steps per experiment: " + times.keySet());
    assertTrue(times.values().stream().allMatch(t -> t == 1), "a command ran twice: " + times);
    assertEquals(Map.of("c-test-e001", "robot-1", "c-test-e002", "robot-2", "c-test-e003", "robot-1",
        "c-test-e004", "robot-2"), ranOn, "the pool took turns");
    // Which robot each command went to is in the log the scientist reads.
    assertTrue(bench.records.stream().filter(r -> r instanceof StoreRecord.CommandSent c && c.stepId().equals("dispense"))
        .map(r -> ((StoreRecord.CommandSent) r).instrument()).distinct().count() == 2);
  }

  @Test
  void aRobotReturningAMalformedGeometryFailsThatExperimentWithTheReasonAndCarriesNothingOn() throws Exception {
    Path log = robot("robot-1", "--malformed");
    var bench = new RunnerBench(KIT, ProtocolSpec.load(Path.of("protocols/argyrodite-solid-state.yaml")),
        Map.of("robot", List.of("robot-1"), "furnace", List.of("furnace-1", "furnace-2"), "analyzer", List.of("eis-1")),
        Map.of("robot-1", wired("robot-1")), Map.of());
    bench.start("c-test-e001");
    var failed = bench.campaign.expectMessageClass(ExperimentRunner.Failed.class, Duration.ofSeconds(60));
    assertTrue(failed.reason().contains("step geometry on robot-1 returned a malformed result")
        && failed.reason().contains("thickness_mm"), failed.reason());
    assertEquals("robot-1", failed.instrument());
    assertTrue(failed.outOfService().isEmpty(), "no station was held yet: " + failed.outOfService());
    var bad = bench.awaitRecord(StoreRecord.ReplyReceived.class, r -> r.state().equals("FAILED"));
    assertEquals("BAD_RESULT", bad.result().get("code"));
    // Garbage, an unknown id and duplicated events did not make any step run twice or out of turn.
    List<String> actions = runs(log).stream().map(r -> r.path("action").asText()).toList();
    assertEquals(List.of("dispense", "mill", "press", "measure_geometry"), actions);
    assertTrue(bench.devices.get("furnace-1").sent().isEmpty() && bench.devices.get("furnace-2").sent().isEmpty());
  }
}
