#!/usr/bin/env python3
"""wirecap.py IFNAME — print the per-run random values a client puts on the wire
(tests/hosted/claims-random.sh): raw AF_PACKET capture on IFNAME, run in the rig's
namespace as root.  Prints "listening IFNAME", then one line per frame of interest:

    dhcp XID         a BOOTREQUEST (UDP to port 67): its transaction id, hex
    syn SPORT        a TCP SYN without ACK: its source port
    ntp SPORT NONCE  an NTP client request (UDP to port 123, mode 3): source port and
                     transmit timestamp (the nonce), hex
"""
import socket
import struct
import sys

ETH_P_ALL = 0x0003


def main():
    ifname = sys.argv[1]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    print(f"listening {ifname}", flush=True)
    while True:
        f, addr = s.recvfrom(65535)
        if addr[2] == 4 or len(f) < 14 + 20 + 8:  # PACKET_OUTGOING: towards the client
            continue
        if struct.unpack("!H", f[12:14])[0] != 0x0800:
            continue
        ip = f[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[0] >> 4 != 4:
            continue
        l4 = ip[ihl:]
        if ip[9] == 17 and len(l4) >= 8:
            sport, dport = struct.unpack("!HH", l4[:4])
            pl = l4[8:]
            if dport == 67 and len(pl) >= 240 and pl[0] == 1:
                print(f"dhcp {pl[4:8].hex()}", flush=True)
            elif dport == 123 and len(pl) >= 48 and (pl[0] & 7) == 3:
                print(f"ntp {sport} {pl[40:48].hex()}", flush=True)
        elif ip[9] == 6 and len(l4) >= 20:
            sport = struct.unpack("!H", l4[:2])[0]
            if (l4[13] & 0x02) and not (l4[13] & 0x10):
                print(f"syn {sport}", flush=True)


if __name__ == "__main__":
    main()
