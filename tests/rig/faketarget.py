#!/usr/bin/env python3
"""faketarget.py — a scripted iSCSI test target for the cases tgtd cannot produce.

Written from RFC 7143 (iSCSI), RFC 1994 (CHAP) and SPC/SBC for the few SCSI commands
a boot-time initiator sends.  Python 3 standard library only.  Run it inside the test
network namespace:

  faketarget.py --listen 192.0.2.1:3260 --target IQN --lun FILE
                [--user U --reverse-user RU]   (secrets from FAKETARGET_SECRET /
                                                FAKETARGET_REVERSE_SECRET)
                [--digests] [--mode M ...]

Login: security stage (AuthMethod CHAP or None; CHAP_A 5 MD5, 6 SHA-1, 7 SHA-256 per
RFC 7143 §12.1.3; mutual CHAP when the initiator sends CHAP_I/CHAP_C), operational
stage (the RFC 7143 §13 keys, answered by their min/max/and/or rules), then the full
feature phase on LUN 1 backed by FILE (TEST UNIT READY, INQUIRY, READ CAPACITY(10/16),
READ(10/16) as Data-In PDUs with the status in the last one, REPORT LUNS, MODE
SENSE(6)), NOP-Out answered, Logout.  CRC32C header/data digests with --digests.

Behaviours (--mode, repeatable, or comma-separated):
  reflect            answer our mutual challenge with a new challenge equal to the
                     initiator's own CHAP_C (RFC 3720 §8.2.1 reflection) instead of
                     proving ourselves; logs whether the initiator answered its own
                     challenge.  A challenge seen on an earlier connection is also
                     reflected as the first challenge of later logins.
  reflect-earlier    only the latter: open each login with the challenge the initiator
                     issued in the previous one (then prove ourselves normally)
  chap-alg=N         answer CHAP_A with N whatever the initiator offered
  mutual-wrong       our mutual CHAP_R is computed with a wrong secret
  mutual-forward     our mutual CHAP_R is computed with the initiator's (forward) secret:
                     the answer the initiator's own secret gives (RFC 7143 §12.1.3)
  sha1-as-7          tgt/IET's numbering: CHAP_A 7 means SHA-1 (the IANA registry says
                     SHA-256); only 5 and 7 are known, the first of them the initiator
                     lists is picked; a response of the wrong length gets status 0x0200
  mutual-skip        never send CHAP_N/CHAP_R
  auth-fail          refuse the CHAP response with status 0x0201
  redirect-temp=H:P  answer every login with status 0x0101 and TargetAddress=H:P,1
  redirect-perm=H:P  the same with status 0x0102
  not-ready=N        the first N commands get CHECK CONDITION NOT READY 02/04/01
  ua-once            the first command gets UNIT ATTENTION 06/29/00
  async-logout-after=N  after N READ commands, Async Message AsyncEvent=1 (once)
  drop-after=N       close the connection after N Data-In PDUs (once)
  nop-in-every=SECS  target-initiated NOP-In (ITT 0xffffffff, a TTT) every SECS
  nop-in-first       one such NOP-In right after the login, before any command
  read-delay=MS      wait MS milliseconds before answering each READ

  Inexact answers to block I/O (status GOOD each time; the initiator must not take them):
  underflow=full     READ(10)/READ(16) answered with no data and the U bit, residual = EDTL
  underflow=partial  READ answered with the first half of the data, U bit, residual = the rest
  overflow           READ answered with all the data, the O bit and a residual of one block
  short-data         READ answered with the first half of the data and no residual at all
  write-residual     WRITE(10)/WRITE(16) takes all the data, then answers with the U bit and
                     a residual of half the EDTL (needs writable)
  inexact-count=N    only the first N READ/WRITE commands (all connections) are answered so
                     (default: every one); "inexact: ..." lines log each such answer
  writable           accept WRITE(10)/WRITE(16) (immediate data, then R2Ts of at most
                     MaxBurstLength, one outstanding) into memory and the LUN file, and
                     SYNCHRONIZE CACHE(10/16)
  virtual-blocks=N   report N blocks (READ CAPACITY(10) says 0xffffffff above 2^32, so the
                     initiator asks (16) and reads above 2^32 with READ(16)); block L is the
                     file's block L mod (file blocks), for reads and writes

  Commands that never succeed (for the initiator's reissue and time bounds):
  drop-on-read=LBA   close the connection whenever a READ(10/16) covering LBA arrives
  drop-on-op=0xNN    ... whenever a SCSI command with this opcode arrives
  stall-on-read=LBA  never answer a READ covering LBA; from then on this connection's
                     CmdSN window stays closed (MaxCmdSN = ExpCmdSN - 1); everything
                     else (other commands, NOP-Out, with nop-in-every our pings) goes on
  stall-on-op=0xNN   the same for a SCSI command with this opcode
  Each logs one "drop-on:" or "stall-on:" line.

Everything it does goes to stderr, one line per event, prefixed "faketarget:".
Counters for the tests: "stats: ..." lines on every connection close.  Sequence-number
mistakes by the initiator (CmdSN out of order, ExpStatSN ahead of what we sent) are
logged as "VIOLATION: ..." lines and counted.
"""

import argparse
import base64
import hashlib
import os
import select
import socket
import struct
import sys
import threading
import time

# ---- CRC32C (Castagnoli, reflected polynomial 0x82F63B78), RFC 7143 §13.1 -------------
_CRC_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    tab = _CRC_TABLE
    for b in data:
        crc = tab[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283

# ---- opcodes (RFC 7143 §11.1.1) ----------------------------------------------------------
OP_NOP_OUT, OP_SCSI_CMD, OP_TMF_REQ, OP_LOGIN_REQ, OP_TEXT_REQ, OP_DATA_OUT, OP_LOGOUT_REQ = \
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06
OP_NOP_IN, OP_SCSI_RSP, OP_TMF_RSP, OP_LOGIN_RSP, OP_TEXT_RSP, OP_DATA_IN, OP_LOGOUT_RSP = \
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26
OP_ASYNC, OP_REJECT = 0x32, 0x3F

CHAP_HASH = {5: hashlib.md5, 6: hashlib.sha1, 7: hashlib.sha256}
CHAP_NAME = {5: "MD5", 6: "SHA-1", 7: "SHA-256"}

LOG_LOCK = threading.Lock()


def log(msg):
    with LOG_LOCK:
        sys.stderr.write("faketarget: %s\n" % msg)
        sys.stderr.flush()


class Closed(Exception):
    pass


def parse_text(data):
    """key=value\\0 pairs (RFC 7143 §6.1) -> ordered list of (key, value)"""
    out = []
    for item in data.split(b"\0"):
        if not item:
            continue
        k, sep, v = item.partition(b"=")
        if not sep:
            raise ValueError("text item without '='")
        out.append((k.decode("ascii", "replace"), v.decode("utf-8", "replace")))
    return out


def build_text(pairs):
    return b"".join(("%s=%s" % (k, v)).encode() + b"\0" for k, v in pairs)


def decode_value(v):
    """CHAP binary value: 0x hex or 0b base64 (RFC 7143 §6.1 / §12.1.3)"""
    if v[:2] in ("0x", "0X"):
        h = v[2:]
        if len(h) % 2:
            h = "0" + h
        return bytes.fromhex(h)
    if v[:2] in ("0b", "0B"):
        return base64.b64decode(v[2:], validate=True)
    raise ValueError("not a binary value: %r" % v[:10])


def chap_response(alg, ident, secret, challenge, hashes=CHAP_HASH):
    """RFC 1994 §4.1: H(Identifier || secret || Challenge)"""
    return hashes[alg](bytes([ident]) + secret + challenge).digest()


# sha1-as-7: the algorithms as tgt and IET number them
TGT_CHAP_HASH = {5: hashlib.md5, 7: hashlib.sha1}


def sense_fixed(key, asc, ascq):
    """fixed-format sense data (SPC-4 §4.5.3), 18 bytes"""
    s = bytearray(18)
    s[0] = 0x70
    s[2] = key
    s[7] = 10
    s[12] = asc
    s[13] = ascq
    return bytes(s)


class Shared:
    """state shared by every connection of this process"""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.modes = {}
        for m in args.mode:
            for part in m.split(","):
                if part:
                    k, _, v = part.partition("=")
                    self.modes[k] = v
        self.not_ready_left = int(self.modes.get("not-ready", "0") or 0)
        self.ua_left = 1 if "ua-once" in self.modes else 0
        self.async_after = int(self.modes["async-logout-after"]) if "async-logout-after" in self.modes else None
        self.drop_after = int(self.modes["drop-after"]) if "drop-after" in self.modes else None
        self.nop_every = float(self.modes["nop-in-every"]) if "nop-in-every" in self.modes else None
        self.read_delay = float(self.modes.get("read-delay", "0") or 0) / 1000.0
        self.reads = 0
        self.datain_total = 0
        self.async_sent = False
        self.dropped = False
        self.seen_challenge = None   # (id, challenge) from an earlier login (reflect)
        self.tsih = 0x100
        self.conn_no = 0
        with open(args.lun, "rb") as f:
            self.disk = f.read()
        self.bs = args.block_size
        if len(self.disk) % self.bs:
            raise SystemExit("faketarget: %s is not a multiple of %d bytes" % (args.lun, self.bs))
        self.blocks = len(self.disk) // self.bs
        self.file_blocks = self.blocks
        if "virtual-blocks" in self.modes:
            self.blocks = int(self.modes["virtual-blocks"], 0)
        self.writable = "writable" in self.modes
        if self.writable:
            self.disk = bytearray(self.disk)
        self.inexact_read = None
        if "underflow" in self.modes:
            self.inexact_read = "underflow-" + self.modes["underflow"]
            if self.modes["underflow"] not in ("full", "partial"):
                raise SystemExit("faketarget: underflow=full or underflow=partial")
        elif "overflow" in self.modes:
            self.inexact_read = "overflow"
        elif "short-data" in self.modes:
            self.inexact_read = "short-data"
        self.inexact_write = "write-residual" in self.modes
        self.inexact_left = int(self.modes["inexact-count"]) if "inexact-count" in self.modes else None
        self.inexact_sent = 0

    def take_inexact(self):
        """one inexact answer allowed now? (inexact-count=N: the first N)"""
        with self.lock:
            if self.inexact_left is not None:
                if self.inexact_left <= 0:
                    return False
                self.inexact_left -= 1
            self.inexact_sent += 1
            return True

    def read_blocks(self, lba, n):
        """n blocks from lba (virtual-blocks: block L is file block L mod file blocks)"""
        if self.blocks == self.file_blocks:
            return bytes(self.disk[lba * self.bs:(lba + n) * self.bs])
        out = bytearray()
        for b in range(lba, lba + n):
            f = b % self.file_blocks
            out += self.disk[f * self.bs:(f + 1) * self.bs]
        return bytes(out)

    def write_blocks(self, lba, data):
        """write into memory and the LUN file, mapped like read_blocks"""
        n = len(data) // self.bs
        with self.lock, open(self.args.lun, "r+b") as f:
            for i in range(n):
                fb = (lba + i) % self.file_blocks
                blk = data[i * self.bs:(i + 1) * self.bs]
                self.disk[fb * self.bs:(fb + 1) * self.bs] = blk
                f.seek(fb * self.bs)
                f.write(blk)


class Conn:
    def __init__(self, shared, sock, peer):
        self.sh = shared
        self.a = shared.args
        self.m = shared.modes
        self.sock = sock
        self.peer = peer
        self.rbuf = b""
        self.hd = False
        self.dd = False
        self.statsn = 0
        self.expcmdsn = 0
        self.window = 32
        self.max_send_dsl = 8192      # initiator's MaxRecvDataSegmentLength
        self.max_burst = 262144
        self.isid = b"\0" * 6
        self.itt = 0
        self.tsih = 0
        self.full = False
        self.session_type = "Normal"
        self.stats = {"pdus_in": 0, "datain": 0, "reads": 0, "nop_in_sent": 0, "nop_in_answered": 0,
                      "violations": 0}
        self.nop_ttt = 0x1000
        self.writes = {}              # ITT -> write in progress (writable)
        self.r2t_ttt = 0x5000
        self.nops_out = {}
        self.next_nop = None
        with shared.lock:
            shared.conn_no += 1
            self.no = shared.conn_no

    def log(self, msg):
        log("conn %d: %s" % (self.no, msg))

    # ---- wire ---------------------------------------------------------------------------
    def recv_exact(self, n, timeout=None):
        while len(self.rbuf) < n:
            if timeout is not None:
                r, _, _ = select.select([self.sock], [], [], timeout)
                if not r:
                    return None
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Closed("initiator closed the connection")
            self.rbuf += chunk
        out, self.rbuf = self.rbuf[:n], self.rbuf[n:]
        return out

    def recv_pdu(self, timeout=None):
        """(bhs bytes, data bytes) or None on timeout (only before a PDU starts)"""
        if timeout is not None and len(self.rbuf) == 0:
            r, _, _ = select.select([self.sock], [], [], timeout)
            if not r:
                return None
        bhs = self.recv_exact(48)
        ahs_len = bhs[4] * 4
        dsl = int.from_bytes(bhs[5:8], "big")
        ahs = self.recv_exact(ahs_len) if ahs_len else b""
        if self.hd:
            dig = self.recv_exact(4)
            want = crc32c(bhs + ahs)
            if int.from_bytes(dig, "little") != want:
                raise Closed("header digest mismatch from the initiator")
        data = b""
        if dsl:
            padded = (dsl + 3) & ~3
            raw = self.recv_exact(padded)
            if self.dd:
                dig = self.recv_exact(4)
                if int.from_bytes(dig, "little") != crc32c(raw):
                    raise Closed("data digest mismatch from the initiator")
            data = raw[:dsl]
        self.stats["pdus_in"] += 1
        return bhs, data

    def send_pdu(self, bhs, data=b""):
        bhs = bytearray(bhs)
        assert len(bhs) == 48
        bhs[4] = 0
        bhs[5:8] = len(data).to_bytes(3, "big")
        out = bytearray(bhs)
        if self.hd:
            out += crc32c(bytes(bhs)).to_bytes(4, "little")
        if data:
            padded = data + b"\0" * ((4 - len(data) % 4) % 4)
            out += padded
            if self.dd:
                out += crc32c(padded).to_bytes(4, "little")
        self.sock.sendall(bytes(out))

    def sn_fields(self, bhs, statsn):
        struct.pack_into(">III", bhs, 24, statsn & 0xFFFFFFFF, self.expcmdsn & 0xFFFFFFFF,
                         (self.expcmdsn + self.window - 1) & 0xFFFFFFFF)

    def next_statsn(self):
        s = self.statsn
        self.statsn = (self.statsn + 1) & 0xFFFFFFFF
        return s

    # ---- login --------------------------------------------------------------------------
    def login_rsp(self, flags, status=0, pairs=(), tsih=0):
        b = bytearray(48)
        b[0] = OP_LOGIN_RSP
        b[1] = flags
        b[2] = 0
        b[3] = 0
        b[8:14] = self.isid
        struct.pack_into(">H", b, 14, tsih)
        struct.pack_into(">I", b, 16, self.itt)
        self.sn_fields(b, self.next_statsn())
        b[36] = status >> 8
        b[37] = status & 0xFF
        self.send_pdu(b, build_text(pairs))

    def refuse(self, status, why, pairs=()):
        self.log("login refused: status 0x%04x (%s)" % (status, why))
        self.login_rsp(0, status, pairs)
        raise Closed("login refused")

    def read_login(self):
        """next Login Request -> (flags, dict of keys, ordered pairs)"""
        got = self.recv_pdu(timeout=30)
        if got is None:
            raise Closed("no login request within 30 s")
        bhs, data = got
        op = bhs[0] & 0x3F
        if op != OP_LOGIN_REQ:
            raise Closed("opcode 0x%02x during login" % op)
        flags = bhs[1]
        if flags & 0x40:
            raise Closed("initiator used the C bit (not supported here)")
        self.isid = bhs[8:14]
        self.tsih_req = struct.unpack_from(">H", bhs, 14)[0]
        self.itt = struct.unpack_from(">I", bhs, 16)[0]
        cmdsn = struct.unpack_from(">I", bhs, 24)[0]
        self.expcmdsn = cmdsn        # login requests are immediate
        pairs = parse_text(data)
        shown = ", ".join("%s=%s" % (k, v if k != "CHAP_R" else "(%d chars)" % len(v)) for k, v in pairs)
        self.log("login request T=%d CSG=%d NSG=%d: %s" % (flags >> 7, (flags >> 2) & 3, flags & 3, shown))
        return flags, dict(pairs), pairs

    def login(self):
        a, m = self.a, self.m
        flags, keys, _ = self.read_login()
        for mode, status in (("redirect-temp", 0x0101), ("redirect-perm", 0x0102)):
            if mode in m:
                self.refuse(status, "%s to %s" % (mode, m[mode]), [("TargetAddress", m[mode] + ",1")])
        self.session_type = keys.get("SessionType", "Normal")
        if self.session_type not in ("Normal", "Discovery"):
            self.refuse(0x0207, "bad SessionType %r" % self.session_type)
        if self.session_type == "Normal" and keys.get("TargetName") != a.target:
            self.refuse(0x0203, "no target %r" % keys.get("TargetName"))
        if "InitiatorName" not in keys:
            self.refuse(0x0207, "no InitiatorName")
        if (flags >> 2) & 3 != 0:
            # the initiator skips the security stage: only fine without CHAP
            if a.user:
                self.refuse(0x0201, "initiator skipped the security stage but CHAP is required")
            return self.operational(flags, keys, first=True)
        offered = keys.get("AuthMethod", "None").split(",")
        if a.user:
            if "CHAP" not in offered:
                self.refuse(0x0201, "initiator does not offer CHAP")
            self.login_rsp(0x00, pairs=[("TargetPortalGroupTag", "1"), ("AuthMethod", "CHAP")])
            return self.chap()
        if "None" not in offered:
            self.refuse(0x0201, "initiator does not offer AuthMethod=None")
        pairs = [("TargetPortalGroupTag", "1"), ("AuthMethod", "None")]
        if flags & 0x80:
            self.login_rsp(0x80 | 0x01, pairs=pairs)
        else:
            self.login_rsp(0x00, pairs=pairs)
            flags, keys, _ = self.read_login()
            while not flags & 0x80 and (flags >> 2) & 3 == 0:
                self.login_rsp(0x00)
                flags, keys, _ = self.read_login()
            if (flags >> 2) & 3 != 0:
                return self.operational(flags, keys)
            self.login_rsp(0x80 | 0x01)
        return self.operational_loop()

    def chap(self):
        a, m, sh = self.a, self.m, self.sh
        flags, keys, _ = self.read_login()
        if "CHAP_A" not in keys:
            self.refuse(0x0207, "no CHAP_A")
        offered = [int(x) for x in keys["CHAP_A"].split(",") if x.strip().isdigit()]
        self.log("initiator offers CHAP_A=%s" % keys["CHAP_A"])
        hashes = TGT_CHAP_HASH if "sha1-as-7" in m else CHAP_HASH
        if "chap-alg" in m:
            alg = int(m["chap-alg"])
            self.log("answering CHAP_A=%d (initiator offered %s)" % (alg, keys["CHAP_A"]))
        elif "sha1-as-7" in m:
            alg = next((x for x in offered if x in hashes), None)
            self.log("sha1-as-7: initiator offered %s, picking %s" % (keys["CHAP_A"], alg))
            if alg is None:
                self.login_rsp(0x00, pairs=[("CHAP_A", "Reject")])
                raise Closed("no common CHAP algorithm")
        else:
            alg = next((x for x in offered if x in CHAP_HASH), None)
            if alg is None:
                self.login_rsp(0x00, pairs=[("CHAP_A", "Reject")])
                raise Closed("no common CHAP algorithm")
        clen = CHAP_HASH[alg]().digest_size if alg in CHAP_HASH else 16
        ident = os.urandom(1)[0]
        chal = os.urandom(clen)
        with sh.lock:
            seen = sh.seen_challenge
        reflect_earlier = "reflect" in m or "reflect-earlier" in m
        if reflect_earlier and seen is not None:
            ident, chal = seen
            self.log("reflect: sending the initiator's challenge from an earlier login as ours")
        self.log("CHAP %s: CHAP_I=%d challenge %d bytes" % (CHAP_NAME.get(alg, "alg %d" % alg), ident, len(chal)))
        self.login_rsp(0x00, pairs=[("CHAP_A", str(alg)), ("CHAP_I", str(ident)),
                                    ("CHAP_C", "0x" + chal.hex())])
        flags, keys, _ = self.read_login()
        if alg not in CHAP_HASH:
            self.refuse(0x0201, "initiator answered CHAP_A=%d, which this target cannot check" % alg)
        if "CHAP_N" not in keys or "CHAP_R" not in keys:
            self.refuse(0x0201, "no CHAP_N/CHAP_R")
        try:
            resp = decode_value(keys["CHAP_R"])
        except ValueError as e:
            self.refuse(0x0201, "bad CHAP_R: %s" % e)
        if "sha1-as-7" in m and len(resp) != hashes[alg]().digest_size:
            self.refuse(0x0200, "sha1-as-7: CHAP_R of %d bytes, want %d" % (len(resp), hashes[alg]().digest_size))
        want = chap_response(alg, ident, a.secret, chal, hashes)
        ok = keys["CHAP_N"] == a.user and resp == want
        self.log("initiator CHAP response for user %r: %s" % (keys["CHAP_N"], "correct" if ok else "WRONG"))
        if "auth-fail" in m:
            self.refuse(0x0201, "auth-fail mode")
        if not ok:
            self.refuse(0x0201, "wrong CHAP_N or CHAP_R")
        pairs = []
        if "CHAP_C" in keys:
            try:
                ri = int(keys.get("CHAP_I", "x"), 0)
                rc = decode_value(keys["CHAP_C"])
            except ValueError as e:
                self.refuse(0x0201, "bad mutual CHAP_I/CHAP_C: %s" % e)
            if rc == chal:
                self.refuse(0x0201, "initiator reflected our challenge")
            with sh.lock:
                sh.seen_challenge = (ri, rc)
            if seen is not None and reflect_earlier:
                self.log("reflect: initiator's new challenge %s the reflected one" %
                         ("EQUALS" if (ri, rc) == seen else "differs from"))
            if not a.reverse_user:
                self.refuse(0x0201, "initiator asks for mutual CHAP, target has no outgoing account")
            if "reflect" in m:
                # hand the initiator its own challenge back, as a new round, instead of proving ourselves
                self.log("reflect: sending the initiator's own CHAP_I=%d/CHAP_C back" % ri)
                self.login_rsp(0x00, pairs=[("CHAP_A", str(alg)), ("CHAP_I", str(ri)),
                                            ("CHAP_C", keys["CHAP_C"])])
                flags, keys, _ = self.read_login()
                if "CHAP_R" in keys:
                    try:
                        r2 = decode_value(keys["CHAP_R"])
                    except ValueError:
                        r2 = b""
                    if r2 == chap_response(alg, ri, a.secret, rc) or r2 == chap_response(alg, ri, a.reverse_secret, rc):
                        self.log("reflect: INITIATOR ANSWERED ITS OWN CHALLENGE")
                    else:
                        self.log("reflect: initiator sent a CHAP_R that does not answer its own challenge")
                self.refuse(0x0201, "reflect mode ends the login")
            if "mutual-skip" in m:
                self.log("mutual-skip: not sending CHAP_N/CHAP_R")
            else:
                secret = a.reverse_secret
                if "mutual-wrong" in m:
                    secret = b"not-the-reverse-secret"
                    self.log("mutual-wrong: proving ourselves with a wrong secret")
                if "mutual-forward" in m:
                    secret = a.secret
                    self.log("mutual-forward: proving ourselves with the initiator's secret")
                pairs = [("CHAP_N", a.reverse_user),
                         ("CHAP_R", "0x" + chap_response(alg, ri, secret, rc, hashes).hex())]
        elif a.reverse_user and "reflect" in m:
            self.log("reflect: initiator did not ask for mutual CHAP")
        if flags & 0x80 and (flags & 3) == 1:
            self.login_rsp(0x80 | 0x01, pairs=pairs)
        else:
            self.login_rsp(0x00, pairs=pairs)
            flags, keys, _ = self.read_login()
            while (flags >> 2) & 3 == 0 and not flags & 0x80:
                self.login_rsp(0x00)
                flags, keys, _ = self.read_login()
            if (flags >> 2) & 3 == 0:
                self.login_rsp(0x80 | 0x01)
            else:
                return self.operational(flags, keys)
        return self.operational_loop()

    def operational_loop(self):
        flags, keys, _ = self.read_login()
        return self.operational(flags, keys)

    def answer_key(self, k, v):
        def num(x):
            return int(x, 0)
        if k in ("HeaderDigest", "DataDigest"):
            offered = v.split(",")
            pick = "None"
            for o in offered:
                if o == "CRC32C" and self.a.digests:
                    pick = o
                    break
                if o == "None":
                    pick = o
                    break
            return pick
        if k == "MaxRecvDataSegmentLength":
            self.max_send_dsl = num(v)
            return str(self.a.max_recv_dsl)
        if k == "MaxBurstLength":
            self.max_burst = min(num(v), 262144)
            return str(self.max_burst)
        if k == "FirstBurstLength":
            return str(min(num(v), 65536))
        if k in ("MaxConnections", "MaxOutstandingR2T"):
            return str(min(num(v), 1))
        if k == "ErrorRecoveryLevel":
            return str(min(num(v), 0))
        if k == "DefaultTime2Wait":
            return str(max(num(v), 0))
        if k == "DefaultTime2Retain":
            return str(min(num(v), 0))
        if k in ("InitialR2T", "DataPDUInOrder", "DataSequenceInOrder"):
            return "Yes"                                # OR with our Yes
        if k in ("ImmediateData",):
            return "Yes" if v == "Yes" else "No"        # AND with our Yes
        if k in ("IFMarker", "OFMarker"):
            return "No"
        if k in ("InitiatorAlias", "TargetName", "InitiatorName", "SessionType", "AuthMethod"):
            return None
        return "NotUnderstood"

    def operational(self, flags, keys_dict, first=False):
        hd = dd = False
        while True:
            answers = [("TargetPortalGroupTag", "1")] if first else []
            first = False
            for k, v in keys_dict.items():
                ans = self.answer_key(k, v)
                if ans is None:
                    continue
                if k == "HeaderDigest":
                    hd = ans == "CRC32C"
                if k == "DataDigest":
                    dd = ans == "CRC32C"
                answers.append((k, ans))
            if flags & 0x80 and (flags & 3) == 3:
                self.tsih = self.sh.tsih
                with self.sh.lock:
                    self.sh.tsih += 1
                self.login_rsp(0x80 | (1 << 2) | 3, pairs=answers, tsih=self.tsih)
                break
            self.login_rsp(1 << 2, pairs=answers)
            flags, keys_dict, _ = self.read_login()
        self.hd, self.dd = hd, dd
        self.log("login complete: TSIH %d, digests header %s data %s, initiator MaxRecvDataSegmentLength %d" %
                 (self.tsih, "CRC32C" if hd else "None", "CRC32C" if dd else "None", self.max_send_dsl))

    # ---- full feature phase ---------------------------------------------------------------
    def violation(self, what):
        self.stats["violations"] += 1
        self.log("VIOLATION: " + what)

    def check_sn(self, bhs):
        """RFC 7143 §4.2.2: a non-immediate command carries ExpCmdSN and advances it, an
        immediate one carries it without advancing; ExpStatSN never runs ahead of the
        StatSN we have given out (serial arithmetic, RFC 1982)"""
        immediate = bhs[0] & 0x40
        cmdsn, expstatsn = struct.unpack_from(">II", bhs, 24)
        if cmdsn != self.expcmdsn:
            self.violation("%s CmdSN %d, expected %d" % ("immediate" if immediate else "non-immediate",
                                                        cmdsn, self.expcmdsn))
        if not immediate:
            self.expcmdsn = (cmdsn + 1) & 0xFFFFFFFF
        if 0 < (expstatsn - self.statsn) & 0xFFFFFFFF < 0x80000000:
            self.violation("ExpStatSN %d ahead of the next StatSN %d" % (expstatsn, self.statsn))

    def scsi_rsp(self, itt, status, sense=b"", residual=0, under=False):
        b = bytearray(48)
        b[0] = OP_SCSI_RSP
        b[1] = 0x80 | (0x02 if under and residual else 0)
        b[2] = 0
        b[3] = status
        struct.pack_into(">I", b, 16, itt)
        self.sn_fields(b, self.next_statsn())
        struct.pack_into(">I", b, 44, residual)
        data = (struct.pack(">H", len(sense)) + sense) if sense else b""
        self.send_pdu(b, data)

    def check(self, itt, key, asc, ascq, what):
        self.log("%s: CHECK CONDITION %02x/%02x/%02x" % (what, key, asc, ascq))
        self.scsi_rsp(itt, 0x02, sense_fixed(key, asc, ascq))

    def data_in(self, lun, itt, data, edtl, no_residual=False):
        """data as Data-In PDUs of at most the initiator's MaxRecvDataSegmentLength, the
        status in the last one (S bit); residual when data was cut to the EDTL (none at
        all with no_residual, whatever the length)"""
        sh = self.sh
        send = data[:edtl]
        residual = len(data) - len(send) if len(data) > edtl else edtl - len(data)
        under = len(data) < edtl and not no_residual
        over = len(data) > edtl and not no_residual
        if not send:
            self.scsi_rsp(itt, 0, residual=residual, under=under)
            return
        off = 0
        datasn = 0
        while off < len(send):
            n = min(self.max_send_dsl, len(send) - off)
            last = off + n == len(send)
            b = bytearray(48)
            b[0] = OP_DATA_IN
            b[1] = (0x80 | 0x01 | (0x02 if under else 0) | (0x04 if over else 0)) if last else 0
            b[8:16] = lun
            struct.pack_into(">I", b, 16, itt)
            struct.pack_into(">I", b, 20, 0xFFFFFFFF)
            if last:
                self.sn_fields(b, self.next_statsn())
                b[3] = 0
                struct.pack_into(">I", b, 44, residual if (under or over) else 0)
            else:
                self.sn_fields(b, 0)
            struct.pack_into(">II", b, 36, datasn, off)
            if sh.drop_after is not None:
                with sh.lock:
                    drop = not sh.dropped and sh.datain_total >= sh.drop_after
                    if drop:
                        sh.dropped = True
                if drop:
                    self.log("drop-after=%d: closing the connection in the middle of a read" % sh.drop_after)
                    raise Closed("dropped on purpose")
            self.send_pdu(b, send[off:off + n])
            self.stats["datain"] += 1
            with sh.lock:
                sh.datain_total += 1
            off += n
            datasn += 1

    def scsi(self, bhs, data):
        sh = self.sh
        lun = bhs[8:16]
        itt = struct.unpack_from(">I", bhs, 16)[0]
        edtl = struct.unpack_from(">I", bhs, 20)[0]
        cdb = bhs[32:48]
        op = cdb[0]
        lun_no = ((lun[0] & 0x3F) << 8) | lun[1]
        if self.never_succeeds(op, cdb, itt):
            return
        name = {0x00: "TEST UNIT READY", 0x12: "INQUIRY", 0x25: "READ CAPACITY(10)", 0x9E: "SERVICE ACTION IN(16)",
                0x28: "READ(10)", 0x88: "READ(16)", 0xA0: "REPORT LUNS", 0x1A: "MODE SENSE(6)",
                0x2A: "WRITE(10)", 0x8A: "WRITE(16)", 0x35: "SYNCHRONIZE CACHE(10)",
                0x91: "SYNCHRONIZE CACHE(16)"}.get(op, "opcode 0x%02x" % op)
        if bhs[1] & 0x20 and sh.writable and op in (0x2A, 0x8A) and ((lun[0] & 0x3F) << 8 | lun[1]) == 1:
            self.write_cmd(bhs, data, name)
            return
        if bhs[1] & 0x20:
            self.check(itt, 0x05, 0x20, 0x00, name + " (write: not supported)")
            return
        if op == 0xA0:
            alloc = struct.unpack_from(">I", cdb, 6)[0]
            rsp = struct.pack(">I", 8) + b"\0" * 4 + bytes([0, 1, 0, 0, 0, 0, 0, 0])
            self.data_in(lun, itt, rsp[:alloc], edtl)
            return
        if op == 0x12:
            alloc = struct.unpack_from(">H", cdb, 3)[0]
            if cdb[1] & 1:
                page = cdb[2]
                pt = 0x00 if lun_no == 1 else 0x7F
                if page == 0x00:
                    rsp = bytes([pt, 0x00, 0, 3, 0x00, 0x80, 0x83])
                elif page == 0x80:
                    sn = b"FAKE0001"
                    rsp = bytes([pt, 0x80, 0, len(sn)]) + sn
                elif page == 0x83:
                    ident = b"WBFAKE  " + self.a.target.encode()[:40]
                    desc = bytes([0x02, 0x01, 0, len(ident)]) + ident
                    rsp = bytes([pt, 0x83]) + struct.pack(">H", len(desc)) + desc
                else:
                    self.check(itt, 0x05, 0x24, 0x00, name + " page 0x%02x" % page)
                    return
            else:
                rsp = bytearray(36)
                rsp[0] = 0x00 if lun_no == 1 else 0x7F    # qualifier 3 type 0x1f: no LUN here
                rsp[2] = 0x05
                rsp[3] = 0x02
                rsp[4] = 31
                rsp[8:16] = b"WBFAKE  "
                rsp[16:32] = b"FAKETARGET      "
                rsp[32:36] = b"0001"
                rsp = bytes(rsp)
            self.log("%s on LUN %d" % (name, lun_no))
            self.data_in(lun, itt, rsp[:alloc], edtl)
            return
        if lun_no != 1:
            self.check(itt, 0x05, 0x25, 0x00, "%s on LUN %d (no such LUN)" % (name, lun_no))
            return
        with sh.lock:
            ua = sh.ua_left > 0
            if ua:
                sh.ua_left -= 1
            nr = not ua and sh.not_ready_left > 0
            if nr:
                sh.not_ready_left -= 1
        if ua:
            self.check(itt, 0x06, 0x29, 0x00, name + " (ua-once: UNIT ATTENTION, power on or reset)")
            return
        if nr:
            self.check(itt, 0x02, 0x04, 0x01, name + " (not-ready: becoming ready, %d left)" % sh.not_ready_left)
            return
        if op == 0x00:
            self.scsi_rsp(itt, 0)
            return
        if op == 0x25:
            last = min(sh.blocks - 1, 0xFFFFFFFF)
            self.log("%s: %d blocks of %d" % (name, sh.blocks, sh.bs))
            self.data_in(lun, itt, struct.pack(">II", last, sh.bs), edtl)
            return
        if op == 0x9E and cdb[1] & 0x1F == 0x10:
            alloc = struct.unpack_from(">I", cdb, 10)[0]
            rsp = struct.pack(">QI", sh.blocks - 1, sh.bs) + b"\0" * 20
            self.log("READ CAPACITY(16): %d blocks of %d" % (sh.blocks, sh.bs))
            self.data_in(lun, itt, rsp[:alloc], edtl)
            return
        if op in (0x35, 0x91) and sh.writable:
            self.scsi_rsp(itt, 0)
            return
        if op == 0x1A:
            alloc = cdb[4]
            rsp = bytes([3, 0, 0, 0])
            self.data_in(lun, itt, rsp[:alloc], edtl)
            return
        if op in (0x28, 0x88):
            if op == 0x28:
                lba = struct.unpack_from(">I", cdb, 2)[0]
                n = struct.unpack_from(">H", cdb, 7)[0]
            else:
                lba = struct.unpack_from(">Q", cdb, 2)[0]
                n = struct.unpack_from(">I", cdb, 10)[0]
            if lba + n > sh.blocks:
                self.check(itt, 0x05, 0x21, 0x00, "%s LBA %d+%d beyond %d blocks" % (name, lba, n, sh.blocks))
                return
            if sh.read_delay:
                time.sleep(sh.read_delay)
            self.stats["reads"] += 1
            blocks = sh.read_blocks(lba, n)
            if sh.inexact_read and sh.take_inexact():
                self.inexact_read(lun, itt, name, lba, n, blocks, edtl)
            else:
                self.data_in(lun, itt, blocks, edtl)
            with sh.lock:
                sh.reads += 1
                send_async = (sh.async_after is not None and not sh.async_sent and sh.reads >= sh.async_after)
                if send_async:
                    sh.async_sent = True
            if send_async:
                self.async_logout()
            return
        self.check(itt, 0x05, 0x20, 0x00, name + " (not supported)")

    def never_succeeds(self, op, cdb, itt):
        """modes drop-on-* (raises Closed) and stall-on-* (True: swallowed, window closed)"""
        m = self.m
        if not any(k in m for k in ("drop-on-read", "drop-on-op", "stall-on-read", "stall-on-op")):
            return False
        lba = n = None
        if op == 0x28:
            lba, n = struct.unpack_from(">I", cdb, 2)[0], struct.unpack_from(">H", cdb, 7)[0]
        elif op == 0x88:
            lba, n = struct.unpack_from(">Q", cdb, 2)[0], struct.unpack_from(">I", cdb, 10)[0]

        def hit(kind):
            if kind + "-op" in m and op == int(m[kind + "-op"], 0):
                return "opcode 0x%02x" % op
            if kind + "-read" in m and lba is not None and lba <= int(m[kind + "-read"], 0) < lba + n:
                return "READ LBA %d+%d" % (lba, n)
            return None
        what = hit("drop-on")
        if what:
            self.log("drop-on: %s (ITT 0x%08x): closing the connection" % (what, itt))
            raise Closed("dropped on purpose")
        what = hit("stall-on")
        if what:
            self.log("stall-on: %s (ITT 0x%08x) never answered; CmdSN window closed" % (what, itt))
            self.window = 0
            return True
        return False

    def inexact_read(self, lun, itt, name, lba, n, data, edtl):
        """answer a READ with GOOD status but not exactly (modes underflow, overflow, short-data)"""
        kind = self.sh.inexact_read
        half = (len(data) // 2) & ~3
        self.log("inexact: %s LBA %d+%d answered with %s (EDTL %d)" % (name, lba, n, kind, edtl))
        if kind == "underflow-full":
            self.scsi_rsp(itt, 0, residual=edtl, under=True)
        elif kind == "underflow-partial":
            self.data_in(lun, itt, data[:half], edtl)
        elif kind == "overflow":
            self.data_in(lun, itt, data + b"\0" * self.sh.bs, edtl)
        else:
            self.data_in(lun, itt, data[:half], edtl, no_residual=True)

    # ---- writes (mode writable): immediate data, then one R2T at a time -----------------
    def write_cmd(self, bhs, data, name):
        sh = self.sh
        itt = struct.unpack_from(">I", bhs, 16)[0]
        edtl = struct.unpack_from(">I", bhs, 20)[0]
        cdb = bhs[32:48]
        if cdb[0] == 0x2A:
            lba = struct.unpack_from(">I", cdb, 2)[0]
            n = struct.unpack_from(">H", cdb, 7)[0]
        else:
            lba = struct.unpack_from(">Q", cdb, 2)[0]
            n = struct.unpack_from(">I", cdb, 10)[0]
        if lba + n > sh.blocks or edtl != n * sh.bs or len(data) > edtl:
            self.check(itt, 0x05, 0x21, 0x00, "%s LBA %d+%d EDTL %d: out of range" % (name, lba, n, edtl))
            return
        w = {"itt": itt, "name": name, "lba": lba, "n": n, "edtl": edtl, "buf": bytearray(edtl),
             "got": len(data), "r2t_end": 0, "ttt": None, "r2tsn": 0}
        w["buf"][:len(data)] = data
        self.writes[itt] = w
        self.write_progress(w)

    def write_progress(self, w):
        if w["got"] < w["edtl"]:
            k = min(self.max_burst, w["edtl"] - w["got"])
            self.r2t_ttt += 1
            w["ttt"] = self.r2t_ttt
            w["r2t_end"] = w["got"] + k
            b = bytearray(48)
            b[0] = 0x31            # R2T
            b[1] = 0x80
            b[9] = 1
            struct.pack_into(">II", b, 16, w["itt"], w["ttt"])
            self.sn_fields(b, self.statsn)      # §11.8: StatSN not advanced
            struct.pack_into(">III", b, 36, w["r2tsn"], w["got"], k)
            w["r2tsn"] += 1
            self.send_pdu(b)
            return
        del self.writes[w["itt"]]
        self.sh.write_blocks(w["lba"], bytes(w["buf"]))
        if self.sh.inexact_write and self.sh.take_inexact():
            self.log("inexact: %s LBA %d+%d answered GOOD with an underflow residual of %d" %
                     (w["name"], w["lba"], w["n"], w["edtl"] // 2))
            self.scsi_rsp(w["itt"], 0, residual=w["edtl"] // 2, under=True)
            return
        self.scsi_rsp(w["itt"], 0)

    def data_out(self, bhs, data):
        itt = struct.unpack_from(">I", bhs, 16)[0]
        ttt = struct.unpack_from(">I", bhs, 20)[0]
        off = struct.unpack_from(">I", bhs, 40)[0]
        w = self.writes.get(itt)
        if w is None or ttt != w["ttt"] or off != w["got"] or off + len(data) > w["r2t_end"]:
            self.violation("Data-Out ITT 0x%08x TTT 0x%08x offset %d length %d does not match an R2T" %
                           (itt, ttt, off, len(data)))
            raise Closed("bad Data-Out")
        w["buf"][off:off + len(data)] = data
        w["got"] += len(data)
        if bhs[1] & 0x80:
            if w["got"] != w["r2t_end"]:
                self.violation("Data-Out F bit before the R2T's end")
                raise Closed("bad Data-Out")
            self.write_progress(w)

    def async_logout(self):
        b = bytearray(48)
        b[0] = OP_ASYNC
        b[1] = 0x80
        struct.pack_into(">I", b, 16, 0xFFFFFFFF)
        self.sn_fields(b, self.next_statsn())
        b[36] = 1        # AsyncEvent 1: target requests Logout
        b[37] = 0
        struct.pack_into(">HHH", b, 38, 0, 0, 10)   # Parameter3: log out within 10 s
        self.log("async-logout-after=%d: Async Message AsyncEvent=1 (logout requested)" % self.sh.async_after)
        self.send_pdu(b)

    def nop_out(self, bhs, data):
        itt = struct.unpack_from(">I", bhs, 16)[0]
        ttt = struct.unpack_from(">I", bhs, 20)[0]
        if itt == 0xFFFFFFFF:
            if ttt in self.nops_out:
                del self.nops_out[ttt]
                self.stats["nop_in_answered"] += 1
                self.log("NOP-Out answers our NOP-In TTT 0x%08x" % ttt)
            else:
                self.log("NOP-Out with ITT 0xffffffff and unknown TTT 0x%08x" % ttt)
            return
        b = bytearray(48)
        b[0] = OP_NOP_IN
        b[1] = 0x80
        b[8:16] = bhs[8:16]
        struct.pack_into(">II", b, 16, itt, 0xFFFFFFFF)
        self.sn_fields(b, self.next_statsn())
        self.send_pdu(b, data)

    def nop_in(self):
        ttt = self.nop_ttt
        self.nop_ttt += 1
        b = bytearray(48)
        b[0] = OP_NOP_IN
        b[1] = 0x80
        b[9] = 1
        struct.pack_into(">II", b, 16, 0xFFFFFFFF, ttt)
        self.sn_fields(b, self.statsn)      # §11.19: StatSN not advanced for a ping
        self.nops_out[ttt] = time.monotonic()
        self.stats["nop_in_sent"] += 1
        self.log("NOP-In ping TTT 0x%08x" % ttt)
        self.send_pdu(b, b"ping")

    def logout(self, bhs):
        itt = struct.unpack_from(">I", bhs, 16)[0]
        b = bytearray(48)
        b[0] = OP_LOGOUT_RSP
        b[1] = 0x80
        b[2] = 0
        struct.pack_into(">I", b, 16, itt)
        self.sn_fields(b, self.next_statsn())
        self.log("Logout (reason %d): ok" % (bhs[1] & 0x7F))
        self.send_pdu(b)

    def text(self, bhs, data):
        """Text Request: SendTargets (RFC 7143 §11.10, Appendix C); other keys NotUnderstood"""
        itt = struct.unpack_from(">I", bhs, 16)[0]
        if bhs[1] & 0x40:
            self.log("Text Request with the C bit: Reject")
            self.reject(bhs, 0x04)
            return
        pairs = []
        for k, v in parse_text(data):
            if k == "SendTargets" and v in ("All", self.a.target, ""):
                pairs += [("TargetName", self.a.target), ("TargetAddress", self.a.listen + ",1")]
                self.log("SendTargets=%s: %s at %s" % (v or "(empty)", self.a.target, self.a.listen))
            else:
                pairs.append((k, "NotUnderstood"))
        b = bytearray(48)
        b[0] = OP_TEXT_RSP
        b[1] = 0x80
        struct.pack_into(">II", b, 16, itt, 0xFFFFFFFF)
        self.sn_fields(b, self.next_statsn())
        self.send_pdu(b, build_text(pairs))

    def reject(self, bhs, reason):
        b = bytearray(48)
        b[0] = OP_REJECT
        b[1] = 0x80
        b[2] = reason
        struct.pack_into(">I", b, 16, 0xFFFFFFFF)
        self.sn_fields(b, self.next_statsn())
        self.send_pdu(b, bytes(bhs))

    def feature_phase(self):
        sh = self.sh
        self.full = True
        if sh.nop_every:
            self.next_nop = time.monotonic() + sh.nop_every
        if "nop-in-first" in self.m:
            self.nop_in()
        while True:
            timeout = None
            if self.next_nop is not None:
                timeout = max(0.0, self.next_nop - time.monotonic())
            got = self.recv_pdu(timeout=timeout)
            if self.next_nop is not None and time.monotonic() >= self.next_nop:
                self.nop_in()
                self.next_nop = time.monotonic() + sh.nop_every
            if got is None:
                continue
            bhs, data = got
            op = bhs[0] & 0x3F
            if op in (OP_SCSI_CMD, OP_NOP_OUT, OP_LOGOUT_REQ, OP_TEXT_REQ, OP_TMF_REQ):
                self.check_sn(bhs)
            if op == OP_SCSI_CMD and self.session_type == "Discovery":
                self.log("SCSI command in a discovery session: Reject")
                self.reject(bhs, 0x04)
            elif op == OP_SCSI_CMD:
                self.scsi(bhs, data)
            elif op == OP_DATA_OUT and self.sh.writable:
                self.data_out(bhs, data)
            elif op == OP_NOP_OUT:
                self.nop_out(bhs, data)
            elif op == OP_LOGOUT_REQ:
                self.logout(bhs)
                return
            elif op == OP_TEXT_REQ:
                self.text(bhs, data)
            else:
                self.log("opcode 0x%02x not supported: Reject" % op)
                self.reject(bhs, 0x04)    # command not supported

    def run(self):
        self.log("connection from %s:%d" % self.peer)
        try:
            self.login()
            self.feature_phase()
        except Closed as e:
            self.log("closing: %s" % e)
        except (ConnectionError, OSError) as e:
            self.log("connection error: %s" % e)
        except Exception as e:   # a bug here must show in the test log, not kill the server
            self.log("internal error: %r" % e)
            import traceback
            traceback.print_exc()
        finally:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
            self.log("stats: " + " ".join("%s=%d" % kv for kv in self.stats.items()) +
                     " nop_in_unanswered=%d" % len(self.nops_out))


def main():
    p = argparse.ArgumentParser(description="scripted iSCSI test target")
    p.add_argument("--listen", required=True, help="ADDR:PORT")
    p.add_argument("--target", required=True, help="target IQN")
    p.add_argument("--lun", required=True, help="file backing LUN 1")
    p.add_argument("--block-size", type=int, default=512)
    p.add_argument("--user", default="", help="CHAP user (secret: FAKETARGET_SECRET)")
    p.add_argument("--reverse-user", default="", help="mutual CHAP user (secret: FAKETARGET_REVERSE_SECRET)")
    p.add_argument("--digests", action="store_true", help="accept CRC32C digests")
    p.add_argument("--max-recv-dsl", type=int, default=65536)
    p.add_argument("--mode", action="append", default=[])
    a = p.parse_args()
    a.secret = os.environ.get("FAKETARGET_SECRET", "").encode()
    a.reverse_secret = os.environ.get("FAKETARGET_REVERSE_SECRET", "").encode()
    if a.user and not a.secret:
        raise SystemExit("faketarget: --user needs FAKETARGET_SECRET")
    if a.reverse_user and not a.reverse_secret:
        raise SystemExit("faketarget: --reverse-user needs FAKETARGET_REVERSE_SECRET")
    sh = Shared(a)
    host, _, port = a.listen.rpartition(":")
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, int(port)))
    srv.listen(8)
    log("listening on %s, target %s, LUN 1 = %s (%d blocks of %d), modes %s" %
        (a.listen, a.target, a.lun, sh.blocks, sh.bs,
         ",".join(k + ("=" + v if v else "") for k, v in sh.modes.items()) or "none"))
    while True:
        s, peer = srv.accept()
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=Conn(sh, s, peer).run, daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
