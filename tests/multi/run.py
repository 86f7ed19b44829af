#!/usr/bin/env python3
"""Several instances: two "nextcall serve" processes on one PostgreSQL database (issue 8, item 3).

usage: run.py PATH/TO/nextcall SOURCE_ROOT

Runs only with NEXTCALL_TEST_PG set (else prints "0 passed, 0 failed" and exits 77, a skip):
starts a private cluster (scripts/pg.sh), two servers A and B on it, and checks that a live event
published through A reaches a stream on B (LISTEN/NOTIFY), that a session cookie from A is valid
on B, that a client created through A is readable through B at once, that a server whose
listening connection is cut reconnects, that a transaction PostgreSQL breaks as a deadlock is
run again inside app/, and that both servers writing the same clients at once lose nothing
(concurrency.py). Prints "ok - NAME" or
"not ok - NAME" per case and last "N passed, M failed". Python standard library only."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
sys.dont_write_bytecode = True

from lib import Api, EventStream, Phones, Report, Server, fmt8  # noqa: E402

import concurrency  # noqa: E402

SKIP = 77


def cookie_of(r):
    for v in r.header_all("Set-Cookie"):
        name, _, value = v.split(";")[0].strip().partition("=")
        if name == "nc_session":
            return value
    return None


def event_across(a, b, tok, phones):
    """POST a ringing call for anna to A; anna's stream on B gets call.incoming within 2 s."""
    problems = []
    stream = EventStream(b.port, tok["anna"])
    if stream.status != 200:
        return [f"GET /api/v1/events on B: {stream.status}"]
    try:
        if not stream.wait_comment("connected", 5):
            return ["the stream on B did not say connected"]
        cid = f"multi-{time.time_ns()}"
        t0 = time.monotonic()
        r = Api(a.port).request("POST", "/api/v1/telephony/events",
                                {"type": "ringing", "call_id": cid,
                                 "from": fmt8(phones.new()), "rep": "anna"},
                                token=tok["admin"])
        if r.status != 200:
            return [f"POST /api/v1/telephony/events on A: {r.status} {r.body[:200]!r}"]
        ev = stream.wait(lambda e: e[0] == "call.incoming" and
                         json.loads(e[1]).get("call_id") == cid, 2.0)
        if ev is None:
            problems.append("anna's stream on B got no call.incoming within 2 s")
        else:
            took = ev[2] - t0
            if took > 2.0:
                problems.append(f"delivered after {took:.2f} s")
            print(f"# call.incoming reached B {took * 1000:.0f} ms after the POST to A")
        # and only once: B must not see it twice, A's own stream once
        time.sleep(0.3)
        n = sum(1 for e in stream.events if e[0] == "call.incoming" and
                json.loads(e[1]).get("call_id") == cid)
        if n > 1:
            problems.append(f"B delivered the event {n} times")
    finally:
        stream.close()
    return problems


def event_once_on_origin(a, b, tok, phones):
    """An event published through A reaches A's own stream once (its own notification is
    ignored)."""
    stream = EventStream(a.port, tok["anna"])
    if stream.status != 200:
        return [f"GET /api/v1/events on A: {stream.status}"]
    try:
        stream.wait_comment("connected", 5)
        cid = f"multi-{time.time_ns()}"
        r = Api(a.port).request("POST", "/api/v1/telephony/events",
                                {"type": "ringing", "call_id": cid,
                                 "from": fmt8(phones.new()), "rep": "anna"},
                                token=tok["admin"])
        if r.status != 200:
            return [f"POST on A: {r.status}"]
        stream.wait(lambda e: e[0] == "call.incoming", 2.0)
        time.sleep(0.5)
        n = sum(1 for e in stream.events if e[0] == "call.incoming" and
                json.loads(e[1]).get("call_id") == cid)
        return [] if n == 1 else [f"A's own stream got the event {n} times, want 1"]
    finally:
        stream.close()


def cookie_across(a, b, tok, phones):
    r = Api(a.port).request("POST", "/api/v1/session", {"login": "anna", "password": "demo1234"})
    sid = cookie_of(r)
    if r.status not in (200, 201) or not sid:
        return [f"sign-in on A: {r.status}, cookie {sid!r}"]
    s = Api(b.port).request("GET", "/api/v1/session", cookie=sid)
    if s.status != 200:
        return [f"GET /api/v1/session on B with A's cookie: {s.status}"]
    user = s.json.get("user") if isinstance(s.json, dict) else None
    login = user.get("login") if isinstance(user, dict) else None
    if login != "anna":
        return [f"B sees the cookie as {login!r}, want anna"]
    return []


def client_across(a, b, tok, phones):
    name = f"Клиент <script> '; DROP {time.time_ns()}"
    r = Api(a.port).request("POST", "/api/v1/clients",
                            {"name": name, "phones": [fmt8(phones.new())]}, token=tok["anna"])
    if r.status != 201 or not isinstance(r.json, dict):
        return [f"create on A: {r.status} {r.body[:200]!r}"]
    cid = r.json.get("id")
    g = Api(b.port).request("GET", f"/api/v1/clients/{cid}", token=tok["anna"])
    if g.status != 200:
        return [f"GET /api/v1/clients/{cid} on B: {g.status}"]
    if g.json.get("name") != name:
        return [f"B reads name {g.json.get('name')!r}, want {name!r}"]
    return []


def psql(pg_dir, sql):
    """Runs sql as the cluster's superuser over its socket."""
    return concurrency.pg_psql(pg_dir, sql)


def event_after_reconnect(a, b, tok, phones):
    """B's listening connection is cut (pg_terminate_backend): B reconnects and events from A
    reach it again."""
    p = psql(a.pg_dir, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE query LIKE 'LISTEN%'")
    if p.returncode != 0 or p.stdout.strip() != "2":
        return [f"terminating the listening connections: {p.returncode} {p.stdout.strip()!r} "
                f"{p.stderr.strip()[:200]}"]
    stream = EventStream(b.port, tok["anna"])
    try:
        stream.wait_comment("connected", 5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cid = f"multi-{time.time_ns()}"
            Api(a.port).request("POST", "/api/v1/telephony/events",
                                {"type": "ringing", "call_id": cid,
                                 "from": fmt8(phones.new()), "rep": "anna"},
                                token=tok["admin"])
            if stream.wait(lambda e, c=cid: e[0] == "call.incoming" and
                           json.loads(e[1]).get("call_id") == c, 1.0):
                for ln in b.log_text().splitlines():
                    if "listen" in ln:
                        print(f"# B: {ln.strip()[:200]}")
                return []
        return ["no event reached B within 10 s of cutting its listening connection"]
    finally:
        stream.close()


FAULT_SQL = """
CREATE SEQUENCE nc_fault_seq; CREATE TABLE nc_fault_limit (n INT NOT NULL);
INSERT INTO nc_fault_limit VALUES (0);
CREATE FUNCTION nc_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF nextval('nc_fault_seq') <= (SELECT n FROM nc_fault_limit) THEN
    RAISE EXCEPTION 'injected deadlock' USING ERRCODE = 'deadlock_detected';
  END IF;
  RETURN NEW; END $$;
CREATE TRIGGER nc_fault BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION nc_fault();
"""
FAULT_DROP = ("DROP TRIGGER nc_fault ON audit_log; DROP FUNCTION nc_fault(); "
              "DROP TABLE nc_fault_limit; DROP SEQUENCE nc_fault_seq")


def retry_after_deadlock(a, b, tok, phones):
    """PostgreSQL breaks a call's transaction as a deadlock (40P01) twice, at its last insert
    (a trigger on audit_log): app/ runs it again, the call is answered 201, stored once and
    announced once, and the log says so; failing every attempt gives 503 and stores nothing."""
    r = Api(a.port).request("POST", "/api/v1/clients",
                            {"name": f"Повтор {time.time_ns()}", "phones": [fmt8(phones.new())]},
                            token=tok["anna"])
    if r.status != 201:
        return [f"create a client: {r.status} {r.body[:200]!r}"]
    cid = r.json["id"]
    body = {"client_id": cid, "direction": "out", "purpose": "Записать на замер",
            "goal_max": "замер в среду", "goal_min": "звонок в четверг", "result": "max",
            "talk_s": 60, "next": {"kind": "call", "due_at": concurrency.at_msk(1, 11)}}
    p = psql(a.pg_dir, FAULT_SQL)
    if p.returncode != 0:
        return [f"the fault trigger: {p.stderr.strip()[:300]}"]
    problems = []
    stream = EventStream(a.port, tok["anna"])
    try:
        stream.wait_comment("connected", 5)
        psql(a.pg_dir, "UPDATE nc_fault_limit SET n = 2")
        r = Api(a.port).request("POST", "/api/v1/calls", body, token=tok["anna"])
        if r.status != 201:
            problems.append(f"two deadlocks then success: {r.status} {r.body[:300]!r}")
        time.sleep(0.5)
        n = sum(1 for e in stream.events if e[0] == "client.changed" and
                json.loads(e[1]).get("client_id") == cid and
                json.loads(e[1]).get("change") == "call")
        if n != 1:
            problems.append(f"client.changed for the call announced {n} times, want 1")
        again = [ln for ln in a.log_text().splitlines() if "call.log: attempt" in ln]
        if len(again) != 2:
            problems.append(f"{len(again)} retries logged, want 2: {again[-3:]}")
        psql(a.pg_dir, "UPDATE nc_fault_limit SET n = 100")
        r = Api(a.port).request("POST", "/api/v1/calls", body, token=tok["anna"])
        if r.status != 503 or b"injected deadlock" not in r.body:
            problems.append(f"a deadlock every time: {r.status} {r.body[:300]!r}, want 503")
        if not any("call.log: gave up after 5 attempts" in ln
                   for ln in a.log_text().splitlines()):
            problems.append("no \"gave up\" line in the log")
        c = Api(b.port).request("GET", f"/api/v1/calls?client_id={cid}", token=tok["anna"])
        items = c.json.get("items") if isinstance(c.json, dict) else None
        if c.status != 200 or not isinstance(items, list) or len(items) != 1:
            problems.append(f"calls of the client: {c.status} {c.body[:300]!r}, want one")
    finally:
        stream.close()
        p = psql(a.pg_dir, FAULT_DROP)
        if p.returncode != 0:
            problems.append(f"dropping the fault trigger: {p.stderr.strip()[:300]}")
    return problems


def concurrent_writes(a, b, tok, phones):
    """2 instances x 32 threads logging calls and moving steps on 8 shared clients for
    $NEXTCALL_CONC_SECONDS (15) s: nothing lost or doubled, rollups equal a recount, one planned
    step per client, no answer but 201, 200 and the 409 of a step closed first."""
    seconds = float(os.environ.get("NEXTCALL_CONC_SECONDS", "15"))

    def q(sql):
        p = psql(a.pg_dir, sql)
        if p.returncode != 0:
            raise RuntimeError(f"psql: {p.stderr.strip()[:300]}")
        return p.stdout.strip()

    problems, load, took = concurrency.case(
        [a, b], a.token, q, lambda *args: a.cli(*args, check=False), seconds, 32)
    text, retried = concurrency.summary(load, took, [a, b])
    print(f"# {text}")
    for ln in retried[:5]:
        print(f"#   {ln.strip()[:200]}")
    if not load.calls:
        problems.append("no call was logged")
    return problems


CASES = [event_across, event_once_on_origin, cookie_across, client_across,
         event_after_reconnect, retry_after_deadlock, concurrent_writes]


def main(argv):
    if len(argv) != 3:
        print("usage: run.py PATH/TO/nextcall SOURCE_ROOT", file=sys.stderr)
        return 2
    if not os.environ.get("NEXTCALL_TEST_PG"):
        print("# NEXTCALL_TEST_PG is not set: several instances need PostgreSQL, skipped")
        print("0 passed, 0 failed")
        return SKIP
    nextcall, src_root = (os.path.abspath(x) for x in argv[1:3])
    tmp = tempfile.mkdtemp(prefix="nextcall-multi-")
    pg_sh = os.path.join(src_root, "scripts", "pg.sh")
    pg_dir = os.path.join(tmp, "pg")
    report = Report()
    a = Server(nextcall, os.path.join(tmp, "a"))
    b = Server(nextcall, os.path.join(tmp, "b"))
    os.makedirs(a.tmp)
    os.makedirs(b.tmp)
    a.log_path = os.path.join(a.tmp, "server.log")
    b.log_path = os.path.join(b.tmp, "server.log")
    try:
        p = subprocess.run([pg_sh, "start", pg_dir], capture_output=True, text=True)
        if p.returncode != 0:
            report.result("servers_start", [f"pg.sh start: {p.stderr.strip()[:500]}"])
            return 1
        a.db = b.db = p.stdout.strip()
        a.pg_dir = pg_dir
        try:
            a.cli("init", "--demo")
            tok = {u: a.token(u) for u in ("admin", "anna")}
            a.start()
            b.start()
        except Exception as e:  # noqa: BLE001
            report.result("servers_start", [str(e), *a.log_text().splitlines()[-10:],
                                            *b.log_text().splitlines()[-10:]])
            return 1
        report.result("servers_start", [])
        print(f"# A on {a.port}, B on {b.port}, database {a.db}")
        phones = Phones()
        for fn in CASES:
            try:
                problems = fn(a, b, tok, phones)
            except Exception as e:  # noqa: BLE001
                problems = [f"exception in the test: {type(e).__name__}: {e}"]
            report.result(fn.__name__, problems)
        problems = []
        for s, name in ((a, "A"), (b, "B")):
            rc, _ = s.stop(10)
            if rc != 0:
                problems.append(f"{name} exited with {rc} after SIGTERM")
            for ln in s.log_text().splitlines():
                if "Sanitizer" in ln or "runtime error" in ln or " error " in ln[:40]:
                    problems.append(f"{name} log: {ln.strip()[:300]}")
        report.result("servers_stop_cleanly", problems[:12])
        if report.failed:
            for s, name in ((a, "A"), (b, "B")):
                print(f"# log of {name}:")
                for ln in s.log_text().splitlines()[-30:]:
                    print(f"#   {ln}")
    finally:
        a.kill()
        b.kill()
        subprocess.run([pg_sh, "stop", pg_dir])
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
