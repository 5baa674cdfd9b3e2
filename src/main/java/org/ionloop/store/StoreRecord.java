package org.ionloop.store;

import java.time.Instant;
import java.util.Map;

/**
 * Everything the orchestrator writes to the store. Each record is appended by
 * {@link CampaignRepository#append} and also becomes a {@code campaign_event} row, so the event
 * table alone tells a campaign's story.
 */
public sealed interface StoreRecord {
  /** The campaign the record belongs to. */
  String campaignId();

  /** When it happened. */
  Instant ts();

  record CampaignCreated(String campaignId, String name, String specFile, String specYaml,
      long seed, Instant ts) implements StoreRecord {}

  record CampaignStateChanged(String campaignId, String state, String reason, Instant ts)
      implements StoreRecord {}

  /** A free-form audit event (decision, proposal, progress) with a JSON-able payload. */
  record Event(String campaignId, String experimentId, String kind, Map<String, Object> payload,
      Instant ts) implements StoreRecord {}

  record ModelVersionSeen(String campaignId, String versionId, String file, String sha256,
      String dataSha256, Map<String, Object> metrics, Instant ts) implements StoreRecord {}

  /** A candidate chosen for an experiment, with the decision that chose it. */
  record CandidateChosen(String campaignId, String candidateId, Map<String, Double> x,
      String modelVersion, double acquisition, Map<String, Object> decision, Instant ts)
      implements StoreRecord {}

  record ExperimentStarted(String campaignId, String experimentId, String candidateId, int seqNo,
      Instant ts) implements StoreRecord {}

  /** A command sent to an instrument. */
  record CommandSent(String campaignId, String experimentId, String stepId, String commandId,
      String instrument, String action, Map<String, Object> params, Instant ts)
      implements StoreRecord {}

  /** The instrument's final reply to a command: state is DONE or FAILED. */
  record ReplyReceived(String campaignId, String experimentId, String commandId, String state,
      Map<String, Object> result, Instant ts) implements StoreRecord {}

  /** Raw spectrum points: {f Hz, Z' Ω, Z'' Ω} each. */
  record SpectrumMeasured(String campaignId, String experimentId, double temperatureC,
      double[][] points, Instant ts) implements StoreRecord {}

  /**
   * One temperature's fit: circuit with its fitted parameter values (name → value, so the fitted
   * curve can be drawn again), resistance used, σ, and the Kramers–Kronig verdict.
   */
  record MeasurementFitted(String campaignId, String experimentId, double temperatureC,
      String circuit, Map<String, Double> parameters, Map<String, Double> parameterStdErrs, double resistanceOhm, double resistanceSeOhm, double sigmaSPerCm,
      double chiSquare, boolean converged, boolean bulkResolved, boolean kkValid,
      double kkResidual, String reason, Instant ts) implements StoreRecord {}

  /** A value with its standard error (NaN when unknown). */
  record Value(double value, double stdErr) {}

  /**
   * An experiment's result: the campaign's objectives by name, and, when the protocol measured
   * spectra at two or more temperatures, the Arrhenius fit (NaN otherwise) and the pellet geometry.
   */
  record ResultRecorded(String campaignId, String experimentId, Map<String, Value> objectives,
      double log10Sigma25, double log10Sigma25Se, double eaEv, double eaSeEv, double thicknessMm,
      double diameterMm, Instant ts) implements StoreRecord {}

  /** An experiment ended: state COMPLETED or FAILED (with the failure reason). */
  record ExperimentEnded(String campaignId, String experimentId, String state, String failure,
      Instant ts) implements StoreRecord {}
}
