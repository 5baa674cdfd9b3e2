package org.ionloop.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.sim.VirtualLab;

/** A campaign file run on a fresh virtual lab, for tests outside the cli package. */
public final class TestLaunch {
  private TestLaunch() {}

  /** The campaign validated against the shipped instruments, on a fast lab clock. */
  public static Object validate(Path campaign) {
    return CampaignLauncher.validate(campaign, InstrumentRegistry.load(Path.of("instruments"))).onLabClock(2e-5);
  }

  /** Runs it to its end; its end state. */
  public static String runOnVirtualLab(Object validated, String jdbcUrl, PrintStream out) throws Exception {
    CampaignLauncher.Validated v = (CampaignLauncher.Validated) validated;
    try (VirtualLab lab = new VirtualLab(2e-5, 3)) {
      DemoCommand.bindToLab(v, lab, Duration.ofMillis(5));
      return CampaignLauncher.run(v, lab.brokerUrl(), jdbcUrl, out).state();
    }
  }
}
