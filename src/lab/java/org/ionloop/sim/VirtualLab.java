package org.ionloop.sim;

import java.util.SplittableRandom;

/**
 * The whole virtual lab on loopback with free ports: an in-process MQTT broker, one robot and
 * one X-ray diffractometer (MQTT), furnaces and one impedance analyzer (Modbus TCP). Used by the demo and the tests,
 * never by production code paths.
 */
public final class VirtualLab implements AutoCloseable {
  public static final String LAB = "demo-lab";
  public static final String ROBOT = "robot-1";
  /** Furnaces are furnace-1 … furnace-N. */
  public static final String FURNACE = "furnace-1";
  public static final String ANALYZER = "eis-1";
  public static final String XRD = "xrd-1";

  private final EmbeddedBroker broker;
  private final java.util.List<SimRobot> robots = new java.util.ArrayList<>();
  private final SimXrd xrd;
  private final java.util.List<SimFurnace> furnaces = new java.util.ArrayList<>();
  private final java.util.List<SimAnalyzer> analyzers = new java.util.ArrayList<>();
  private final VirtualBench bench = new VirtualBench();

  /**
   * The seed of the lab itself — its instruments' scatter — under {@code demo} and {@code serve}
   * alike: the campaign's own seed drives its choices, not the world it measures, so one campaign
   * file gives the same decisions under both (with {@code parallel: 1}; with more, the order in
   * which results arrive still varies).
   */
  public static final long WORLD_SEED = 1;

  /**
   * @param timeScale real seconds per simulated second (e.g. 1e-4: a 5 h anneal takes 1.8 s)
   * @param seed      seeds the physical scatter and failures
   */
  public VirtualLab(double timeScale, long seed) throws Exception {
    this(timeScale, seed, 2);
  }

  /**
   * @param furnaceCount furnaces furnace-1 … furnace-N (Modbus TCP servers)
   */
  public VirtualLab(double timeScale, long seed, int furnaceCount) throws Exception {
    this(timeScale, seed, 1, furnaceCount, 1);
  }

  /**
   * A larger lab (the lab benchmark's): robots robot-1 … robot-R on the one broker, furnaces
   * furnace-1 … furnace-F and impedance analyzers eis-1 … eis-A, each its own Modbus TCP server.
   * The first robot, furnace and analyzer get the same random streams as in the small lab, so a
   * campaign on the first of each measures the same world.
   */
  public VirtualLab(double timeScale, long seed, int robotCount, int furnaceCount, int analyzerCount)
      throws Exception {
    if (robotCount < 1 || furnaceCount < 1 || analyzerCount < 1) {
      throw new IllegalArgumentException("a virtual lab needs at least one robot, furnace and analyzer");
    }
    SplittableRandom root = new SplittableRandom(seed);
    broker = new EmbeddedBroker(Ports.free());
    robots.add(new SimRobot(broker.url(), LAB, ROBOT, bench, timeScale, root.split()));
    for (int i = 1; i <= furnaceCount; i++) {
      furnaces.add(new SimFurnace("furnace-" + i, Ports.free(), bench, 700, timeScale));
    }
    analyzers.add(new SimAnalyzer(ANALYZER, Ports.free(), bench, root.split(), timeScale));
    xrd = new SimXrd(broker.url(), LAB, XRD, bench, timeScale, root.split());
    for (int i = 2; i <= robotCount; i++) {
      robots.add(new SimRobot(broker.url(), LAB, "robot-" + i, bench, timeScale, root.split()));
    }
    for (int i = 2; i <= analyzerCount; i++) {
      analyzers.add(new SimAnalyzer("eis-" + i, Ports.free(), bench, root.split(), timeScale));
    }
  }

  /** The loopback port of a simulated Modbus instrument, by id. */
  public java.util.OptionalInt modbusPort(String instrumentId) {
    Integer port = modbusPorts().get(instrumentId);
    return port == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
  }

  /** Every simulated Modbus instrument's loopback port, by id (furnaces, then analyzers). */
  public java.util.Map<String, Integer> modbusPorts() {
    java.util.Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    furnaces.forEach(f -> ports.put(f.id(), f.port()));
    analyzers.forEach(a -> ports.put(a.id(), a.port()));
    return ports;
  }

  /** Pulls the plug of a furnace (fault tests). */
  public void disconnectFurnace(String instrumentId) {
    furnaces.stream().filter(f -> f.id().equals(instrumentId)).forEach(SimFurnace::close);
  }

  public String brokerUrl() {
    return broker.url();
  }

  public int furnacePort() {
    return furnaces.get(0).port();
  }

  public int analyzerPort() {
    return analyzers.get(0).port();
  }

  public VirtualBench bench() {
    return bench;
  }

  @Override
  public void close() {
    robots.forEach(SimRobot::close);
    xrd.close();
    furnaces.forEach(SimFurnace::close);
    analyzers.forEach(SimAnalyzer::close);
    broker.close();
  }
}
