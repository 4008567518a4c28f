#!/usr/bin/env python3
"""Minimal DHCPv4 client for the rig's self-test (no address is configured).

    dhcpclient.py IFACE [--vlan TAG-unused] [--timeout S] [--mac MAC]
                  [--vendor-class STR] [--user-class STR]

Sends DISCOVER (with vendor class "wireboot", or STR, a user class STR when given, and
option 93), waits for an OFFER, sends
REQUEST, waits for ACK, prints "ack IP key=value ..." for the options it understood, and
exits 0.  Exit 1 on timeout.  The broadcast flag is set so replies are broadcast.
"""
import argparse
import os
import random
import select
import socket
import struct
import sys
import time

OPT_NAMES = {1: "netmask", 3: "router", 6: "dns", 12: "hostname", 15: "domain",
             17: "root-path", 42: "ntp", 51: "lease", 54: "server", 67: "bootfile"}


VENDOR_CLASS = b"wireboot"
USER_CLASS = b""


def build(msgtype, xid, mac, extra=b""):
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s4s", 1, 1, 6, 0, xid, 0, 0x8000,
                      b"\0" * 4, b"\0" * 4, b"\0" * 4, b"\0" * 4,
                      mac + b"\0" * 10, b"", b"", b"\x63\x82\x53\x63")
    opts = bytes([53, 1, msgtype])
    opts += bytes([60, len(VENDOR_CLASS)]) + VENDOR_CLASS
    if USER_CLASS:
        opts += bytes([77, len(USER_CLASS)]) + USER_CLASS
    opts += bytes([93, 2, 0, 11])
    opts += bytes([55, 8, 1, 3, 6, 12, 15, 17, 42, 67])
    return hdr + opts + extra + b"\xff"


def parse(pkt):
    if len(pkt) < 240 or pkt[236:240] != b"\x63\x82\x53\x63":
        return None
    xid = struct.unpack("!I", pkt[4:8])[0]
    yiaddr = socket.inet_ntoa(pkt[16:20])
    opts = {}
    i = 240
    while i < len(pkt):
        c = pkt[i]
        if c == 255:
            break
        if c == 0:
            i += 1
            continue
        if i + 1 >= len(pkt):
            break
        n = pkt[i + 1]
        opts[c] = pkt[i + 2:i + 2 + n]
        i += 2 + n
    f = pkt[108:236].split(b"\0")[0].decode(errors="replace")
    return xid, yiaddr, opts, f


def wait(sock, xid, want, timeout):
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([sock], [], [], max(0, end - time.time()))
        if not r:
            break
        pkt = sock.recv(2048)
        p = parse(pkt)
        if p and p[0] == xid and 53 in p[2] and p[2][53][0] == want:
            return p
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("--timeout", type=float, default=5)
    ap.add_argument("--mac", default=None)
    ap.add_argument("--vendor-class", default="wireboot")
    ap.add_argument("--user-class", default="")
    a = ap.parse_args()
    global VENDOR_CLASS, USER_CLASS
    VENDOR_CLASS, USER_CLASS = a.vendor_class.encode(), a.user_class.encode()
    mac = bytes.fromhex(a.mac.replace(":", "")) if a.mac else \
        bytes.fromhex(open(f"/sys/class/net/{a.iface}/address").read().strip().replace(":", ""))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.iface.encode())
    s.bind(("0.0.0.0", 68))
    xid = random.getrandbits(32)
    s.sendto(build(1, xid, mac), ("255.255.255.255", 67))
    off = wait(s, xid, 2, a.timeout)
    if not off:
        print("timeout waiting for offer")
        return 1
    _, ip, opts, _ = off
    server = opts.get(54, b"\0\0\0\0")
    req = bytes([50, 4]) + socket.inet_aton(ip) + bytes([54, 4]) + server
    s.sendto(build(3, xid, mac, req), ("255.255.255.255", 67))
    ack = wait(s, xid, 5, a.timeout)
    if not ack:
        print("timeout waiting for ack")
        return 1
    _, ip, opts, fname = ack
    out = [f"ack {ip}"]
    for code, name in OPT_NAMES.items():
        if code in opts:
            v = opts[code]
            if code in (1, 3, 6, 42, 54):
                v = ",".join(socket.inet_ntoa(v[i:i + 4]) for i in range(0, len(v) - 3, 4))
            elif code == 51:
                v = str(struct.unpack("!I", v)[0])
            else:
                v = v.rstrip(b"\0").decode(errors="replace")
            out.append(f"{name}={v}")
    if fname:
        out.append(f"file={fname}")
    print(" ".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
