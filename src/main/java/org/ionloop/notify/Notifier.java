package org.ionloop.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.ionloop.store.StoreRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an operator what they must know of a campaign, from the records the store has committed:
 * it paused, failed, completed or was aborted, waits for an approval, or put a station out of
 * service — through a {@link Channel} (a webhook, e-mail). Never in the campaign's way: records are
 * queued (a full queue drops the newest and counts it) and sent from one daemon thread per
 * channel, each retried with doubling backoff and then dropped with a log line.
 */
public final class Notifier implements Consumer<StoreRecord>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> STATES = Set.of("PAUSED", "FAILED", "COMPLETED", "COMPLETED_WITH_FAILURES",
      "ABORTED");
  private static final Set<String> EVENTS = Set.of("approval_requested", "station_quarantined");

  /** Where notifications go. */
  public interface Channel {
    /** Delivers one notification; throws with the reason when it could not (it is then retried). */
    void send(ObjectNode notification) throws java.io.IOException, InterruptedException;

    /** What this channel reaches, for logs and to share one notifier per destination. */
    String describe();
  }

  private final Channel channel;
  private final int attempts;
  private final Duration firstRetry;
  private final BlockingQueue<ObjectNode> queue = new ArrayBlockingQueue<>(1000);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread sender;
  private final AtomicLong inFlight = new AtomicLong();
  private volatile boolean closed;
  /** The process's notifiers, one per destination and shared by its campaigns; {@link #drainAll} waits on them. */
  private static final java.util.Map<String, Notifier> ALL = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * What the store tells of committed records, as the configuration asks ({@code
   * ionloop.notifications}): the process's notifiers for its webhook and its e-mail recipients,
   * or nothing without either.
   *
   * @throws IllegalArgumentException when the webhook is not an http(s) URL or the e-mail settings
   *     are incomplete, naming the setting
   */
  public static Consumer<StoreRecord> ofConfig(com.typesafe.config.Config config) {
    int attempts = config.getInt("ionloop.notifications.attempts");
    Duration firstRetry = config.getDuration("ionloop.notifications.first-retry");
    java.util.List<Notifier> notifiers = new java.util.ArrayList<>();
    String url = config.getString("ionloop.notifications.webhook").strip();
    if (!url.isEmpty()) {
      Channel webhook = new WebhookChannel(URI.create(url));
      notifiers.add(ALL.computeIfAbsent(webhook.describe(), d -> new Notifier(webhook, attempts, firstRetry)));
    }
    EmailChannel email = EmailChannel.ofConfig(config.getConfig("ionloop.notifications.email"));
    if (email != null) {
      notifiers.add(ALL.computeIfAbsent(email.describe(), d -> new Notifier(email, attempts, firstRetry)));
    }
    return r -> notifiers.forEach(n -> n.accept(r));
  }

  /**
   * Lets every notifier of this process send what it has queued, for at most {@code patience}:
   * the last notification of a campaign (that it completed) comes just before the process exits.
   */
  public static void drainAll(Duration patience) {
    long until = System.nanoTime() + patience.toNanos();
    for (Notifier n : ALL.values()) {
      while ((!n.queue.isEmpty() || n.inFlight.get() > 0) && System.nanoTime() < until) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  public Notifier(Channel channel, int attempts, Duration firstRetry) {
    this.channel = channel;
    this.attempts = Math.max(1, attempts);
    this.firstRetry = firstRetry;
    this.sender = new Thread(this::send, "notifier " + channel.describe());
    sender.setDaemon(true);
    sender.start();
  }

  /** The notification a committed record is worth, or null. */
  static ObjectNode notificationOf(StoreRecord r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("campaign_id", r.campaignId()).put("ts", String.valueOf(r.ts()));
    if (r instanceof StoreRecord.CampaignStateChanged c && STATES.contains(c.state())) {
      n.put("kind", "campaign_" + c.state().toLowerCase()).put("state", c.state()).put("reason", c.reason());
      n.put("text", "ionloop: campaign " + c.campaignId() + " is " + c.state()
          + (c.reason() == null ? "" : ": " + c.reason()));
      return n;
    }
    if (r instanceof StoreRecord.Event e && EVENTS.contains(e.kind())) {
      Object why = e.payload() == null ? null : e.payload().get(e.kind().equals("approval_requested") ? "prompt" : "reason");
      n.put("kind", e.kind()).put("experiment_id", e.experimentId()).put("reason", why == null ? null : why.toString());
      n.put("text", "ionloop: campaign " + e.campaignId() + ", " + e.experimentId() + ": "
          + (e.kind().equals("approval_requested") ? "waits for an operator's approval" : "a station is out of service")
          + (why == null ? "" : " (" + why + ")"));
      return n;
    }
    return null;
  }

  /** Called by the store for each record it has committed: queues what is worth telling. */
  @Override
  public void accept(StoreRecord r) {
    ObjectNode n = notificationOf(r);
    if (n != null && !closed && !queue.offer(n)) {
      LOG.warn("{}: queue full, dropped a notification ({} so far)", channel.describe(), dropped.incrementAndGet());
    }
  }

  private void send() {
    while (!closed) {
      ObjectNode n;
      try {
        n = queue.take();
        inFlight.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      }
      try {
        deliver(n);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  /** Sends one notification, retrying with doubling backoff; logs and drops it after the last attempt. */
  private void deliver(ObjectNode n) {
    Duration wait = firstRetry;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      String failure;
      try {
        channel.send(n);
        return;
      } catch (java.io.IOException e) {
        failure = e.getMessage();
      } catch (InterruptedException e) {
        return;
      }
      if (attempt == attempts) {
        LOG.warn("{} refused {} after {} attempts ({}); dropped", channel.describe(), n.path("kind").asText(),
            attempts, failure);
        return;
      }
      LOG.info("{} refused {} ({}); again in {} ms", channel.describe(), n.path("kind").asText(), failure,
          wait.toMillis());
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      wait = wait.multipliedBy(2);
    }
  }

  /** Notifications dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    closed = true;
    sender.interrupt();
    ALL.remove(channel.describe(), this);
  }
}
