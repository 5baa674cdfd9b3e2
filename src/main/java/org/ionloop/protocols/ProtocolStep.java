package org.ionloop.protocols;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One step of a protocol.
 *
 * @param id            step id, unique in the protocol
 * @param role          instrument role (bound to an instrument id by the campaign)
 * @param action        action of that instrument
 * @param params        parameters; a string {@code "${name}"} is replaced when the step runs
 *                      (see {@link StepParameters})
 * @param timeout       deadline for the instrument's {@code done}
 * @param retries       re-sends (same command id) after a timeout or a lost connection
 * @param acquire       roles whose instruments this experiment holds from this step on
 * @param release       roles released after this step
 * @param temperaturesC for measurement steps: the step runs once per temperature, °C
 * @param save          name under which the step's result is kept ("geometry" for pellet size)
 * @param measures      result fields of this step that are measurements (objectives can be
 *                      computed from them by name)
 * @param approval      an approval gate: the question an operator must approve before the step
 *                      runs (null: no gate)
 * @param line          line of the step in its file, for messages
 */
public record ProtocolStep(String id, String role, String action, Map<String, Object> params,
    Duration timeout, int retries, List<String> acquire, List<String> release,
    List<Double> temperaturesC, String save, List<Measured> measures, String approval, int line) {

  /**
   * A measurement in the step's result.
   *
   * @param name        the protocol's name for it (what an objective's {@code measurement} names)
   * @param field       the instrument's result field holding the value
   * @param unit        for people
   * @param stdErrField the result field holding its standard error, or null
   */
  public record Measured(String name, String field, String unit, String stdErrField) {}
}
