package org.ionloop.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JSON POST to a webhook (Slack and Mattermost incoming hooks read its {@code text}). */
final class WebhookChannel implements Notifier.Channel {
  private final URI url;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  WebhookChannel(URI url) {
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("ionloop.notifications.webhook must be an http(s) URL, got " + url);
    }
    this.url = url;
  }

  @Override
  public void send(ObjectNode n) throws IOException, InterruptedException {
    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(n.toString()))
        .build(), HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("HTTP " + r.statusCode());
    }
  }

  @Override
  public String describe() {
    return "webhook " + url;
  }
}
