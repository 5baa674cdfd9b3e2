package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bench lab --nodes 1 --gateway} at its smallest: an orchestrator JVM and a gateway JVM
 * on a scratch PostgreSQL, the furnaces and the analyzer reached only through the gateway. Keeps
 * the benchmark's cluster path (node launch, campaigns through the nodes' APIs, placement, the
 * report) from rotting between the runs that report its numbers.
 */
class LabBenchClusterIT {
  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // two JVMs join, then two short campaigns
  void aNodeAndAGatewayRunTheBenchmarksCampaignsToTheEnd() throws Exception {
    CliJsonTest.Ran lab = CliJsonTest.run("bench", "lab", "--nodes", "1", "--gateway", "--campaigns", "2",
        "--experiments", "1", "--parallel", "1", "--robots", "2", "--furnaces", "2", "--analyzers", "1",
        "--lab-clock", "1e-4", "--json");
    assertEquals(0, lab.code(), lab.out());
    JsonNode report = new ObjectMapper().readTree(lab.out().strip());
    assertEquals(1, report.path("nodes").asInt(), lab.out());
    assertTrue(report.path("gateway").asBoolean(), lab.out());
    assertEquals(2, report.path("completed").asInt(), lab.out());
    assertEquals(2, report.path("experiments_ended").asInt(), lab.out());
    assertTrue(report.path("cpu_s_per_decision").asDouble() > 0, lab.out());
    assertTrue(report.path("round_trip").has("anneal") && report.path("round_trip").has("eis_sweep"), lab.out());
    assertTrue(report.path("start_latency_s").path("max").asDouble() > 0, lab.out());
  }
}
