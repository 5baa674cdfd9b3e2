package org.ionloop.instruments;

import org.ionloop.instruments.modbus.ModbusTransport;
import org.ionloop.instruments.mqtt.MqttSecurity;
import org.ionloop.instruments.mqtt.MqttTransport;

/** Builds the transport an instrument file asks for. */
public final class InstrumentTransports {
  private InstrumentTransports() {}

  /**
   * @param brokerUrl MQTT broker for MQTT instruments
   * @param clientTag distinguishes this orchestrator's MQTT client ids (e.g. the campaign id)
   */
  public static InstrumentTransport create(InstrumentSpec spec, String brokerUrl, String clientTag) {
    return switch (spec.transport()) {
      case "mqtt" -> new MqttTransport(brokerUrl, "ionloop-" + clientTag + "-" + spec.id(),
          spec.mqtt().lab(), spec.id(), MqttSecurity.fromEnvironment(spec.mqtt().credentials(),
              spec.mqtt().tlsCaFile(), System::getenv));
      case "modbus" -> new ModbusTransport(spec.id(), spec.modbus());
      default -> throw new IllegalArgumentException("unknown transport " + spec.transport());
    };
  }
}
