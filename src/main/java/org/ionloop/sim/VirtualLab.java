package org.ionloop.sim;

import java.util.SplittableRandom;

/**
 * The whole virtual lab on loopback with free ports: an in-process MQTT broker, one robot
 * (MQTT), one furnace and one impedance analyzer (Modbus TCP). Used by the demo and the tests,
 * never by production code paths.
 */
public final class VirtualLab implements AutoCloseable {
  public static final String LAB = "demo-lab";
  public static final String ROBOT = "robot-1";
  public static final String FURNACE = "furnace-1";
  public static final String ANALYZER = "eis-1";

  private final EmbeddedBroker broker;
  private final SimRobot robot;
  private final SimFurnace furnace;
  private final SimAnalyzer analyzer;
  private final VirtualBench bench = new VirtualBench();

  /**
   * @param timeScale real seconds per simulated second (e.g. 1e-4: a 5 h anneal takes 1.8 s)
   * @param seed      seeds the physical scatter and failures
   */
  public VirtualLab(double timeScale, long seed) throws Exception {
    SplittableRandom root = new SplittableRandom(seed);
    broker = new EmbeddedBroker(Ports.free());
    robot = new SimRobot(broker.url(), LAB, ROBOT, bench, timeScale, root.split());
    furnace = new SimFurnace(FURNACE, Ports.free(), bench, 700, timeScale);
    analyzer = new SimAnalyzer(ANALYZER, Ports.free(), bench, root.split(), timeScale);
  }

  public String brokerUrl() {
    return broker.url();
  }

  public int furnacePort() {
    return furnace.port();
  }

  public int analyzerPort() {
    return analyzer.port();
  }

  public VirtualBench bench() {
    return bench;
  }

  @Override
  public void close() {
    robot.close();
    furnace.close();
    analyzer.close();
    broker.close();
  }
}
