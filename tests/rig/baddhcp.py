#!/usr/bin/env python3
"""baddhcp.py IFACE MODE — a hostile (or unusual) DHCP server on a raw AF_PACKET socket.

Run inside the rig's namespace on br0 (no dnsmasq there).  Answers every DISCOVER with
an OFFER and every REQUEST with an ACK, both crafted according to MODE, offering
192.0.2.150/24 from server 192.0.2.1:

  truncated     the last option's length runs past the end of the packet (no END)
  overlong      length-255 options full of garbage (netmask, router), a root-path split
                into two 255-byte pieces (RFC 3396 concatenation), a hostname with NUL
                and control bytes
  overload      option 52 = 3: router + dns in `file`, hostname + domain in `sname`
                (legitimate, RFC 2132 9.3) -> client must end up with those values
  ok-overload   option 52 = 1: router, dns, hostname in `file`; `sname` holds a plain
                server name (legitimate)
  bad-overload  option 52 = 3 with a nested option 52 and an option running past the
                end of `sname`, and `file` with no END

Replies for another exchange (tests/hosted/claims-dhcp.sh), otherwise well-formed:

  wrong-xid     every reply carries the request's xid + 1 (offering 192.0.2.151)
  wrong-mac     every reply carries the request's chaddr with its last byte changed (.152)
  other-server  OFFER right; every ACK comes from 192.0.2.2 (source and option 54),
                a server the client did not choose (.153)
  no-server-id  OFFER right; every ACK comes from 192.0.2.2 without option 54 (.154),
                which RFC 2131 (table 3) requires in an ACK
  decoys-first  before each right reply (.150 from 192.0.2.1), the four kinds above
  decoys-after  after each right reply, the four kinds above

Prints one line per packet received and sent.
"""
import socket
import struct
import sys

ETH_P_IP = 0x0800
SERVER = socket.inet_aton("192.0.2.1")
YIADDR = socket.inet_aton("192.0.2.150")
MAGIC = b"\x63\x82\x53\x63"


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def opt(code, value):
    return bytes([code, len(value)]) + value


def ip4(s):
    return socket.inet_aton(s)


DECOY_MODES = ("wrong-xid", "wrong-mac", "other-server", "no-server-id", "decoys-first",
               "decoys-after")
OTHER_SERVER = socket.inet_aton("192.0.2.2")


def body(mode, msgtype, server=SERVER, server_id=True):
    """Returns (sname 64 bytes, file 128 bytes, options area bytes)."""
    base = opt(53, bytes([msgtype])) + (opt(54, server) if server_id else b"")
    base += opt(51, struct.pack("!I", 3600))
    sname, file = b"", b""
    if mode in DECOY_MODES:  # a well-formed reply; what is wrong is outside the options
        opts = base + opt(1, ip4("255.255.255.0")) + opt(3, ip4("192.0.2.1"))
        return sname, file, opts + b"\xff"
    if mode == "truncated":
        opts = base + opt(1, ip4("255.255.255.0")) + bytes([3, 40]) + ip4("192.0.2.1")[:3]
        return sname, file, opts  # no END, option 3 claims 40 bytes, 3 follow
    if mode == "overlong":
        garbage = bytes((i * 37 + 11) & 0xFF for i in range(255))
        opts = base + opt(1, garbage) + opt(3, garbage[::-1])
        opts += opt(17, b"iscsi:" + b"A" * 249) + opt(17, b"B" * 255)
        opts += opt(12, b"host\x00name\x1b[2J\x07\xff")
        return sname, file, opts + b"\xff"
    if mode == "overload":
        file = opt(3, ip4("192.0.2.1")) + opt(6, ip4("192.0.2.1")) + b"\xff"
        sname = opt(12, b"overloaded") + opt(15, b"test") + b"\xff"
        opts = base + opt(1, ip4("255.255.255.0")) + opt(52, b"\x03") + b"\xff"
        return sname, file, opts
    if mode == "ok-overload":
        file = opt(3, ip4("192.0.2.1")) + opt(6, ip4("192.0.2.1")) + opt(12, b"overloaded") + b"\xff"
        sname = b"bootserver"
        opts = base + opt(1, ip4("255.255.255.0")) + opt(52, b"\x01") + b"\xff"
        return sname, file, opts
    if mode == "bad-overload":
        file = opt(52, b"\x03") + opt(3, ip4("192.0.2.1")) + bytes([6, 200]) + b"\x01" * 20
        sname = opt(52, b"\x03") + bytes([12, 100]) + b"x" * 40
        opts = base + opt(1, ip4("255.255.255.0")) + opt(52, b"\x03") + b"\xff"
        return sname, file, opts
    raise SystemExit(f"unknown mode {mode}")


def reply(mode, req, msgtype, srcmac, kind=None):
    """kind (decoy modes): None for the right reply, or wrong-xid / wrong-mac /
    other-server for a reply to another exchange."""
    xid, flags = req[4:8], req[10:12]
    chaddr = req[28:44]
    server, yiaddr = SERVER, YIADDR
    if kind == "wrong-xid":
        xid = struct.pack("!I", (struct.unpack("!I", xid)[0] + 1) & 0xFFFFFFFF)
        yiaddr = ip4("192.0.2.151")
    elif kind == "wrong-mac":
        chaddr = chaddr[:5] + bytes([chaddr[5] ^ 0x01]) + chaddr[6:]
        yiaddr = ip4("192.0.2.152")
    elif kind == "other-server":
        server, yiaddr = OTHER_SERVER, ip4("192.0.2.153")
    elif kind == "no-server-id":
        server, yiaddr = OTHER_SERVER, ip4("192.0.2.154")
    sname, file, opts = body(mode, msgtype, server, kind != "no-server-id")
    bootp = struct.pack("!BBBB", 2, 1, 6, 0) + xid + b"\0\0" + flags
    bootp += b"\0" * 4 + yiaddr + server + b"\0" * 4 + chaddr
    bootp += sname[:64].ljust(64, b"\0") + file[:128].ljust(128, b"\0") + MAGIC + opts
    udp_len = 8 + len(bootp)
    udp = struct.pack("!HHHH", 67, 68, udp_len, 0) + bootp
    dst_ip = b"\xff" * 4
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, 17, 0, server, dst_ip)
    iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
    eth = b"\xff" * 6 + srcmac + struct.pack("!H", ETH_P_IP)
    return eth + iph + udp


def main():
    iface, mode = sys.argv[1], sys.argv[2]
    body(mode, 2)  # validate the mode
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    s.bind((iface, ETH_P_IP))
    srcmac = s.getsockname()[4]
    print(f"baddhcp: {mode} on {iface}", flush=True)
    while True:
        frame, addr = s.recvfrom(4096)
        if addr[2] == 4:  # PACKET_OUTGOING: our own replies
            continue
        if len(frame) < 14 + 20 + 8 + 240:
            continue
        ihl = (frame[14] & 0x0F) * 4
        if frame[23] != 17:
            continue
        udp = frame[14 + ihl:]
        if struct.unpack("!H", udp[2:4])[0] != 67:
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
        print(f"baddhcp: got type {mt} from {req[28:34].hex(':')}", flush=True)
        if answer and mode in DECOY_MODES:
            send_decoys(s, mode, req, answer, srcmac)
        elif answer:
            s.send(reply(mode, req, answer, srcmac))
            print(f"baddhcp: sent {'OFFER' if answer == 2 else 'ACK'} ({mode})", flush=True)


def send_decoys(s, mode, req, answer, srcmac):
    """The decoy modes: the right reply and/or replies for another exchange."""
    name = "OFFER" if answer == 2 else "ACK"
    if mode in ("wrong-xid", "wrong-mac"):
        plan = [mode]
    elif mode in ("other-server", "no-server-id"):
        plan = [None] if answer == 2 else [mode]
    else:
        decoys = ["wrong-xid", "wrong-mac"] + (["other-server", "no-server-id"] if answer == 5 else [])
        plan = decoys + [None] if mode == "decoys-first" else [None] + decoys
    for kind in plan:
        s.send(reply(mode, req, answer, srcmac, kind))
        print(f"baddhcp: sent {name} ({kind or 'right'})", flush=True)


if __name__ == "__main__":
    main()
