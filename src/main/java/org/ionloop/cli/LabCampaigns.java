package org.ionloop.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.ionloop.Installation;
import org.ionloop.campaign.CampaignFiles;
import org.ionloop.campaign.LabHost;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.api.CampaignControl;
import org.ionloop.store.CampaignQueue;
import org.ionloop.store.CampaignRepository;

/**
 * Campaigns of one lab, created and started over HTTP. A campaign file sent to the server is kept
 * under {@code specDir} as {@code <campaign id>.yaml}; its protocol and model are looked up in the
 * installation's folders only ({@link CampaignFiles#serverFolders}). Up to
 * {@code ionloop.lab.campaigns-at-once} campaigns run together on one {@link LabHost}: one driver
 * per instrument and one station lock table, shared stations going round-robin between them.
 * The queue's head starts whenever a place is free.
 */
final class LabCampaigns implements ServedLab {
  private final InstrumentRegistry registry;
  private final Path specDir;
  private final CampaignRepository repo;
  private final String brokerUrl;
  private final UnaryOperator<CampaignLauncher.Validated> bind;
  private final PrintStream out;
  /** A campaign sent over HTTP finds its protocol and model in the installation's folders only. */
  private final CampaignFiles files;
  /** The running campaigns by id, in the order they started. */
  private final java.util.Map<String, CampaignLauncher.Running> current = new java.util.LinkedHashMap<>();
  private final CampaignQueue queue;
  private final int atOnce;
  /** The lab's actor system, made when the first campaign starts. */
  private akka.actor.typed.ActorSystem<LabHost.Command> lab;
  /** The server is shutting down: the campaign it stops must not hand the lab to the queue. */
  private volatile boolean closing;

  /**
   * @param bind puts a validated campaign on this lab's clock and endpoints
   */
  LabCampaigns(InstrumentRegistry registry, Path specDir, CampaignRepository repo, String brokerUrl,
      UnaryOperator<CampaignLauncher.Validated> bind, Installation installation, PrintStream out) {
    this(registry, specDir, repo, brokerUrl, bind, installation, out, configuredAtOnce());
  }

  /** How many campaigns the installation lets run at once ({@code ionloop.lab.campaigns-at-once}). */
  static int configuredAtOnce() {
    return com.typesafe.config.ConfigFactory.load().getInt("ionloop.lab.campaigns-at-once");
  }

  /**
   * @param atOnce how many campaigns may run at the same time (1: one after another)
   */
  LabCampaigns(InstrumentRegistry registry, Path specDir, CampaignRepository repo, String brokerUrl,
      UnaryOperator<CampaignLauncher.Validated> bind, Installation installation, PrintStream out, int atOnce) {
    if (atOnce < 1) {
      throw new IllegalArgumentException("ionloop.lab.campaigns-at-once must be at least 1, not " + atOnce);
    }
    this.atOnce = atOnce;
    this.files = CampaignFiles.serverFolders(installation);
    this.registry = registry;
    this.specDir = specDir;
    this.repo = repo;
    this.brokerUrl = brokerUrl;
    this.bind = bind;
    this.out = out;
    this.queue = new CampaignQueue(repo.dataSource());
  }

  @Override
  public String create(String yaml) {
    return new CampaignIntake(registry, specDir, files, repo, out).create(yaml);
  }

  @Override
  public synchronized void start(String campaignId) {
    List<String> busy = running();
    if (busy.size() >= atOnce) {
      throw new IllegalStateException("the lab is running campaign " + String.join(", ", busy)
          + (atOnce == 1 ? "" : " (" + atOnce + " at once, its limit: ionloop.lab.campaigns-at-once)")
          + "; start this one when one has ended, or queue it");
    }
    if (busy.contains(campaignId)) {
      throw new IllegalStateException("campaign " + campaignId + " is running");
    }
    var row = repo.query("SELECT state, spec_file FROM campaign WHERE id=?",
        rs -> new String[] {rs.getString(1), rs.getString(2)}, campaignId);
    if (row.isEmpty()) {
      throw new NoSuchElementException("no campaign '" + campaignId + "'");
    }
    if (!"PLANNED".equals(row.get(0)[0])) {
      throw new IllegalStateException("campaign " + campaignId + " is " + row.get(0)[0]
          + "; only a PLANNED campaign can start (a stopped orchestrator's campaign resumes with"
          + " 'ionloop campaign recover " + campaignId + "')");
    }
    CampaignLauncher.Validated v = bind.apply(CampaignLauncher.validate(Path.of(row.get(0)[1]), registry, files));
    if (lab == null) {
      lab = akka.actor.typed.ActorSystem.create(
          LabHost.create(brokerUrl, "lab-" + ProcessHandle.current().pid(), repo.stationsOutOfService()),
          "ionloop-lab");
    }
    CampaignLauncher.Running started = CampaignLauncher.launchInLab(v, campaignId, lab, repo, out);
    current.put(campaignId, started);
    // When it ends, whatever ended it, the queue's head takes its place.
    started.ended().thenRunAsync(this::startQueued);
  }

  @Override
  public synchronized List<CampaignQueue.Entry> enqueue(String campaignId, boolean front, String by) {
    if (running().contains(campaignId)) {
      throw new IllegalStateException("campaign " + campaignId + " is running");
    }
    queue.add(campaignId, front, by);
    startQueued();
    return queue.entries();
  }

  @Override
  public synchronized List<CampaignQueue.Entry> moveInQueue(String campaignId, int position) {
    return queue.move(campaignId, position);
  }

  @Override
  public synchronized List<CampaignQueue.Entry> dequeue(String campaignId) {
    return queue.remove(campaignId);
  }

  /**
   * Starts the queue's heads while the lab has room (after a campaign ends, when a campaign is queued,
   * and when the server starts: the queue survives a restart). A head that cannot start (its
   * file no longer validates, it is no longer PLANNED) leaves the queue with the reason printed,
   * and the next one is tried.
   */
  @Override
  public synchronized void startQueued() {
    while (!closing && running().size() < atOnce) {
      Optional<String> head = queue.head();
      if (head.isEmpty()) {
        return;
      }
      queue.remove(head.get());
      try {
        start(head.get());
        out.printf("campaign %s started from the queue%n", head.get());
      } catch (RuntimeException e) {
        out.printf("campaign %s left the queue without starting: %s%n", head.get(), e.getMessage());
      }
    }
  }

  @Override
  public List<String> instrumentIds() {
    return List.copyOf(new java.util.TreeSet<>(registry.all().keySet()));
  }

  /** Asks the lab's drivers (none before the first campaign); a driver that does not answer in 2 s is left out. */
  @Override
  public java.util.Map<String, org.ionloop.instruments.Instrument.Description> instrumentStates() {
    akka.actor.typed.ActorSystem<LabHost.Command> system;
    synchronized (this) {
      system = lab;
    }
    if (system == null) {
      return java.util.Map.of();
    }
    return org.ionloop.campaign.DriverStates.describeDriversOf(system, LabHost.Drivers::new, system.scheduler(),
        java.time.Duration.ofSeconds(2));
  }

  @Override
  public synchronized List<String> running() {
    current.values().removeIf(r -> r.ended().toCompletableFuture().isDone());
    return List.copyOf(current.keySet());
  }

  /** Stops the running campaigns cleanly (running experiments finish), waits for them, stops the lab. */
  @Override
  public void stopAndWait(java.time.Duration timeout) throws Exception {
    List<CampaignLauncher.Running> stopping;
    synchronized (this) {
      closing = true;
      running();
      stopping = List.copyOf(current.values());
    }
    long until = System.nanoTime() + timeout.toNanos();
    for (CampaignLauncher.Running r : stopping) {
      r.host().tell(new org.ionloop.campaign.Campaign.Stop("server shutting down", r.system().ignoreRef()));
    }
    for (CampaignLauncher.Running r : stopping) {
      r.ended().toCompletableFuture().get(Math.max(0, until - System.nanoTime()),
          java.util.concurrent.TimeUnit.NANOSECONDS);
    }
    synchronized (this) {
      if (lab != null) {
        lab.terminate();
        lab.getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }
}
