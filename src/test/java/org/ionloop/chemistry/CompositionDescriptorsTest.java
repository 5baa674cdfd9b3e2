package org.ionloop.chemistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompositionDescriptorsTest {
  private static double at(double[] d, String name) {
    return d[CompositionDescriptors.names().indexOf(name)];
  }

  @Test
  void li2sIsDescribedByItsElementsPropertiesWeightedByAmount() {
    // Pauling electronegativity: Li 0.98, S 2.58; two Li per S.
    double[] d = CompositionDescriptors.of(Map.of("Li", 2.0, "S", 1.0));
    double mean = (2 * 0.98 + 2.58) / 3;
    assertEquals(mean, at(d, "electronegativity_mean"), 1e-12);
    assertEquals(2.0 / 3 * Math.abs(0.98 - mean) + 1.0 / 3 * Math.abs(2.58 - mean), at(d, "electronegativity_avg_dev"), 1e-12);
    assertEquals(0.98, at(d, "electronegativity_min"), 1e-12);
    assertEquals(2.58, at(d, "electronegativity_max"), 1e-12);
    assertEquals(1.60, at(d, "electronegativity_range"), 1e-12);
    assertEquals((2 * 3 + 16) / 3.0, at(d, "atomic_number_mean"), 1e-12);
    // Amounts in any scale: per formula unit or per atom give the same description.
    assertEquals(List.of(), diff(d, CompositionDescriptors.of(Map.of("Li", 2.0 / 3, "S", 1.0 / 3))));
  }

  private static List<String> diff(double[] a, double[] b) {
    List<String> names = CompositionDescriptors.names();
    return java.util.stream.IntStream.range(0, a.length).filter(i -> Math.abs(a[i] - b[i]) > 1e-9)
        .mapToObj(names::get).toList();
  }

  @Test
  void everyPropertyHasEveryStatistic() {
    List<String> names = CompositionDescriptors.names();
    assertEquals(11 * 5, names.size());
    assertTrue(names.contains("covalent_radius_range") && names.contains("n_valence_mean"), names.toString());
  }

  @Test
  void anElementOrAPropertyTheTableLacksIsNamed() {
    var unknown = assertThrows(IllegalArgumentException.class, () -> CompositionDescriptors.of(Map.of("Xx", 1.0)));
    assertTrue(unknown.getMessage().contains("'Xx'"), unknown.getMessage());
    var noble = assertThrows(IllegalArgumentException.class, () -> CompositionDescriptors.of(Map.of("He", 1.0, "Li", 1.0)));
    assertTrue(noble.getMessage().contains("melting_t for He"), noble.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CompositionDescriptors.of(Map.of("Li", 0.0)));
  }
}
