package org.ionloop.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events of the lab view: a client gets the view when it connects and again whenever
 * it changes (looked at every {@code period} on one thread for all clients, so ten open dashboards
 * cost one look, not ten), and a comment every 10 s so proxies and Jetty keep the stream open.
 * Each event is {@code event: lab} with the view and its {@code as_of} time as data.
 */
final class LabStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabStream.class);
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Supplier<ObjectNode> view;
  private final Set<SseClient> clients = new CopyOnWriteArraySet<>();
  private final ScheduledExecutorService ticker;
  private ObjectNode lastSent;
  private long lastSentNanos = System.nanoTime();

  LabStream(Supplier<ObjectNode> view, Duration period) {
    this.view = view;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ionloop-lab-stream");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleWithFixedDelay(this::tick, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes a new client: the current view at once, then changes. */
  void join(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    ticker.execute(() -> send(client, stamped(view.get())));
  }

  private void tick() {
    if (clients.isEmpty()) {
      return;
    }
    try {
      ObjectNode now = view.get();
      if (!now.equals(lastSent)) {
        lastSent = now;
        lastSentNanos = System.nanoTime();
        ObjectNode event = stamped(now);
        clients.forEach(c -> send(c, event));
      } else if (System.nanoTime() - lastSentNanos > KEEP_ALIVE_NANOS) {
        lastSentNanos = System.nanoTime();
        clients.forEach(c -> {
          if (!c.terminated()) {
            c.sendComment("keep-alive");
          }
        });
      }
    } catch (RuntimeException e) {
      // The store failing for a moment: the stream stays, the next look may succeed.
      log.warn("lab view failed: {}", e.getMessage());
    }
  }

  private static ObjectNode stamped(ObjectNode view) {
    ObjectNode event = view.deepCopy();
    event.put("as_of", Instant.now().toString());
    return event;
  }

  private void send(SseClient client, ObjectNode event) {
    if (client.terminated()) {
      clients.remove(client);
      return;
    }
    client.sendEvent("lab", event.toString());
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    clients.forEach(SseClient::close);
  }
}
