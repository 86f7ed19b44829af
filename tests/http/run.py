#!/usr/bin/env python3
"""HTTP tests: the real "nextcall serve" on a demo database, driven over HTTP.

usage: run.py PATH/TO/nextcall SOURCE_ROOT BUILD_DIR

Prints "ok - NAME" or "not ok - NAME" (with the reasons as "  # ..." lines) per case, the
server's log tail when anything failed, and last "N passed, M failed". Exit status 1 when a
case failed (a server that does not start is the failed case server_starts), 2 on bad usage. Every JSON answer is checked against the schema
that GET /api/v1/openapi.json documents for its route and status (when that fails, against a
document rebuilt from routes.c and openapi.c, and the case openapi_document fails). A server
that dies during a case fails that case and is restarted on the same database. The cases cover
the API routes of routes.c (tag "pages", the web interface, is not part of it). Set
NEXTCALL_HTTP_KEEP=1 to keep the temporary directory of a failed run. With NEXTCALL_TEST_PG set,
the database is PostgreSQL in a private cluster (scripts/pg.sh) under the temporary directory.
Python standard library only."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import lib  # noqa: E402
from lib import Abort, Api, Ctx, EventStream, Failures, Server, fmt_exc  # noqa: E402
from schema import Contract, document_from_sources, parse_routes  # noqa: E402

# the cases register themselves in this order
import cases_system  # noqa: E402,F401
import cases_session  # noqa: E402
import cases_clients  # noqa: E402,F401
import cases_calls  # noqa: E402,F401
import cases_steps  # noqa: E402,F401
import cases_admin  # noqa: E402,F401
import cases_events  # noqa: E402,F401
import cases_telephony  # noqa: E402,F401
import cases_scripts  # noqa: E402,F401
import cases_reports  # noqa: E402,F401
import cases_qa  # noqa: E402,F401
import cases_input  # noqa: E402,F401
import cases_hostile  # noqa: E402,F401
import cases_connlimit  # noqa: E402,F401
import cases_secrets  # noqa: E402,F401
import cases_access  # noqa: E402,F401
import cases_handover  # noqa: E402,F401
import cases_load  # noqa: E402,F401

TOKEN_USERS = ("admin", "elena", "anna", "oleg", "mike")
MAX_REASONS = int(os.environ.get("NEXTCALL_HTTP_REASONS", "12"))
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error|"
                       r"WARNING: ThreadSanitizer")


class Report:
    def __init__(self):
        self.passed = self.failed = 0
        self.failed_names = []

    def result(self, name, problems):
        if problems:
            self.failed += 1
            self.failed_names.append(name)
            print(f"not ok - {name}")
            for p in problems[:MAX_REASONS]:
                print(f"  # {p}")
            if len(problems) > MAX_REASONS:
                print(f"  # ... and {len(problems) - MAX_REASONS} more")
        else:
            self.passed += 1
            print(f"ok - {name}")
        sys.stdout.flush()


def run_case(t, fn, report):
    name = fn.__name__[2:] if fn.__name__.startswith("t_") else fn.__name__
    t.failures = Failures()
    t.api.failures = t.failures
    try:
        fn(t)
    except Abort:
        pass
    except Exception:  # noqa: BLE001 - a crash of the test is a failed case, not a stop
        t.failures.add(f"exception in the test: {fmt_exc()}")
    t.api.failures = None
    rc = t.server.died(probe=True)
    if rc is not None:
        why = f"signal {-rc}" if rc < 0 else f"exit status {rc}"
        t.failures.add(f"the server died during this case ({why}); restarted for the next")
        tail = t.server.log_text().splitlines()[-15:]
        t.failures.items += [f"log: {ln[:200]}" for ln in tail]
        t.server.restart()
        t.api.port = t.server.port
        t.restarts += 1
    report.result(name, t.failures.items)


def setup(server):
    server.cli("init", "--demo")
    for login, pw in cases_session.EXTRA_USERS.items():
        server.cli("user", "add", login, "--name", login, "--role", "rep", "--timezone",
                   "Europe/Moscow", "--password-stdin", stdin=pw + "\n")
    server.cli("user", "add", "bodyuser", "--name", "Body User", "--role", "rep")
    return {login: server.token(login) for login in TOKEN_USERS}


def stop_cases(t, server, report):
    """The last cases: the server stops cleanly on SIGTERM with a stream open, its log has no
    sanitizer report and no secret."""
    t.failures = Failures()
    stream = None
    try:
        stream = EventStream(server.port, t.tok["oleg"])
    except OSError as e:
        t.fail(f"could not open a stream before stopping: {e}")
    rc, took = server.stop(10)
    if rc is None:
        t.fail("the server did not exit within 10 s of SIGTERM")
        server.kill()
    else:
        t.check(rc == 0, f"the server exited with {rc} after SIGTERM")
        t.check(took <= 10, f"the server took {took:.1f} s to stop")
    if stream:
        stream.close()
    server.kill()
    report.result("server_stops_on_sigterm", t.failures.items)

    log = server.log_text()
    t.failures = Failures()
    bad = [ln for ln in log.splitlines() if SANITIZER.search(ln)]
    for ln in bad[:MAX_REASONS]:
        t.fail(f"log: {ln.strip()[:300]}")
    # "TIME LEVEL message": an error line is a 500 or a transaction left open
    internal = [ln for ln in log.splitlines() if ln.split(" ")[1:2] == ["error"]]
    for ln in internal[:MAX_REASONS]:
        t.fail(f"log has an error line: {ln.strip()[:300]}")
    report.result("server_log_clean", t.failures.items)

    t.failures = Failures()
    for s in sorted(x for x in t.secrets if x and len(x) >= 8):
        if s in log:
            t.fail(f"the log holds a secret: {s[:6]}... ({len(s)} chars)")
    t.check("demo1234" not in log, "the log holds the demo password")
    t.check("token=" not in log, "the log holds a query string with token=")
    report.result("server_log_has_no_secrets", t.failures.items)


def main(argv):
    if len(argv) != 4:
        print("usage: run.py PATH/TO/nextcall SOURCE_ROOT BUILD_DIR", file=sys.stderr)
        return 2
    nextcall, src_root, build_dir = (os.path.abspath(a) for a in argv[1:4])
    tmp = tempfile.mkdtemp(prefix="nextcall-http-")
    server = Server(nextcall, tmp)
    report = Report()
    pg_sh = os.path.join(src_root, "scripts", "pg.sh")
    pg_dir = os.path.join(tmp, "pg") if os.environ.get("NEXTCALL_TEST_PG") else None
    try:
        if pg_dir:
            p = subprocess.run([pg_sh, "start", pg_dir], capture_output=True, text=True)
            if p.returncode != 0:
                print(f"not ok - server_starts\n  # pg.sh start: {p.stderr.strip()[:500]}")
                print("0 passed, 1 failed")
                return 1
            server.db = p.stdout.strip()
        try:
            tokens = setup(server)
            server.start()
        except Exception as e:  # noqa: BLE001
            print(f"not ok - server_starts\n  # {e}")
            print(server.log_text()[-3000:])
            print("0 passed, 1 failed")
            return 1
        api = Api(server.port)
        t = Ctx(server, api, tokens, src_root, build_dir)
        with open(os.path.join(src_root, "src", "web", "routes.c"), encoding="utf-8") as f:
            # the API: every route but the web interface's pages (not in openapi.json)
            t.routes = lib_routes = [rt for rt in parse_routes(f.read()) if rt.tag != "pages"]
        print(f"# nextcall {nextcall}, {len(lib_routes)} routes, server on 127.0.0.1:"
              f"{server.port}, {tmp}")
        try:
            r = api.request("GET", "/api/v1/openapi.json")
            if r.status == 200 and isinstance(r.json, dict):
                api.contract = Contract(r.json)
            else:
                print(f"# GET /api/v1/openapi.json answers {r.status}")
        except OSError as e:
            print(f"# GET /api/v1/openapi.json failed: {e}")
        if api.contract is None:
            if server.died(probe=True) is not None:
                print(f"# the server died fetching it (exit {server.died()}): restarting")
                server.restart()
                api.port = server.port
            with open(os.path.join(src_root, "src", "web", "openapi.c"), encoding="utf-8") as f:
                api.contract = Contract(document_from_sources(lib_routes, f.read()))
            print("# FALLBACK: answers are checked against a document rebuilt from routes.c and "
                  "the schemas of openapi.c (the case openapi_document fails)")
        t0 = time.time()
        only = os.environ.get("NEXTCALL_HTTP_ONLY")  # a regular expression, while developing
        for fn in lib.CASES:
            if not only or re.search(only, fn.__name__):
                run_case(t, fn, report)
        print(f"# {api.count} requests in {time.time() - t0:.1f} s"
              + (f"; the server was restarted {t.restarts} times after dying" if t.restarts
                 else ""))
        stop_cases(t, server, report)
        if report.failed:
            log = server.log_text().splitlines()
            print(f"# server log, last 40 of {len(log)} lines ({server.log_path}):")
            for ln in log[-40:]:
                print(f"#   {ln}")
    finally:
        server.kill()
        if pg_dir:
            subprocess.run([pg_sh, "stop", pg_dir])
        if report.failed and os.environ.get("NEXTCALL_HTTP_KEEP"):
            print(f"# kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
