package org.ionloop.instruments.mqtt;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ionloop.instruments.InstrumentSpec;

/**
 * A Mosquitto ACL written from the lab's instrument files. Each instrument logs in with its id
 * as user name and gets its own three topics in its own lab, spelled out: Mosquitto's
 * {@code pattern ionloop/v1/+/%u/evt} would let a robot publish events into any lab on a shared
 * broker. Only the orchestrator commands, and only in the labs the files name.
 *
 * <p>Mosquitto 2.0 cannot refuse a retained publish on one topic and accept it on another (its
 * {@code retain_available} is broker-wide, and {@code state} is retained by contract), so the
 * orchestrator may also write {@code evt}: it clears a retained event it receives
 * ({@link MqttTransport}) instead of acting on it.
 */
public final class BrokerAcl {
  /** The orchestrator's user name on the broker. */
  public static final String ORCHESTRATOR = "ionloop";

  private BrokerAcl() {}

  /** The ACL text for these instruments (MQTT ones; others are ignored). */
  public static String of(Map<String, InstrumentSpec> instruments) {
    Map<String, String> labOf = new TreeMap<>();
    for (InstrumentSpec s : instruments.values()) {
      if (s.mqtt() != null) {
        labOf.put(s.id(), s.mqtt().lab());
      }
    }
    StringBuilder acl = new StringBuilder("""
        # Mosquitto ACL for an ionloop lab (mosquitto.conf: acl_file), written by
        #   bin/ionloop deploy broker-acl --instruments instruments
        # from the instrument files; regenerate it when an MQTT instrument is added.
        # Every instrument logs in with its id as user name and may read only its own commands and
        # write only its own events and state, in its own lab. Only the orchestrator commands.
        """);
    for (Map.Entry<String, String> e : labOf.entrySet()) {
      acl.append("\nuser ").append(e.getKey()).append('\n');
      topics(acl, e.getValue(), e.getKey(), "read", "write", "write");
    }
    acl.append("\n# The orchestrator: commands out; events and state in. It may write evt only to clear\n"
        + "# an event a client published retained (Mosquitto 2.0 cannot refuse those per topic).\n")
        .append("user ").append(ORCHESTRATOR).append('\n');
    for (String lab : new TreeSet<>(labOf.values())) {
      topics(acl, lab, "+", "write", "readwrite", "read");
    }
    return acl.toString();
  }

  /** One instrument's (or, with "+", every instrument's) cmd, evt and state topics with these rights. */
  private static void topics(StringBuilder acl, String lab, String instrument, String cmd, String evt,
      String state) {
    acl.append("topic ").append(cmd).append(' ').append(WireCodec.topic(lab, instrument, "cmd")).append('\n')
        .append("topic ").append(evt).append(' ').append(WireCodec.topic(lab, instrument, "evt")).append('\n')
        .append("topic ").append(state).append(' ').append(WireCodec.topic(lab, instrument, "state")).append('\n');
  }
}
