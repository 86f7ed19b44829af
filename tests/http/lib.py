"""lib.py - the machinery of the HTTP tests: the server under test, an HTTP client that checks
every JSON answer against the OpenAPI contract, the case registry and its checks, and helpers
for phones and times. Python 3 standard library only."""

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from datetime import datetime, timedelta, timezone

MSK = timezone(timedelta(hours=3))  # Europe/Moscow, the demo team's zone (no DST)
TIMEOUT = 30

# ---- cases ----

CASES = []


def case(fn):
    """Registers a test case: a function of the context t, named by the function without t_."""
    CASES.append(fn)
    return fn


class Abort(Exception):
    """Stops a case whose further checks make no sense."""


class Failures:
    """The problems found by the running case; schema problems of answers land here too,
    from any thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, msg):
        with self.lock:
            if msg not in self.items:
                self.items.append(msg)


# ---- the server ----

class Report:
    """Counts the cases of a suite run outside run.py's Ctx (tests/multi, tests/crash) and prints
    TAP-like lines: "ok - NAME" or "not ok - NAME" with at most max_reasons reasons."""

    def __init__(self, max_reasons=50):
        self.passed = self.failed = 0
        self.max_reasons = max_reasons

    def result(self, name, problems):
        if problems:
            self.failed += 1
            print(f"not ok - {name}")
            for p in problems[:self.max_reasons]:
                print(f"  # {p}")
            if len(problems) > self.max_reasons:
                print(f"  # ... and {len(problems) - self.max_reasons} more")
        else:
            self.passed += 1
            print(f"ok - {name}")
        sys.stdout.flush()


class Server:
    def __init__(self, nextcall, tmp, args=()):
        self.nextcall = nextcall
        self.tmp = tmp
        self.args = list(args)  # more options of "serve"
        self.db = os.path.join(tmp, "http.db")
        self.log_path = os.path.join(tmp, "server.log")
        self.env = dict(os.environ, NEXTCALL_SYNC="normal")
        self.env.pop("NEXTCALL_DB", None)
        self.env.pop("NEXTCALL_NOW", None)  # the server runs on the real clock
        self.proc = None
        self.port = None

    def cli(self, *args, stdin=None, check=True):
        """Runs nextcall on the test database; gives the CompletedProcess."""
        p = subprocess.run([self.nextcall, "--db", self.db, *args], input=stdin,
                           capture_output=True, text=True, env=self.env, timeout=120)
        if check and p.returncode != 0:
            raise RuntimeError(f"nextcall {' '.join(args)}: exit {p.returncode}: "
                               f"{p.stderr.strip()[:400]}")
        return p

    def token(self, login):
        return self.cli("token", "create", login).stdout.strip()

    @staticmethod
    def free_port():
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        return port

    def start(self):
        self.port = self.free_port()
        self.log = open(self.log_path, "ab")  # "ab": a restart after a crash keeps the log
        self.proc = subprocess.Popen(
            [self.nextcall, "--db", self.db, "serve", "--listen", f"127.0.0.1:{self.port}",
             *self.args],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode} at start")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    c.close()
                    return
                c.close()
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not answer /healthz within 30 s")

    def died(self, probe=False):
        """The exit status when the server is no longer running, else None. With probe, a
        server that does not answer /healthz is given 3 s to finish dying."""
        if not self.proc:
            return None
        if self.proc.poll() is None and probe:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3)
                c.request("GET", "/healthz")
                c.getresponse().read()
                c.close()
            except (OSError, http.client.HTTPException):
                try:
                    self.proc.wait(3)
                except subprocess.TimeoutExpired:
                    pass
        return self.proc.poll()

    def restart(self):
        if getattr(self, "log", None):
            self.log.close()
            self.log = None
        self.start()

    def stop(self, timeout=10):
        """SIGTERM; gives (exit status or None when it did not stop, seconds taken)."""
        if not self.proc or self.proc.poll() is not None:
            return (self.proc.returncode if self.proc else None), 0.0
        t0 = time.time()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            rc = None
        took = time.time() - t0
        return rc, took

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
            self.log = None

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


# ---- the HTTP client ----

class Response:
    def __init__(self, method, path, status, headers, body):
        self.method, self.path, self.status = method, path, status
        self.headers = headers  # [(name, value)] as received
        self.body = body
        self._json = None
        self._parsed = False

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def json(self):
        if not self._parsed:
            self._parsed = True
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                self._json = None
        return self._json

    def get(self, *keys, default=None):
        """A member of the JSON answer by path, or default."""
        v = self.json
        for k in keys:
            if isinstance(v, dict) and k in v:
                v = v[k]
            elif isinstance(v, list) and isinstance(k, int) and -len(v) <= k < len(v):
                v = v[k]
            else:
                return default
        return v

    @property
    def error(self):
        e = self.get("error")
        return e if isinstance(e, dict) else {}

    def short(self):
        b = self.body[:400].decode("utf-8", "replace")
        return f"{self.method} {self.path} -> {self.status} {b}"


class Api:
    """Makes requests and checks every answer against the contract (when one is set)."""

    def __init__(self, port):
        self.port = port
        self.contract = None
        self.failures = None  # the running case's Failures
        self.count = 0
        self.lock = threading.Lock()

    def request(self, method, path, body=None, *, token=None, cookie=None, csrf=None,
                headers=None, raw=None, content_type="application/json", source=None,
                check=True, timeout=TIMEOUT):
        hdrs = {}
        data = None
        if raw is not None:
            data = raw
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if data is not None and content_type:
            hdrs["Content-Type"] = content_type
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        if cookie:
            hdrs["Cookie"] = f"nc_session={cookie}"
        if csrf:
            hdrs["X-CSRF-Token"] = csrf
        hdrs.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                          source_address=(source, 0) if source else None)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in hdrs.items():
                conn.putheader(k, v)
            if data is not None:
                conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data)
            r = conn.getresponse()
            resp = Response(method, path, r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        with self.lock:
            self.count += 1
        if check and self.contract is not None:
            for p in self.contract.check(method, path, resp.status, resp.header("Content-Type"),
                                         resp.body):
                self.note(p)
        return resp

    def note(self, msg):
        f = self.failures
        if f is not None:
            f.add(msg)


def raw_request(port, data, timeout=10, source=None):
    """Sends raw bytes and gives (status line, [raw header lines as bytes], body bytes)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    try:
        s.sendall(data)
        chunks = []
        while True:
            try:
                c = s.recv(65536)
            except socket.timeout:
                break
            if not c:
                break
            chunks.append(c)
            buf = b"".join(chunks)
            head, sep, rest = buf.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                if m and len(rest) >= int(m.group(1)):
                    break
    finally:
        s.close()
    buf = b"".join(chunks)
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    return lines[0] if lines else b"", lines[1:], body


# ---- the event stream ----

class EventStream:
    """GET /api/v1/events read in a thread: events [(name, data text, monotonic time)]."""

    def __init__(self, port, token):
        self.events = []
        self.comments = []
        self.cond = threading.Condition()
        self.closed = False
        self.status = None
        self.content_type = None
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.request("GET", "/api/v1/events",
                          headers={"Authorization": f"Bearer {token}",
                                   "Accept": "text/event-stream"})
        self.resp = self.conn.getresponse()
        self.status = self.resp.status
        self.content_type = self.resp.getheader("Content-Type")
        if self.status != 200:
            self.body = self.resp.read()
            self.conn.close()
            self.closed = True
            return
        self.conn.sock.settimeout(None)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        name, data = None, []
        try:
            while True:
                line = self.resp.readline()
                if not line:
                    break
                line = line.decode("utf-8", "replace").rstrip("\r\n")
                if line == "":
                    if name or data:
                        with self.cond:
                            self.events.append((name or "message", "\n".join(data),
                                                time.monotonic()))
                            self.cond.notify_all()
                    name, data = None, []
                elif line.startswith(":"):
                    with self.cond:
                        self.comments.append(line[1:].strip())
                        self.cond.notify_all()
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip(" "))
        except Exception:  # noqa: BLE001 - closed under us (close()) or by the server
            pass
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def wait(self, pred, timeout):
        """Waits for an event (name, data) satisfying pred; gives it or None."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for ev in self.events:
                    if pred(ev):
                        return ev
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    return None
                self.cond.wait(left)

    def wait_comment(self, text, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while text not in self.comments:
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    return False
                self.cond.wait(left)
            return True

    def close(self):
        try:
            self.conn.sock and self.conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.conn.close()
        except OSError:
            pass


# ---- phones and times ----

class Phones:
    """Fresh Russian mobile numbers (+7 999 ...) unlikely to clash with the demo's."""

    def __init__(self):
        self.n = random.Random().randrange(1000000, 8000000)

    def new(self):
        self.n += 7919
        return "+7999" + f"{self.n % 10000000:07d}"


def fmt8(e164):
    """+79181234567 -> "8 (918) 123-45-67", the way people type Russian numbers."""
    d = e164[2:]
    return f"8 ({d[0:3]}) {d[3:6]}-{d[6:8]}-{d[8:10]}"


def fmt_spaced(e164):
    """+79181234567 -> "+7 918 123 45 67"."""
    d = e164[2:]
    return f"+7 {d[0:3]} {d[3:6]} {d[6:8]} {d[8:10]}"


def now_msk():
    return datetime.now(MSK)


def at_msk(days=0, hour=10, minute=0):
    """Days from today (Moscow) at hour:minute Moscow time, as RFC 3339 with +03:00."""
    d = now_msk() + timedelta(days=days)
    return d.replace(hour=hour, minute=minute, second=0, microsecond=0).isoformat()


def date_msk(days=0):
    return (now_msk() + timedelta(days=days)).strftime("%Y-%m-%d")


def parse_time(s):
    if not isinstance(s, str):
        return None
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None


def same_instant(a, b):
    ta, tb = parse_time(a), parse_time(b)
    return ta is not None and tb is not None and ta == tb


def fmt_exc():
    return traceback.format_exc().strip().splitlines()[-1]


# ---- the context a case works with ----

class Ctx:
    """What a case gets: requests as a named user, checks that record failures, fixtures."""

    def __init__(self, server, api, tokens, src_root, build_dir):
        self.server, self.api, self.tok = server, api, tokens
        self.src_root, self.build_dir = src_root, build_dir
        self.phones = Phones()
        self.secrets = set(tokens.values())  # must never appear in the server log
        self.cache = {}
        self.failures = Failures()
        self.routes = []
        self._addr = 0
        self._seq = 0
        self.restarts = 0

    # requests: who is a login with a token, a raw token, or None (no credentials)
    def req(self, method, path, body=None, who="admin", **kw):
        token = self.tok.get(who, who) if who else None
        return self.api.request(method, path, body, token=token, **kw)

    def get(self, path, who="admin", **kw):
        return self.req("GET", path, None, who, **kw)

    def post(self, path, body=None, who="admin", **kw):
        return self.req("POST", path, body, who, **kw)

    def patch(self, path, body=None, who="admin", **kw):
        return self.req("PATCH", path, body, who, **kw)

    def delete(self, path, who="admin", **kw):
        return self.req("DELETE", path, None, who, **kw)

    # checks
    def fail(self, msg):
        self.failures.add(msg)

    def check(self, cond, msg):
        if not cond:
            self.fail(msg)
        return bool(cond)

    def require(self, cond, msg):
        if not cond:
            self.fail(msg)
            raise Abort()

    def expect(self, resp, status, code=None, field=None, what=None):
        """Checks status (and the error's code and field); True when all match."""
        label = f"{what}: " if what else ""
        if resp.status != status:
            self.fail(f"{label}want {status}, got {resp.short()}")
            return False
        ok = True
        if code is not None and resp.error.get("code") != code:
            self.fail(f"{label}want error.code {code!r}, got {resp.short()}")
            ok = False
        if field is not None and resp.error.get("field") != field:
            self.fail(f"{label}want error.field {field!r}, got {resp.short()}")
            ok = False
        return ok

    def need(self, resp, status, what=None):
        """Like expect, but stops the case when the status is wrong."""
        if not self.expect(resp, status, what=what):
            raise Abort()
        return resp

    # fixtures
    def seq(self):
        self._seq += 1
        return f"{os.getpid() % 1000}x{self._seq}"

    def addr(self):
        """A loopback address no other case uses, for the sign-in throttle (per address)."""
        self._addr += 1
        return f"127.0.{10 + self._addr // 250}.{1 + self._addr % 250}"

    def new_client(self, who="anna", name=None, phones=None, **fields):
        body = {"name": name or f"Тестовый клиент {self.seq()}",
                "phones": phones or [fmt8(self.phones.new())]}
        body.update(fields)
        r = self.post("/api/v1/clients", body, who)
        self.need(r, 201, "create a client")
        self.require(isinstance(r.get("id"), int), f"no id in {r.short()}")
        return r.json

    def list_all(self, path, who="admin", limit=500, max_pages=50):
        """Every item of a cursor-paged list (follows next_after)."""
        items, after = [], None
        sep = "&" if "?" in path else "?"
        for _ in range(max_pages):
            p = f"{path}{sep}limit={limit}" + (f"&after={after}" if after is not None else "")
            r = self.get(p, who)
            self.need(r, 200, f"list {p}")
            items += r.get("items", default=[])
            after = r.get("next_after")
            if after is None:
                return items
        self.fail(f"{path}: more than {max_pages} pages")
        return items

    def demo_client(self, owner):
        """A demo client of owner (as admin sees him), with a phone."""
        key = ("demo", owner)
        if key not in self.cache:
            r = self.get(f"/api/v1/clients?owner={owner}&limit=50")
            self.need(r, 200, f"clients of {owner}")
            found = [c for c in r.get("items", default=[])
                     if c.get("owner") == owner and c.get("phones")]
            self.require(found, f"no demo client of {owner} with a phone")
            self.cache[key] = found[0]
        return self.cache[key]

    def good_call(self, client_id, **over):
        body = {"client_id": client_id, "direction": "out",
                "purpose": "Записать на бесплатный замер и рассчитать смету",
                "goal_max": "замер в среду в 10:00", "goal_min": "договориться о звонке в четверг",
                "result": "max", "talk_s": 120,
                "next": {"kind": "visit", "due_at": at_msk(1, 10)}}
        body.update(over)
        return body
