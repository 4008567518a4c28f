#!/usr/bin/env python3
"""vlanbridge.py TRUNK TAP TAG — a user-space 802.1Q sub-interface.

Some kernels (this rig's included) are built without 8021q, so `ip link add ... type
vlan` fails.  This program does the same job: frames on TRUNK tagged with VID TAG are
untagged and written to the persistent tap TAP (which carries the VLAN's address and
its dnsmasq); frames the kernel sends out of TAP are tagged and sent on TRUNK.

TRUNK is the free end of a veth pair whose other end is a br0 port, so a client's
tagged frames reach it through the bridge exactly as they would reach a real switch's
trunk port.  The kernel may move a received tag into packet metadata (hw-accel VLAN),
so PACKET_AUXDATA is read as well as the frame bytes.
"""
import fcntl
import os
import select
import socket
import struct
import sys

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 0x10
TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def main():
    trunk, tap, tag = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tfd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tfd, TUNSETIFF, struct.pack("16sH", tap.encode(), IFF_TAP | IFF_NO_PI))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((trunk, ETH_P_ALL))
    print(f"vlanbridge: {trunk} <-> {tap} vid {tag}", flush=True)
    while True:
        r, _, _ = select.select([s, tfd], [], [])
        if s in r:
            data, anc, _, addr = s.recvmsg(65536, socket.CMSG_SPACE(32))
            if addr[2] == PACKET_OUTGOING:
                continue
            vid = None
            for lvl, typ, cd in anc:
                if lvl == SOL_PACKET and typ == PACKET_AUXDATA and len(cd) >= 20:
                    status, _, _, _, _, tci, _ = struct.unpack("IIIHHHH", cd[:20])
                    if status & TP_STATUS_VLAN_VALID:
                        vid = tci & 0xFFF
            if vid is not None:
                frame = data
            elif len(data) >= 18 and data[12:14] == b"\x81\x00":
                vid = struct.unpack("!H", data[14:16])[0] & 0xFFF
                frame = data[:12] + data[16:]
            else:
                continue
            if vid == tag:
                try:
                    os.write(tfd, frame)
                except OSError:
                    pass
        if tfd in r:
            frame = os.read(tfd, 65536)
            if len(frame) < 14:
                continue
            tagged = frame[:12] + struct.pack("!HH", 0x8100, tag) + frame[12:]
            try:
                s.send(tagged)
            except OSError:
                pass


if __name__ == "__main__":
    main()
