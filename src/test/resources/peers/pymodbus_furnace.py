#!/usr/bin/python3
"""An independent Modbus TCP furnace for ionloop's tests, written with Debian's python3-pymodbus.

It implements register map furnace-v1 (shared/DESIGN.md section 6) from the text alone:
holding 0-1 setpoint degC, 2-3 ramp degC/min, 4-5 dwell min (float32, high word first),
6 command (1 run, 2 stop, 3 reset; cleared on acceptance), 7-8 job tag (uint32); input 0-1
temperature degC, 2 status (0 idle, 1 ramping, 2 dwelling, 3 cooling, 4 done, 5 fault), 3 alarm
code, 4-5 job tag of the last accepted command (a command carrying that same tag is ignored).
A run takes about 0.3 s; setpoints above 700 degC fault with alarm 2.

Usage: pymodbus_furnace.py PORT
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


def scan(ctx):
    slave = ctx[1]
    phase_until = 0.0
    status = 0
    setpoint = 25.0
    while True:
        time.sleep(0.005)
        hr = slave.getValues(HOLDING, 0, count=9)
        now = time.time()
        active_job = slave.getValues(INPUT, 4, count=2)
        if hr[6] != 0 and (hr[7], hr[8]) != (0, 0) and list(hr[7:9]) == list(active_job):
            slave.setValues(HOLDING, 6, [0])  # the accepted job sent again: run it once
        elif hr[6] != 0:
            command = hr[6]
            slave.setValues(HOLDING, 6, [0])
            slave.setValues(INPUT, 4, [hr[7], hr[8]])
            if command == 1:
                setpoint = to_float(hr[0], hr[1])
                if setpoint > 700:
                    status = 5
                    slave.setValues(INPUT, 3, [2])
                else:
                    status = 1
                    phase_until = now + 0.15
            elif command == 2:
                status = 0
            elif command == 3 and status == 5:
                status = 0
                slave.setValues(INPUT, 3, [0])
        if status in (1, 2) and now >= phase_until:
            status += 1
            phase_until = now + 0.15
            if status == 3:
                status = 4
        temperature = setpoint if status in (2, 4) else 25.0
        slave.setValues(INPUT, 0, to_regs(temperature) + [status])


def main():
    port = int(sys.argv[1])
    store = ModbusSlaveContext(hr=ModbusSequentialDataBlock(0, [0] * 16),
                               ir=ModbusSequentialDataBlock(0, [0] * 16), zero_mode=True)
    context = ModbusServerContext(slaves={1: store}, single=False)
    threading.Thread(target=scan, args=(context,), daemon=True).start()
    StartTcpServer(context=context, address=("127.0.0.1", port))


if __name__ == "__main__":
    main()
