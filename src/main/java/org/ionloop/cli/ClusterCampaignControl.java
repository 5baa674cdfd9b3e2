package org.ionloop.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.ionloop.Installation;
import org.ionloop.campaign.CampaignFiles;
import org.ionloop.cluster.ClusterLab;
import org.ionloop.cluster.ClusterSettings;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.store.CampaignQueue;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.ClusterCampaigns;

/**
 * A server that is one node of a lab's cluster ({@code ionloop serve --cluster}): a campaign it
 * starts becomes the cluster's ({@code cluster_campaign}) and runs on whichever node sharding
 * places it; the queue and the limit of campaigns at once are the cluster's, kept in the shared
 * PostgreSQL store. Any node's server creates, starts, queues and steers any campaign.
 */
final class ClusterCampaignControl implements ServedLab {
  private final CampaignIntake intake;
  private final CampaignRepository repo;
  private final ClusterCampaigns campaigns;
  private final CampaignQueue queue;
  private final ClusterLab lab;
  private final InstrumentRegistry registry;
  /** The files of the instruments a gateway drives, for the live view (the settings do not change). */
  private final java.util.Map<String, org.ionloop.instruments.InstrumentSpec> behindGateways = new java.util.TreeMap<>();
  private final int atOnce;

  private ClusterCampaignControl(CampaignIntake intake, CampaignRepository repo, ClusterCampaigns campaigns,
      CampaignQueue queue, ClusterLab lab, InstrumentRegistry registry, int atOnce) {
    this.intake = intake;
    this.repo = repo;
    this.campaigns = campaigns;
    this.queue = queue;
    this.lab = lab;
    this.registry = registry;
    this.atOnce = atOnce;
    for (String id : lab.membership().settings().gatewayInstruments()) {
      registry.find(id).ifPresent(spec -> behindGateways.put(id, spec));
    }
  }

  /**
   * Joins this process to the cluster {@code settings} describe.
   *
   * @param bind puts a validated campaign on this lab's clock and endpoints
   */
  static ClusterCampaignControl join(ClusterSettings settings, InstrumentRegistry registry, Path specDir,
      CampaignRepository repo, String brokerUrl, UnaryOperator<CampaignLauncher.Validated> bind,
      Installation installation, PrintStream out) {
    int atOnce = LabCampaigns.configuredAtOnce();
    CampaignFiles files = CampaignFiles.serverFolders(installation);
    ClusterCampaigns campaigns = new ClusterCampaigns(repo.dataSource());
    CampaignQueue queue = new CampaignQueue(repo.dataSource());
    ClusterLab lab = ClusterLab.join(settings, com.typesafe.config.ConfigFactory.load(),
        id -> CampaignLauncher.planOnNode(id, repo, registry, files, specDir, brokerUrl, bind, out),
        campaigns, queue, repo::stationsOutOfService, new org.ionloop.store.StationHolds(repo.dataSource()), atOnce,
        org.ionloop.cluster.Membership.ShutdownListener.printing("cluster", settings.seedNodes(), out));
    return new ClusterCampaignControl(new CampaignIntake(registry, specDir, files, repo, out), repo, campaigns,
        queue, lab, registry, atOnce);
  }

  ClusterLab lab() {
    return lab;
  }

  @Override
  public String create(String yaml) {
    return intake.create(yaml);
  }

  @Override
  public synchronized void start(String campaignId) {
    List<String> busy = running();
    if (busy.contains(campaignId)) {
      throw new IllegalStateException("campaign " + campaignId + " is running");
    }
    if (busy.size() >= atOnce) {
      throw new IllegalStateException("the cluster is running campaign " + String.join(", ", busy)
          + " (" + atOnce + " at once, its limit: ionloop.lab.campaigns-at-once); start this one when one"
          + " has ended, or queue it");
    }
    campaigns.start(campaignId, "api");
    lab.wake(campaignId);
  }

  @Override
  public List<String> running() {
    return campaigns.toKeep();
  }

  /**
   * The live view of a cluster node: the instruments it drives, and those behind a gateway
   * (asked there); an instrument another orchestrator node drives shows the store's side only.
   */
  @Override
  public java.util.Map<String, org.ionloop.instruments.Instrument.Description> instrumentStates() {
    return lab.instrumentStates(behindGateways);
  }

  @Override
  public synchronized List<CampaignQueue.Entry> enqueue(String campaignId, boolean front, String by) {
    if (running().contains(campaignId)) {
      throw new IllegalStateException("campaign " + campaignId + " is running");
    }
    queue.add(campaignId, front, by);
    lab.nudge("queued " + campaignId);
    return queue.entries();
  }

  @Override
  public List<CampaignQueue.Entry> moveInQueue(String campaignId, int position) {
    return queue.move(campaignId, position);
  }

  @Override
  public List<CampaignQueue.Entry> dequeue(String campaignId) {
    return queue.remove(campaignId);
  }

  @Override
  public List<String> instrumentIds() {
    return List.copyOf(new java.util.TreeSet<>(registry.all().keySet()));
  }

  /** The keeper starts queued campaigns on the cluster; a server only nudges it. */
  @Override
  public void startQueued() {
    lab.nudge("server started");
  }

  /**
   * Leaves the cluster. This node's campaigns are not stopped: they move to the other nodes and
   * resume there from the event log, as after a loss (the devices do no step twice).
   */
  @Override
  public void stopAndWait(Duration timeout) throws Exception {
    lab.close();
    lab.membership().whenTerminated().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
