package org.ionloop.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ionloop run CAMPAIGN}: runs a campaign against a lab's instruments (real ones, or
 * simulated ones each in its own process) until its budget is spent. If the orchestrator stops
 * before that, {@code ionloop campaign recover ID} continues it.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a campaign against the lab's broker and instruments.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Campaign file.")
  Path campaign;

  @Mixin
  LabOptions lab;

  @Mixin
  StoreOptions store;

  @Override
  public Integer call() throws Exception {
    InstrumentRegistry registry = InstrumentRegistry.load(lab.instruments);
    CampaignLauncher.Validated v = lab.bind(CampaignLauncher.validate(campaign, registry)
        .onLabClock(lab.labClock));
    CampaignLauncher.Run run = CampaignLauncher.run(v, lab.broker, store.url(), System.out);
    return report(run, store, v);
  }

  /** Prints the campaign's summary; the exit code ({@link org.ionloop.store.CampaignHistory#exitCodeOf}). */
  static int report(CampaignLauncher.Run run, StoreOptions store, CampaignLauncher.Validated v)
      throws Exception {
    CampaignRepository repo = new CampaignRepository(Database.open(store.url()));
    CampaignReport.print(repo, run.campaignId(), v.spec().objectives(), System.out);
    System.out.printf("%ncampaign %s %s in %.1f s%ndatabase: %s%ntimeline: bin/ionloop campaign log %s%n",
        run.campaignId(), run.state(), run.wallTime().toMillis() / 1000.0, store.describe(),
        run.campaignId());
    return org.ionloop.store.CampaignHistory.exitCodeOf(run.state());
  }
}
