package org.ionloop;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * What whoever installs ionloop decides, and no campaign file or HTTP request can: where models
 * and protocols are kept, which program retrains the proposer and where it may write. Read from
 * {@code ionloop.installation} in the configuration ({@code reference.conf}, an
 * {@code application.conf}, {@code -Dionloop.installation.…} or the environment variables named
 * there).
 *
 * @param modelsDir      the only folder proposer models are loaded from
 * @param protocolsDir   the folder protocols of campaigns sent over the API are looked up in
 * @param trainerCommand the trainer program and its fixed arguments (ionloop appends its own)
 * @param retrainDir     where retraining writes its data, logs and candidate models
 * @param elementTrainerCommand the trainer of element-space models (trained on measured
 *                       electrolytes), which fine-tunes them on a lab's results
 */
public record Installation(Path modelsDir, Path protocolsDir, List<String> trainerCommand,
    Path retrainDir, List<String> elementTrainerCommand) {

  public Installation {
    if (trainerCommand.isEmpty()) {
      throw new IllegalArgumentException("ionloop.installation.trainer-command is empty");
    }
    modelsDir = modelsDir.toAbsolutePath().normalize();
    protocolsDir = protocolsDir.toAbsolutePath().normalize();
    retrainDir = retrainDir.toAbsolutePath().normalize();
    trainerCommand = List.copyOf(trainerCommand);
    if (elementTrainerCommand.isEmpty()) {
      throw new IllegalArgumentException("ionloop.installation.element-trainer-command is empty");
    }
    elementTrainerCommand = List.copyOf(elementTrainerCommand);
  }

  /** The trainer command for a model: an element-space one's, or a design-space one's. */
  public List<String> trainerCommandFor(boolean elementSpaceModel) {
    return elementSpaceModel ? elementTrainerCommand : trainerCommand;
  }

  /** The installation this process runs with. */
  public static Installation current() {
    return from(ConfigFactory.load());
  }

  /**
   * @throws IonloopException naming the setting when the configuration is incomplete
   */
  public static Installation from(Config config) {
    try {
      Config c = config.getConfig("ionloop.installation");
      return new Installation(Path.of(c.getString("models-dir")), Path.of(c.getString("protocols-dir")),
          c.getStringList("trainer-command"), Path.of(c.getString("retrain-dir")),
          c.getStringList("element-trainer-command"));
    } catch (ConfigException | IllegalArgumentException e) {
      throw new IonloopException(ErrorCode.CONFIG, "bad installation setting: " + e.getMessage(), e);
    }
  }
}
