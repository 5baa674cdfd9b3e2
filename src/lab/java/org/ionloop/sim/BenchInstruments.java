package org.ionloop.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An instrument folder for a large virtual lab: robot-1 … robot-R, furnace-1 … furnace-F and
 * eis-1 … eis-A, each a copy of the installation's file for the first of its kind under its own
 * id, as an installer writes one file per instrument. The Modbus endpoints are given to the
 * orchestrator separately ({@code --endpoint}), since the simulators listen on free ports.
 */
public final class BenchInstruments {
  private BenchInstruments() {
  }

  /** Writes the folder {@code dir} from the installation's {@code instruments/}; {@code dir}. */
  public static Path write(Path dir, int robots, int furnaces, int analyzers) throws IOException {
    Path installed = Path.of(System.getProperty("ionloop.home", "."), "instruments");
    Files.createDirectories(dir);
    copies(installed, dir, VirtualLab.ROBOT, "robot-", robots);
    copies(installed, dir, VirtualLab.FURNACE, "furnace-", furnaces);
    copies(installed, dir, VirtualLab.ANALYZER, "eis-", analyzers);
    return dir;
  }

  /** A campaign file's pool of {@code prefix}1 … {@code prefix}N, as a YAML flow list. */
  public static String pool(String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      ids.add(prefix + k);
    }
    return "[" + String.join(", ", ids) + "]";
  }

  private static void copies(Path installed, Path dir, String first, String prefix, int count) throws IOException {
    String template = Files.readString(installed.resolve(first + ".yaml"));
    String idLine = "\nid: " + first + "\n";
    if (!template.contains(idLine)) {
      throw new IllegalStateException(installed.resolve(first + ".yaml") + " has no line 'id: " + first + "'");
    }
    for (int k = 1; k <= count; k++) {
      String id = prefix + k;
      Files.writeString(dir.resolve(id + ".yaml"), template.replace(idLine, "\nid: " + id + "\n"));
    }
  }
}
