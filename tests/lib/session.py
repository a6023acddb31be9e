"""An interactive QEMU session for tests that type on the serial line and
wait for answers (tests/integration/test_61_linux.py).

QEMU runs in its own process group with a deadline; a reader thread
collects its output. wait_for() blocks until a regex matches a line after
the last match, or fails with the last lines seen; type() writes to the
serial line. close() ends QEMU (killing its group if it has not stopped by
itself) and returns the whole output.
"""
import codecs
import os
import re
import signal
import subprocess
import threading
import time


class SessionError(Exception):
    pass


class Session:
    def __init__(self, args, timeout):
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.buf = ""
        self.pos = 0  # where the next wait_for() starts looking
        self.lock = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        # Incremental: a character or a \r\n may straddle two reads.
        dec = codecs.getincrementaldecoder("utf-8")("replace")
        while True:
            data = self.proc.stdout.read1(4096)
            with self.lock:
                if not data:
                    self.lock.notify_all()
                    return
                self.buf += dec.decode(data).replace("\r", "")
                self.lock.notify_all()

    def last_lines(self, n=8):
        with self.lock:
            return " | ".join(self.buf.strip().splitlines()[-n:])

    def wait_for(self, pattern, timeout=None):
        """The first match of @pattern (multiline) after the previous
        match; raises SessionError on timeout or QEMU's exit."""
        rx = re.compile(pattern, re.M)
        end = self.deadline if timeout is None else \
            min(self.deadline, time.monotonic() + timeout)
        with self.lock:
            while True:
                m = rx.search(self.buf, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = end - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and
                                 not self.reader.is_alive()):
                    why = "QEMU exited" if self.proc.poll() is not None \
                        else "timed out"
                    raise SessionError("%s waiting for /%s/; last output: "
                                       "%s" % (why, pattern,
                                               " | ".join(self.buf.strip()
                                                          .splitlines()
                                                          [-8:])))
                self.lock.wait(min(left, 0.5))

    def type(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def close(self, wait=30):
        """Waits up to @wait s for QEMU to stop by itself, then kills its
        process group. Returns (returncode or None if killed, output)."""
        try:
            rc = self.proc.wait(timeout=max(0.1, min(
                wait, self.deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            rc = None
        self.reader.join(5)
        return rc, self.buf
