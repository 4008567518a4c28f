#!/usr/bin/env python3
"""loginkeys.py IFNAME [PORT] — print the text keys of iSCSI Login PDUs seen on IFNAME
(raw AF_PACKET capture, run as root in the rig's namespace), both directions: what the
initiator offered and what the target answered (tests/hosted/lio.sh records what LIO
negotiates with wireboot).  Prints "listening IFNAME", then per Login PDU

    req|rsp CONN STAGE KEY=VALUE      one line per key (CONN: the initiator's TCP port)

with the values of CHAP_C and CHAP_R replaced by their length ("<N hex digits>"): they
are no secrets, but nothing needs them.  Written from RFC 7143: the Basic Header Segment
is 48 bytes, byte 0 & 0x3f the opcode (0x03 Login Request, 0x23 Login Response), byte 1
bits 2-3 CSG, byte 4 TotalAHSLength (4-byte words), bytes 5-7 DataSegmentLength; the
data segment (padded to 4 bytes) holds NUL-terminated KEY=VALUE pairs (§6.1).  TCP
payload is put together per direction from the sequence numbers; a direction is
followed until its first PDU that is not a login PDU (the full feature phase).
"""
import socket
import struct
import sys

ETH_P_ALL = 0x0003
HIDE = {"CHAP_C", "CHAP_R"}


class Flow:
    def __init__(self, isn):
        self.base = isn  # sequence number of the first payload byte
        self.segs = {}
        self.buf = b""
        self.done = False


def pdus(flow, tag, conn):
    while not flow.done and len(flow.buf) >= 48:
        b = flow.buf
        op = b[0] & 0x3F
        ahs = b[4] * 4
        dsl = int.from_bytes(b[5:8], "big")
        total = 48 + ahs + ((dsl + 3) & ~3)
        if op not in (0x03, 0x23):
            flow.done = True
            return
        if len(b) < total:
            return
        stage = (b[1] >> 2) & 3
        data = b[48 + ahs : 48 + ahs + dsl]
        for kv in data.split(b"\0"):
            if not kv:
                continue
            k, _, v = kv.decode("ascii", "replace").partition("=")
            if k in HIDE:
                v = f"<{len(v) - 2 if v.lower().startswith('0x') else len(v)} digits>"
            print(f"{tag} {conn} {stage} {k}={v}", flush=True)
        flow.buf = b[total:]


def main():
    ifname = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 3260
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    print(f"listening {ifname}", flush=True)
    flows = {}
    while True:
        f = s.recv(65535)
        if len(f) < 14 + 20 + 20 or struct.unpack("!H", f[12:14])[0] != 0x0800:
            continue
        ip = f[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        tlen = struct.unpack("!H", ip[2:4])[0]
        tcp = ip[ihl:tlen]
        sport, dport, seq = struct.unpack("!HHI", tcp[:8])
        if port not in (sport, dport):
            continue
        off = (tcp[12] >> 4) * 4
        flags = tcp[13]
        key = (ip[12:16], sport, ip[16:20], dport)
        if flags & 0x02:  # SYN: a new connection in this direction
            flows[key] = Flow((seq + 1) & 0xFFFFFFFF)
            continue
        fl = flows.get(key)
        pl = tcp[off:]
        if fl is None or fl.done or not pl:
            continue
        fl.segs[(seq - fl.base) & 0xFFFFFFFF] = pl
        while True:  # append what is now contiguous
            have = len(fl.buf) + getattr(fl, "eaten", 0)
            nxt = fl.segs.pop(have, None)
            if nxt is None:
                break
            fl.buf += nxt
        before = len(fl.buf)
        conn = dport if sport == port else sport
        pdus(fl, "rsp" if sport == port else "req", conn)
        fl.eaten = getattr(fl, "eaten", 0) + before - len(fl.buf)


if __name__ == "__main__":
    main()
