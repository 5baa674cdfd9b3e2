package org.ionloop.planner.space;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A finite pool of candidates read from CSV: one row per candidate, numeric descriptor columns
 * (the planner's inputs), one or more objective columns (what "measuring" a candidate looks up),
 * and optionally an {@code id} column. Every other non-numeric column is an error, so a typo in a
 * number is never silently dropped.
 */
public final class CandidatePool {
  private final Path file;
  private final List<String> descriptors;
  private final List<String> objectives;
  private final List<Candidate> candidates;
  private final double[][] values;
  private final DesignSpace space;

  private CandidatePool(Path file, List<String> descriptors, List<String> objectives,
      List<Candidate> candidates, double[][] values) {
    this.file = file;
    this.descriptors = List.copyOf(descriptors);
    this.objectives = List.copyOf(objectives);
    this.candidates = List.copyOf(candidates);
    this.values = values;
    List<DesignSpace.Range> ranges = new ArrayList<>();
    for (int k = 0; k < descriptors.size(); k++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (Candidate c : candidates) {
        lo = Math.min(lo, c.get(k));
        hi = Math.max(hi, c.get(k));
      }
      ranges.add(new DesignSpace.Range(descriptors.get(k), "", lo, hi));
    }
    this.space = new DesignSpace(List.of(), ranges);
  }

  /**
   * @param objectiveColumns columns holding the measured values; every other column except
   *                         {@code id} and {@code exclude} is a descriptor
   * @throws IllegalArgumentException naming the file, line and column of the first bad cell
   */
  public static CandidatePool read(Path file, List<String> objectiveColumns, Set<String> exclude)
      throws IOException {
    return read(file, objectiveColumns, exclude, List.of());
  }

  /**
   * As {@link #read(Path, List, Set)}; a non-empty {@code descriptors} names the descriptor
   * columns instead (every other column is ignored, text columns included).
   */
  public static CandidatePool read(Path file, List<String> objectiveColumns, Set<String> exclude,
      List<String> descriptorColumns) throws IOException {
    checkHeader(file);
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.ALLOW_COMMENTS);
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<Candidate> candidates = new ArrayList<>();
    List<double[]> objectiveValues = new ArrayList<>();
    List<String> descriptors = null;
    try (MappingIterator<Map<String, String>> rows = mapper.readerFor(Map.class).with(schema)
        .readValues(file.toFile())) {
      while (rows.hasNext()) {
        long line = rows.getCurrentLocation().getLineNr();
        Map<String, String> row = rows.next();
        if (descriptors == null) {
          Set<String> header = new LinkedHashSet<>(row.keySet());
          for (String o : objectiveColumns) {
            if (!header.contains(o)) {
              throw new IllegalArgumentException(file + ": no column '" + o + "' (columns: "
                  + header + ")");
            }
          }
          for (String d : descriptorColumns) {
            if (!header.contains(d)) {
              throw new IllegalArgumentException(file + ": no descriptor column '" + d + "' (columns: " + header + ")");
            }
          }
          descriptors = !descriptorColumns.isEmpty() ? List.copyOf(descriptorColumns)
              : header.stream().filter(h -> !h.equals("id")
                  && !objectiveColumns.contains(h) && !exclude.contains(h)).toList();
          if (descriptors.isEmpty()) {
            throw new IllegalArgumentException(file + ": no descriptor columns besides "
                + objectiveColumns);
          }
        }
        double[] x = new double[descriptors.size()];
        for (int k = 0; k < x.length; k++) {
          x[k] = number(file, line, descriptors.get(k), row.get(descriptors.get(k)));
        }
        double[] y = new double[objectiveColumns.size()];
        for (int k = 0; k < y.length; k++) {
          y[k] = number(file, line, objectiveColumns.get(k), row.get(objectiveColumns.get(k)));
        }
        String id = row.getOrDefault("id", "row-" + (candidates.size() + 1));
        candidates.add(new Candidate(id, x));
        objectiveValues.add(y);
      }
    }
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException(file + ": no rows");
    }
    return new CandidatePool(file, descriptors, objectiveColumns, candidates,
        objectiveValues.toArray(double[][]::new));
  }

  /**
   * The first row must name the columns, once each: a file without a header would otherwise lose
   * its first row to the header, and repeated "names" would collapse into one column unnoticed.
   */
  private static void checkHeader(Path file) throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY).enable(CsvParser.Feature.TRIM_SPACES)
        .enable(CsvParser.Feature.ALLOW_COMMENTS);
    List<String> header;
    try (MappingIterator<List<String>> rows = mapper.readerForListOf(String.class).readValues(file.toFile())) {
      if (!rows.hasNext()) {
        throw new IllegalArgumentException(file + ": empty file");
      }
      header = rows.next();
    }
    List<String> numeric = header.stream().filter(h -> {
      try {
        Double.parseDouble(h);
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }).toList();
    if (!numeric.isEmpty()) {
      throw new IllegalArgumentException(file + ":1: the first row has numbers where column names belong " + numeric
          + "; a pool file needs a header row naming its columns");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String h : header) {
      if (!seen.add(h)) {
        throw new IllegalArgumentException(file + ":1: column '" + h + "' is named twice");
      }
    }
  }

  private static double number(Path file, long line, String column, String cell) {
    try {
      double v = Double.parseDouble(cell == null ? "" : cell);
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + ":" + line + ": column '" + column
          + "' must be a finite number, got '" + cell + "'");
    }
  }

  public Path file() {
    return file;
  }

  public List<String> descriptors() {
    return descriptors;
  }

  public List<String> objectives() {
    return objectives;
  }

  public List<Candidate> candidates() {
    return candidates;
  }

  public int size() {
    return candidates.size();
  }

  /** The pool's recorded objective values for candidate i ("measuring" it). */
  public double[] measure(int i) {
    return values[i].clone();
  }

  /**
   * This pool described by composition descriptors instead of its columns: every descriptor
   * column must be an element symbol holding that element's amount in the row (fractions, or
   * formula units), and each row becomes the Magpie-style statistics of its elements' properties
   * ({@link org.ionloop.chemistry.CompositionDescriptors}). Statistics that are the same on every
   * row (the range of a single-element property across a one-family pool) are left out: they
   * tell the planner nothing and have no range to scale.
   *
   * @throws IllegalArgumentException naming the columns that are no elements, or the row and
   *     element a property is missing for
   */
  public CandidatePool asCompositionDescriptors() {
    List<String> notElements = descriptors.stream()
        .filter(d -> !org.ionloop.chemistry.CompositionDescriptors.knows(d)).toList();
    if (!notElements.isEmpty()) {
      throw new IllegalArgumentException(file + ": composition descriptors need every descriptor column to be an"
          + " element's amount; these are not element symbols: " + notElements);
    }
    List<String> names = org.ionloop.chemistry.CompositionDescriptors.names();
    double[][] features = new double[candidates.size()][];
    for (int i = 0; i < candidates.size(); i++) {
      Map<String, Double> amounts = new java.util.LinkedHashMap<>();
      for (int k = 0; k < descriptors.size(); k++) {
        amounts.put(descriptors.get(k), candidates.get(i).get(k));
      }
      try {
        features[i] = org.ionloop.chemistry.CompositionDescriptors.of(amounts);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": row " + candidates.get(i).id() + ": " + e.getMessage(), e);
      }
    }
    List<Integer> varying = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      final int col = k;
      double lo = java.util.Arrays.stream(features).mapToDouble(f -> f[col]).min().orElse(0);
      double hi = java.util.Arrays.stream(features).mapToDouble(f -> f[col]).max().orElse(0);
      if (hi > lo) {
        varying.add(k);
      }
    }
    List<Candidate> described = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      double[] f = features[i];
      double[] x = varying.stream().mapToDouble(k -> f[k]).toArray();
      described.add(new Candidate(candidates.get(i).id(), x));
    }
    return new CandidatePool(file, varying.stream().map(names::get).toList(), objectives, described, values);
  }

  /**
   * How many rows repeat an earlier row's descriptors exactly: the planner cannot tell them apart
   * (replicate measurements, or descriptors that miss what distinguishes them).
   */
  public int rowsSharingDescriptors() {
    Set<List<Double>> seen = new java.util.HashSet<>();
    int repeats = 0;
    for (Candidate c : candidates) {
      List<Double> key = java.util.Arrays.stream(c.x()).boxed().toList();
      repeats += seen.add(key) ? 0 : 1;
    }
    return repeats;
  }

  /**
   * Writes this pool as the planner sees it (id, descriptors, objectives), in the CSV that
   * {@link #read} takes, so another tool can be run on the same representation (the reference
   * GP-EI loop on composition descriptors). {@code comment} lines come first, each after
   * {@code #}; ids are quoted where they hold commas or quotes. Values are written with full
   * precision (Java's shortest round-trip form), so reading the file back gives these numbers.
   */
  public void write(Path out, List<String> comment) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String c : comment) {
      b.append("# ").append(c.replace("\n", " ")).append('\n');
    }
    b.append("id");
    for (String d : descriptors) {
      b.append(',').append(d);
    }
    for (String o : objectives) {
      b.append(',').append(o);
    }
    b.append('\n');
    for (int i = 0; i < candidates.size(); i++) {
      String id = candidates.get(i).id();
      b.append(id.contains(",") || id.contains("\"") ? "\"" + id.replace("\"", "\"\"") + "\"" : id);
      for (double x : candidates.get(i).x()) {
        b.append(',').append(x);
      }
      for (double y : values[i]) {
        b.append(',').append(y);
      }
      b.append('\n');
    }
    java.nio.file.Files.writeString(out, b);
  }

  /** The descriptor box, so the surrogates see inputs scaled to the unit cube. */
  public DesignSpace space() {
    return space;
  }
}
