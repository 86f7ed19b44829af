"""cases_connlimit.py - one client address cannot take all of the server's connections
(serve --per-address-limit, --per-address-exempt): past the limit a connection is answered 503
and closed, past the limit and a small grace it is closed at once, other addresses and exempt
ones are served meanwhile, and the address is served again when its connections close. Each
case starts its own server (on the suite's database) with a small limit; Linux routes all of
127.0.0.0/8 to loopback, so binding the client socket to 127.0.0.2 makes another address."""

import http.client
import os
import re
import shutil
import socket
import tempfile
import time

from lib import EventStream, Server, case

LIMIT = 4
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error")


def grace(t):
    """PER_ADDRESS_GRACE of src/web/server.c: connections past the limit told 503."""
    with open(os.path.join(t.src_root, "src", "web", "server.c"), encoding="utf-8") as f:
        m = re.search(r"#define PER_ADDRESS_GRACE\s+(\d+)", f.read())
    t.require(m, "PER_ADDRESS_GRACE is not defined in src/web/server.c")
    return int(m.group(1))


def start(t, *args):
    tmp = tempfile.mkdtemp(prefix="connlimit-", dir=t.server.tmp)
    srv = Server(t.server.nextcall, tmp, args)
    srv.db = t.server.db  # the suite's database (SQLite file or PostgreSQL)
    srv.start()
    time.sleep(0.3)  # the start-up probe's connection is closed and uncounted
    return srv


def stop(t, srv):
    """SIGTERM; the server exits 0 and its log has no sanitizer report. Gives the log."""
    rc, _ = srv.stop(10)
    srv.kill()
    log = srv.log_text()
    if not t.check(rc == 0, f"the server with a per-address limit exited with {rc} after "
                   "SIGTERM"):
        for ln in log.splitlines()[-8:]:
            print(f"  # server log: {ln[:300]}")
    for ln in [ln for ln in log.splitlines() if SANITIZER.search(ln)][:5]:
        t.fail(f"log: {ln.strip()[:300]}")
    shutil.rmtree(srv.tmp, ignore_errors=True)
    return log


def get(port, source, path="/healthz", token=None):
    """A keep-alive connection from source that has been answered: (connection, status, body,
    headers)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    c.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
    r = c.getresponse()
    return c, r.status, r.read(), r


def status(port, source, path="/healthz", token=None):
    """The status of one request from source (its connection closed), or the error text."""
    try:
        c, st, _, _ = get(port, source, path, token)
        c.close()
        return st
    except (OSError, http.client.HTTPException) as e:
        return f"{type(e).__name__}: {e}"


def status_held(port, held):
    """Opens a keep-alive connection from 127.0.0.1 and keeps it in held when answered 200;
    gives the status or the error text."""
    try:
        c, st, _, _ = get(port, "127.0.0.1")
    except (OSError, http.client.HTTPException) as e:
        return f"{type(e).__name__}: {e}"
    if st == 200:
        held.append(c)
    else:
        c.close()
    return st


def raw(port, source, data=b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", timeout=10):
    """Sends data on a new connection from source and reads until the server closes it: the
    bytes, or the error text when the connection is reset."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(source, 0))
    out = b""
    try:
        s.sendall(data)
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk
    except ConnectionResetError:
        return out or "reset"
    except OSError as e:
        return out or f"{type(e).__name__}: {e}"
    finally:
        s.close()


def closed_by_server(s, timeout):
    """Whether the server closes the idle socket s within timeout seconds."""
    s.settimeout(timeout)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except OSError:
        return False


@case
def t_per_address_limit_refuses_one_address_serves_others(t):
    g = grace(t)
    srv = start(t, "--per-address-limit", str(LIMIT), "--per-address-exempt", "127.0.0.3")
    port, tok = srv.port, t.tok["anna"]
    held, idle = [], []
    stream = None
    try:
        # LIMIT connections held from 127.0.0.1: an event stream and keep-alive connections
        stream = EventStream(port, tok)
        t.require(stream.status == 200, f"the event stream answers {stream.status}")
        for i in range(LIMIT - 1):
            c, st, _, _ = get(port, "127.0.0.1")
            t.require(st == 200, f"held connection {i + 2} of {LIMIT} answers {st}")
            held.append(c)

        # the next one from 127.0.0.1: 503 with a short text, then closed
        out = raw(port, "127.0.0.1")
        if t.check(isinstance(out, bytes) and out.startswith(b"HTTP/1.1 503"),
                   f"connection {LIMIT + 1} from 127.0.0.1: {out[:200]!r}, want 503"):
            head, _, body = out.partition(b"\r\n\r\n")
            t.check(b"too many connections from your address" in body,
                    f"the 503 does not say why: {body[:200]!r}")
            t.check(re.search(rb"(?im)^Connection: close\r?$", head),
                    f"the 503 does not say Connection: close: {head!r}")
            t.check(re.search(rb"(?im)^Retry-After: \d+\r?$", head),
                    f"the 503 has no Retry-After: {head!r}")

        # another address is served, the API too
        t.check(status(port, "127.0.0.2") == 200, "127.0.0.2 is not served while 127.0.0.1 is "
                f"at its limit: {status(port, '127.0.0.2')}")
        st = status(port, "127.0.0.2", "/api/v1/agenda", tok)
        t.check(st == 200, f"GET /api/v1/agenda from 127.0.0.2 answers {st}")
        # an exempt address holds more than the limit
        extra = []
        for i in range(LIMIT + 2):
            c, st, _, _ = get(port, "127.0.0.3")
            t.check(st == 200, f"exempt 127.0.0.3, connection {i + 1}: {st}")
            extra.append(c)
        for c in extra:
            c.close()

        # past the limit and the grace: closed without an answer, even by a client that
        # would trickle its request
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10,
                                         source_address=("127.0.0.1", 0)) for _ in range(g)]
        time.sleep(0.5)
        out = raw(port, "127.0.0.1")
        t.check(not (isinstance(out, bytes) and out.startswith(b"HTTP/")),
                f"connection {LIMIT + g + 1} from 127.0.0.1 was answered: {out[:120]!r}")
        t.check(status(port, "127.0.0.2") == 200, "127.0.0.2 is not served while 127.0.0.1 "
                "holds its limit and the grace")
        # the idle ones past the limit are dropped within seconds (their idle timeout is 5 s)
        t0 = time.monotonic()
        dropped = sum(1 for s in idle if closed_by_server(s, max(0.1, 12 - (time.monotonic()
                                                                              - t0))))
        t.check(dropped == g, f"{g - dropped} of {g} idle connections past the limit still "
                f"open after {time.monotonic() - t0:.1f} s")
        t.check(not stream.closed, "the held event stream was closed meanwhile")

        # the held connections close: 127.0.0.1 can hold LIMIT again. A suspended event stream
        # closed by its client is out of the event loop: the server peeks at the sockets of its
        # streams every second (before, only a failed write noticed: up to 30 s)
        for c in held:
            c.close()
        held = []
        stream.close()
        stream = None
        t0 = time.monotonic()
        got = []
        while time.monotonic() - t0 < 10:
            got = [status_held(port, held) for _ in range(LIMIT)]
            if got == [200] * LIMIT:
                break
            for c in held:
                c.close()
            held = []
            time.sleep(1)
        t.check(got == [200] * LIMIT, f"127.0.0.1 cannot hold {LIMIT} connections again 10 s "
                f"after its connections closed: {got}")
        print(f"  # 127.0.0.1 holds {LIMIT} connections again {time.monotonic() - t0:.1f} s "
              "after closing its own")
    finally:
        for c in held:
            c.close()
        for s in idle:
            s.close()
        if stream:
            stream.close()
        log = stop(t, srv)
    t.check("over --per-address-limit 4, the last from 127.0.0.1" in log,
            "the server log does not say that connections were refused")


@case
def t_per_address_limit_default_exempts_loopback_zero_turns_it_off(t):
    for args, what in ((("--per-address-limit", "2"), "loopback is exempt by default"),
                       (("--per-address-limit", "0", "--per-address-exempt", "none"),
                        "--per-address-limit 0: no limit")):
        srv = start(t, *args)
        conns = []
        try:
            for src in ("127.0.0.1", "127.0.0.9"):
                for i in range(5):
                    c, st, _, _ = get(srv.port, src)
                    t.check(st == 200, f"{what}: {src}, connection {i + 1} of 5: {st}")
                    conns.append(c)
        finally:
            for c in conns:
                c.close()
            log = stop(t, srv)
        t.check("refused" not in log, f"{what}: the log says connections were refused")
    # a bad exempt list is a usage error (exit 2) naming the value
    p = t.server.cli("serve", "--listen", "127.0.0.1:1", "--per-address-exempt", "10.0.0.0/33",
                     check=False)
    t.check(p.returncode == 2 and "10.0.0.0/33" in p.stderr,
            f"serve --per-address-exempt 10.0.0.0/33: exit {p.returncode}: {p.stderr.strip()}")
