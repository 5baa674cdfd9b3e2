#!/usr/bin/env python3
"""A powder-handling robot written from ionloop's MQTT wire contract v1 alone (DESIGN.md §5),
with Debian's python3-paho-mqtt: ionloop's code is not used or imported.

    paho_robot_v1.py HOST PORT LAB ID RUN_LOG [--malformed]

It subscribes to ionloop/v1/LAB/ID/cmd (QoS 1), answers each command with ack then done (or
error), publishes its retained state (and sets "offline" as its last will), keeps the last event
of every command id and answers a repeated id with it instead of running it again, and rejects a
payload that is not JSON or lacks v/id with an error event. Every command it actually carries out
is appended to RUN_LOG as one JSON line {"id", "action"}: the device's own record of what ran.

With --malformed it is a badly behaved robot: measure_geometry is "done" without thickness_mm,
and before each real event it sends a non-JSON payload, an event for an unknown command id and
a duplicate of its previous event.
"""
import json
import sys
import threading
import time
from datetime import datetime, timezone

import paho.mqtt.client as mqtt

host, port, lab, robot_id, run_log = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
malformed = "--malformed" in sys.argv[6:]
base = f"ionloop/v1/{lab}/{robot_id}"
last_event = {}
lock = threading.Lock()
previous = [None]


def now():
    return datetime.now(timezone.utc).isoformat()


def publish_event(client, payload):
    body = json.dumps(payload)
    if malformed:
        client.publish(base + "/evt", b"{not json at all", qos=1)
        client.publish(base + "/evt", json.dumps({"v": 1, "id": "nobody-sent-this", "type": "done",
                                                  "result": {}, "ts": now()}), qos=1)
        if previous[0] is not None:
            client.publish(base + "/evt", previous[0], qos=1)
    client.publish(base + "/evt", body, qos=1)
    previous[0] = body
    return body


def state(client, status):
    client.publish(base + "/state", json.dumps({"v": 1, "status": status, "ts": now()}), qos=1, retain=True)


def result_of(action, params):
    if action == "measure_geometry":
        return {"diameter_mm": 10.0} if malformed else {"thickness_mm": 1.02, "diameter_mm": 10.0}
    if action == "dispense":
        return {"dispensed_mg": sum(float(v) for v in params.get("masses_mg", {}).values())}
    if action == "transfer":
        return {"location": params.get("to")}
    return {}


def on_message(client, userdata, msg):
    try:
        cmd = json.loads(msg.payload)
        if not isinstance(cmd, dict) or "v" not in cmd or "id" not in cmd:
            raise ValueError("lacks v or id")
    except ValueError as e:
        cid = None
        try:
            cid = json.loads(msg.payload).get("id")
        except Exception:
            pass
        if cid:
            publish_event(client, {"v": 1, "id": cid, "type": "error",
                                   "error": {"code": "BAD_COMMAND", "message": str(e)}, "ts": now()})
        print("rejected payload:", e, flush=True)
        return
    cid = cmd["id"]
    with lock:
        if cid in last_event:
            # The same command again (a re-send after a lost link or a restart): its last word, not a second run.
            client.publish(base + "/evt", last_event[cid], qos=1)
            return
        last_event[cid] = json.dumps({"v": 1, "id": cid, "type": "ack", "ts": now()})
    publish_event(client, {"v": 1, "id": cid, "type": "ack", "ts": now()})
    action, params = cmd.get("action"), cmd.get("params", {})
    state(client, "busy")
    with open(run_log, "a") as log:
        log.write(json.dumps({"id": cid, "action": action}) + "\n")
    time.sleep(0.01)
    if action not in ("dispense", "mill", "press", "measure_geometry", "transfer"):
        body = publish_event(client, {"v": 1, "id": cid, "type": "error",
                                      "error": {"code": "UNKNOWN_ACTION", "message": str(action)}, "ts": now()})
    else:
        body = publish_event(client, {"v": 1, "id": cid, "type": "done", "result": result_of(action, params),
                                      "ts": now()})
    with lock:
        last_event[cid] = body
    state(client, "online")


def on_connect(client, userdata, flags, rc):
    client.subscribe(base + "/cmd", qos=1)
    state(client, "online")
    print("ready", flush=True)


client = mqtt.Client(client_id=f"paho-{robot_id}", clean_session=False)
client.will_set(base + "/state", json.dumps({"v": 1, "status": "offline", "ts": now()}), qos=1, retain=True)
client.on_connect = on_connect
client.on_message = on_message
client.connect(host, port, keepalive=10)
client.loop_forever()
