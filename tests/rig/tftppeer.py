#!/usr/bin/env python3
"""tftppeer.py — a scripted TFTP server for the hosted tests (tests/hosted/tftp.sh).

Serves files from --root; the first path component of the requested name picks a
behaviour, the rest is the file:

  plain/F    ignores every option: DATA 1 straight away (512-byte blocks, lock-step)
  emptyoack/F answers options with an OACK that carries none (so: 512, lock-step)
  err8/F     refuses options with ERROR 8; serves a request without options
  win/F      honours blksize/tsize/windowsize (RFC 7440) properly
  tid/F      like win, but first sends a forged DATA 1 from another port (other
             content); logs 'stray: got ERROR 5' when the client answers it
  dup/F      like win, every DATA sent twice
  ooo/F      like win, swaps two blocks in every window and drops one block once
             per 50 (the client must ask again from its last in-order block)
  lossy/F    like win, drops 1 packet in 5 the first time it is sent
  stall/F    like win, then goes silent after 20 blocks
  bigblk/F   OACK with a blksize larger than asked
  wrongop/F  answers with an ACK instead of DATA
Each transfer's outcome goes to stdout ('done NAME blocks=N resent=N').
"""
import argparse, os, random, socket, struct, sys, threading, time

def log(*a):
    print(*a, flush=True)

def parse_rrq(pkt):
    parts = pkt[2:].split(b'\0')
    name, mode = parts[0].decode(), parts[1].decode().lower()
    opts = {}
    for i in range(2, len(parts) - 1, 2):
        if parts[i]:
            opts[parts[i].decode().lower()] = parts[i + 1].decode()
    return name, mode, opts

def data(block, payload):
    return struct.pack('!HH', 3, block & 0xffff) + payload

def oack(opts):
    return struct.pack('!H', 6) + b''.join(k.encode() + b'\0' + str(v).encode() + b'\0' for k, v in opts.items())

def error(code, msg):
    return struct.pack('!HH', 5, code) + msg.encode() + b'\0'

class Transfer(threading.Thread):
    def __init__(self, args, client, name, opts):
        super().__init__(daemon=True)
        self.args, self.client, self.opts = args, client, opts
        self.mode, _, self.fname = name.lstrip('/').partition('/')
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((args.bind, 0))
        self.sock.settimeout(1.0)
        self.resent = 0

    def send(self, pkt):
        self.sock.sendto(pkt, self.client)

    def wait_ack(self, timeout=1.0):
        """the next ACK block number from the client, or None on timeout"""
        end = time.time() + timeout
        while time.time() < end:
            self.sock.settimeout(max(0.01, end - time.time()))
            try:
                pkt, src = self.sock.recvfrom(70000)
            except socket.timeout:
                return None
            if src != self.client:
                continue
            op = struct.unpack('!H', pkt[:2])[0]
            if op == 4:
                return struct.unpack('!H', pkt[2:4])[0]
            if op == 5:
                log('client error', struct.unpack('!H', pkt[2:4])[0], pkt[4:-1].decode(errors='replace'))
                raise EOFError
        return None

    def run(self):
        try:
            self.serve()
        except EOFError:
            log('aborted', self.mode, self.fname)
        except Exception as e:  # a test peer: say what broke
            log('exception', self.mode, repr(e))
        finally:
            self.sock.close()

    def serve(self):
        path = os.path.join(self.args.root, self.fname)
        if not os.path.isfile(path):
            self.send(error(1, 'File not found'))
            return
        content = open(path, 'rb').read()
        m = self.mode
        blksize, window, agreed = 512, 1, {}
        if m == 'err8' and self.opts:
            self.send(error(8, 'options refused'))
            return
        if m == 'wrongop':
            self.send(struct.pack('!HH', 4, 1))
            return
        if m not in ('plain', 'err8') and self.opts:
            if m == 'emptyoack':
                agreed = {}
            elif m == 'bigblk':
                agreed = {'blksize': int(self.opts.get('blksize', 512)) + 100}
            else:
                if 'blksize' in self.opts:
                    blksize = int(self.opts['blksize'])
                    agreed['blksize'] = blksize
                if 'tsize' in self.opts:
                    agreed['tsize'] = len(content)
                if 'windowsize' in self.opts:
                    window = int(self.opts['windowsize'])
                    agreed['windowsize'] = window
            for _ in range(6):
                self.send(oack(agreed))
                a = self.wait_ack()
                if a == 0:
                    break
                if m == 'bigblk':
                    return
            else:
                log('no ACK 0')
                return
            if m == 'tid':   # the transfer ID is known now: a forged DATA 1 from elsewhere
                stray = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                stray.bind((self.args.bind, 0))
                stray.sendto(data(1, b'X' * len(content[:blksize])), self.client)
                stray.settimeout(3)
                try:
                    pkt, _ = stray.recvfrom(1000)
                    if pkt[:4] == struct.pack('!HH', 5, 5):
                        log('stray: got ERROR 5')
                    else:
                        log('stray: got', pkt[:4].hex())
                except socket.timeout:
                    log('stray: no answer')
                stray.close()
        nblocks = len(content) // blksize + 1
        base = 1            # first block not yet acknowledged
        dropped_once = set()
        tries = 0
        while base <= nblocks:
            end = min(base + window, nblocks + 1)
            order = list(range(base, end))
            if m == 'ooo' and len(order) >= 3:
                order[0], order[1] = order[1], order[0]
            for b in order:
                if m == 'stall' and b > 20:
                    log('stalling')
                    time.sleep(60)
                    return
                if m == 'ooo' and b % 50 == 0 and b not in dropped_once:
                    dropped_once.add(b)
                    continue
                if m == 'lossy' and b not in dropped_once and random.random() < 0.2:
                    dropped_once.add(b)
                    continue
                pkt = data(b, content[(b - 1) * blksize:b * blksize])
                self.send(pkt)
                if m == 'dup':
                    self.send(pkt)
            a = self.wait_ack()
            if a is None:
                tries += 1
                self.resent += 1
                if tries > 8:
                    log('gave up', self.mode, self.fname)
                    return
                continue
            tries = 0
            # the ACK names a 16-bit block: map it into this window
            for b in range(end - 1, base - 2, -1):
                if (b & 0xffff) == a:
                    base = b + 1
                    break
        log('done', self.mode, self.fname, 'blocks=%d' % nblocks, 'resent=%d' % self.resent)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bind', default='192.0.2.1')
    ap.add_argument('--port', type=int, default=69)
    ap.add_argument('--root', required=True)
    args = ap.parse_args()
    random.seed(7)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((args.bind, args.port))
    log('listening on %s:%d' % (args.bind, args.port))
    while True:
        pkt, src = s.recvfrom(2000)
        if struct.unpack('!H', pkt[:2])[0] != 1:
            continue
        name, mode, opts = parse_rrq(pkt)
        log('RRQ', name, mode, opts)
        Transfer(args, src, name, opts).start()

if __name__ == '__main__':
    main()
