package org.ionloop.instruments.modbus;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import java.util.Arrays;

/**
 * Benchmark of the Modbus polling path: the same read the transport makes while a command runs
 * (four input registers: temperature, status, alarm) against a device on loopback.
 */
public final class ModbusPollBench {
  private ModbusPollBench() {}

  /**
   * @param readsPerSecond completed reads per second
   * @param p50Ms          median read round trip, ms
   * @param p99Ms          99th percentile, ms
   */
  public record Result(int reads, double readsPerSecond, double p50Ms, double p99Ms) {}

  /** Polls {@code reads} times, one request at a time, after 200 warm-up reads. */
  public static Result run(String host, int port, int unitId, int reads) throws Exception {
    ModbusTCPMaster master = new ModbusTCPMaster(host, port, 3_000, true);
    master.connect();
    try {
      for (int i = 0; i < 200; i++) {
        master.readInputRegisters(unitId, 0, 4);
      }
      long[] nanos = new long[reads];
      long t0 = System.nanoTime();
      for (int i = 0; i < reads; i++) {
        long s = System.nanoTime();
        master.readInputRegisters(unitId, 0, 4);
        nanos[i] = System.nanoTime() - s;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Arrays.sort(nanos);
      return new Result(reads, reads / seconds, nanos[reads / 2] / 1e6,
          nanos[(int) Math.min(reads - 1, Math.floor(reads * 0.99))] / 1e6);
    } finally {
      master.disconnect();
    }
  }
}
