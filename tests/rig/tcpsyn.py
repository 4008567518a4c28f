#!/usr/bin/env python3
"""tcpsyn.py — capture TCP SYNs and judge their initial sequence numbers.

  tcpsyn.py capture --ifname tap0 --dst 192.0.2.1 --port 5002
      Raw AF_PACKET socket on IFNAME (run it in the rig's namespace, as root).
      Prints "listening IFNAME" once bound, then for every SYN (without ACK) of
      IPv4 TCP to DST:PORT one line "syn SRCIP SPORT SEQ" (flushed), until killed.

  tcpsyn.py check FILE --want N
      Reads the capture output; one SYN per source port (the first: a
      retransmitted SYN carries the same ISN), in capture order.  Prints one
      line per verdict, "PASS|name" or "FAIL|name|detail", for the caller to
      count, and the measurements as "# ..." lines.

Why these verdicts: RFC 6528 asks that the ISN of one connection tell an
off-path attacker nothing about the ISN of another.  Consecutive connections
from wireboot differ only in the local port, so with a keyed hash the steps
between consecutive ISNs are uniform over 2^32: a step within +-2^24 has
probability 2^-7 (expect well under 1 in 47), equal steps practically never
occur, and every ISN bit takes both values.  lwIP's default (iss += tcp_ticks)
gives small, slowly growing steps and constant high bits; a bare clock
(M without F) gives small steps too.
"""
import argparse
import socket
import struct
import sys

ETH_P_ALL = 0x0003


def capture(a):
    dst = socket.inet_aton(a.dst)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((a.ifname, 0))
    print(f"listening {a.ifname}", flush=True)
    while True:
        f = s.recv(65535)
        if len(f) < 14 + 20 + 20:
            continue
        eth_type = struct.unpack("!H", f[12:14])[0]
        off = 14
        if eth_type == 0x8100:            # a VLAN tag, should one be used
            eth_type = struct.unpack("!H", f[16:18])[0]
            off = 18
        if eth_type != 0x0800:
            continue
        ip = f[off:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[0] >> 4 != 4 or ip[9] != 6 or ip[16:20] != dst or len(ip) < ihl + 20:
            continue
        tcp = ip[ihl:]
        sport, dport, seq = struct.unpack("!HHI", tcp[:8])
        flags = tcp[13]
        if dport != a.port or not (flags & 0x02) or (flags & 0x10):
            continue
        print(f"syn {socket.inet_ntoa(ip[12:16])} {sport} {seq}", flush=True)


def check(a):
    seen, isns = set(), []
    with open(a.file) as fh:
        for line in fh:
            p = line.split()
            if len(p) == 4 and p[0] == "syn" and (p[1], p[2]) not in seen:
                seen.add((p[1], p[2]))
                isns.append(int(p[3]))
    n = len(isns)
    out = []

    def verdict(name, ok, detail=""):
        out.append(f"PASS|{name}" if ok else f"FAIL|{name}|{detail}")

    verdict(f"a SYN of each of the {a.want} connections captured", n >= a.want, f"{n} captured")
    if n < 3:
        verdict("enough ISNs to judge", False, f"{n}")
        print("\n".join(out))
        return 0
    steps = [(isns[i] - isns[i - 1]) & 0xFFFFFFFF for i in range(1, n)]
    small = sum(1 for d in steps if d < 1 << 24 or d > (1 << 32) - (1 << 24))
    repeats = n - 1 - len(set(steps))
    const_bits = [b for b in range(32) if len({(x >> b) & 1 for x in isns}) < 2]
    print(f"# {n} ISNs: first {' '.join(f'{x:08x}' for x in isns[:6])} ...")
    print(f"# steps: first {' '.join(f'{d:08x}' for d in steps[:6])} ...")
    print(f"# steps within +-2^24: {small} of {n - 1}; repeated steps: {repeats}; "
          f"constant bits: {const_bits}")
    verdict("consecutive ISNs: at most 5 steps within +-2^24 (uniform: 2^-7 each)",
            small <= 5, f"{small} of {n - 1} steps are small")
    verdict("consecutive ISNs: at most one repeated step", repeats <= 1, f"{repeats} repeated steps")
    verdict("every ISN bit takes both values", not const_bits, f"constant bits {const_bits}")
    print("\n".join(out))
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("--ifname", required=True)
    c.add_argument("--dst", required=True)
    c.add_argument("--port", type=int, required=True)
    k = sub.add_parser("check")
    k.add_argument("file")
    k.add_argument("--want", type=int, required=True)
    a = ap.parse_args()
    return capture(a) if a.cmd == "capture" else check(a)


if __name__ == "__main__":
    sys.exit(main())
