package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One cluster node's HTTP API as an operator uses it, for the cluster tests. */
final class NodeApi {
  private final int port;
  private final String token;
  private final HttpClient http = HttpClient.newHttpClient();

  NodeApi(int port, String token) {
    this.port = port;
    this.token = token;
  }

  /** Creates and starts a campaign from its file's text; its id. */
  String start(String yaml) throws Exception {
    HttpResponse<String> created = send("/api/campaigns?start=true", "application/yaml", yaml);
    assertEquals(201, created.statusCode(), created.body());
    return new ObjectMapper().readTree(created.body()).path("id").asText();
  }

  /** Pauses or resumes a campaign, waiting for its recorded outcome as the CLI does. */
  void steer(String campaignId, String kind, String reason) throws Exception {
    HttpResponse<String> r = send("/api/campaigns/" + campaignId + "/" + kind, "application/json",
        new ObjectMapper().createObjectNode().put("reason", reason).toString());
    // 200: done; 202: filed, taken when the campaign's node next reads its inbox.
    org.junit.jupiter.api.Assertions.assertTrue(r.statusCode() == 200 || r.statusCode() == 202, kind + ": " + r.body());
  }

  /** The node's live lab view: each instrument's state by id (null: the node has no driver's word for it). */
  java.util.Map<String, String> liveStates() throws Exception {
    com.fasterxml.jackson.databind.JsonNode view = new ObjectMapper().readTree(get("/api/lab").body());
    java.util.Map<String, String> states = new java.util.TreeMap<>();
    view.path("instruments").forEach(i -> states.put(i.path("id").asText(), i.path("state").asText(null)));
    return states;
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String path, String type, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
