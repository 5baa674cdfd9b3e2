package org.ionloop.instruments;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Plain-Java, async-first link to one instrument (no Akka here). Implementations: MQTT (Paho)
 * and Modbus TCP (j2mod). Callbacks run on the transport's own threads: an actor using a
 * transport may only {@code tell} itself from them.
 */
public interface InstrumentTransport extends AutoCloseable {

  /** Connects; completes exceptionally when the instrument cannot be reached. */
  CompletionStage<Void> connect();

  /**
   * Puts a command on the wire. Completion means "sent", not "done": progress and the outcome
   * arrive as {@link InstrumentEvent}s. Sending an id again re-sends the same command.
   */
  CompletionStage<Void> send(InstrumentCommand command);

  /** Registers the consumer of events (one per transport). */
  void onEvent(Consumer<InstrumentEvent> consumer);

  /** Registers the consumer of state changes (one per transport). */
  void onState(Consumer<InstrumentState> consumer);

  /**
   * Registers what to do after the link came back on its own (the driver re-sends its command in
   * flight, with the same id, so nothing is lost and nothing runs twice). Default: never called.
   */
  default void onReconnected(Runnable action) {}

  /** Last known state. */
  InstrumentState state();

  /** Releases connections and threads; safe to call twice. */
  @Override
  void close();
}
