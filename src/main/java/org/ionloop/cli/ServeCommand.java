package org.ionloop.cli;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.api.ApiServer;
import org.ionloop.api.CampaignControl;
import org.ionloop.store.ApiTokens;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ionloop serve}: the HTTP API and dashboard, and an orchestrator that runs the campaigns
 * created through it on the lab (the real one given by the lab options, or a virtual lab in this
 * process with {@code --simulated-lab}). Listens on loopback unless told otherwise.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the HTTP API and the dashboard; run the campaigns started through it.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--allow-remote", description = "Listen on a non-loopback address. Tokens travel in clear over"
      + " plain HTTP: put a TLS proxy in front before you do this.")
  boolean allowRemote;

  @Option(names = "--simulated-lab", description = "Run campaigns on a virtual lab in this process (broker, robot,"
      + " furnaces, analyzer on loopback) instead of the lab options' instruments.")
  boolean simulated;

  @Option(names = "--no-lab", description = "Review and steer only: campaigns run elsewhere (ionloop run) against"
      + " the same store; creating and starting campaigns here is refused.")
  boolean noLab;

  @Option(names = "--cluster", description = "Be one node of the lab's cluster (PostgreSQL store only): campaigns"
      + " run on whichever node holds them and move to another when theirs is lost. Address and peers from"
      + " ionloop.cluster.* (IONLOOP_CLUSTER_PORT, IONLOOP_CLUSTER_SEED_NODES, …) in the installer's configuration.")
  boolean cluster;

  @Option(names = "--time-scale", defaultValue = "1e-4", description = "With --simulated-lab: real seconds per lab second (default ${DEFAULT-VALUE}).")
  double timeScale;

  @Option(names = "--token-file",
      description = "Where a fresh store's first admin token is written (default: admin.token next to the --db file).")
  Path tokenFile;

  @Option(names = "--steer-wait-s", defaultValue = "15",
      description = "Seconds a steering request waits for the orchestrator's answer (default ${DEFAULT-VALUE}).")
  int steerWaitSeconds;

  @Mixin
  LabOptions lab;

  @Mixin
  StoreOptions store;

  @Override
  public Integer call() throws Exception {
    if (!allowRemote && !InetAddress.getByName(host).isLoopbackAddress()) {
      throw new IllegalArgumentException("--host " + host + " is not a loopback address; tokens would cross the"
          + " network in clear. Add --allow-remote once a TLS proxy is in front.");
    }
    CampaignRepository repo = new CampaignRepository(Database.open(store.url()));
    ApiTokens tokens = new ApiTokens(repo.dataSource());
    revokeLocalTokens(tokens); // a killed server's lease token is not a token anyone holds
    Path adminToken = bootstrapAdmin(tokens);
    if (noLab && simulated) {
      throw new IllegalArgumentException("--no-lab and --simulated-lab exclude each other");
    }
    InstrumentRegistry registry = InstrumentRegistry.load(lab.instruments);
    Path specDir = store.db.toAbsolutePath().resolveSibling("campaigns");
    SimulatedLab virtualLab = simulated ? SimulatedLab.start(registry, specDir, repo, timeScale,
        org.ionloop.Installation.current(), System.out) : null;
    ClusterCampaignControl node = cluster ? joinCluster(registry, specDir, repo) : null;
    ServedLab campaigns = noLab ? null : simulated ? virtualLab.campaigns() : node != null ? node
        : new LabCampaigns(registry, specDir, repo, lab.broker, v -> lab.bind(v.onLabClock(lab.labClock)),
            org.ionloop.Installation.current(), System.out);
    ApiServer server = ApiServer.start(new ApiServer.Settings(host, port, Duration.ofSeconds(steerWaitSeconds)),
        repo, tokens, noLab ? CampaignControl.none() : campaigns);
    System.out.printf("ionloop serving %s (dashboard %s/, API %s/api/openapi.json), store %s%s%n", server.url(),
        server.url(), server.url(), store.describe(), noLab ? ", no lab (review and steering only)"
            : simulated ? ", simulated lab " + virtualLab.brokerUrl() : ", lab broker " + lab.broker
            + (node != null ? ", cluster node " + node.lab().membership().settings().selfAddress() : ""));
    if (node != null) {
      awaitMembership(node);
    }
    if (campaigns != null) {
      campaigns.startQueued(); // the queue survives a restart: its head takes the free lab
    }
    // An H2 file is this server's while it runs; the lease lets this machine's other commands
    // (campaign list, token create, …) go through the server instead of failing on the lock.
    Path lease = store.isH2File() ? lease(tokens, server.url()) : null;
    if (adminToken != null) {
      System.out.printf("no tokens yet: made an admin token, in %s; make others (while the server runs too) with:%n"
          + "  bin/ionloop token create NAME --role viewer|operator|admin%s%n"
          + "  from another machine: IONLOOP_SERVER=%s IONLOOP_TOKEN=<admin token> bin/ionloop token create …%n",
          adminToken, defaultDb() ? "" : " --db " + store.db.toAbsolutePath(), server.url());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (campaigns != null) {
          campaigns.stopAndWait(Duration.ofMinutes(5));
        }
      } catch (Exception e) {
        System.err.println("campaign did not stop cleanly: " + e.getMessage());
      }
      server.close();
      if (lease != null) {
        revokeLocalTokens(tokens);
        StoreLease.release(lease);
      }
      if (virtualLab != null) {
        virtualLab.close();
      }
      stopped.countDown();
    }, "ionloop-serve-shutdown"));
    stopped.await();
    return 0;
  }

  /** Joins the cluster, after the checks that need no network: a shared store, a lab of its own. */
  private ClusterCampaignControl joinCluster(InstrumentRegistry registry, Path specDir, CampaignRepository repo) {
    if (store.isH2File()) {
      throw new IllegalArgumentException("--cluster: the nodes of a cluster share one store, and an H2 file"
          + " belongs to one process; give --jdbc-url jdbc:postgresql://… (or IONLOOP_JDBC_URL)");
    }
    if (noLab || simulated) {
      throw new IllegalArgumentException("--cluster runs the lab's campaigns on this node; it excludes "
          + (noLab ? "--no-lab" : "--simulated-lab"));
    }
    var settings = org.ionloop.cluster.ClusterSettings.of(com.typesafe.config.ConfigFactory.load());
    return ClusterCampaignControl.join(settings, registry, specDir, repo, lab.broker,
        v -> lab.bind(v.onLabClock(lab.labClock)), org.ionloop.Installation.current(), System.out);
  }

  /**
   * Says when this node is a member. A node the cluster refuses (another wire contract) or that
   * finds no seed node stops, and so does this process, saying why (ClusterCampaignControl).
   */
  private static void awaitMembership(ClusterCampaignControl node) {
    var lab = node.lab();
    lab.membership().whenUp().thenAccept(members -> System.out.printf("cluster: this node is up (%d members: %s)%n",
        members.size(), String.join(", ", members)));
  }

  /** Writes the store lease with a fresh admin token for this run. */
  private Path lease(ApiTokens tokens, String url) throws Exception {
    return StoreLease.write(store.db, url, tokens.create(StoreLease.TOKEN_NAME, "admin").secret());
  }

  /** Revokes the lease tokens still live (this run's, or a killed run's). */
  private static void revokeLocalTokens(ApiTokens tokens) {
    tokens.all().stream().filter(t -> t.revokedAt() == null && StoreLease.TOKEN_NAME.equals(t.name()))
        .forEach(t -> tokens.revoke(t.id()));
  }

  private boolean defaultDb() {
    return store.db.toAbsolutePath().normalize().equals(
        Path.of(System.getProperty("ionloop.home", "."), "data", "ionloop").toAbsolutePath().normalize());
  }

  /** A fresh store gets one admin token, written to a file only its owner can read; the file, or null. */
  private Path bootstrapAdmin(ApiTokens tokens) throws Exception {
    if (!tokens.noneLive()) {
      return null;
    }
    ApiTokens.NewToken admin = tokens.create("bootstrap-admin", "admin");
    Path file = (tokenFile != null ? tokenFile : store.db.toAbsolutePath().resolveSibling("admin.token"))
        .toAbsolutePath();
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, admin.secret() + "\n");
    return file;
  }
}
