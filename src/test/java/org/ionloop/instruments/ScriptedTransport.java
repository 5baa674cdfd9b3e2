package org.ionloop.instruments;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A transport to an instrument that acknowledges every command at once and answers it with the
 * result a script gives for its action (unit tests only): a robot that misbehaves on cue.
 */
public final class ScriptedTransport implements InstrumentTransport {
  private final Function<InstrumentCommand, InstrumentEvent> answers;
  private final java.util.List<InstrumentCommand> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Consumer<InstrumentEvent> events = e -> {};

  /**
   * Answers every command with the event the script gives (its last word on the command); where
   * the script gives null the device acknowledges and then says nothing more.
   */
  public ScriptedTransport(Function<InstrumentCommand, InstrumentEvent> answers) {
    this.answers = answers;
  }

  /** Answers every command with {@code done} and the result the script gives. */
  public static ScriptedTransport done(Function<InstrumentCommand, Map<String, Object>> results) {
    return new ScriptedTransport(c -> new InstrumentEvent.Done(c.commandId(), results.apply(c)));
  }

  @Override
  public CompletionStage<Void> connect() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> send(InstrumentCommand command) {
    sent.add(command);
    events.accept(new InstrumentEvent.Ack(command.commandId()));
    InstrumentEvent answer = answers.apply(command);
    if (answer != null) {
      events.accept(answer);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Every command the device received, in order. */
  public java.util.List<InstrumentCommand> sent() {
    return sent;
  }

  /** The actions the device received, in order. */
  public java.util.List<String> actions() {
    return sent.stream().map(InstrumentCommand::action).toList();
  }

  @Override
  public void onEvent(Consumer<InstrumentEvent> consumer) {
    this.events = consumer;
  }

  @Override
  public void onState(Consumer<InstrumentState> consumer) {}

  @Override
  public InstrumentState state() {
    return InstrumentState.ONLINE;
  }

  @Override
  public void close() {}
}
