package org.ionloop.instruments;

import java.time.Duration;
import java.util.Map;

/**
 * An action an instrument offers.
 *
 * @param name       action name on the wire
 * @param parameters declared parameters by name; undeclared parameters are refused
 * @param timeout    default deadline for {@code done}
 */
public record ActionSpec(String name, Map<String, ParameterSpec> parameters, Duration timeout) {}
