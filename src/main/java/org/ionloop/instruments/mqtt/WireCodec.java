package org.ionloop.instruments.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.instruments.InstrumentState;

/**
 * JSON codec for MQTT wire contract v1 (DESIGN §5). Unknown fields are ignored; a payload that is
 * not JSON or lacks {@code v}/{@code id} raises {@link WireFormatException}.
 */
public final class WireCodec {
  /** Contract version written and accepted. */
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private WireCodec() {}

  /** Topic for a message kind ({@code cmd}, {@code evt}, {@code state}). */
  public static String topic(String lab, String instrument, String kind) {
    return "ionloop/v1/" + lab + "/" + instrument + "/" + kind;
  }

  public static byte[] encodeCommand(InstrumentCommand c, Instant ts) {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", VERSION);
    n.put("id", c.commandId());
    n.put("action", c.action());
    n.set("params", JSON.valueToTree(c.params()));
    n.put("deadline_ms", c.deadline().toMillis());
    n.put("ts", ts.toString());
    return bytes(n);
  }

  public static InstrumentCommand decodeCommand(byte[] payload) {
    JsonNode n = parse(payload);
    String id = requireId(n);
    JsonNode action = n.get("action");
    if (action == null || !action.isTextual()) {
      throw new WireFormatException("cmd lacks 'action'", id);
    }
    Map<String, Object> params = n.has("params") && n.get("params").isObject()
        ? JSON.convertValue(n.get("params"), Map.class) : Map.of();
    long deadline = n.path("deadline_ms").asLong(600_000);
    return new InstrumentCommand(id, action.asText(), params, Duration.ofMillis(deadline));
  }

  public static byte[] encodeEvent(InstrumentEvent e, Instant ts) {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", VERSION);
    n.put("id", e.commandId());
    if (e instanceof InstrumentEvent.Ack) {
      n.put("type", "ack");
    } else if (e instanceof InstrumentEvent.Progress p) {
      n.put("type", "progress");
      n.put("progress", p.fraction());
    } else if (e instanceof InstrumentEvent.Done d) {
      n.put("type", "done");
      n.set("result", JSON.valueToTree(d.result()));
    } else if (e instanceof InstrumentEvent.Error err) {
      n.put("type", "error");
      ObjectNode en = n.putObject("error");
      en.put("code", err.code());
      en.put("message", err.message());
    }
    n.put("ts", ts.toString());
    return bytes(n);
  }

  @SuppressWarnings("unchecked")
  public static InstrumentEvent decodeEvent(byte[] payload) {
    JsonNode n = parse(payload);
    String id = requireId(n);
    String type = n.path("type").asText("");
    return switch (type) {
      case "ack" -> new InstrumentEvent.Ack(id);
      case "progress" -> {
        double p = n.path("progress").asDouble(Double.NaN);
        if (!(p >= 0 && p <= 1)) {
          throw new WireFormatException("progress must be in [0,1]", id);
        }
        yield new InstrumentEvent.Progress(id, p);
      }
      case "done" -> new InstrumentEvent.Done(id, n.has("result") && n.get("result").isObject()
          ? JSON.convertValue(n.get("result"), Map.class) : Map.of());
      case "error" -> new InstrumentEvent.Error(id, n.path("error").path("code").asText("UNKNOWN"),
          n.path("error").path("message").asText(""));
      default -> throw new WireFormatException("unknown evt type '" + type + "'", id);
    };
  }

  public static byte[] encodeState(InstrumentState s, Instant ts) {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", VERSION);
    n.put("status", s.name().toLowerCase(Locale.ROOT));
    n.put("ts", ts.toString());
    return bytes(n);
  }

  public static InstrumentState decodeState(byte[] payload) {
    JsonNode n = parse(payload);
    if (!n.has("v")) {
      throw new WireFormatException("state lacks 'v'", null);
    }
    String status = n.path("status").asText("");
    try {
      return InstrumentState.valueOf(status.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new WireFormatException("unknown status '" + status + "'", null);
    }
  }

  private static JsonNode parse(byte[] payload) {
    try {
      JsonNode n = JSON.readTree(payload);
      if (n == null || !n.isObject()) {
        throw new WireFormatException("payload is not a JSON object", null);
      }
      return n;
    } catch (IOException e) {
      throw new WireFormatException("payload is not valid JSON: " + e.getMessage(), null);
    }
  }

  private static String requireId(JsonNode n) {
    String id = n.hasNonNull("id") ? n.get("id").asText() : null;
    if (!n.has("v")) {
      throw new WireFormatException("payload lacks 'v'", id);
    }
    if (n.get("v").asInt() != VERSION) {
      throw new WireFormatException("unsupported contract version " + n.get("v"), id);
    }
    if (id == null || id.isBlank()) {
      throw new WireFormatException("payload lacks 'id'", null);
    }
    return id;
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
