package org.ionloop.instruments;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** In-memory transport for unit tests of the {@link Instrument} actor only. */
final class FakeTransport implements InstrumentTransport {
  final List<InstrumentCommand> sent = new CopyOnWriteArrayList<>();
  private volatile Consumer<InstrumentEvent> events = e -> {};
  volatile boolean closed;

  @Override
  public CompletionStage<Void> connect() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> send(InstrumentCommand command) {
    sent.add(command);
    return CompletableFuture.completedFuture(null);
  }

  void emit(InstrumentEvent e) {
    events.accept(e);
  }

  @Override
  public void onEvent(Consumer<InstrumentEvent> consumer) {
    events = consumer;
  }

  @Override
  public void onState(Consumer<InstrumentState> consumer) {}

  @Override
  public InstrumentState state() {
    return InstrumentState.ONLINE;
  }

  @Override
  public void close() {
    closed = true;
  }
}
