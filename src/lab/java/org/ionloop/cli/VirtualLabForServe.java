package org.ionloop.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.ionloop.Installation;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.VirtualLab;
import org.ionloop.store.CampaignRepository;

/** {@code serve --simulated-lab}: the server's campaigns on a virtual lab in the same process. */
final class VirtualLabForServe implements SimulatedLab {
  private final VirtualLab lab;
  private final LabCampaigns campaigns;

  VirtualLabForServe(InstrumentRegistry registry, Path specDir, CampaignRepository repo, double timeScale,
      Installation installation, PrintStream out) throws Exception {
    this.lab = new VirtualLab(timeScale, VirtualLab.WORLD_SEED);
    this.campaigns = DemoCommand.campaignsOnVirtualLab(registry, specDir, repo, lab, timeScale,
        Duration.ofMillis(10), installation, out);
  }

  @Override
  public LabCampaigns campaigns() {
    return campaigns;
  }

  @Override
  public String brokerUrl() {
    return lab.brokerUrl();
  }

  @Override
  public void close() {
    lab.close();
  }
}
