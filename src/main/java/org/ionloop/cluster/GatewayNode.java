package org.ionloop.cluster;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.util.Collection;
import org.ionloop.instruments.InstrumentSpec;

/**
 * This process as a gateway node of a lab's cluster: it drives the instruments near it and
 * serves them to the campaigns on the orchestrator nodes ({@link InstrumentGateway}). It runs no
 * campaign and no singleton, and needs no store.
 */
public final class GatewayNode implements AutoCloseable {
  private final Membership membership;

  private GatewayNode(Membership membership) {
    this.membership = membership;
  }

  /** Starts the drivers of {@code instruments} and joins the cluster {@code settings} name. */
  public static GatewayNode join(ClusterSettings settings, Config base, Collection<InstrumentSpec> instruments,
      String brokerUrl, Membership.ShutdownListener onShutdown) {
    ActorSystem<Void> system = ActorSystem.create(
        InstrumentGateway.create(instruments, brokerUrl, "gateway-" + settings.port()), ClusterSettings.SYSTEM_NAME,
        settings.akkaConfig(base, ClusterSettings.GATEWAY));
    return new GatewayNode(Membership.join(system, settings, onShutdown));
  }

  public Membership membership() {
    return membership;
  }

  /** Leaves the cluster: campaigns using these instruments wait for a gateway to serve them again. */
  @Override
  public void close() throws Exception {
    membership.leave();
  }
}
