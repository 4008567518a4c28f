#!/usr/bin/env python3
"""proxyforge.py IFACE MODE — offers that look like a proxyDHCP's, for the client's checks.

Run inside the rig's namespace on br0 (raw AF_PACKET socket), as server 192.0.2.3:

  other-xid     every DISCOVER is answered with a well-formed proxyDHCP offer (yiaddr 0,
                option 60 "PXEClient", option 54, boot file forged.ipxe, siaddr 192.0.2.3)
                for another exchange: the request's xid + 1.  The client must drop it.
  with-address  every DISCOVER is answered with an offer that has option 60 "PXEClient"
                and a boot file notproxy.ipxe but also an address, 192.0.2.160/24, and
                every REQUEST with the matching ACK: not a proxy offer but an ordinary
                one, to be taken as the lease (run with no other DHCP server).
  bad-4011      every DISCOVER is answered with a proxy offer without a boot file (so the
                client asks 192.0.2.3 on port 4011; the test gives br0 that address), and
                every port-4011 request with two ACKs naming wrongport.ipxe: one from
                192.0.2.3 but source port 67, one from port 4011 but 192.0.2.7.  The client
                must take neither.

Prints one line per packet received and sent.
"""
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from baddhcp import csum, opt, ip4, MAGIC, ETH_P_IP  # noqa: E402

SERVER = ip4("192.0.2.3")


def reply(mode, req, msgtype, srcmac, dstmac=b"\xff" * 6, dst=b"\xff" * 4, sport=67, src=SERVER):
    xid, flags, chaddr = req[4:8], req[10:12], req[28:44]
    opts = opt(53, bytes([msgtype])) + opt(54, SERVER) + opt(60, b"PXEClient")
    if mode == "bad-4011":
        yiaddr, file = b"\0" * 4, (b"wrongport.ipxe" if msgtype == 5 else b"")
    elif mode == "other-xid":
        xid = struct.pack("!I", (struct.unpack("!I", xid)[0] + 1) & 0xFFFFFFFF)
        yiaddr, file = b"\0" * 4, b"forged.ipxe"
    else:
        yiaddr, file = ip4("192.0.2.160"), b"notproxy.ipxe"
        opts += opt(1, ip4("255.255.255.0")) + opt(51, struct.pack("!I", 3600))
    opts += b"\xff"
    bootp = struct.pack("!BBBB", 2, 1, 6, 0) + xid + b"\0\0" + flags
    bootp += b"\0" * 4 + yiaddr + SERVER + b"\0" * 4 + chaddr
    bootp += b"\0" * 64 + file.ljust(128, b"\0") + MAGIC + opts
    udp_len = 8 + len(bootp)
    udp = struct.pack("!HHHH", sport, 68, udp_len, 0) + bootp
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, 17, 0, src, dst)
    iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
    return dstmac + srcmac + struct.pack("!H", ETH_P_IP) + iph + udp


def main():
    iface, mode = sys.argv[1], sys.argv[2]
    if mode not in ("other-xid", "with-address", "bad-4011"):
        raise SystemExit(f"unknown mode {mode}")
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    s.bind((iface, ETH_P_IP))
    srcmac = s.getsockname()[4]
    print(f"proxyforge: {mode} on {iface}", flush=True)
    while True:
        frame, addr = s.recvfrom(4096)
        if addr[2] == 4 or len(frame) < 14 + 20 + 8 + 240 or frame[23] != 17:
            continue
        udp = frame[14 + (frame[14] & 0x0F) * 4:]
        dport = struct.unpack("!H", udp[2:4])[0]
        if dport not in (67, 4011):
            continue
        req = udp[8:]
        if req[0] != 1 or req[236:240] != MAGIC:
            continue
        i, mt = 240, None
        while i + 1 < len(req) and req[i] != 255:
            if req[i] == 0:
                i += 1
                continue
            if req[i] == 53 and i + 2 < len(req):
                mt = req[i + 2]
            i += 2 + req[i + 1]
        answer = {1: 2, 3: 5}.get(mt)
        if answer == 5 and mode != "with-address" and dport == 67:
            answer = None  # a proxy never acknowledges a port-67 request
        print(f"proxyforge: got type {mt} on port {dport}", flush=True)
        if dport == 4011:
            if mode == "bad-4011" and answer == 5:
                cmac, ciaddr = frame[6:12], req[12:16]
                s.send(reply(mode, req, 5, srcmac, cmac, ciaddr, sport=67))
                s.send(reply(mode, req, 5, srcmac, cmac, ciaddr, sport=4011, src=ip4("192.0.2.7")))
                print("proxyforge: sent ACK from port 67, ACK from 192.0.2.7 (bad-4011)", flush=True)
            continue
        if answer:
            s.send(reply(mode, req, answer, srcmac))
            print(f"proxyforge: sent {'OFFER' if answer == 2 else 'ACK'} ({mode})", flush=True)


if __name__ == "__main__":
    main()
