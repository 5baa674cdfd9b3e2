package org.ionloop.instruments.modbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.sim.Ports;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator stopped right after writing an anneal: the command (with its job tag) is still
 * armed in the furnace's command register when the restarted driver re-sends it, and the furnace
 * takes it only while the driver looks. The driver must follow that run — not call the furnace
 * busy with a program nobody started, and not write it again. The furnace here is a bare register
 * image the test drives by hand (furnace-1.yaml's map), so when it takes the command is the
 * test's choice, not a scan thread's.
 */
class LateTakingFurnaceIT {
  private static final int SETPOINT = 0;
  private static final int COMMAND = 6;
  private static final int JOB = 7;
  private static final int STATUS = 2;
  private static final int ACTIVE_JOB = 4;

  @Test
  void aReSentAnnealTheFurnaceTakesWhileTheDriverLooksIsFollowedNotRefused() throws Exception {
    SimpleProcessImage image = new SimpleProcessImage(1);
    for (int i = 0; i < 10; i++) {
      image.addRegister(new SimpleRegister(0));
      image.addInputRegister(new SimpleInputRegister(0));
    }
    String commandId = "m-9:anneal";
    long job = ModbusTransport.jobTag(commandId);
    int[] setpoint = RegisterCodec.toRegisters(500f);
    image.getRegister(SETPOINT).setValue(setpoint[0]);
    image.getRegister(SETPOINT + 1).setValue(setpoint[1]);
    image.getRegister(JOB).setValue((int) (job >>> 16));
    image.getRegister(JOB + 1).setValue((int) (job & 0xFFFF));
    image.getRegister(COMMAND).setValue(1); // armed by the orchestrator that stopped; not taken yet
    int port = Ports.free();
    ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
    slave.addProcessImage(1, image);
    slave.open();
    try {
      var events = new LinkedBlockingQueue<InstrumentEvent>();
      try (var driver = ModbusTransportIT.connect(port, Path.of("instruments/furnace-1.yaml"), events)) {
        driver.send(new InstrumentCommand(commandId, "anneal", Map.of("setpoint_c", 500.0, "ramp_c_per_min", 5.0,
            "dwell_min", 60.0), Duration.ofMinutes(1), true));
        // The furnace takes the command a little later (well inside the driver's 10 s accept
        // window), as a PLC does: tag and status first, the command register cleared last.
        Thread.sleep(300);
        ((SimpleInputRegister) image.getInputRegister(ACTIVE_JOB)).setValue((int) (job >>> 16));
        ((SimpleInputRegister) image.getInputRegister(ACTIVE_JOB + 1)).setValue((int) (job & 0xFFFF));
        ((SimpleInputRegister) image.getInputRegister(STATUS)).setValue(1);
        image.getRegister(COMMAND).setValue(0);
        InstrumentEvent first = events.poll(20, TimeUnit.SECONDS);
        assertTrue(first instanceof InstrumentEvent.Ack, "followed, not refused: " + first);
        ((SimpleInputRegister) image.getInputRegister(STATUS)).setValue(4); // done
        InstrumentEvent end = ModbusTransportIT.awaitEnd(events);
        assertTrue(end instanceof InstrumentEvent.Done, end.toString());
      }
      assertEquals(0, image.getRegister(COMMAND).getValue(), "nothing written again");
    } finally {
      slave.close();
    }
  }
}
