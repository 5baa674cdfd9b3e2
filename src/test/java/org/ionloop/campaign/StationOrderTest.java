package org.ionloop.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ionloop.protocols.ProtocolSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaigns with different protocols on one lab: the order they take stations in is checked
 * for a cycle of waits before the second starts, so two campaigns never stall holding samples.
 */
class StationOrderTest {
  static final Map<String, List<String>> POOLS = Map.of("robot", List.of("robot-1"),
      "furnace", List.of("furnace-1", "furnace-2"), "analyzer", List.of("eis-1"), "xrd", List.of("xrd-1"));

  @Test
  void theShippedProtocolsTakeStationsInOneOrderAndRunTogether() throws Exception {
    var solid = StationOrder.of(ProtocolSpec.load(Path.of("protocols/argyrodite-solid-state.yaml")), POOLS);
    var xrd = StationOrder.of(ProtocolSpec.load(Path.of("protocols/argyrodite-with-xrd.yaml")), POOLS);
    var chloride = StationOrder.of(ProtocolSpec.load(Path.of("protocols/chloride-mechanochemical.yaml")), POOLS);
    // Holding a furnace, an experiment waits for the analyzer cell (load-cell), never the reverse.
    assertTrue(solid.edges().contains(new StationOrder.Edge("furnace-2", "eis-1")), solid.edges().toString());
    assertEquals(2, solid.edges().size(), solid.edges().toString());
    assertEquals(java.util.Optional.empty(), StationOrder.cycle(List.of(solid, xrd, chloride)));
  }

  @Test
  void aProtocolTakingTheCellBeforeTheFurnaceCannotRunBesideOneTakingTheFurnaceFirst(@TempDir Path dir)
      throws Exception {
    String text = Files.readString(Path.of("protocols/argyrodite-solid-state.yaml"))
        .replace("id: argyrodite-solid-state", "id: cell-first")
        // takes the analyzer cell from the start and the furnace while holding it
        .replace("  - id: dispense\n", "  - id: dispense\n    acquire: [analyzer]\n")
        .replace("    acquire: [analyzer]\n    release: [furnace]\n", "    release: [furnace]\n");
    Path reversed = dir.resolve("cell-first.yaml");
    Files.writeString(reversed, text);
    var cellFirst = StationOrder.of(ProtocolSpec.load(reversed), POOLS);
    var solid = StationOrder.of(ProtocolSpec.load(Path.of("protocols/argyrodite-solid-state.yaml")), POOLS);
    assertTrue(cellFirst.edges().contains(new StationOrder.Edge("eis-1", "furnace-1")), cellFirst.edges().toString());
    assertEquals(java.util.Optional.empty(), StationOrder.cycle(List.of(cellFirst)), "alone it is consistent");
    List<String> loop = StationOrder.cycle(List.of(solid, cellFirst)).orElseThrow();
    assertEquals(loop.get(0), loop.get(loop.size() - 1), loop.toString());
    assertTrue(loop.contains("eis-1") && loop.stream().anyMatch(s -> s.startsWith("furnace-")), loop.toString());
  }
}
