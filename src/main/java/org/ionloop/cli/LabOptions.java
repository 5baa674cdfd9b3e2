package org.ionloop.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a lab's instruments are: broker, Modbus endpoints, and how fast its clock runs. */
final class LabOptions {
  @Option(names = "--instruments", defaultValue = "${sys:ionloop.home:-.}/instruments", description = "Instrument folder (default ${DEFAULT-VALUE}).")
  Path instruments;

  @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883", description = "MQTT broker URL (default ${DEFAULT-VALUE}).")
  String broker;

  @Option(names = "--endpoint", paramLabel = "ID=HOST:PORT",
      description = "Where a Modbus instrument listens, instead of its file's host and port (repeatable).")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--poll-ms", description = "Modbus polling interval, ms (default: each instrument file's).")
  Integer pollMs;

  @Option(names = "--lab-clock", defaultValue = "1",
      description = "Real seconds per lab second: 1 for real hardware (default), e.g. 1e-4 for simulated instruments whose clock runs faster; step deadlines scale with it.")
  double labClock;

  /** The campaign's instruments pointed at the endpoints given. */
  CampaignLauncher.Validated bind(CampaignLauncher.Validated v) {
    pointAt(v.byId(), java.util.Set.of(), "the campaign has no Modbus instrument");
    return v;
  }

  /**
   * A gateway's instruments pointed at the endpoints given; an endpoint of another instrument
   * of the installation ({@code others}) is another node's business, an unknown one an error.
   */
  void bindServed(java.util.Map<String, org.ionloop.instruments.InstrumentSpec> served,
      java.util.Set<String> others) {
    pointAt(served, others, "no Modbus instrument here is called");
  }

  private void pointAt(java.util.Map<String, org.ionloop.instruments.InstrumentSpec> byId,
      java.util.Set<String> notHere, String missing) {
    for (String e : endpoints) {
      int eq = e.indexOf('=');
      int colon = e.lastIndexOf(':');
      if (eq < 1 || colon < eq + 2) {
        throw new IllegalArgumentException("--endpoint " + e + ": expected ID=HOST:PORT");
      }
      String id = e.substring(0, eq);
      var spec = byId.get(id);
      if (spec == null && notHere.contains(id)) {
        continue;
      }
      if (spec == null || spec.modbus() == null) {
        throw new IllegalArgumentException("--endpoint " + e + ": " + missing + " '" + id + "'");
      }
      int port;
      try {
        port = Integer.parseInt(e.substring(colon + 1));
      } catch (NumberFormatException x) {
        throw new IllegalArgumentException("--endpoint " + e + ": port is not a number");
      }
      byId.put(id, spec.withModbusEndpoint(e.substring(eq + 1, colon), port,
          pollMs == null ? spec.modbus().pollInterval() : Duration.ofMillis(pollMs)));
    }
    if (pollMs != null) {
      byId.replaceAll((id, s) -> s.modbus() == null ? s
          : s.withModbusEndpoint(s.modbus().host(), s.modbus().port(), Duration.ofMillis(pollMs)));
    }
  }
}
