package org.ionloop.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.ionloop.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiteratureTableTest {
  static final Path TABLE = Path.of("models/training/literature.csv");

  @TempDir
  Path dir;

  @Test
  void everyRowCitesItsSourceAndTheSystemsCompoundsAreTrainable() {
    List<LiteratureTable.Entry> rows = LiteratureTable.load(TABLE);
    assertTrue(rows.size() >= 12);
    rows.forEach(r -> assertTrue(r.source().matches(".*\\(\\d{4}\\).*"), r.formula() + ": " + r.source()));
    List<String> trainable = rows.stream().filter(r -> r.trainable(300, 650)).map(LiteratureTable.Entry::formula).toList();
    assertEquals(List.of("Li6PS5Cl", "Li5.5PS4.5Cl1.5"), trainable);
  }

  /** The virtual lab is anchored on these argyrodites: its truth must agree with them. */
  @Test
  void theVirtualLabAgreesWithTheLiteratureArgyroditesWithinAThirdOfADecade() {
    MaterialModel truth = new MaterialModel();
    for (var r : LiteratureTable.load(TABLE)) {
      if (r.trainable(300, 650)) {
        double lab = truth.truth(r.fractions(), r.annealC().getAsDouble()).log10Sigma25();
        assertEquals(Math.log10(r.sigma25()), lab, 0.3, r.formula());
      }
    }
  }

  @Test
  void literatureRowsJoinTheTrainingSetWeighted() throws Exception {
    Path out = dir.resolve("train.csv");
    int added = new TrainingDataGenerator().write(out, 100, new SplittableRandom(1),
        LiteratureTable.load(TABLE), 20);
    assertEquals(40, added);
    List<String> lines = Files.readAllLines(out);
    assertEquals(1 + 100 + 40, lines.size());
    assertTrue(lines.get(lines.size() - 1).startsWith("0.500000,0.125000,0.375000,0.000000,550.00,25.00,-2.02"),
        lines.get(lines.size() - 1));
  }

  @Test
  void aBadValueNamesItsLineAndColumn() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, Files.readString(TABLE).replace("9.4e-3", "high"));
    SpecException e = assertThrows(SpecException.class, () -> LiteratureTable.load(bad));
    assertEquals("sigma25_s_cm", e.field());
    assertEquals(7, e.line());
  }
}
