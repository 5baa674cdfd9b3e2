package org.ionloop.cli;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.sim.MaterialModel;
import org.ionloop.sim.SimAnalyzer;
import org.ionloop.sim.SimFurnace;
import org.ionloop.sim.SimRobot;
import org.ionloop.sim.SimXrd;
import org.ionloop.sim.VirtualBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ionloop sim instrument ID}: one simulated instrument as its own process, as the lab
 * topology runs them (docker-compose.yml, deploy/native/lab.sh). The instrument file says what
 * it is: an MQTT robot connects to the broker, a Modbus furnace or analyzer listens on its port.
 * Simulated instruments of one lab share the physical world through the bench folder.
 */
@Command(name = "instrument", mixinStandardHelpOptions = true,
    description = "Run one simulated instrument (robot, furnace or analyzer) until stopped.")
final class SimInstrumentCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Instrument id (a file in --instruments).")
  String id;

  @Option(names = "--instruments", defaultValue = "${sys:ionloop.home:-.}/instruments", description = "Instrument folder (default ${DEFAULT-VALUE}).")
  Path instruments;

  @Option(names = "--bench", required = true, description = "Folder shared by the lab's simulated instruments (samples, physical-step ledger).")
  Path bench;

  @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883", description = "MQTT broker, for a robot (default ${DEFAULT-VALUE}); user and password from IONLOOP_SIM_MQTT_USERNAME / _PASSWORD.")
  String broker;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address a Modbus instrument listens on (default ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
  String bind;

  @Option(names = "--port", description = "Port a Modbus instrument listens on (default: the one in its file).")
  Integer port;

  @Option(names = "--time-scale", defaultValue = "1e-4", description = "Real seconds per lab second (default ${DEFAULT-VALUE}).")
  double timeScale;

  @Option(names = "--seed", defaultValue = "1", description = "Seeds physical scatter and failures (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    InstrumentSpec spec = InstrumentRegistry.load(instruments).find(id).orElseThrow(
        () -> new IllegalArgumentException("no instrument '" + id + "' in " + instruments));
    VirtualBench shared = VirtualBench.sharedIn(bench);
    SplittableRandom rng = new SplittableRandom(seed);
    AutoCloseable running;
    String where;
    if (spec.transport().equals("mqtt") && spec.actions().containsKey("xrd_scan")) {
      running = new SimXrd(broker, spec.mqtt().lab(), id, shared, timeScale, rng,
          System.getenv("IONLOOP_SIM_MQTT_USERNAME"), System.getenv("IONLOOP_SIM_MQTT_PASSWORD"));
      where = "MQTT " + broker + ", lab " + spec.mqtt().lab();
    } else if (spec.transport().equals("mqtt")) {
      running = new SimRobot(broker, spec.mqtt().lab(), id, shared, timeScale, rng,
          MaterialModel.PELLET_FAILURE_PROBABILITY, System.getenv("IONLOOP_SIM_MQTT_USERNAME"),
          System.getenv("IONLOOP_SIM_MQTT_PASSWORD"));
      where = "MQTT " + broker + ", lab " + spec.mqtt().lab();
    } else {
      int p = port != null ? port : spec.modbus().port();
      running = switch (spec.modbus().profile()) {
        case "furnace-v1" -> new SimFurnace(id, bind, p, shared,
            spec.modbus().registers().get("setpoint_c").max(), timeScale);
        case "impedance-v1" -> new SimAnalyzer(id, bind, p, shared, rng, timeScale);
        default -> throw new IllegalArgumentException("no simulator for profile " + spec.modbus().profile());
      };
      where = "Modbus TCP " + bind + ":" + p;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        // shutting down anyway
      }
      stopped.countDown();
    }));
    System.out.printf("simulated %s on %s, bench %s, time scale %.0e — ready%n", id, where,
        bench.toAbsolutePath(), timeScale);
    System.out.flush();
    stopped.await();
    return 0;
  }
}
