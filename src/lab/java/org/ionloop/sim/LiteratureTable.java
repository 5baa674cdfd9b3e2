package org.ionloop.sim;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.ionloop.spec.SpecException;

/**
 * Literature facts about known solid electrolytes ({@code models/training/literature.csv}):
 * formula, σ at 25 °C, activation energy where reported, the precursor mole fractions when the
 * compound lies in the Li2S–P2S5–LiCl–LiBr system, the anneal temperature of its usual route,
 * and a citation per row. Rows in the system with an anneal temperature inside the modelled
 * range join the proposer's training set (see {@link TrainingDataGenerator}); the others are
 * kept as reference points.
 */
public final class LiteratureTable {

  /** One compound. */
  public record Entry(String formula, String family, double sigma25, OptionalDouble eaEv,
      Map<String, Double> fractions, OptionalDouble annealC, String source, int line) {
    /** Whether the proposer can learn from it: a composition in the system and an anneal. */
    public boolean trainable(double annealMin, double annealMax) {
      return !fractions.isEmpty() && annealC.isPresent() && annealC.getAsDouble() >= annealMin
          && annealC.getAsDouble() <= annealMax;
    }
  }

  private static final List<String> PRECURSORS = List.of("Li2S", "P2S5", "LiCl", "LiBr");

  private LiteratureTable() {}

  /** @throws SpecException naming the file, line and column of a bad value or a missing source */
  public static List<Entry> load(Path file) {
    CsvMapper mapper = new CsvMapper();
    List<Entry> out = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
      int line = 1;
      while (it.hasNext()) {
        Map<String, String> r = it.next();
        line++;
        String formula = text(r, "formula", file, line);
        String source = text(r, "source", file, line);
        final int at = line;
        double sigma = number(r, "sigma25_s_cm", file, line).orElseThrow(
            () -> new SpecException(file, at, "sigma25_s_cm", "required"));
        if (!(sigma > 0)) {
          throw new SpecException(file, line, "sigma25_s_cm", "must be > 0");
        }
        Map<String, Double> fractions = new java.util.LinkedHashMap<>();
        double total = 0;
        for (String p : PRECURSORS) {
          OptionalDouble v = number(r, p, file, line);
          if (v.isPresent()) {
            fractions.put(p, v.getAsDouble());
            total += v.getAsDouble();
          }
        }
        if (!fractions.isEmpty() && (fractions.size() != PRECURSORS.size() || Math.abs(total - 1) > 1e-6)) {
          throw new SpecException(file, line, "Li2S..LiBr", "mole fractions of all four precursors summing to 1,"
              + " or none (got " + fractions + ")");
        }
        out.add(new Entry(formula, r.getOrDefault("family", ""), sigma, number(r, "ea_ev", file, line),
            Map.copyOf(fractions), number(r, "anneal_c", file, line), source, line));
      }
    } catch (IOException e) {
      throw new SpecException(file, 0, "(file)", "cannot read: " + e.getMessage());
    }
    return out;
  }

  private static String text(Map<String, String> r, String column, Path file, int line) {
    String v = r.get(column);
    if (v == null || v.isBlank()) {
      throw new SpecException(file, line, column, "required");
    }
    return v.strip();
  }

  private static OptionalDouble number(Map<String, String> r, String column, Path file, int line) {
    String v = r.get(column);
    if (v == null || v.isBlank()) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(Double.parseDouble(v.strip()));
    } catch (NumberFormatException e) {
      throw new SpecException(file, line, column, "'" + v + "' is not a number");
    }
  }
}
