#!/usr/bin/env python3
"""Crash safety (issue 9): nextcall loses nothing that it acknowledged when it is killed.

usage: run.py PATH/TO/nextcall SOURCE_ROOT

Cases:
- api_kill_round_N (3 rounds on one database): 32 clients log calls through POST /api/v1/calls
  (half with API tokens, half with session cookies and CSRF tokens, as anna, oleg and mike, each
  client on a client of his own) while "nextcall serve" is killed with SIGKILL at a random moment
  1-3 s into the load. The server is then restarted on the same database, and every call whose
  request was answered 201 must be stored, GET /api/v1/calls/ID giving exactly the call of the
  201; a call whose request was in flight at the kill may be stored or not, but only whole. Every
  stored call must be one that was sent, have its next step (call_id), each client exactly one
  planned step (the one of his last call), "nextcall report verify" find the rollups equal to
  the raw rows and, on SQLite, PRAGMA integrity_check say ok and foreign_key_check find nothing
  (both on the file as the kill left it, the server down).
- import_clients_kill / import_cdr_kill: "nextcall import clients FILE" and "nextcall import cdr
  FILE" on a file sized so that a dry run spends 1.2 s or more on its rows, killed with SIGKILL
  at three points of its rows: each time either nothing of the file or all of it is stored (its
  rows and the import's audit entry), no row stored half, the database passes the checks above,
  and a re-run of the import then succeeds and stores the whole file. (There is no import
  endpoint in the HTTP API, so imports are killed through the CLI only.) Such imports stay in
  SQLite's page cache until the commit; NEXTCALL_CRASH_SPILL=60000 imports files of that many
  rows instead, each killed once 0.5 s after its transaction began to spill into the WAL.

With NEXTCALL_TEST_PG set, the database is PostgreSQL in a private cluster (scripts/pg.sh) and the
same cases run (integrity_check is SQLite's; the counts are read with psql). The kill moments are
random from a seed printed first (NEXTCALL_CRASH_SEED=N repeats a run); the verdict does not
depend on them: whatever moment the kill hits, the same rules must hold. NEXTCALL_CRASH_KEEP=1
keeps the temporary directory of a failed run; NEXTCALL_CRASH_ONLY=api, clients or cdr runs one
part. Prints "ok - NAME" or "not ok - NAME" per case and last "N passed,
M failed"; exit status 1 when a case failed. Python standard library only."""

import http.client
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
sys.dont_write_bytecode = True

from lib import Api, Phones, Report, Server, at_msk, fmt8  # noqa: E402

WORKERS = 32
REPS = ("anna", "oleg", "mike")
ROUNDS = 3
MAX_REASONS = 15
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error")
PURPOSE = "Записать на бесплатный замер и рассчитать смету"
# seconds an import's rows should take: its transaction then stays in SQLite's page cache
# (cache_size 16 MB) until the commit. NEXTCALL_CRASH_SPILL=ROWS (SQLite) instead imports a file
# of ROWS rows (60000 spill) once, killed 0.5 s after its transaction began to spill to the WAL.
IMPORT_S = 1.2
SPILL = int(os.environ.get("NEXTCALL_CRASH_SPILL") or 0)
MARK = re.compile(r"\(crash r(\d+) w(\d+) n(\d+)\)$")


class Db:
    """SQL on the test database behind the server's back: sqlite3 on the file, or psql."""

    def __init__(self, target, pg_dir):
        self.target = target
        self.pg_dir = pg_dir
        self.psql = None
        if pg_dir:  # the psql of scripts/pg.sh's server
            bindir = os.environ.get("PG_BINDIR")
            if not bindir:
                versions = sorted(os.listdir("/usr/lib/postgresql"),
                                  key=lambda v: [int(x) for x in re.findall(r"\d+", v)])
                bindir = os.path.join("/usr/lib/postgresql", versions[-1], "bin")
            self.psql = os.path.join(bindir, "psql")

    def rows(self, sql):
        """The rows of a query as tuples of text (SQLite: of Python values)."""
        if self.psql:
            p = subprocess.run([self.psql, "-X", "-q", "-A", "-t", "-F", "\t", "-v",
                                "ON_ERROR_STOP=1", "-h", self.pg_dir, "-U", "postgres", "-d",
                                "nextcall", "-c", sql],
                               capture_output=True, text=True, timeout=60)
            if p.returncode != 0:
                raise RuntimeError(f"psql: {p.stderr.strip()[:300]}")
            return [tuple(ln.split("\t")) for ln in p.stdout.splitlines() if ln]
        con = sqlite3.connect(self.target, timeout=30)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def count(self, sql):
        return int(self.rows(sql)[0][0])

    def sqlite_checks(self):
        """PRAGMA integrity_check and foreign_key_check on the file (SQLite only): problems."""
        if self.psql:
            return []
        con = sqlite3.connect(self.target, timeout=30)
        try:
            ic = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            fk = con.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            con.close()
        problems = []
        if ic != ["ok"]:
            problems.append(f"PRAGMA integrity_check: {'; '.join(map(str, ic))[:500]}")
        if fk:
            problems.append(f"PRAGMA foreign_key_check: {len(fk)} rows, first {fk[:5]}")
        return problems


class CrashServer(Server):
    """The server of the HTTP tests, with the production's synchronous=FULL."""

    def __init__(self, nextcall, tmp):
        super().__init__(nextcall, tmp)
        self.db = os.path.join(tmp, "crash.db")
        self.log_path = os.path.join(tmp, "server.log")
        self.env.pop("NEXTCALL_SYNC", None)

    def sigkill(self):
        """SIGKILL now; waits for the process to be gone."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
            self.log = None


def db_checks(server, db):
    """The checks of a database at rest: SQLite's own checks and the report rollups."""
    problems = db.sqlite_checks()
    p = server.cli("report", "verify", check=False)
    if p.returncode != 0 or "0 differences" not in p.stdout:
        problems.append(f"report verify: exit {p.returncode}: "
                        f"{(p.stdout + p.stderr).strip()[:300]}")
    return problems


# ---- the API under load ----

class Worker(threading.Thread):
    """Logs calls for one client, one after another, until the server is gone or stop is set.
    acked: [(call id, body, call of the 201)]; inflight: the body sent without an answer."""

    def __init__(self, idx, rnd, port, auth, client_id, stop, started):
        super().__init__(daemon=True)
        self.idx, self.rnd, self.port, self.auth = idx, rnd, port, auth
        self.client_id, self.stop, self.started = client_id, stop, started
        self.acked = []
        self.inflight = None
        self.errors = []
        self.seq = 0

    def body(self):
        n = self.seq
        kind = "visit" if n % 2 else "call"
        return {"client_id": self.client_id, "direction": "out" if n % 3 else "in",
                "purpose": f"{PURPOSE} (crash r{self.rnd} w{self.idx} n{n})",
                "goal_max": "замер в среду в 10:00", "goal_min": "договориться о звонке",
                "result": ("max", "min", "none")[n % 3], "talk_s": 30 + self.idx * 7 + n,
                "next": {"kind": kind, "due_at": at_msk(1 + n % 20, 9 + n % 9, self.idx % 60)}}

    def run(self):
        api = Api(self.port)
        while not self.stop.is_set():
            b = self.body()
            self.inflight = b
            try:
                r = api.request("POST", "/api/v1/calls", b, timeout=20, **self.auth)
            except (OSError, http.client.HTTPException) as e:
                # the server went away: this call may be stored or not
                self.errors.append(("conn", time.monotonic(), repr(e)))
                return
            self.inflight = None
            self.seq += 1
            call = r.get("call")
            if r.status == 201 and isinstance(call, dict) and isinstance(call.get("id"), int):
                self.acked.append((call["id"], b, call))
                self.started.release()
            else:
                self.errors.append(("status", time.monotonic(), r.short()))


def setup_api(server):
    """The demo team, a token and a session per rep, one fresh client per worker; gives
    (tokens, sessions, [(client id, rep)])."""
    server.cli("init", "--demo")
    tokens = {who: server.token(who) for who in REPS + ("admin",)}
    server.start()
    api = Api(server.port)
    sessions = {}
    for who in REPS:
        r = api.request("POST", "/api/v1/session", {"login": who, "password": "demo1234"})
        cookie = None
        for v in r.header_all("Set-Cookie"):
            name, _, value = v.split(";")[0].strip().partition("=")
            if name == "nc_session":
                cookie = value
        if r.status != 200 or not cookie or not r.get("csrf"):
            raise RuntimeError(f"sign-in of {who}: {r.short()}")
        sessions[who] = {"cookie": cookie, "csrf": r.get("csrf")}
    phones = Phones()
    clients = []
    for i in range(WORKERS):
        who = REPS[i % len(REPS)]
        r = api.request("POST", "/api/v1/clients",
                        {"name": f"Клиент для сбоя {i}", "phones": [fmt8(phones.new())]},
                        token=tokens[who])
        if r.status != 201 or not isinstance(r.get("id"), int):
            raise RuntimeError(f"create a client: {r.short()}")
        clients.append((r.get("id"), who))
    return tokens, sessions, clients


def list_all(api, path, token):
    items, after = [], None
    for _ in range(1000):
        p = f"{path}&limit=500" + (f"&after={after}" if after is not None else "")
        r = api.request("GET", p, token=token)
        if r.status != 200:
            raise RuntimeError(f"GET {p}: {r.short()}")
        items += r.get("items", default=[])
        after = r.get("next_after")
        if after is None:
            return items
    raise RuntimeError(f"GET {path}: too many pages")


def verify_api(server, db, tokens, clients, sent, acked):
    """Every acknowledged call stored as answered; every stored call of our clients one that was
    sent (by its mark), with its next step; one planned step per client, that of the last call.
    sent: {(round, worker, n): body} of every call sent, acked: {id: (body, call)}. The API lists
    planned steps only: the steps of every call are read with SQL. Gives (problems, calls stored
    that were in flight at a kill)."""
    problems = []
    unacked = 0
    api = Api(server.port)
    ids = ", ".join(str(c) for c, _ in clients)
    steps_of = {}
    for call_id, kind, status in db.rows(
            f"SELECT c.id, s.kind, s.status FROM calls c JOIN next_steps s ON s.call_id = c.id "
            f"WHERE c.client_id IN ({ids})"):
        steps_of.setdefault(int(call_id), []).append((kind, status))
    for cid, (body, call) in sorted(acked.items()):
        who = call.get("rep")
        r = api.request("GET", f"/api/v1/calls/{cid}", token=tokens.get(who, tokens["admin"]))
        if r.status != 200:
            problems.append(f"acknowledged call {cid} ({body['purpose'][-24:]}): GET answers "
                            f"{r.status}")
        elif r.json != call:
            problems.append(f"acknowledged call {cid}: stored {str(r.json)[:200]}, the 201 gave "
                            f"{str(call)[:200]}")
    for client_id, who in clients:
        calls = list_all(api, f"/api/v1/calls?client_id={client_id}", tokens[who])
        planned = list_all(api, f"/api/v1/next-steps?client_id={client_id}", tokens[who])
        last = None
        for c in calls:
            m = MARK.search(c.get("purpose") or "")
            key = tuple(int(x) for x in m.groups()) if m else None
            body = sent.get(key)
            if body is None:
                problems.append(f"client {client_id}: call {c.get('id')} was never sent: "
                                f"{str(c)[:200]}")
                continue
            # stored whole, as sent (the goals of an inbound call are not kept)
            out = body["direction"] == "out"
            want = {"client_id": body["client_id"], "direction": body["direction"],
                    "purpose": body["purpose"], "goal_max": body["goal_max"] if out else None,
                    "goal_min": body["goal_min"] if out else None, "result": body["result"],
                    "talk_s": body["talk_s"], "outcome": "next_step", "rep": who}
            bad = {k: c.get(k) for k in want if c.get(k) != want[k]}
            unacked += c.get("id") not in acked
            if bad:
                how = "acknowledged" if c.get("id") in acked else "in flight at a kill"
                problems.append(f"call {c['id']} ({how}) is stored differently from what was "
                                f"sent: {bad}")
            mine = steps_of.get(c.get("id"), [])
            if len(mine) != 1 or mine[0][0] != body["next"]["kind"]:
                problems.append(f"call {c.get('id')} of client {client_id}: next steps {mine}, "
                                f"want one {body['next']['kind']}")
            if last is None or c["id"] > last["id"]:
                last = c
        if last is not None and (len(planned) != 1 or planned[0].get("call_id") != last["id"]):
            problems.append(f"client {client_id}: planned steps "
                            f"{[(s.get('id'), s.get('call_id')) for s in planned]}, want one of "
                            f"the last call {last['id']}")
    return problems, unacked


def api_rounds(server, db, rng, report):
    try:
        tokens, sessions, clients = setup_api(server)
    except Exception as e:  # noqa: BLE001
        report.result("api_setup", [str(e), *server.log_text().splitlines()[-10:]])
        server.kill()
        return
    report.result("api_setup", [])
    sent, acked = {}, {}
    for rnd in range(1, ROUNDS + 1):
        problems = []
        stop = threading.Event()
        started = threading.Semaphore(0)
        workers = []
        for i, (client_id, who) in enumerate(clients):
            auth = {"token": tokens[who]} if i % 2 == 0 else dict(sessions[who])
            workers.append(Worker(i, rnd, server.port, auth, client_id, stop, started))
        delay = rng.uniform(1.0, 3.0)
        t0 = time.monotonic()
        for w in workers:
            w.start()
        # the load must be under way before the kill: the first WORKERS calls acknowledged
        got = sum(started.acquire(timeout=max(0.0, t0 + 60 - time.monotonic()))
                  for _ in range(WORKERS))
        if got < WORKERS:
            problems.append(f"only {got} calls acknowledged within 60 s of the load")
        left = t0 + delay - time.monotonic()
        if left > 0:
            time.sleep(left)
        t_kill = time.monotonic()
        server.sigkill()
        stop.set()
        for w in workers:
            w.join(30)
            if w.is_alive():
                problems.append(f"worker {w.idx} still waits 30 s after the kill")
        n_ack = sum(len(w.acked) for w in workers)
        n_fly = sum(1 for w in workers if w.inflight is not None)
        for w in workers:
            for kind, at, what in w.errors:
                if kind == "status":
                    problems.append(f"worker {w.idx}: {what[:200]}")
                elif at < t_kill:
                    problems.append(f"worker {w.idx}: connection failed before the kill: {what}")
            for cid, body, call in w.acked:
                m = MARK.search(body["purpose"])
                sent[tuple(int(x) for x in m.groups())] = body
                if cid in acked:
                    problems.append(f"call id {cid} acknowledged twice")
                acked[cid] = (body, call)
            if w.inflight is not None:
                m = MARK.search(w.inflight["purpose"])
                sent[tuple(int(x) for x in m.groups())] = w.inflight
        # the file as the kill left it
        try:
            problems += db_checks(server, db)
        except Exception as e:  # noqa: BLE001
            problems.append(f"checking the database: {e}")
        unacked = "?"
        try:
            server.restart()
            found, unacked = verify_api(server, db, tokens, clients, sent, acked)
            problems += found
        except Exception as e:  # noqa: BLE001
            problems.append(f"after the restart: {e}")
        print(f"# round {rnd}: killed {t_kill - t0:.2f} s into the load: {n_ack} calls "
              f"acknowledged, {n_fly} in flight; stored so far: {len(acked)} acknowledged, "
              f"{unacked} in flight at a kill")
        report.result(f"api_kill_round_{rnd}", problems)
        if server.died() is not None:
            break
    problems = []
    rc, _ = server.stop(10)
    if rc != 0:
        problems.append(f"the last server did not stop cleanly on SIGTERM: {rc}")
        server.kill()
    log = server.log_text().splitlines()
    bad = [ln for ln in log if SANITIZER.search(ln)]
    # "TIME LEVEL message": an error line is a 500 or a transaction left open
    bad += [ln for ln in log if ln.split(" ")[1:2] == ["error"]]
    problems += [f"log: {ln.strip()[:300]}" for ln in bad]
    problems += db_checks(server, db)
    report.result("api_after_rounds", problems)


# ---- imports killed half-way ----

def clients_csv(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("name,phone,company\n")
        for k in range(rows):
            f.write(f"Импорт при сбое {k},+7998{k:07d},Фирма {k % 97}\n")


def cdr_csv(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for n in range(rows):
            ph = f"7997{n:07d}"
            t = f"2026-11-18 {10 + n // 3600 % 10:02d}:{n // 60 % 60:02d}:{n % 60:02d}"
            f.write(f'"","{ph}","6000","from-trunk","""Caller {n}"" <{ph}>",'
                    f'"SIP/trunk-{n:08x}","SIP/201-{n:08x}","Dial","SIP/201,20","{t}","{t}",'
                    f'"{t}",30,25,"ANSWERED","DOCUMENTATION","crash{n}.{n}",""\n')


MARKS = {
    # kind: (file writer, rows to start calibrating from, the file's rows stored, the import's
    # audit entries, rows stored half: a client without his phone)
    "clients": (clients_csv, 500,
                "SELECT count(*) FROM clients WHERE name LIKE 'Импорт при сбое %'",
                "SELECT count(*) FROM audit_log WHERE action = 'import.clients'",
                "SELECT count(*) FROM clients c WHERE c.name LIKE 'Импорт при сбое %' AND "
                "NOT EXISTS (SELECT 1 FROM phones p WHERE p.client_id = c.id)"),
    "cdr": (cdr_csv, 100, "SELECT count(*) FROM calls WHERE pbx_id LIKE 'crash%'",
            "SELECT count(*) FROM audit_log WHERE action = 'import.cdr'",
            "SELECT count(*) FROM calls WHERE pbx_id LIKE 'crash%' AND (started_at IS NULL OR "
            "ended_at IS NULL OR talk_s <> 25)"),
}


def state_of(db, kind):
    """(the file's rows stored, the import's audit entries, rows stored half)."""
    return tuple(db.count(q) for q in MARKS[kind][2:])


def timed_dry_run(server, kind, path):
    t0 = time.monotonic()
    server.cli("import", kind, path, "--dry-run")
    return time.monotonic() - t0


def calibrate(server, kind, tmp):
    """Sizes the file so that its rows take IMPORT_S or more beyond the time of a one-row import
    (at most 5 tries, 400000 rows); gives (path, rows, seconds of the start, of the rows)."""
    writer, rows = MARKS[kind][:2]
    path = os.path.join(tmp, f"{kind}.csv")
    writer(path, 1)
    fixed = timed_dry_run(server, kind, path)
    took, written = 0.0, 0
    for _ in range(5):
        writer(path, rows)
        written = rows
        took = max(timed_dry_run(server, kind, path) - fixed, 0.0)
        if took >= IMPORT_S or rows >= 400000:
            break
        # not more than 4 times at once: a time that grows faster than the rows overshoots
        rows = min(int(rows * min(4.0, max(1.3, IMPORT_S * 1.5 / max(took, 0.05)))), 400000)
    # the rows of the file as written last (after five tries short of IMPORT_S the next size
    # was computed but not written: the re-run then "lost" the rows the file never had)
    return path, written, fixed, took


def import_kill(server, db, kind, tmp, rng, report):
    """Kills the import at three points of its rows; each time the file is stored whole (with
    its audit entry) or not at all; then a re-run stores it."""
    problems = []
    spill = SPILL if not db.psql else 0
    try:
        if spill:
            path, rows, fixed, took = os.path.join(tmp, f"{kind}.csv"), spill, 0.0, 0.0
            MARKS[kind][0](path, rows)
        else:
            path, rows, fixed, took = calibrate(server, kind, tmp)
        base = state_of(db, kind)
    except Exception as e:  # noqa: BLE001
        report.result(f"import_{kind}_kill", [f"calibrating: {e}"])
        return
    full = base[0] + rows
    if not spill:
        print(f"# import {kind}: {rows} rows; a dry run takes {fixed:.2f} s to start and "
              f"{took:.2f} s for the rows")
    killed = 0
    wal = server.db + "-wal"
    for frac in (0.2, 0.5, 0.85) if not spill else (None,):
        at = fixed + took * frac * rng.uniform(0.85, 1.15) if frac else 0.0
        before = state_of(db, kind)
        t0 = time.monotonic()
        p = subprocess.Popen([server.nextcall, "--db", server.db, "import", kind, path],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=server.env)
        if spill:
            while p.poll() is None and not (os.path.exists(wal) and os.path.getsize(wal)):
                time.sleep(0.05)
            time.sleep(0.5)
            at = time.monotonic() - t0
        else:
            time.sleep(at)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
        _, err = p.communicate(timeout=600)
        rc = p.returncode
        wal_size = os.path.getsize(wal) if not db.psql and os.path.exists(wal) else 0
        after = state_of(db, kind)
        if rc == -signal.SIGKILL:
            killed += 1
            print(f"# import {kind}: killed {at:.2f} s in"
                  f"{'' if db.psql else f' (WAL {wal_size} bytes)'}: "
                  f"{after[0] - base[0]} of {rows} rows stored")
            whole = (after[0] == full and after[1] == before[1] + 1)
            if after[:2] != before[:2] and not whole:
                problems.append(f"killed {at:.2f} s in: (rows, audit entries) {after[:2]}, "
                                f"before {before[:2]}: want the same or ({full}, "
                                f"{before[1] + 1})")
        else:
            print(f"# import {kind}: ended (exit {rc}) before the kill {at:.2f} s in")
            if rc != 0 or after[0] != full or after[1] != before[1] + 1:
                problems.append(f"import ended with {rc}: (rows, audit entries) {after[:2]}, "
                                f"want ({full}, {before[1] + 1}): "
                                f"{err.decode('utf-8', 'replace').strip()[:200]}")
        if after[2]:
            problems.append(f"{after[2]} rows of the file stored half (a client without his "
                            f"phone, a call without its times)")
        try:
            problems += db_checks(server, db)
        except Exception as e:  # noqa: BLE001
            problems.append(f"checking the database: {e}")
    p = server.cli("import", kind, path, check=False)
    after = state_of(db, kind)
    if p.returncode != 0 or after[0] != full or after[2]:
        problems.append(f"the re-run: exit {p.returncode}, {after[0] - base[0]} of {rows} rows "
                        f"stored, {after[2]} half: {(p.stdout + p.stderr).strip()[:300]}")
    problems += db_checks(server, db)
    if killed == 0:
        print(f"# import {kind}: every run ended before its kill (a fast machine): the case "
              f"checked complete imports only")
    report.result(f"import_{kind}_kill", problems)


def main(argv):
    if len(argv) != 3:
        print("usage: run.py PATH/TO/nextcall SOURCE_ROOT", file=sys.stderr)
        return 2
    nextcall, src_root = (os.path.abspath(a) for a in argv[1:3])
    seed = int(os.environ.get("NEXTCALL_CRASH_SEED") or random.SystemRandom().randrange(1 << 30))
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="nextcall-crash-")
    server = CrashServer(nextcall, tmp)
    report = Report(MAX_REASONS)
    pg_dir = os.path.join(tmp, "pg") if os.environ.get("NEXTCALL_TEST_PG") else None
    pg_sh = os.path.join(src_root, "scripts", "pg.sh")
    print(f"# nextcall {nextcall}, seed {seed} (NEXTCALL_CRASH_SEED), "
          f"{'PostgreSQL' if pg_dir else 'SQLite'}, {tmp}")
    t0 = time.monotonic()
    try:
        if pg_dir:
            p = subprocess.run([pg_sh, "start", pg_dir], capture_output=True, text=True)
            if p.returncode != 0:
                report.result("pg_start", [p.stderr.strip()[:500]])
                print("0 passed, 1 failed")
                return 1
            server.db = p.stdout.strip()
        db = Db(server.db, pg_dir)
        only = os.environ.get("NEXTCALL_CRASH_ONLY")  # "api", "clients" or "cdr", while developing
        if not only or only == "api":
            api_rounds(server, db, rng, report)
            server.kill()
        else:
            server.cli("init", "--demo")
        for kind in ("clients", "cdr"):
            if not only or only == kind:
                import_kill(server, db, kind, tmp, rng, report)
    finally:
        server.kill()
        if pg_dir:
            subprocess.run([pg_sh, "stop", pg_dir], capture_output=True)
    print(f"# {time.monotonic() - t0:.1f} s")
    if report.failed and os.environ.get("NEXTCALL_CRASH_KEEP"):
        print(f"# kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
