package org.ionloop.instruments;

/** Instrument availability, as in wire contract v1 {@code state.status}. */
public enum InstrumentState {
  ONLINE, BUSY, FAULT, OFFLINE
}
