package org.ionloop.cluster;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.JoinSeedNodes;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One node's membership of the cluster, whatever its role: joining the seed nodes once it has
 * said what to do on a refusal, knowing when it is Up and with whom, saying why it shut down,
 * and leaving.
 */
public final class Membership {
  /** Told once, when this node shuts down, before its process may exit. */
  @FunctionalInterface
  public interface ShutdownListener {
    /**
     * @param wasMember whether the node had been an Up member (false: it never got in)
     * @param why       the reason, in words
     */
    void shutDown(boolean wasMember, String why);

    /** Says it as a node's output does: "NODE: this node has left …" or "… could not join …". */
    static ShutdownListener printing(String node, List<String> seedNodes, java.io.PrintStream out) {
      return (wasMember, why) -> {
        if (wasMember) {
          out.println(node + ": this node has left the cluster (" + why + ")");
        } else {
          System.err.println(node + ": this node could not join " + String.join(", ", seedNodes) + ": " + why);
        }
      };
    }
  }

  private final ActorSystem<?> system;
  private final ClusterSettings settings;
  private final CompletableFuture<List<String>> up = new CompletableFuture<>();

  private Membership(ActorSystem<?> system, ClusterSettings settings) {
    this.system = system;
    this.settings = settings;
  }

  /**
   * Asks {@code system} (configured by {@link ClusterSettings#akkaConfig}, which names no seed
   * nodes) to join the seed nodes, after {@code onShutdown} is in place: a refusal (another wire
   * contract) can come at once.
   */
  static Membership join(ActorSystem<?> system, ClusterSettings settings, ShutdownListener onShutdown) {
    Membership m = new Membership(system, settings);
    system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
      Cluster.get(system).subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
      return Behaviors.receive(SelfUp.class).onMessage(SelfUp.class, s -> {
        // The state at SelfUp may not show this node Up yet; it is, by definition of the event.
        List<String> members = new ArrayList<>(upMembers(s.currentClusterState().getMembers()));
        String self = Cluster.get(system).selfMember().address().toString();
        if (!members.contains(self)) {
          members.add(self);
        }
        m.up.complete(members);
        return Behaviors.stopped();
      }).build();
    }), "self-up", akka.actor.typed.Props.empty());
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "ionloop-says-why", () -> {
      onShutdown.shutDown(m.up.isDone(), shutdown.getShutdownReason().map(Membership::describe).orElse("stopped"));
      return CompletableFuture.completedFuture(akka.Done.getInstance());
    });
    Cluster.get(system).manager().tell(new JoinSeedNodes(settings.seedAddresses().stream()
        .map(akka.actor.AddressFromURIString::parse).toList()));
    return m;
  }

  /** Completes when this node is an Up member of the cluster, with the members Up then. */
  public CompletionStage<List<String>> whenUp() {
    return up;
  }

  /** Members that are Up now, by address. */
  public List<String> members() {
    return upMembers(Cluster.get(system).state().getMembers());
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** Completes when this node's actor system has terminated (left, or taken out by the cluster). */
  public CompletionStage<?> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** Leaves the cluster and ends this node's actor system. */
  public void leave() throws Exception {
    if (CoordinatedShutdown.get(system).getShutdownReason().isPresent()) {
      // Already going (taken out, refused): its last phase may be ending the process, which
      // waits for this caller if it is a shutdown hook.
      return;
    }
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.clusterLeavingReason())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static List<String> upMembers(Iterable<akka.cluster.Member> members) {
    List<String> out = new ArrayList<>();
    members.forEach(m -> {
      if (m.status() == MemberStatus.up()) {
        out.add(m.address().toString());
      }
    });
    return out;
  }

  private static String describe(CoordinatedShutdown.Reason reason) {
    String name = reason.getClass().getSimpleName().replace("$", "");
    return switch (name) {
      case "IncompatibleConfigurationDetectedReason" -> "the cluster refused this node: its settings do not match"
          + " the cluster's (another wire contract or ionloop version; the seed node's log says which)";
      case "ClusterJoinUnsuccessfulReason" -> "no seed node answered";
      case "ClusterDowningReason" -> "the cluster took this node out (it was unreachable)";
      case "ClusterLeavingReason" -> "left";
      default -> name;
    };
  }
}
