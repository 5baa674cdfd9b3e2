package org.ionloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Talks to a running {@code ionloop serve} with a token. Errors come back as the server's own
 * code and message, so the CLI says what the API says.
 */
final class ServerClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where the server is and which token to send. */
  static final class Options {
    @Option(names = "--server", defaultValue = "${env:IONLOOP_SERVER}",
        description = "ionloop server URL, e.g. http://127.0.0.1:8080 (default: $IONLOOP_SERVER).")
    String server;

    @Option(names = "--token", defaultValue = "${env:IONLOOP_TOKEN}",
        description = "API token (default: $IONLOOP_TOKEN).")
    String token;

    boolean given() {
      return server != null && !server.isBlank();
    }

    /**
     * The server to go through: the one given, else the one holding the store's H2 file (its
     * lease carries a token for this machine's user); empty when the store is to be opened here.
     */
    java.util.Optional<ServerClient> resolve(StoreOptions store) {
      if (given()) {
        return java.util.Optional.of(client());
      }
      return store.heldByServer().map(held -> new ServerClient(held.url().replaceAll("/+$", ""),
          token == null || token.isBlank() ? held.token() : token.trim()));
    }

    /** For commands that only talk to a server: the one given, else the one holding the store. */
    ServerClient client(StoreOptions store) {
      return resolve(store).orElseThrow(() -> new IllegalArgumentException("no server: give --server URL or set"
          + " IONLOOP_SERVER (no running 'bin/ionloop serve' holds " + store.describe() + ")"));
    }

    ServerClient client() {
      if (!given()) {
        throw new IllegalArgumentException("no server: give --server URL or set IONLOOP_SERVER");
      }
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("no token: give --token or set IONLOOP_TOKEN (bin/ionloop token create NAME --role operator)");
      }
      return new ServerClient(server.replaceAll("/+$", ""), token.trim());
    }
  }

  private final String base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ServerClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  JsonNode delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  JsonNode post(String path, String body, String contentType) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r;
    try {
      r = http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IllegalArgumentException("cannot reach the ionloop server at " + base + " (is 'bin/ionloop serve' running?)");
    }
    JsonNode body = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    if (r.statusCode() == 400 && "invalid_spec".equals(body.path("code").asText())) {
      throw new InvalidFile(body.path("line").asInt(0), body.path("field").asText("?"),
          body.path("problem").asText(body.path("message").asText()));
    }
    if (r.statusCode() >= 400) {
      throw new IllegalArgumentException("server answered " + r.statusCode() + " " + body.path("code").asText("")
          + ": " + body.path("message").asText(r.body()));
    }
    return body;
  }

  /** The server refused a file it was sent: where in it, and why (the caller names its own copy). */
  static final class InvalidFile extends IllegalArgumentException {
    final int line;
    final String field;
    final String problem;

    InvalidFile(int line, String field, String problem) {
      super("line " + line + ": field '" + field + "': " + problem);
      this.line = line;
      this.field = field;
      this.problem = problem;
    }
  }
}
