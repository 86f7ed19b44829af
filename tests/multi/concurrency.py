#!/usr/bin/env python3
"""concurrency.py - many reps writing the same few clients through several instances at once
(issue 8, item 4): threads log calls with a next step and move next steps on 8 shared clients,
then the database is checked: every call answered 201 is stored exactly once and no other call
appeared, the report rollups equal a recount ("report verify"), each client has at most one
planned step, and no answer was anything but the expected ones (a deadlock or serialization
failure must be retried inside app/, never reach the user).

As a case of tests/multi/run.py: load(servers, ...) and check(...). Standalone (bench/):
    concurrency.py PATH/TO/nextcall SOURCE_ROOT [--instances N] [--seconds S] [--threads T]
        [--db sqlite]
starts a private PostgreSQL cluster (or a SQLite file), N servers on it, runs the load for S
seconds (default $NEXTCALL_CONC_SECONDS or 15) with T threads per server (default 32), checks,
and prints "calls_per_s=... moves_per_s=..." last. Python standard library only."""

import glob
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "http"))
sys.dont_write_bytecode = True

from lib import Server, at_msk  # noqa: E402

REPS = ("anna", "oleg", "mike")


def pg_psql(pg_dir, sql):
    """Runs sql as the cluster's superuser over its socket (as "nobody" when we are root, like
    scripts/pg.sh)."""
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                     key=lambda d: [int(x) for x in re.findall(r"\d+", d)])
    cmd = [os.path.join(bindirs[-1], "psql"), "-X", "-q", "-At", "-h", pg_dir, "-U", "postgres",
           "-d", "nextcall", "-c", sql]
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "nobody", "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)
NCLIENTS = 8


class Conn:
    """One keep-alive HTTP connection of a thread to one server, with its Bearer token."""

    def __init__(self, port, token):
        self.port, self.token = port, token
        self.c = None

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.c is None:
                self.c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.c.request(method, path, body=data, headers=headers)
                r = self.c.getresponse()
                raw = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.c.close()
                    self.c = None
                return r.status, raw
            except (OSError, http.client.HTTPException):
                # a keep-alive connection the server closed between requests: a GET is asked
                # again on a new one; a POST is not, since the server may have acted on it
                self.c.close()
                self.c = None
                if attempt == 2 or method != "GET":
                    raise
        raise AssertionError("unreachable")


def pick_clients(psql):
    """8 clients of the three reps who can still be called (not "never"), ids and owners."""
    rows = psql("SELECT c.id, u.login FROM clients c JOIN users u ON u.id = c.owner_id "
                "WHERE c.category <> 'never' AND u.login IN ('anna', 'oleg', 'mike') "
                "ORDER BY c.id LIMIT 8")
    out = []
    for ln in rows.splitlines():
        cid, login = ln.split("|")
        out.append((int(cid), login))
    if len(out) < NCLIENTS:
        raise RuntimeError(f"only {len(out)} clients to write on")
    return out


class Load:
    """What the threads saw: every answer counted by (what, status), the ids of calls answered
    201, unexpected answers with their bodies."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = []
        self.moves = 0
        self.moves_refused = 0  # 409: the step was closed by a concurrent call first
        self.unexpected = []
        self.errors = []

    def bad(self, what, status, raw):
        with self.lock:
            if len(self.unexpected) < 20:
                self.unexpected.append(f"{what}: {status} {raw[:300]!r}")
            else:
                self.unexpected.append(None)


def worker(load, conn, clients, rep_conns, deadline, seed):
    """Alternately logs a call on a random shared client (as the head, for a random rep, so
    several reps write one client at once) and moves that client's planned step."""
    rnd = random.Random(seed)
    n = 0
    while time.monotonic() < deadline:
        cid, owner = rnd.choice(clients)
        n += 1
        try:
            if n % 2:
                body = {"client_id": cid, "rep": rnd.choice(REPS), "direction": "out",
                        "purpose": "Записать на бесплатный замер и рассчитать смету",
                        "goal_max": "замер в среду в 10:00",
                        "goal_min": "договориться о звонке в четверг",
                        "result": "max", "talk_s": rnd.randrange(30, 600),
                        "next": {"kind": "call",
                                 "due_at": at_msk(rnd.randrange(1, 4), rnd.randrange(10, 18))}}
                st, raw = conn.request("POST", "/api/v1/calls", body)
                if st == 201:
                    with load.lock:
                        load.calls.append(json.loads(raw)["call"]["id"])
                else:
                    load.bad(f"POST /api/v1/calls client {cid}", st, raw)
                continue
            # the owner moves his client's planned step (found through the card)
            oc = rep_conns[owner]
            st, raw = oc.request("GET", f"/api/v1/clients/{cid}")
            if st != 200:
                load.bad(f"GET /api/v1/clients/{cid}", st, raw)
                continue
            step = json.loads(raw).get("next_step")
            if not isinstance(step, dict):
                continue  # none planned just now
            sid = step["id"]
            due = at_msk(rnd.randrange(1, 4), rnd.randrange(10, 18), 30)
            st, raw = oc.request("POST", f"/api/v1/next-steps/{sid}/move", {"due_at": due})
            if st == 200:
                with load.lock:
                    load.moves += 1
            elif st == 409 and b"already" in raw:
                with load.lock:
                    load.moves_refused += 1
            else:
                load.bad(f"POST /api/v1/next-steps/{sid}/move", st, raw)
        except Exception as e:  # noqa: BLE001
            with load.lock:
                load.errors.append(f"{type(e).__name__}: {e}")
            time.sleep(0.05)


def run_load(servers, tokens, clients, seconds, threads):
    """threads per server for seconds; gives the Load and the seconds it took."""
    load = Load()
    load.marks = [len(s.log_text().splitlines()) for s in servers]
    deadline = time.monotonic() + seconds
    ts = []
    for si, s in enumerate(servers):
        for i in range(threads):
            conn = Conn(s.port, tokens["elena"])
            reps = {r: Conn(s.port, tokens[r]) for r in REPS}
            ts.append(threading.Thread(target=worker, daemon=True,
                                       args=(load, conn, clients, reps, deadline,
                                             si * 1000 + i)))
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join(seconds + 120)
    return load, time.monotonic() - t0


def check(load, psql, cli, clients, first_call_id):
    """The database after the load: gives the problems found."""
    problems = []
    shown = [u for u in load.unexpected if u]
    if load.unexpected:
        problems.append(f"{len(load.unexpected)} unexpected answers")
        problems.extend(shown[:10])
    if load.errors:
        problems.append(f"{len(load.errors)} requests failed: {load.errors[:5]}")
    ids = load.calls
    if len(set(ids)) != len(ids):
        problems.append(f"{len(ids) - len(set(ids))} call ids answered twice")
    stored = psql(f"SELECT count(*), count(DISTINCT id) FROM calls WHERE id >= {first_call_id}")
    total, distinct = (int(x) for x in stored.split("|"))
    if total != len(ids) or distinct != len(ids):
        problems.append(f"{total} calls stored since the load began, {len(ids)} answered 201")
    if ids:
        found = int(psql("SELECT count(*) FROM calls WHERE id IN (%s)" %
                         ",".join(str(int(i)) for i in ids)))
        if found != len(ids):
            problems.append(f"{len(ids) - found} calls answered 201 are not stored")
    cl = ",".join(str(c) for c, _ in clients)
    dup = psql(f"SELECT client_id, count(*) FROM next_steps WHERE status = 'planned' AND "
               f"client_id IN ({cl}) GROUP BY client_id HAVING count(*) > 1")
    if dup.strip():
        problems.append(f"clients with more than one planned step (client|n): {dup.split()}")
    # the plan summary the store keeps on each client agrees with his steps
    plan = psql(f"SELECT c.id FROM clients c WHERE c.id IN ({cl}) AND ("
                f"(c.next_step_id IS NULL AND EXISTS (SELECT 1 FROM next_steps s WHERE "
                f"s.client_id = c.id AND s.status = 'planned')) OR (c.next_step_id IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM next_steps s WHERE s.id = c.next_step_id AND "
                f"s.client_id = c.id AND s.status = 'planned')))")
    if plan.strip():
        problems.append(f"clients whose plan summary names another step: {plan.split()}")
    p = cli("report", "verify")
    if p.returncode != 0 or "0 differences" not in p.stdout:
        problems.append(f"report verify: exit {p.returncode}: {p.stdout.strip()[:300]} "
                        f"{p.stderr.strip()[:300]}")
    return problems


def retries_logged(servers, marks):
    """Lines the servers logged after marks (line counts) that say a transaction was run again
    or given up."""
    out = []
    for s, m in zip(servers, marks):
        out += [ln for ln in s.log_text().splitlines()[m:]
                if "running it again" in ln or "gave up after" in ln]
    return out


def case(servers, tok_of, psql, cli, seconds, threads):
    """The whole case on running servers: gives (problems, load, seconds taken)."""
    tokens = {u: tok_of(u) for u in ("elena",) + REPS}
    clients = pick_clients(psql)
    first = int(psql("SELECT COALESCE(max(id), 0) + 1 FROM calls"))
    load, took = run_load(servers, tokens, clients, seconds, threads)
    problems = check(load, psql, cli, clients, first)
    return problems, load, took


def summary(load, took, servers):
    retried = retries_logged(servers, load.marks)
    return (f"{len(load.calls)} calls logged, {load.moves} steps moved ({load.moves_refused} "
            f"moves refused: step closed first) in {took:.1f} s = "
            f"{len(load.calls) / took:.1f} calls/s; {len(retried)} retries logged"), retried


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("nextcall")
    ap.add_argument("src_root")
    ap.add_argument("--instances", type=int, default=2)
    ap.add_argument("--seconds", type=float,
                    default=float(os.environ.get("NEXTCALL_CONC_SECONDS", "15")))
    ap.add_argument("--threads", type=int, default=32)
    ap.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    a = ap.parse_args(argv[1:])
    nextcall, src_root = os.path.abspath(a.nextcall), os.path.abspath(a.src_root)
    tmp = tempfile.mkdtemp(prefix="nextcall-conc-")
    pg_sh = os.path.join(src_root, "scripts", "pg.sh")
    pg_dir = os.path.join(tmp, "pg")
    servers = [Server(nextcall, os.path.join(tmp, f"s{i}")) for i in range(a.instances)]
    for s in servers:
        os.makedirs(s.tmp)
    try:
        if a.db == "postgres":
            p = subprocess.run([pg_sh, "start", pg_dir], capture_output=True, text=True)
            if p.returncode != 0:
                print(f"pg.sh start: {p.stderr.strip()[:500]}", file=sys.stderr)
                return 1
            url = p.stdout.strip()
            def psql(sql):
                r = pg_psql(pg_dir, sql)
                if r.returncode != 0:
                    raise RuntimeError(f"psql: {r.stderr.strip()[:300]}")
                return r.stdout.strip()
        else:
            url = os.path.join(tmp, "conc.db")

            def psql(sql):
                r = subprocess.run(["sqlite3", "-separator", "|", url, sql],
                                   capture_output=True, text=True, timeout=60)
                if r.returncode != 0:
                    raise RuntimeError(f"sqlite3: {r.stderr.strip()[:300]}")
                return r.stdout.strip()
        for s in servers:
            s.db = url
        servers[0].cli("init", "--demo")
        for s in servers:
            s.start()
        problems, load, took = case(servers, servers[0].token, psql,
                                    lambda *args: servers[0].cli(*args, check=False),
                                    a.seconds, a.threads)
        text, retried = summary(load, took, servers)
        print(f"# {a.instances} instance(s) on {a.db}, {a.threads} threads each: {text}")
        for ln in retried[:5]:
            print(f"#   {ln.strip()[:200]}")
        for p in problems:
            print(f"problem: {p}")
        print(f"calls_per_s={len(load.calls) / took:.1f} moves_per_s={load.moves / took:.1f} "
              f"retries={len(retried)} problems={len(problems)}")
        return 1 if problems else 0
    finally:
        for s in servers:
            s.stop(10)
            s.kill()
        if a.db == "postgres":
            subprocess.run([pg_sh, "stop", pg_dir])
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
