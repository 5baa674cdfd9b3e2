package org.ionloop.proposer.retrain;

/**
 * One measured point of a campaign, as the proposer learns from it: the design (fractions, then
 * process settings, in the campaign's order), the conductivity measured at one cell temperature
 * and the sample's activation energy.
 */
public record MeasuredRow(String experimentId, double[] design, double temperatureC,
    double log10Sigma, double eaEv) {}
