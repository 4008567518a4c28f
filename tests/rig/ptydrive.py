#!/usr/bin/env python3
"""ptydrive.py — run a program in a real pseudo-terminal and play a person at it.

    ptydrive.py [--log FILE] [--cols N --rows N] STEPS-FILE -- PROGRAM ARGS...

The program gets a new session whose controlling terminal is the pty's slave
side (as a shell in a terminal window gives it), with stdin, stdout and stderr
on it.  Its output is read from the master side; keys are written there.  The
slave's terminal settings (termios: what `stty -g` prints) are saved before
the program starts, so a step can check that the program put them back.

STEPS-FILE holds one step a line (blank lines and lines starting with # are
skipped).  TEXT is a Python string literal body: \\r is Enter, \\x1b[A is Up,
\\x03 is Ctrl-C, \\x04 is Ctrl-D, \\t is Tab.

    expect [-t SECS] REGEX     output after the last match matches REGEX (Python re,
                               on the bytes decoded as latin-1) within SECS (10)
    absent SECS REGEX          output shows no REGEX for SECS seconds
    send TEXT                  type TEXT (all at once)
    type TEXT                  type TEXT one key every 30 ms (as fingers do; an escape
                               sequence such as \x1b[A is one key, one write)
    pause SECS                 wait, reading output
    alive                      the program is still running
    signal NAME                send signal NAME (TERM, INT, HUP...) to the program
    exit [-t SECS] STATUS      the program ends within SECS (10) with STATUS (a number,
                               or SIGNAME for "killed by that signal")
    termios-same               the slave's termios equal those saved before the start
    termios-raw                echo and canonical mode are off now (the program is
                               reading keys one by one)

Each step prints "ok: STEP"; the first failing step prints "FAIL: STEP: why",
the screen so far, and ends the driver with status 1 (the program is killed).
Exit status 0 when every step passed.  The whole output (raw bytes) goes to
--log when given.
"""
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time


class Fail(Exception):
    step = ""


class Pty:
    def __init__(self, argv, cols, rows, log):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.before = termios.tcgetattr(self.slave)
        self.out = b""
        self.mark = 0          # where the next expect starts looking
        self.log = open(log, "wb") if log else None
        slave = self.slave

        def child_setup():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                     preexec_fn=child_setup, close_fds=True)
        # the slave stays open here: its termios can be read after the program
        # ended, and the pty is not hung up under a program that is still running

    def pump(self, secs):
        """Read output for up to @secs (returns early after some arrived)."""
        r, _, _ = select.select([self.master], [], [], max(secs, 0))
        if not r:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            data = b""
        if not data:
            time.sleep(min(secs, 0.05))
            return False
        self.out += data
        if self.log:
            self.log.write(data)
            self.log.flush()
        return True

    def text(self, start=0):
        return self.out[start:].decode("latin-1")

    def send(self, data):
        os.write(self.master, data)


def keys(data):
    """Split typed bytes into keys: an escape sequence (ESC [ params final, ESC O x)
    is one key, sent in one write as a terminal does, so that a slow machine never
    splits it into a lone Esc and text."""
    out, i = [], 0
    while i < len(data):
        j = i + 1
        if data[i] == 0x1b and j < len(data) and data[j] in b"[O":
            j += 1
            while j < len(data) and not 0x40 <= data[j] <= 0x7e:
                j += 1
            j = min(j + 1, len(data))
        out.append(data[i:j])
        i = j
    return out


def unescape(s):
    return s.encode("latin-1").decode("unicode_escape").encode("latin-1")


def run(steps, p):
    for lineno, line in steps:
        try:
            step(p, lineno, line)
        except Fail as e:
            e.step = line
            raise
        print("ok: %s" % line, flush=True)


def step(p, lineno, line):
    if True:
        words = line.split(None, 1)
        op, rest = words[0], (words[1] if len(words) > 1 else "")
        secs = 10.0
        if rest.startswith("-t "):
            parts = rest.split(None, 2)
            secs = float(parts[1])
            rest = parts[2] if len(parts) > 2 else ""
        if op == "expect":
            rx = re.compile(rest)
            end = time.monotonic() + secs
            while True:
                m = rx.search(p.text(p.mark))
                if m:
                    p.mark += m.end()
                    break
                left = end - time.monotonic()
                if left <= 0:
                    raise Fail("no %r within %gs" % (rest, secs))
                if not p.pump(left) and p.proc.poll() is not None and not p.pump(0.2):
                    m = rx.search(p.text(p.mark))
                    if m:
                        p.mark += m.end()
                        break
                    raise Fail("program ended (status %s) before %r" % (p.proc.returncode, rest))
        elif op == "absent":
            t, rx = rest.split(None, 1)
            end = time.monotonic() + float(t)
            start = len(p.out)
            while time.monotonic() < end:
                p.pump(end - time.monotonic())
            if re.search(rx, p.text(start)):
                raise Fail("%r shown" % rx)
        elif op in ("send", "type"):
            data = unescape(rest)
            if op == "send":
                p.send(data)
            else:
                for key in keys(data):
                    p.send(key)
                    p.pump(0.03)
        elif op == "pause":
            end = time.monotonic() + float(rest)
            while time.monotonic() < end:
                p.pump(end - time.monotonic())
        elif op == "alive":
            p.pump(0.05)
            if p.proc.poll() is not None:
                raise Fail("program ended with status %s" % p.proc.returncode)
        elif op == "signal":
            p.proc.send_signal(getattr(signal, "SIG" + rest.strip()))
        elif op == "exit":
            end = time.monotonic() + secs
            while p.proc.poll() is None and time.monotonic() < end:
                p.pump(0.05)
            if p.proc.poll() is None:
                raise Fail("still running after %gs" % secs)
            while p.pump(0.1):
                pass
            rc = p.proc.returncode
            want = rest.strip()
            if want.startswith("SIG"):
                if rc != -getattr(signal, want):
                    raise Fail("status %s, not killed by %s" % (rc, want))
            elif rc != int(want):
                raise Fail("status %s, want %s" % (rc, want))
        elif op == "termios-same":
            now = termios.tcgetattr(p.slave)
            if now != p.before:
                names = ["iflag", "oflag", "cflag", "lflag", "ispeed", "ospeed", "cc"]
                diff = [n for n, a, b in zip(names, p.before, now) if a != b]
                raise Fail("terminal settings changed: %s" % ", ".join(diff))
        elif op == "termios-raw":
            lflag = termios.tcgetattr(p.slave)[3]
            if lflag & (termios.ICANON | termios.ECHO):
                raise Fail("canonical mode or echo still on")
        else:
            raise Fail("unknown step %r (line %d)" % (op, lineno))


def main():
    args = sys.argv[1:]
    log, cols, rows = None, 120, 30
    while args and args[0].startswith("--") and args[0] != "--":
        opt = args.pop(0)
        if opt == "--log":
            log = args.pop(0)
        elif opt == "--cols":
            cols = int(args.pop(0))
        elif opt == "--rows":
            rows = int(args.pop(0))
        else:
            sys.exit("ptydrive: unknown option " + opt)
    if len(args) < 3 or args[1] != "--":
        sys.exit(__doc__)
    steps = []
    with open(args[0]) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                steps.append((n, line.strip()))
    p = Pty(args[2:], cols, rows, log)
    try:
        run(steps, p)
    except Fail as e:
        print("FAIL: %s: %s" % (e.step, e), flush=True)
        print("---- screen so far (cat -v) ----")
        txt = p.text()
        print(re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: "^" + chr(ord(m.group()) ^ 64), txt))
        print("---- end ----", flush=True)
        if p.proc.poll() is None:
            p.proc.kill()
            p.proc.wait()
        sys.exit(1)
    if p.proc.poll() is None:
        p.proc.kill()
        p.proc.wait()
        print("FAIL: program still running after the last step")
        sys.exit(1)


if __name__ == "__main__":
    main()
