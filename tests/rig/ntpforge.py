#!/usr/bin/env python3
"""ntpforge.py — an NTP server for the rig that lies (tests/hosted/ntp-forged.sh).

    ntpforge.py --listen IP --other IP --upstream IP [--forge KINDS] [--past UNIX]

Listens on LISTEN:123.  For each client request it first sends the forgeries named
in KINDS (comma-separated), all carrying a forged time (FORGED_UNIX, 2040-01-01,
which is after any build date, so a client that believed one would show it):

    port    a reply from LISTEN:1123, originate timestamp right (wrong source port)
    addr    a reply from OTHER:123, originate timestamp right (wrong source address)
    origin  a reply from LISTEN:123 whose originate timestamp is not the request's
    short   40 bytes from LISTEN:123 (a truncated reply)
    replay  the real reply relayed for the previous request, sent again

and these header forgeries, from LISTEN:123 with the right originate timestamp
(tests/hosted/claims-ntp.sh):

    mode      mode 3 (a client's request turned around)
    mode5     mode 5 (broadcast)
    version   version 2
    version5  version 5
    stratum16 stratum 16 (unsynchronised)
    stratum0  stratum 0 (a kiss-o'-death packet)
    leap3     leap indicator 3 (clock unsynchronised)

then the real answer: the request is forwarded to chronyd at UPSTREAM:123 and its
reply relayed unchanged from LISTEN:123.  With --past UNIX there are no forgeries
and no relay: a well-formed reply (right address, port and originate timestamp)
says it is UNIX (a time before the client's build date).

Prints "listening", then one line per request ("request N: forged K, relayed" or
"request N: past"), and keeps the total of forged datagrams in "forged-total K".
"""
import argparse
import socket
import struct
import sys
import time

NTP_UNIX = 2208988800
FORGED_UNIX = 2208988800  # 2040-01-01 00:00:00 UTC


def ts(unix):
    secs = int(unix)
    frac = int((unix - secs) * (1 << 32)) & 0xFFFFFFFF
    return struct.pack("!II", (secs + NTP_UNIX) & 0xFFFFFFFF, frac)


def reply(origin, unix):
    """A well-formed server reply: LI 0, VN 4, mode 4, stratum 2."""
    hdr = bytes([0x24, 2, 6, 0xEC]) + b"\0" * 8 + b"FRGD"
    return hdr + ts(unix - 1) + origin + ts(unix) + ts(unix)


# header forgeries: kind -> (first byte LI|VN|mode, stratum)
HEADER_KINDS = {
    "mode": (0x23, 2), "mode5": (0x25, 2), "version": (0x14, 2), "version5": (0x2C, 2),
    "stratum16": (0x24, 16), "stratum0": (0x24, 0), "leap3": (0xE4, 2),
}


def reply_hdr(origin, unix, b0, stratum):
    """reply() with its first byte and stratum replaced."""
    r = reply(origin, unix)
    return bytes([b0, stratum]) + r[2:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--other", required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--forge", default="")
    ap.add_argument("--past", type=float)
    a = ap.parse_args()
    kinds = [k for k in a.forge.split(",") if k]
    for k in kinds:
        if k not in ("port", "addr", "origin", "short", "replay") and k not in HEADER_KINDS:
            sys.exit(f"ntpforge: unknown forgery {k}")

    def udp(addr, port):
        # chronyd has *:123 (with SO_REUSEADDR): our sockets name their address
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        return s

    srv = udp(a.listen, 123)
    wrong_port = udp(a.listen, 1123)
    wrong_addr = udp(a.other, 123)
    up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    up.bind((a.listen, 0))
    up.settimeout(2.0)
    print("listening", flush=True)

    n = total = 0
    last_real = None
    while True:
        req, client = srv.recvfrom(512)
        if len(req) < 48 or (req[0] & 7) != 3:
            continue
        n += 1
        origin = req[40:48]
        if a.past is not None:
            srv.sendto(reply(origin, a.past), client)
            print(f"request {n}: past", flush=True)
            continue
        forged = reply(origin, FORGED_UNIX)
        k = 0
        for kind in kinds:
            if kind == "port":
                wrong_port.sendto(forged, client)
            elif kind == "addr":
                wrong_addr.sendto(forged, client)
            elif kind == "origin":
                bad = bytes([origin[0] ^ 0x80]) + origin[1:]
                srv.sendto(reply(bad, FORGED_UNIX), client)
            elif kind == "short":
                srv.sendto(forged[:40], client)
            elif kind in HEADER_KINDS:
                srv.sendto(reply_hdr(origin, FORGED_UNIX, *HEADER_KINDS[kind]), client)
            elif kind == "replay":
                if last_real is None:
                    continue
                srv.sendto(last_real, client)
            k += 1
        total += k
        up.sendto(req, (a.upstream, 123))
        try:
            real, _ = up.recvfrom(512)
        except socket.timeout:
            print(f"request {n}: forged {k}, chronyd did not answer", flush=True)
            continue
        time.sleep(0.01)   # the forgeries are surely there first
        srv.sendto(real, client)
        last_real = real
        print(f"request {n}: forged {k}, relayed", flush=True)
        print(f"forged-total {total}", flush=True)


if __name__ == "__main__":
    main()
