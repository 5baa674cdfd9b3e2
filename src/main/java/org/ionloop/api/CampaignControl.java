package org.ionloop.api;

/**
 * What the HTTP server asks of the orchestrator that runs campaigns on its lab. Steering a
 * running campaign goes through the store's operator inbox instead, so it also reaches campaigns
 * run by another process ({@code ionloop run}).
 */
public interface CampaignControl {
  /**
   * Validates a campaign file's text against the lab's instruments and protocols and records
   * the campaign as PLANNED.
   *
   * @return the new campaign's id
   * @throws org.ionloop.spec.SpecException naming the field and line of the first problem
   */
  String create(String yaml);

  /**
   * Starts a PLANNED campaign on the lab; returns once it runs.
   *
   * @throws IllegalStateException when the lab runs as many campaigns as it may, the campaign
   *     cannot run beside them (an instrument bound otherwise, stations taken in an order that
   *     could deadlock) or the campaign is not PLANNED
   * @throws java.util.NoSuchElementException when there is no such campaign
   */
  void start(String campaignId);

  /** The campaigns running on this server's lab, in the order they started. */
  java.util.List<String> running();

  /**
   * Puts a PLANNED campaign in the lab's queue, at the back or the front; it starts as soon as
   * the lab is free (at once when it is free now). The queue as it is afterwards.
   *
   * @throws IllegalStateException when the campaign is queued already or not PLANNED, or the
   *     server runs no lab
   * @throws java.util.NoSuchElementException when there is no such campaign
   */
  default java.util.List<org.ionloop.store.CampaignQueue.Entry> enqueue(String campaignId, boolean front,
      String by) {
    throw new IllegalStateException("this server runs no lab (serve --no-lab): it keeps no queue");
  }

  /** Moves a queued campaign to a place (0: next). @throws java.util.NoSuchElementException when not queued */
  default java.util.List<org.ionloop.store.CampaignQueue.Entry> moveInQueue(String campaignId, int position) {
    throw new IllegalStateException("this server runs no lab (serve --no-lab): it keeps no queue");
  }

  /** Takes a campaign out of the queue. @throws java.util.NoSuchElementException when not queued */
  default java.util.List<org.ionloop.store.CampaignQueue.Entry> dequeue(String campaignId) {
    throw new IllegalStateException("this server runs no lab (serve --no-lab): it keeps no queue");
  }

  /** The ids of the lab's instruments (its instrument files); empty on a server without a lab. */
  default java.util.List<String> instrumentIds() {
    return java.util.List.of();
  }

  /**
   * What this server's drivers know of each instrument now (state, link, last heard), for those
   * the running campaigns bind; empty on a server without a lab.
   */
  default java.util.Map<String, org.ionloop.instruments.Instrument.Description> instrumentStates() {
    return java.util.Map.of();
  }

  /**
   * A server without a lab, for review and steering next to an orchestrator run elsewhere
   * ({@code ionloop run}, another host): it creates and starts nothing.
   */
  static CampaignControl none() {
    return new CampaignControl() {
      @Override
      public String create(String yaml) {
        throw new IllegalStateException("this server runs no lab (serve --no-lab): start campaigns where the lab's"
            + " orchestrator runs (ionloop run FILE, or a server with a lab)");
      }

      @Override
      public void start(String campaignId) {
        create(null);
      }

      @Override
      public java.util.List<String> running() {
        return java.util.List.of();
      }
    };
  }
}
