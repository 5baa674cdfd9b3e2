package org.ionloop.instruments;

/**
 * A typed action parameter with its safety limits.
 *
 * @param name     wire name, carrying the unit (e.g. {@code setpoint_c})
 * @param type     "number", "string" or "object"
 * @param unit     unit for people (e.g. "°C"), may be empty
 * @param min      lowest allowed value (numbers only; −∞ when unbounded)
 * @param max      highest allowed value (numbers only; +∞ when unbounded)
 * @param required whether the action needs it
 */
public record ParameterSpec(String name, String type, String unit, double min, double max,
    boolean required) {}
