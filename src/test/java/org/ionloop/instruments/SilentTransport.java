package org.ionloop.instruments;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A transport to an instrument that takes commands and never answers (unit tests only). */
public final class SilentTransport implements InstrumentTransport {
  @Override
  public CompletionStage<Void> connect() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> send(InstrumentCommand command) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void onEvent(Consumer<InstrumentEvent> consumer) {}

  @Override
  public void onState(Consumer<InstrumentState> consumer) {}

  @Override
  public InstrumentState state() {
    return InstrumentState.ONLINE;
  }

  @Override
  public void close() {}
}
