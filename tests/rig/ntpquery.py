#!/usr/bin/env python3
"""ntpquery.py SERVER [--timeout S] — one NTPv4 client query; prints
"ntp stratum N time T" and exits 0 on a synchronised reply, 1 otherwise."""
import socket
import struct
import sys
import time

server = sys.argv[1]
timeout = float(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--timeout" else 3.0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(timeout)
pkt = bytes([0x23]) + b"\0" * 39 + struct.pack("!II", int(time.time()) + 2208988800, 0)
try:
    s.sendto(pkt, (server, 123))
    data, _ = s.recvfrom(512)
except OSError as e:
    print(f"ntp: no reply ({e})")
    sys.exit(1)
li, stratum = data[0] >> 6, data[1]
secs = struct.unpack("!I", data[40:44])[0] - 2208988800
print(f"ntp stratum {stratum} leap {li} time {secs}")
sys.exit(0 if li != 3 and 0 < stratum < 16 else 1)
