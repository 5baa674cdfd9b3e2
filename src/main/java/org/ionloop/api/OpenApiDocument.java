package org.ionloop.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3 description of the API, written from the same route table that registers the
 * handlers: every route, its path parameters, the role it needs ({@code x-required-role}) and
 * the errors it may answer with.
 */
final class OpenApiDocument {
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

  private OpenApiDocument() {}

  static ObjectNode of(List<ApiServer.Route> routes) {
    ObjectNode doc = ApiServer.JSON.createObjectNode();
    doc.put("openapi", "3.0.3");
    doc.putObject("info").put("title", "ionloop API").put("version", "1")
        .put("description", "Campaigns, experiments, measurements, spectra, events and model versions of a"
            + " self-driving lab for solid-state electrolytes. Send 'Authorization: Bearer <token>';"
            + " roles: viewer (read), operator (steer campaigns), admin (tokens).");
    ObjectNode components = doc.putObject("components");
    components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
    ObjectNode error = components.putObject("schemas").putObject("Error");
    error.put("type", "object");
    error.putArray("required").add("code").add("message");
    ObjectNode props = error.putObject("properties");
    props.putObject("code").put("type", "string").put("description",
        "unauthorized, forbidden, not_found, bad_request, invalid_spec, conflict or internal");
    props.putObject("message").put("type", "string");
    ObjectNode paths = doc.putObject("paths");
    for (ApiServer.Route r : routes) {
      ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
      ObjectNode op = path.putObject(r.method().name().toLowerCase(Locale.ROOT));
      op.put("summary", r.summary());
      op.put("operationId", operationId(r));
      Matcher m = PATH_PARAMETER.matcher(r.path());
      ArrayNode parameters = null;
      while (m.find()) {
        if (parameters == null) {
          parameters = op.putArray("parameters");
        }
        parameters.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
            .putObject("schema").put("type", "string");
      }
      ObjectNode responses = op.putObject("responses");
      responses.putObject(r.method().name().equals("DELETE") ? "204" : "200").put("description", "success");
      if (r.role() != null) {
        op.putArray("security").addObject().putArray("bearer");
        op.put("x-required-role", r.role().label());
        errorResponse(responses, "401", "no token, or an unknown or revoked one");
        errorResponse(responses, "403", "the token's role is too weak");
      }
      if (r.path().contains("{")) {
        errorResponse(responses, "404", "no such campaign, experiment or token");
      }
      if (r.method().name().equals("POST")) {
        errorResponse(responses, "400", "malformed body or campaign file");
        errorResponse(responses, "409", "refused: lab busy, wrong state, nothing waiting at that gate");
      }
    }
    return doc;
  }

  private static void errorResponse(ObjectNode responses, String status, String description) {
    responses.putObject(status).put("description", description).putObject("content")
        .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
  }

  private static String operationId(ApiServer.Route r) {
    StringBuilder sb = new StringBuilder(r.method().name().toLowerCase(Locale.ROOT));
    for (String part : r.path().substring("/api/".length()).split("/")) {
      String word = part.replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", " ").trim();
      for (String w : word.split(" ")) {
        if (!w.isEmpty()) {
          sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
      }
    }
    return sb.toString();
  }
}
