#!/usr/bin/python3
"""A wire contract v1 Modbus TCP impedance analyzer with a heated cell, for ionloop's tests, with
Debian's python3-pymodbus, written from shared/DESIGN.md section 6 alone and knowing nothing of
ionloop's optional registers.

Register map impedance-v1: holding 0-1 start Hz, 2-3 end Hz, 4 points per decade, 5-6 amplitude
mV, 7-8 cell setpoint degC (float32, high word first), 10 command (1 sweep, 2 abort, 3 set
temperature); input 0 status (0 idle, 1 settling, 2 sweeping, 3 done, 4 error), 1 number of
points, 2-3 cell temperature degC, 100 onwards 6 registers per point (frequency Hz, Z' ohm,
Z'' ohm). No job registers.

It takes a command only when it is not settling or sweeping (a command written meanwhile waits
in the command register). "Set temperature" settles the cell for a third of SWEEP_SECONDS (status
1, then idle at the setpoint); "sweep" sweeps for the other two thirds (status 2, then 3 done). The cell holds a fixed pellet whose bulk resistance follows Arrhenius (Ea 0.3 eV):
R0 + R1||C1 + C2, so the spectrum says which temperature it was taken at.

Every sweep it starts is appended to LOG as "sweep <cell setpoint>", so a test can count what
physically happened from the device's own record.

With --later-seconds L, only the first sweep takes the long SWEEP_SECONDS (a test kills the
orchestrator during it); every settling and every later sweep is timed as if SWEEP_SECONDS were L.

Usage: pymodbus_analyzer_v1.py PORT LOG [--sweep-seconds S] [--later-seconds L]
"""
import math
import struct
import sys
import threading
import time

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer

HOLDING, INPUT = 3, 4
MAX_POINTS = 200


def to_float(hi, lo):
    return struct.unpack(">f", struct.pack(">HH", hi, lo))[0]


def to_regs(value):
    return list(struct.unpack(">HH", struct.pack(">f", value)))


def impedance(f, cell_c):
    t = cell_c + 273.15
    scale = math.exp(0.3 / 8.617333e-5 * (1 / t - 1 / 298.15))
    r0, r1, c1, c2 = 40.0 * scale, 60.0 * scale, 2e-9, 2e-6
    w = 2 * math.pi * f
    z = r0 + r1 / (1 + 1j * w * r1 * c1) + 1 / (1j * w * c2)
    return z.real, z.imag


def scan(ctx, log_path, sweep_seconds, later_seconds):
    slave = ctx[1]
    status, until, setpoint = 0, 0.0, 25.0
    sweeps_started = 0
    while True:
        time.sleep(0.005)
        hr = slave.getValues(HOLDING, 0, count=11)
        now = time.time()
        busy = status in (1, 2)
        command = hr[10]
        if command != 0 and (not busy or command == 2):
            slave.setValues(HOLDING, 10, [0])
            if command == 1:
                with open(log_path, "a") as log:
                    log.write("sweep %.2f\n" % setpoint)
                length = sweep_seconds if sweeps_started == 0 else later_seconds
                sweeps_started += 1
                status, until = 2, now + 2 * length / 3.0
                slave.setValues(INPUT, 1, [0])
            elif command == 2:
                status = 0
            elif command == 3:
                setpoint = to_float(hr[7], hr[8])
                status, until = 1, now + later_seconds / 3.0
        if status == 1 and now >= until:
            slave.setValues(INPUT, 2, to_regs(setpoint))
            status = 0
        elif status == 2 and now >= until:
            start, end, ppd = to_float(hr[0], hr[1]), to_float(hr[2], hr[3]), max(1, hr[4])
            n = min(MAX_POINTS, int(round(abs(math.log10(start / end)) * ppd)) + 1)
            regs = []
            for i in range(n):
                f = start * (end / start) ** (i / (n - 1) if n > 1 else 0)
                re, im = impedance(f, setpoint)
                regs += to_regs(f) + to_regs(re) + to_regs(im)
            slave.setValues(INPUT, 100, regs)
            slave.setValues(INPUT, 1, [n])
            status = 3
        slave.setValues(INPUT, 0, [status])


def main():
    port, log_path = int(sys.argv[1]), sys.argv[2]
    sweep_seconds = float(sys.argv[sys.argv.index("--sweep-seconds") + 1]) if "--sweep-seconds" in sys.argv else 3.0
    later_seconds = float(sys.argv[sys.argv.index("--later-seconds") + 1]) if "--later-seconds" in sys.argv else sweep_seconds
    open(log_path, "a").close()
    store = ModbusSlaveContext(hr=ModbusSequentialDataBlock(0, [0] * 200),
                               ir=ModbusSequentialDataBlock(0, [0] * (100 + 6 * MAX_POINTS + 10)),
                               zero_mode=True)
    ctx = ModbusServerContext(slaves={1: store}, single=False)
    store.setValues(INPUT, 2, to_regs(25.0))
    threading.Thread(target=scan, args=(ctx, log_path, sweep_seconds, later_seconds), daemon=True).start()
    StartTcpServer(context=ctx, address=("127.0.0.1", port))


if __name__ == "__main__":
    main()
