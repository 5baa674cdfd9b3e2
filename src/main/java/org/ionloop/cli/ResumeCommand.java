package org.ionloop.cli;

import java.util.concurrent.Callable;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.store.CampaignHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ionloop campaign recover ID}: continues a campaign whose orchestrator stopped without
 * ending it (killed, crashed, power cut). The campaign's state comes from its event log;
 * experiments in flight continue where their log ends, re-sending in-flight commands with their
 * original ids, which the instruments recognise, so no physical step runs twice.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
    description = "Continue a campaign from its event log after its orchestrator stopped (crash, kill, power cut).")
final class ResumeCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "Campaign id.")
  String id;

  @Mixin
  LabOptions lab;

  @Mixin
  StoreOptions store;

  @Override
  public Integer call() throws Exception {
    CampaignHistory history = CampaignHistory.load(store.openExisting(), id);
    InstrumentRegistry registry = InstrumentRegistry.load(lab.instruments);
    CampaignLauncher.Validated[] bound = new CampaignLauncher.Validated[1];
    CampaignLauncher.Running running = CampaignLauncher.resume(history, registry, lab.broker,
        store.url(), lab.labClock, v -> bound[0] = lab.bind(v), System.out);
    return RunCommand.report(CampaignLauncher.await(running), store, bound[0]);
  }
}
