package org.ionloop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.ionloop.instruments.InstrumentRegistry;
import org.junit.jupiter.api.Test;

/**
 * Docker does not run on the build machines, so the compose file is checked as a file: it parses,
 * everything it mounts or builds from exists, it runs every instrument of the lab as its own
 * simulator service, the orchestrator reaches each of them, and the native topology script
 * starts the same set.
 */
class DeploymentFilesTest {
  private static final Path COMPOSE = Path.of("docker-compose.yml");
  private static final Path NATIVE = Path.of("deploy/native/lab.sh");

  private static JsonNode compose() throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile());
  }

  @Test
  void everyFileTheComposeFileMountsOrBuildsFromExists() throws Exception {
    JsonNode services = compose().path("services");
    List<String> missing = new ArrayList<>();
    int bindMounts = 0;
    for (var it = services.fields(); it.hasNext(); ) {
      var service = it.next();
      for (JsonNode volume : service.getValue().path("volumes")) {
        String source = volume.asText().split(":")[0];
        if (source.startsWith("./") || source.startsWith("/")) {
          bindMounts++;
          if (!Files.exists(Path.of(source))) {
            missing.add(service.getKey() + ": " + source);
          }
        }
      }
      JsonNode build = service.getValue().path("build");
      if (!build.isMissingNode()) {
        Path context = Path.of(build.path("context").asText("."));
        if (!Files.isDirectory(context) || !Files.exists(context.resolve(build.path("dockerfile").asText("Dockerfile")))) {
          missing.add(service.getKey() + ": build " + build);
        }
      }
    }
    assertTrue(missing.isEmpty(), "missing: " + missing);
    assertTrue(bindMounts >= 2, "the broker's configuration and ACL come from the repository");
  }

  @Test
  void theLabRunsMosquittoPostgresTheOrchestratorAndEachInstrumentAsItsOwnService() throws Exception {
    JsonNode services = compose().path("services");
    Set<String> names = new TreeSet<>();
    services.fieldNames().forEachRemaining(names::add);
    assertTrue(names.containsAll(List.of("mosquitto", "postgres", "ionloop")), names.toString());
    Set<String> instruments = InstrumentRegistry.load(Path.of("instruments")).all().keySet();
    for (String id : instruments) {
      JsonNode sim = services.path("sim-" + id);
      assertTrue(sim.isObject(), "no service sim-" + id);
      List<String> command = new ArrayList<>();
      sim.path("command").forEach(c -> command.add(c.asText()));
      assertEquals(List.of("sim", "instrument", id), command.subList(0, 3), "sim-" + id + " runs " + command);
    }
    String orchestrator = services.path("ionloop").path("command").toString();
    assertTrue(orchestrator.contains("jdbc:postgresql://postgres:"), orchestrator);
    assertTrue(orchestrator.contains("tcp://mosquitto:1883"), orchestrator);
    for (String id : List.of("furnace-1", "furnace-2", "eis-1")) {
      assertTrue(orchestrator.contains(id + "=sim-" + id + ":"), "orchestrator reaches " + id + ": " + orchestrator);
    }
    String conf = Files.readString(Path.of("deploy/mosquitto/mosquitto.conf"));
    assertTrue(conf.contains("allow_anonymous false") && conf.contains("acl_file"), conf);
  }

  @Test
  void theClusterProfileRunsTwoNodesThatJoinEachOtherOnTheSharedStore() throws Exception {
    JsonNode services = compose().path("services");
    List<String> nodes = new ArrayList<>();
    services.fields().forEachRemaining(e -> {
      if (e.getValue().path("command").toString().contains("\"--cluster\"")) {
        nodes.add(e.getKey());
      }
    });
    assertEquals(List.of("node-1", "node-2"), nodes);
    JsonNode gateway = services.path("gateway-furnaces");
    assertEquals("gateway", gateway.path("command").path(0).asText());
    List<String> driven = new ArrayList<>();
    gateway.path("command").forEach(a -> {
      if (a.asText().startsWith("furnace-") && !a.asText().contains("=")) {
        driven.add(a.asText());
      }
    });
    for (String node : nodes) {
      JsonNode service = services.path(node);
      assertEquals("[\"cluster\"]", service.path("profiles").toString(), node + " only with --profile cluster");
      JsonNode env = service.path("environment");
      assertEquals(node, env.path("IONLOOP_CLUSTER_HOST").asText(), node + " is reached by its service name");
      for (String seed : env.path("IONLOOP_CLUSTER_SEED_NODES").asText().split(",")) {
        String host = seed.substring(0, seed.indexOf(':'));
        assertTrue(nodes.contains(host), node + " joins " + seed + ", a node of the cluster");
        assertEquals(seed.substring(seed.indexOf(':') + 1), env.path("IONLOOP_CLUSTER_PORT").asText());
      }
      assertEquals("keep-oldest", env.path("IONLOOP_CLUSTER_DOWNING").asText(), "two nodes: either may be lost");
      assertEquals(String.join(",", driven), env.path("IONLOOP_CLUSTER_GATEWAY_INSTRUMENTS").asText(),
          node + " reaches through the gateway what it drives");
      assertTrue(service.path("command").toString().contains("jdbc:postgresql://postgres:"), node + " shares the store");
      // The node's settings are the installer's and valid: what ClusterSettings refuses fails here.
      var config = com.typesafe.config.ConfigFactory.parseString("ionloop.cluster { host = " + node
          + ", port = " + env.path("IONLOOP_CLUSTER_PORT").asText() + ", seed-nodes = \""
          + env.path("IONLOOP_CLUSTER_SEED_NODES").asText() + "\", downing = "
          + env.path("IONLOOP_CLUSTER_DOWNING").asText() + " }").withFallback(
          com.typesafe.config.ConfigFactory.defaultReference()).resolve();
      assertEquals("akka://ionloop@" + node + ":25520", org.ionloop.cluster.ClusterSettings.of(config).selfAddress());
    }
  }

  @Test
  void theNativeScriptStartsTheSameInstrumentsAsTheComposeFile() throws Exception {
    String script = Files.readString(NATIVE);
    Set<String> started = script.lines().map(String::trim).filter(l -> l.contains("start_sim "))
        .filter(l -> !l.startsWith("start_sim()"))
        .map(l -> l.replaceFirst(".*start_sim (\\S+).*", "$1")).collect(Collectors.toCollection(TreeSet::new));
    Set<String> services = new TreeSet<>();
    compose().path("services").fieldNames().forEachRemaining(n -> {
      if (n.startsWith("sim-")) {
        services.add(n.substring(4));
      }
    });
    assertEquals(services, started);
    assertTrue(Files.isExecutable(NATIVE));
  }

  @Test
  void everyIonloopServiceRunsACommandLineTheCliAccepts() throws Exception {
    JsonNode services = compose().path("services");
    int checked = 0;
    for (var it = services.fields(); it.hasNext(); ) {
      var service = it.next();
      if (!service.getValue().path("image").asText().startsWith("ionloop")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      // Compose substitutes ${VAR:-default}; the defaults are what a plain `docker compose up` runs.
      service.getValue().path("command").forEach(a -> args.add(a.asText().replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1")));
      try {
        org.ionloop.cli.Main.commandLine().parseArgs(args.toArray(String[]::new));
      } catch (picocli.CommandLine.ParameterException e) {
        throw new AssertionError(service.getKey() + ": " + args + ": " + e.getMessage(), e);
      }
      checked++;
    }
    assertTrue(checked >= 6, "orchestrator, dashboard and four simulators: " + checked);
  }
}
