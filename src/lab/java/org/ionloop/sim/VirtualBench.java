package org.ionloop.sim;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where every physical sample of the virtual lab is, what has happened to it, and every physical
 * step any simulated instrument performed — the "physical world" the simulated robot, furnaces
 * and analyzer all act on.
 *
 * <p>In one process it lives in memory. When each simulated instrument runs as its own process
 * (the lab topology of {@code docker-compose.yml}), they share it through a folder: the samples
 * in {@code bench.json}, rewritten atomically under a file lock on every change, and the physical
 * steps appended to {@code executions.jsonl}. A step is identified by what it did (instrument,
 * action, sample, and the destination or temperature), not by a command id, so a step repeated
 * under a new id still shows up as done twice.
 */
public final class VirtualBench {
  private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  private static final String SAMPLES = "bench.json";
  private static final String EXECUTIONS = "executions.jsonl";

  /** One sample's physical state. */
  public static final class Sample {
    public String id;
    public Map<String, Double> fractions;
    public String location = "robot";
    public double thicknessMm = Double.NaN;
    public double diameterMm = Double.NaN;
    public double peakAnnealC = 25;
    public MaterialModel.Truth truth;

    public Sample() {} // for JSON

    Sample(String id, Map<String, Double> fractions) {
      this.id = id;
      this.fractions = Map.copyOf(fractions);
    }

    public String id() {
      return id;
    }

    public Map<String, Double> fractions() {
      return fractions;
    }

    public MaterialModel.Truth truth() {
      return truth;
    }

    public double thicknessMm() {
      return thicknessMm;
    }

    public double diameterMm() {
      return diameterMm;
    }

    /** The pellet pressed from this sample. */
    public void pressed(double thicknessMm, double diameterMm) {
      this.thicknessMm = thicknessMm;
      this.diameterMm = diameterMm;
    }
  }

  /**
   * One physical step: {@code detail} tells repeats of the same action on the same sample apart
   * where the protocol repeats it on purpose (transfer destination, EIS cell temperature).
   */
  public record Execution(String instrument, String action, String sampleId, String detail) {
    String key() {
      return instrument + "|" + action + "|" + sampleId + "|" + detail;
    }
  }

  private final Path dir;
  private Map<String, Sample> samples = new LinkedHashMap<>();
  private final List<Execution> executions = new ArrayList<>();

  /** A bench in this process's memory. */
  public VirtualBench() {
    this.dir = null;
  }

  private VirtualBench(Path dir) {
    this.dir = dir;
  }

  /** A bench shared by processes through {@code dir} (created if missing). */
  public static VirtualBench sharedIn(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create bench folder " + dir, e);
    }
    return new VirtualBench(dir);
  }

  /** Creates a sample, or fails when the id is taken. */
  public Sample create(String id, Map<String, Double> fractions) {
    return change(all -> {
      if (all.containsKey(id)) {
        throw new IllegalStateException("sample " + id + " already exists");
      }
      Sample s = new Sample(id, fractions);
      all.put(id, s);
      return s;
    });
  }

  /** A snapshot of a sample (changes go through {@link #update}). */
  public Optional<Sample> find(String id) {
    return read(all -> Optional.ofNullable(all.get(id)));
  }

  /** The sample at a station, if any. */
  public Optional<Sample> at(String location) {
    return read(all -> all.values().stream().filter(s -> s.location.equals(location)).findFirst());
  }

  /** Changes a sample's physical state; the changed sample. */
  public Sample update(String id, Consumer<Sample> change) {
    return change(all -> {
      Sample s = all.get(id);
      if (s == null) {
        throw new IllegalArgumentException("no sample " + id + " on the bench");
      }
      change.accept(s);
      return s;
    });
  }

  /** Changes the sample at a station, if there is one. */
  public Optional<Sample> updateAt(String location, Consumer<Sample> change) {
    return change(all -> {
      Optional<Sample> s = all.values().stream().filter(x -> x.location.equals(location)).findFirst();
      s.ifPresent(change);
      return s;
    });
  }

  /** Moves a sample; stations other than "robot" and "storage" hold one sample at a time. */
  public void move(Sample sample, String to) {
    move(sample.id, to);
  }

  /** Moves a sample by id (see {@link #move(Sample, String)}). */
  public void move(String sampleId, String to) {
    change(all -> {
      boolean shared = to.equals("robot") || to.equals("storage");
      Optional<Sample> other = all.values().stream()
          .filter(s -> s.location.equals(to) && !s.id.equals(sampleId)).findFirst();
      if (!shared && other.isPresent()) {
        throw new IllegalStateException("station " + to + " is occupied by " + other.get().id);
      }
      Sample s = all.get(sampleId);
      if (s == null) {
        throw new IllegalArgumentException("no sample " + sampleId + " on the bench");
      }
      s.location = to;
      return null;
    });
  }

  /** Records one physical step. */
  public synchronized void countExecution(String instrument, String action, String sampleId,
      String detail) {
    Execution e = new Execution(instrument, action, sampleId == null ? "-" : sampleId,
        detail == null ? "" : detail);
    if (dir == null) {
      executions.add(e);
      return;
    }
    withFileLock(() -> {
      Files.writeString(dir.resolve(EXECUTIONS), JSON.writeValueAsString(e) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return null;
    });
  }

  /** Records one physical step that concerns no particular sample. */
  public void countExecution(String instrument, String action) {
    countExecution(instrument, action, null, null);
  }

  /** Every physical step so far, in order. */
  public synchronized List<Execution> executions() {
    if (dir == null) {
      return List.copyOf(executions);
    }
    return withFileLock(() -> {
      Path f = dir.resolve(EXECUTIONS);
      List<Execution> out = new ArrayList<>();
      if (Files.exists(f)) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            out.add(JSON.readValue(line, Execution.class));
          }
        }
      }
      return out;
    });
  }

  /** How often an action physically ran on an instrument. */
  public int executions(String instrument, String action) {
    return (int) executions().stream()
        .filter(e -> e.instrument().equals(instrument) && e.action().equals(action)).count();
  }

  /** Physical steps done more than once on the same sample: what must never happen. */
  public Map<String, Long> repeatedSteps() {
    return executions().stream().filter(e -> !e.sampleId().equals("-"))
        .collect(Collectors.groupingBy(Execution::key, LinkedHashMap::new, Collectors.counting()))
        .entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  public int sampleCount() {
    return read(Map::size);
  }

  private <T> T read(Function<Map<String, Sample>, T> query) {
    synchronized (this) {
      if (dir == null) {
        return query.apply(samples);
      }
      return withFileLock(() -> query.apply(load()));
    }
  }

  private <T> T change(Function<Map<String, Sample>, T> change) {
    synchronized (this) {
      if (dir == null) {
        return change.apply(samples);
      }
      return withFileLock(() -> {
        Map<String, Sample> all = load();
        T out = change.apply(all);
        Path tmp = dir.resolve(SAMPLES + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(all));
        Files.move(tmp, dir.resolve(SAMPLES), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        return out;
      });
    }
  }

  private Map<String, Sample> load() throws IOException {
    Path f = dir.resolve(SAMPLES);
    if (!Files.exists(f)) {
      return new LinkedHashMap<>();
    }
    return JSON.readValue(f.toFile(), new TypeReference<LinkedHashMap<String, Sample>>() {});
  }

  @FunctionalInterface
  private interface Io<T> {
    T run() throws IOException;
  }

  private <T> T withFileLock(Io<T> action) {
    try (FileChannel ch = FileChannel.open(dir.resolve("bench.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
      return action.run();
    } catch (IOException e) {
      throw new UncheckedIOException("bench folder " + dir + ": " + e.getMessage(), e);
    }
  }
}
