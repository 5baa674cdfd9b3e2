package org.ionloop.cluster;

import java.util.Optional;
import org.ionloop.campaign.CampaignHost;

/**
 * What a node needs to run a campaign of the cluster, read from the shared store: the campaign's
 * own text from its event log, checked against this node's installation (protocols, models,
 * instruments), and its history when it ran before on a node that was lost.
 */
@FunctionalInterface
public interface PlanSource {
  /**
   * The campaign's plan on this node: new when it never ran, a resumption otherwise; empty when
   * it has ended. Blocks (store reads, model loading): called off the actors' threads.
   *
   * @throws Exception when this node cannot run it (the message says why)
   */
  Optional<CampaignHost.Plan> planFor(String campaignId) throws Exception;
}
