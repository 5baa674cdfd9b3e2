#!/usr/bin/python3
"""A wire contract v1 Modbus TCP furnace for ionloop's tests, with Debian's python3-pymodbus,
written from shared/DESIGN.md section 6 alone and knowing nothing of ionloop's optional registers.

Register map furnace-v1: holding 0-1 setpoint degC, 2-3 ramp degC/min, 4-5 dwell min (float32,
high word first), 6 command (1 run, 2 stop, 3 reset fault); input 0-1 temperature degC, 2 status
(0 idle, 1 ramping, 2 dwelling, 3 cooling, 4 done, 5 fault), 3 alarm code. No job registers.

Like many controllers it takes a command only when it is not running a program: a command
written while it ramps, dwells or cools stays in the command register until the program ends,
and then runs (the behaviour behind "re-sent while busy, ran 80 s later"). With --deaf it never
takes a command at all. With --status-lag S it reports its old status for S seconds after it
takes a command (the contract does not say the status changes the instant the command register
clears).

Every program it starts is appended to LOG as one line "run <setpoint>", every stop as "stop",
so a test can count what physically happened from the device's own record.

Usage: pymodbus_furnace_v1.py PORT LOG [--run-seconds S] [--deaf]
"""
import struct
import sys
import threading
import time

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer

HOLDING, INPUT = 3, 4


def to_float(hi, lo):
    return struct.unpack(">f", struct.pack(">HH", hi, lo))[0]


def to_regs(value):
    return list(struct.unpack(">HH", struct.pack(">f", value)))


def scan(ctx, log_path, run_seconds, deaf, status_lag):
    slave = ctx[1]
    status = 0
    reported = 0
    report_after = 0.0
    setpoint = 25.0
    phase_until = 0.0
    phase = run_seconds / 3.0
    while True:
        time.sleep(0.005)
        hr = slave.getValues(HOLDING, 0, count=7)
        now = time.time()
        running = status in (1, 2, 3)
        command = hr[6]
        if command != 0 and not deaf and (not running or command == 2):
            slave.setValues(HOLDING, 6, [0])
            report_after = now + status_lag
            with open(log_path, "a") as log:
                if command == 1:
                    setpoint = to_float(hr[0], hr[1])
                    log.write("run %.2f\n" % setpoint)
                    if setpoint > 700:
                        status = 5
                        slave.setValues(INPUT, 3, [2])
                    else:
                        status = 1
                        phase_until = now + phase
                elif command == 2:
                    log.write("stop\n")
                    status = 0
                elif command == 3 and status == 5:
                    status = 0
                    slave.setValues(INPUT, 3, [0])
        if status in (1, 2, 3) and now >= phase_until:
            status += 1
            phase_until = now + phase
        if now >= report_after:
            reported = status
        temperature = setpoint if reported in (2, 4) else 25.0
        slave.setValues(INPUT, 0, to_regs(temperature) + [reported])


def main():
    port = int(sys.argv[1])
    log_path = sys.argv[2]
    run_seconds = 0.3
    if "--run-seconds" in sys.argv:
        run_seconds = float(sys.argv[sys.argv.index("--run-seconds") + 1])
    deaf = "--deaf" in sys.argv
    status_lag = 0.0
    if "--status-lag" in sys.argv:
        status_lag = float(sys.argv[sys.argv.index("--status-lag") + 1])
    open(log_path, "a").close()
    store = ModbusSlaveContext(hr=ModbusSequentialDataBlock(0, [0] * 16),
                               ir=ModbusSequentialDataBlock(0, [0] * 16), zero_mode=True)
    context = ModbusServerContext(slaves={1: store}, single=False)
    threading.Thread(target=scan, args=(context, log_path, run_seconds, deaf, status_lag), daemon=True).start()
    StartTcpServer(context=context, address=("127.0.0.1", port))


if __name__ == "__main__":
    main()
