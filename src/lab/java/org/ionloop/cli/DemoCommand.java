package org.ionloop.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ionloop demo}: a whole simulated campaign on embedded defaults — in-process MQTT broker,
 * simulated robot (MQTT), furnace and impedance analyzer (Modbus TCP), H2 file under ./data/.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a simulated campaign end to end on loopback (broker, robot, furnace, analyzer, H2).")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--campaign", defaultValue = "${sys:ionloop.home:-.}/campaigns/demo.yaml", description = "Campaign file (default ${DEFAULT-VALUE}).")
  Path campaign;

  @Option(names = "--instruments", defaultValue = "${sys:ionloop.home:-.}/instruments", description = "Instrument folder (default ${DEFAULT-VALUE}).")
  Path instruments;

  @picocli.CommandLine.Mixin
  StoreOptions store;

  @Option(names = "--time-scale", defaultValue = "1e-4", description = "Real seconds per simulated second (default ${DEFAULT-VALUE}).")
  double timeScale;

  @Option(names = "--poll-ms", defaultValue = "10", description = "Modbus polling interval against the simulators, ms (default ${DEFAULT-VALUE}).")
  int pollMs;

  @Override
  public Integer call() throws Exception {
    InstrumentRegistry registry = InstrumentRegistry.load(instruments);
    CampaignLauncher.Validated v = CampaignLauncher.validate(campaign, registry).onLabClock(timeScale);
    String url = store.url(); // before the lab starts: a server may hold the file
    System.out.printf("starting the virtual lab (time scale %.0e: 1 h of lab time = %.2f s)%n",
        timeScale, 3600 * timeScale);
    try (VirtualLab lab = new VirtualLab(timeScale, VirtualLab.WORLD_SEED)) {
      bindToLab(v, lab, Duration.ofMillis(pollMs));
      System.out.printf("broker %s, furnace 127.0.0.1:%d, analyzer 127.0.0.1:%d, store %s%n",
          lab.brokerUrl(), lab.furnacePort(), lab.analyzerPort(), store.describe());
      CampaignLauncher.Run run = CampaignLauncher.run(v, lab.brokerUrl(), url, System.out);
      CampaignRepository repo = new CampaignRepository(Database.open(url));
      CampaignReport.print(repo, run.campaignId(), v.spec().objectives(), System.out);
      var results = repo.results(run.campaignId());
      if (!results.isEmpty()) {
        Path png = store.db.toAbsolutePath().resolveSibling(run.campaignId() + ".png");
        CampaignPlots.write(run.campaignId(), results, v.spec().objectives(), png);
        System.out.println("plot: " + png);
      }
      System.out.printf("%ncampaign %s %s in %.1f s%ndatabase: %s%ntimeline: bin/ionloop campaign log %s%n",
          run.campaignId(), run.state(), run.wallTime().toMillis() / 1000.0, store.describe(),
          run.campaignId());
      return org.ionloop.store.CampaignHistory.exitCodeOf(run.state());
    }
  }

  /** The server's campaigns on a virtual lab (serve --simulated-lab): its clock, its broker, its Modbus ports. */
  static LabCampaigns campaignsOnVirtualLab(InstrumentRegistry registry, Path specDir, CampaignRepository repo,
      VirtualLab lab, double timeScale, java.time.Duration poll, org.ionloop.Installation installation,
      java.io.PrintStream out) {
    return campaignsOnVirtualLab(registry, specDir, repo, lab, timeScale, poll, installation, out,
        LabCampaigns.configuredAtOnce());
  }

  /** The same, running up to {@code atOnce} campaigns together. */
  static LabCampaigns campaignsOnVirtualLab(InstrumentRegistry registry, Path specDir, CampaignRepository repo,
      VirtualLab lab, double timeScale, java.time.Duration poll, org.ionloop.Installation installation,
      java.io.PrintStream out, int atOnce) {
    return new LabCampaigns(registry, specDir, repo, lab.brokerUrl(), v -> {
      CampaignLauncher.Validated onClock = v.onLabClock(timeScale);
      bindToLab(onClock, lab, poll);
      return onClock;
    }, installation, out, atOnce);
  }

  /** Points the campaign's Modbus instruments at the virtual lab's free ports. */
  static void bindToLab(CampaignLauncher.Validated v, VirtualLab lab, Duration poll) {
    v.byId().replaceAll((id, spec) -> lab.modbusPort(id).isPresent()
        ? spec.withModbusEndpoint("127.0.0.1", lab.modbusPort(id).getAsInt(), poll) : spec);
  }
}
