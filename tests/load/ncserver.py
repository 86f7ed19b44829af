"""ncserver.py - one "nextcall serve" run by the load drivers, tests/load/load.py and
bench/pg_writes.py (which puts this directory on sys.path): the CLI on its database, start on a
free port of 127.0.0.1, its CPU, memory and threads from /proc, stop with SIGTERM. Python
standard library only.
"""

import os
import signal
import socket
import subprocess
import time


class Server:
    """nextcall on one database (a SQLite path or a postgres:// URL), serving with --threads
    threads; the server's standard output and error go to log_path."""

    def __init__(self, nextcall, db, log_path, threads, cli_timeout=600):
        self.nextcall, self.db, self.log_path, self.threads = nextcall, db, log_path, threads
        self.cli_timeout = cli_timeout
        self.proc = None
        self.port = None
        self.log = None

    def cli(self, *args, stdin=None, check=True):
        """The subprocess.CompletedProcess (text) of "nextcall --db DB ARGS"; with check, a
        non-zero exit raises RuntimeError with the end of its standard error."""
        r = subprocess.run([self.nextcall, "--db", self.db, *args], input=stdin,
                           capture_output=True, text=True, timeout=self.cli_timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"nextcall {' '.join(args)}: exit {r.returncode}: "
                               f"{r.stderr.strip()[-500:]}")
        return r

    def start(self):
        """Starts the server on a free port (self.port) and returns once it accepts
        connections; RuntimeError (with the end of the log) when it exits or does not listen
        within 30 s."""
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [self.nextcall, "--db", self.db, "serve", "--listen", f"127.0.0.1:{self.port}",
             "--threads", str(self.threads)], stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}: "
                                   f"{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not listen within 30 s")

    def rss_kib(self):
        """(VmRSS, RssAnon, RssFile) in KiB, or None when the process is gone."""
        got = {}
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith(("VmRSS:", "RssAnon:", "RssFile:")):
                        got[line.split(":")[0]] = int(line.split()[1])
        except OSError:
            return None
        if "VmRSS" not in got:
            return None
        return got["VmRSS"], got.get("RssAnon", 0), got.get("RssFile", 0)

    def cpu_s(self):
        """User + system CPU seconds of the server so far, or None when the process is gone."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def threads_now(self):
        """The server's thread count, or None when the process is gone."""
        try:
            return len(os.listdir(f"/proc/{self.proc.pid}/task"))
        except OSError:
            return None

    def stop(self, wait_s=15):
        """SIGTERM, then SIGKILL after wait_s seconds; closes the log. (exit status, seconds
        taken), (None, wait_s) when it hung and was killed, (None, 0.0) when never started."""
        rc, took = (self.proc.returncode if self.proc else None), 0.0
        if self.proc and self.proc.poll() is None:
            t0 = time.monotonic()
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(wait_s)
                took = time.monotonic() - t0
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                rc, took = None, wait_s
        if self.log:
            self.log.close()
            self.log = None
        return rc, took

    def log_lines(self):
        """The lines the server wrote so far ([] when there is no log)."""
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return []

    def log_tail(self, n=5):
        """The last n lines of the log on one line, joined by " | "."""
        lines = self.log_lines()
        return " | ".join(lines[-n:]) if lines else "(no log)"
