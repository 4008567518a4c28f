#!/usr/bin/env python3
"""tcpacks.py IFNAME PORT OUT — what a TCP receiver on IFNAME (wireboot on a TAP device)
sends back to a server on PORT (tests/hosted/loss.sh).  Raw AF_PACKET capture in the rig's
namespace, as root; prints "listening IFNAME" once capturing.  On SIGTERM it writes to OUT:

    acks N          segments from the receiver to PORT
    sack N          of them carrying SACK blocks (RFC 2018 option 5)
    reopen N        window updates that reopen a window of less than one segment (1460
                    bytes) to one or more: the sender was stopped until it got one
    doubled N       of those, followed at once (next segment to PORT) by an identical copy
    repeats N       pure ACKs identical to the receiver's previous segment, sent 15 ms or
                    more after it with nothing from the server in between (the receiver
                    repeating its ACK when the connection went quiet)

Frames the receiver wrote into the TAP device are incoming on IFNAME (not PACKET_OUTGOING):
they are captured before the rig's loss rules, so a copy dropped later still counts.
"""
import signal
import socket
import struct
import sys
import time

MSS = 1460


def main():
    ifname, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
    s.bind((ifname, 0))
    st = {"acks": 0, "sack": 0, "reopen": 0, "doubled": 0, "repeats": 0}
    quiet = {}          # connection -> time of the receiver's last segment, None once the server sent
    scale = {}          # connection -> window shift from its SYN
    last = {}           # connection -> (ack, window bytes) of the previous segment
    pending = {}        # connection -> the reopening (ack, window) awaiting its copy

    def done(*_):
        with open(out, "w") as f:
            for k in ("acks", "sack", "reopen", "doubled", "repeats"):
                f.write(f"{k} {st[k]}\n")
        sys.exit(0)

    signal.signal(signal.SIGTERM, done)
    print(f"listening {ifname}", flush=True)
    while True:
        f, addr = s.recvfrom(65535)
        now = time.monotonic()
        if len(f) < 54 or struct.unpack("!H", f[12:14])[0] != 0x0800:
            continue
        ip = f[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[9] != 6:
            continue
        tcp = ip[ihl:]
        sport, dport, _seq, ack = struct.unpack("!HHII", tcp[:12])
        if addr[2] == 4:            # towards the receiver: the server spoke
            if sport == port:
                quiet[(ip[16:20], dport)] = None
            continue
        if dport != port:
            continue
        off = (tcp[12] >> 4) * 4
        flags = tcp[13]
        win = struct.unpack("!H", tcp[14:16])[0]
        opts, i, has_sack, ws = tcp[20:off], 0, False, None
        while i < len(opts) and opts[i] != 0:
            if opts[i] == 1:
                i += 1
                continue
            if i + 1 >= len(opts) or opts[i + 1] < 2:
                break
            if opts[i] == 5:
                has_sack = True
            if opts[i] == 3:
                ws = opts[i + 2]
            i += opts[i + 1]
        conn = (ip[12:16], sport)
        if flags & 0x02:            # SYN: the window is not scaled in it
            scale[conn] = ws or 0
            continue
        plen = struct.unpack("!H", ip[2:4])[0] - ihl - off
        wbytes = win << scale.get(conn, 0)
        st["acks"] += 1
        st["sack"] += has_sack
        cur = (ack, wbytes)
        if conn in pending:
            st["doubled"] += cur == pending.pop(conn) and plen == 0
        prev = last.get(conn)
        t = quiet.get(conn)
        if plen == 0 and prev == cur and t is not None and now - t >= 0.015:
            st["repeats"] += 1
        quiet[conn] = now
        if plen == 0 and prev and prev[0] == ack and prev[1] < MSS <= wbytes:
            st["reopen"] += 1
            pending[conn] = cur
        last[conn] = cur


if __name__ == "__main__":
    main()
