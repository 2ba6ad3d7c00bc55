"""A liftwatch terminal written with Eclipse Paho (Debian python3-paho-mqtt 1.6): connect with a token,
publish one record at QoS 1 and wait for PUBACK, subscribe to the lift's config and print the retained
message. Prints one JSON line with what happened. Used by broker/test/interop.int.test.ts."""
import json
import sys
import threading

import paho.mqtt.client as mqtt

host, port, client_id, token, lift_id = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
out = {"connack": None, "published": False, "config": None, "suback": None}
connected = threading.Event()
got_config = threading.Event()
subscribed = threading.Event()

def on_connect(client, userdata, flags, rc):
    out["connack"] = rc
    connected.set()

def on_message(client, userdata, msg):
    out["config"] = {"topic": msg.topic, "payload": msg.payload.decode(), "retain": bool(msg.retain)}
    got_config.set()

def on_subscribe(client, userdata, mid, granted_qos):
    out["suback"] = list(granted_qos)
    subscribed.set()

c = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv311)
c.username_pw_set(client_id, token)
c.on_connect = on_connect
c.on_message = on_message
c.on_subscribe = on_subscribe
c.connect(host, port, keepalive=30)
c.loop_start()
connected.wait(10)
if out["connack"] == 0:
    info = c.publish(f"lift/v1/{lift_id}/status", json.dumps({"liftId": lift_id, "seq": 1, "from": "paho"}), qos=1)
    info.wait_for_publish(10)
    out["published"] = info.is_published()
    c.subscribe([("#", 1), (f"lift/v1/{lift_id}/config", 1)])
    subscribed.wait(10)
    got_config.wait(10)
    c.disconnect()
c.loop_stop()
print(json.dumps(out))
