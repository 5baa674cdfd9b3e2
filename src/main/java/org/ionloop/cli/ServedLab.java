package org.ionloop.cli;

import org.ionloop.api.CampaignControl;

/** The lab a server runs campaigns on: in this process ({@link LabCampaigns}) or on a cluster ({@link ClusterCampaignControl}). */
interface ServedLab extends CampaignControl {
  /** Starts the queue's heads while there is room (the queue survives a restart). */
  void startQueued();

  /** Stops what this server runs, cleanly where it can, within {@code timeout}. */
  void stopAndWait(java.time.Duration timeout) throws Exception;
}
