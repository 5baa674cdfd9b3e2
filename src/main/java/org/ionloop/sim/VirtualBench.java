package org.ionloop.sim;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where every physical sample of the virtual lab is and what has happened to it. Shared by the
 * simulated robot, furnace and analyzer — the "physical world" they all act on.
 */
public final class VirtualBench {

  /** One sample; mutable physical state guarded by the bench. */
  public static final class Sample {
    final String id;
    final Map<String, Double> fractions;
    volatile String location = "robot";
    volatile double thicknessMm = Double.NaN;
    volatile double diameterMm = Double.NaN;
    volatile double peakAnnealC = 25;
    volatile MaterialModel.Truth truth;

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

  private final Map<String, Sample> samples = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

  /** Creates a sample, or fails when the id is taken. */
  public synchronized Sample create(String id, Map<String, Double> fractions) {
    if (samples.containsKey(id)) {
      throw new IllegalStateException("sample " + id + " already exists");
    }
    Sample s = new Sample(id, fractions);
    samples.put(id, s);
    return s;
  }

  public Optional<Sample> find(String id) {
    return Optional.ofNullable(samples.get(id));
  }

  /** The sample at a station, if any. */
  public synchronized Optional<Sample> at(String location) {
    return samples.values().stream().filter(s -> s.location.equals(location)).findFirst();
  }

  /** Moves a sample; stations other than "robot" and "storage" hold one sample at a time. */
  public synchronized void move(Sample s, String to) {
    boolean shared = to.equals("robot") || to.equals("storage");
    if (!shared && at(to).filter(o -> o != s).isPresent()) {
      throw new IllegalStateException("station " + to + " is occupied by " + at(to).get().id);
    }
    s.location = to;
  }

  /** Counts one physical execution of an action on an instrument (for exactly-once checks). */
  public void countExecution(String instrument, String action) {
    executions.computeIfAbsent(instrument + "/" + action, k -> new AtomicInteger()).incrementAndGet();
  }

  /** How often an action physically ran on an instrument. */
  public int executions(String instrument, String action) {
    AtomicInteger n = executions.get(instrument + "/" + action);
    return n == null ? 0 : n.get();
  }

  public int sampleCount() {
    return samples.size();
  }
}
