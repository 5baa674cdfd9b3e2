package org.ionloop.planner.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandidatePoolTest {
  @TempDir
  Path dir;

  @Test
  void readsDescriptorsAndObjectives() throws Exception {
    Path f = dir.resolve("pool.csv");
    Files.writeString(f, "id,a,b,sigma,other\nr1,0.1,5,-3.2,1\nr2,0.4,7,-2.0,2\n");
    CandidatePool pool = CandidatePool.read(f, List.of("sigma"), Set.of("other"));
    assertEquals(List.of("a", "b"), pool.descriptors());
    assertEquals(2, pool.size());
    assertEquals("r2", pool.candidates().get(1).id());
    assertEquals(-2.0, pool.measure(1)[0]);
    assertEquals(0.1, pool.space().ranges().get(0).min());
  }

  @Test
  void aBadCellNamesFileLineAndColumn() throws Exception {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "id,a,sigma\nr1,0.1,-3\nr2,0.2x,-2\n");
    var e = assertThrows(IllegalArgumentException.class,
        () -> CandidatePool.read(f, List.of("sigma"), Set.of()));
    assertTrue(e.getMessage().contains("bad.csv:3") && e.getMessage().contains("'a'")
        && e.getMessage().contains("0.2x"), e.getMessage());
  }

  @Test
  void rowsRepeatingAnotherRowsDescriptorsAreCounted() throws Exception {
    Path f = dir.resolve("replicates.csv");
    Files.writeString(f, "id,a,b,sigma\nr1,0.1,5,-3\nr2,0.1,5,-2.9\nr3,0.2,5,-2\nr4,0.1,5,-3.1\n");
    assertEquals(2, CandidatePool.read(f, List.of("sigma"), Set.of()).rowsSharingDescriptors());
  }

  @Test
  void elementAmountsBecomeCompositionDescriptorsAndOtherColumnsAreRefused() throws Exception {
    Path f = dir.resolve("sse.csv");
    Files.writeString(f, "# a derived table's attribution\nid,Li,S,Cl,sigma\nLi2S,2,1,0,-9\nLiCl,1,0,1,-8\n"
        + "Li3SCl,3,1,1,-4\n");
    CandidatePool pool = CandidatePool.read(f, List.of("sigma"), Set.of()).asCompositionDescriptors();
    assertEquals(3, pool.size());
    assertTrue(pool.descriptors().contains("electronegativity_mean"), pool.descriptors().toString());
    // Li is in every row: the minimum Mendeleev number (Li's) is the same everywhere and left out.
    assertTrue(!pool.descriptors().contains("mendeleev_number_min"), pool.descriptors().toString());
    assertEquals(-4.0, pool.measure(2)[0]);
    Path g = dir.resolve("mixed.csv");
    Files.writeString(g, "id,Li,temperature,sigma\nr1,1,25,-3\nr2,1,30,-2\n");
    var e = assertThrows(IllegalArgumentException.class,
        () -> CandidatePool.read(g, List.of("sigma"), Set.of()).asCompositionDescriptors());
    assertTrue(e.getMessage().contains("not element symbols: [temperature]"), e.getMessage());
  }

  @Test
  void aWrittenPoolReadsBackAsThePlannerSawIt() throws Exception {
    Path f = dir.resolve("sse.csv");
    Files.writeString(f, "id,Li,S,Cl,sigma\n\"Li2S, ball-milled\",2,1,0,-9\nLiCl,1,0,1,-8\nLi3SCl,3,1,1,-4.125\n");
    CandidatePool described = CandidatePool.read(f, List.of("sigma"), Set.of()).asCompositionDescriptors();
    Path out = dir.resolve("described.csv");
    described.write(out, List.of("composition descriptors of sse.csv"));
    assertTrue(Files.readString(out).startsWith("# composition descriptors of sse.csv\n"));
    CandidatePool back = CandidatePool.read(out, List.of("sigma"), Set.of());
    assertEquals(described.descriptors(), back.descriptors());
    assertEquals("Li2S, ball-milled", back.candidates().get(0).id());
    for (int i = 0; i < described.size(); i++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(described.candidates().get(i).x(), back.candidates().get(i).x(),
          "row " + i + " reads back bit for bit");
      assertEquals(described.measure(i)[0], back.measure(i)[0]);
    }
  }

  @Test
  void aMissingObjectiveColumnIsNamed() throws Exception {
    Path f = dir.resolve("p.csv");
    Files.writeString(f, "id,a\nr1,0.1\n");
    var e = assertThrows(IllegalArgumentException.class,
        () -> CandidatePool.read(f, List.of("sigma"), Set.of()));
    assertTrue(e.getMessage().contains("no column 'sigma'"), e.getMessage());
  }

  @Test
  void aFileWithoutAHeaderIsRefusedRatherThanLosingItsFirstRow() throws Exception {
    Path f = dir.resolve("headerless.csv");
    Files.writeString(f, "0.25,0.25,0.5,-3.1\n0.1,0.3,0.6,-2.2\n");
    var e = assertThrows(IllegalArgumentException.class,
        () -> CandidatePool.read(f, List.of("sigma"), Set.of()));
    assertTrue(e.getMessage().contains("headerless.csv:1") && e.getMessage().contains("header row"), e.getMessage());
  }

  @Test
  void aColumnNamedTwiceIsRefused() throws Exception {
    Path f = dir.resolve("twice.csv");
    Files.writeString(f, "a,a,sigma\n0.1,0.2,-3\n");
    var e = assertThrows(IllegalArgumentException.class,
        () -> CandidatePool.read(f, List.of("sigma"), Set.of()));
    assertTrue(e.getMessage().contains("'a' is named twice"), e.getMessage());
  }

  @Test
  void descriptorsCanBeNamedSoTextColumnsNeedNoExcludeList() throws Exception {
    Path f = dir.resolve("text.csv");
    Files.writeString(f, "id,formula,family,a,b,sigma\nr1,Li6PS5Cl,argyrodite,0.1,5,-3.2\nr2,LiCl,halide,0.4,7,-2.0\n");
    CandidatePool pool = CandidatePool.read(f, List.of("sigma"), Set.of(), List.of("b", "a"));
    assertEquals(List.of("b", "a"), pool.descriptors());
    assertEquals(7.0, pool.candidates().get(1).get(0));
    var e = assertThrows(IllegalArgumentException.class,
        () -> CandidatePool.read(f, List.of("sigma"), Set.of(), List.of("c")));
    assertTrue(e.getMessage().contains("no descriptor column 'c'"), e.getMessage());
  }
}
