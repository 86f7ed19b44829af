#!/usr/bin/env python3
"""pg_writes.py - concurrent writes over many reps, then a check of what was stored.

The driver of bench/pg_writes.sh (and, short, of the integration case pg_writes_short). It makes
REPS reps with PER_REP clients each (through the API, spread over the demo's segments and
sources), then runs CLIENTS concurrent HTTP clients (Python asyncio, keep-alive connections) for
SECONDS against "nextcall serve --threads T". Client i acts as rep i mod REPS with his own token
and mixes the writes that change the report rollups, the reps' rows and the team's rows
(report_daily_team, report_monthly_team, migration 0011) that every rep shares:

  call     POST /api/v1/calls, result max with a next step (category -> now)
  refusal  POST /api/v1/calls, refused with a reason and a next contact (category -> future)
  missed   POST /api/v1/telephony/webhook, an inbound call nobody answered from the client's
           number (the PBX path: a rep-less call and a callback step for the owner)
  move     PATCH /api/v1/clients/{id} {"owner"} as the head: the client, his calls, deals and
           steps move to another rep's rows
  segment  PATCH /api/v1/clients/{id} {"segment", "source"} as the head, a third of them with
           a new "owner" too: his rows move to other team rows

The head's moves and segment changes take any client, the demo team's too (--demo-share of
them, default 0.3: clients of anna, oleg and mike with months of history, so that one write
changes the rows of many past days); a demo client moved to one of the reps gets his calls.

No two requests are on the same client at once (a client in flight is skipped), so every answer
is determined: anything but 201/200 is counted as unexpected. Afterwards it checks: no 5xx and
no unexpected answer; every call answered 201 (and every call the webhook stored) is in the
database and no other call appeared; every client's owner is the last one a move gave him, and
his category the one his last call gave; no client has two planned steps, nor two planned
callbacks (one callback beside another step is allowed: a missed call's), and his plan summary
names a planned step of his; the server log has no "deadlock detected", "could not serialize"
or "gave up after" but in the warnings of a transaction run again (app_retry: counted and
shown, the client never saw it); "nextcall report verify" exits 0. It prints the figures and the
problems as text, and with --json one JSON object last. Exit status: 0 when every check passed,
1 otherwise.

usage: pg_writes.py --nextcall PATH [--db postgres|sqlite | --db-url URL] [--seconds S]
                    [--clients C] [--reps R] [--per-rep N] [--threads T] [--seed N]
                    [--demo-share F] [--mix KIND=W,...] [--workdir DIR] [--keep] [--json]
  --db postgres (default) starts a private cluster with scripts/pg.sh; sqlite uses a file;
  --db-url runs on an existing, empty database (a postgres:// URL or a SQLite path) instead.
Python standard library only; psql (PostgreSQL) or sqlite3 for the checks.
"""

import argparse
import asyncio
import glob
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "load"))
from httpconn import Conn, HttpError, bearer  # noqa: E402 - the load test's HTTP client
from ncserver import Server  # noqa: E402 - the load test's server process

MSK = timezone(timedelta(hours=3))
# kind, weight
MIX = (("call", 50), ("refusal", 15), ("missed", 10), ("move", 15), ("segment", 10))
WANT = {"call": 201, "refusal": 201, "missed": 200, "move": 200, "segment": 200}
# lines of the server log that must never appear (the database's own words and app_retry's),
# but in a line of app_retry's that runs the transaction again (the client never sees that one)
BAD_LOG = ("deadlock detected", "could not serialize", "gave up after")


def say(msg):
    print(f"pg_writes: {msg}", file=sys.stderr, flush=True)


def pct(vals, p):
    if not vals:
        return 0.0
    return vals[min(len(vals) - 1, int(len(vals) * p / 100))]


def server_now():
    """The server's idea of now: NEXTCALL_NOW when set (the integration tests freeze it)."""
    fixed = os.environ.get("NEXTCALL_NOW")
    if fixed:
        return datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    return datetime.now(timezone.utc)


def at_msk(days, hour, minute=0):
    d = server_now().astimezone(MSK) + timedelta(days=days)
    return d.replace(hour=hour, minute=minute, second=0, microsecond=0).isoformat()


# ---- the database: a private cluster or a file, and SQL for the checks ----

def pg_bindir():
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda d: [int(x) for x in re.findall(r"\d+", d)])
    if not dirs:
        raise RuntimeError("no PostgreSQL server found (apt install postgresql)")
    return os.environ.get("PG_BINDIR", dirs[-1])


class Db:
    def __init__(self, url):
        self.url = url
        self.pg = url.startswith(("postgres://", "postgresql://"))

    def sql(self, q):
        if self.pg:
            cmd = [os.path.join(pg_bindir(), "psql"), "-X", "-q", "-At", "-v",
                   "ON_ERROR_STOP=1", "-d", self.url, "-c", q]
        else:
            cmd = ["sqlite3", "-separator", "|", self.url, q]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"{cmd[0]}: {r.stderr.strip()[:300]}")
        return r.stdout.strip()


def pg_cpu_s(pg_dir):
    """User + system CPU seconds of the private cluster's processes so far (0 without one)."""
    if not pg_dir:
        return 0.0
    try:
        with open(os.path.join(pg_dir, "data", "postmaster.pid")) as f:
            pm = f.readline().strip()
        kids = subprocess.run(["ps", "-o", "pid=", "--ppid", pm], capture_output=True,
                              text=True).stdout.split()
    except OSError:
        return 0.0
    n = 0
    for pid in [pm] + kids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            n += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        except (OSError, IndexError, ValueError):
            pass
    return n / os.sysconf("SC_CLK_TCK")


# ---- the run ----

class Run:
    def __init__(self, a, srv, admin_tok, head_tok, hook_tok):
        self.a, self.srv = a, srv
        self.admin_tok, self.head_tok, self.hook_tok = admin_tok, head_tok, hook_tok
        self.reps = []          # [(login, token)]
        self.owner = {}         # client id -> rep login (as the last accepted move left it)
        self.phone = {}         # client id -> E.164
        self.category = {}      # client id -> category his last accepted call gave him
        self.busy = set()       # clients with a request in flight
        self.segments, self.sources = [], []
        self.results = []       # (kind, status or None, seconds)
        self.unexpected = []    # first few unexpected answers
        self.call_ids = []      # calls answered 201 and calls the webhook stored
        self.nreq = 0
        self.demo = []          # the demo team's clients the head may move
        self.made = []          # the reps' clients made here

    async def setup(self):
        conn = Conn(self.srv.port)
        adm = bearer(self.admin_tok)
        for what, into in (("segments", self.segments), ("sources", self.sources)):
            st, body = await conn.request("GET", f"/api/v1/{what}", adm)
            if st != 200:
                raise RuntimeError(f"GET /api/v1/{what}: {st} {body[:200]!r}")
            j = json.loads(body)
            into.extend(x["name"] for x in (j["items"] if isinstance(j, dict) else j))
        rnd = random.Random(self.a.seed)
        base = rnd.randrange(1000000, 8000000)
        for k in range(self.a.reps):
            login = f"pgw{k + 1:03d}"
            st, body = await conn.request("POST", "/api/v1/users", adm,
                                          {"login": login, "name": f"Нагрузка {k + 1}",
                                           "role": "rep", "timezone": "Europe/Moscow"})
            if st != 201:
                raise RuntimeError(f"add user {login}: {st} {body[:300]!r}")
            st, body = await conn.request("POST", "/api/v1/tokens", adm,
                                          {"login": login, "name": "pg_writes"})
            if st != 201:
                raise RuntimeError(f"token for {login}: {st} {body[:300]!r}")
            self.reps.append((login, json.loads(body)["token"]))
        # the clients, each created by his rep (so he owns him), several at once
        async def make(k):
            c = Conn(self.srv.port)
            login, tok = self.reps[k]
            for j in range(self.a.per_rep):
                n = (base + (k * self.a.per_rep + j) * 7919) % 10000000
                e164 = f"+7999{n:07d}"
                st, body = await c.request(
                    "POST", "/api/v1/clients", bearer(tok),
                    {"name": f"Клиент {login} номер {j + 1}", "phones": [e164],
                     "company": f"ООО Запись {k + 1}-{j + 1}",
                     "segment": self.segments[(k + j) % len(self.segments)],
                     "source": self.sources[(k * 3 + j) % len(self.sources)]})
                if st != 201:
                    raise RuntimeError(f"client of {login}: {st} {body[:300]!r}")
                cid = json.loads(body)["id"]
                self.owner[cid], self.phone[cid] = login, e164
                self.made.append(cid)
            c.close()
        for k0 in range(0, len(self.reps), 8):
            await asyncio.gather(*(make(k) for k in range(k0, min(k0 + 8, len(self.reps)))))
        conn.close()

    def add_demo(self, db):
        """The demo reps' clients who may be called (not "never"), with a phone each; none
        when --demo-share is 0."""
        if self.a.demo_share <= 0:
            return
        rows = db.sql("SELECT c.id, u.login, min(p.e164) FROM clients c JOIN users u ON "
                      "u.id = c.owner_id JOIN phones p ON p.client_id = c.id WHERE "
                      "c.category <> 'never' AND u.login IN ('anna', 'oleg', 'mike') "
                      "GROUP BY c.id, u.login ORDER BY c.id")
        for ln in rows.splitlines():
            cid, login, e164 = ln.split("|")
            self.owner[int(cid)], self.phone[int(cid)] = login, e164
            self.demo.append(int(cid))

    def pick(self, rnd, login):
        """A client not in flight: one of login's, or anyone's when login is None (a demo
        client for a --demo-share of them)."""
        if login is not None:
            ids = [c for c, o in self.owner.items() if o == login]
        elif self.demo and rnd.random() < self.a.demo_share:
            ids = list(self.demo)
        else:
            ids = list(self.made)
        rnd.shuffle(ids)
        for c in ids[:50]:
            if c not in self.busy:
                return c
        return None

    def request_for(self, kind, rnd, login, tok, cid):
        """(method, path, headers, body) of one write."""
        if kind in ("call", "refusal"):
            body = {"client_id": cid, "direction": rnd.choice(("out", "out", "in")),
                    "purpose": "Записать на бесплатный замер и рассчитать смету",
                    "goal_max": "замер в среду в 10:00",
                    "goal_min": "договориться о звонке в четверг",
                    "talk_s": rnd.randrange(20, 600)}
            if kind == "call":
                body["result"] = "max"
                body["next"] = {"kind": rnd.choice(("visit", "call")),
                                "due_at": at_msk(rnd.randint(1, 10), rnd.randint(10, 17),
                                                 rnd.choice((0, 30)))}
            else:
                body["result"] = "none"
                body["refused"] = "Дорого, вернуться после праздников"
                body["next"] = {"kind": "call",
                                "due_at": at_msk(rnd.randint(20, 60), rnd.randint(10, 17))}
            return "POST", "/api/v1/calls", bearer(tok), body
        if kind == "missed":
            now = int(server_now().timestamp())
            started = now - rnd.randint(60, 3000)
            self.nreq += 1
            body = {"event": "end", "call_id": f"pgw-{self.a.seed}-{self.nreq}",
                    "direction": "in", "from": self.phone[cid], "to": "+74950000000",
                    "started_at": started, "ended_at": started + rnd.randint(5, 40)}
            return ("POST", "/api/v1/telephony/webhook", {"X-Nextcall-Token": self.hook_tok},
                    body)
        if kind == "move":
            others = [r for r, _ in self.reps if r != self.owner[cid]]
            return ("PATCH", f"/api/v1/clients/{cid}", bearer(self.head_tok),
                    {"owner": rnd.choice(others)})
        body = {"segment": rnd.choice(self.segments), "source": rnd.choice(self.sources)}
        if rnd.random() < 1 / 3:
            body["owner"] = rnd.choice([r for r, _ in self.reps if r != self.owner[cid]])
        return "PATCH", f"/api/v1/clients/{cid}", bearer(self.head_tok), body

    async def client(self, idx, deadline):
        login, tok = self.reps[idx % len(self.reps)]
        rnd = random.Random(self.a.seed * 1000 + idx)
        kinds = [k for k, w in self.a.mix for _ in range(w)]
        conn = Conn(self.srv.port)
        while time.monotonic() < deadline:
            kind = rnd.choice(kinds)
            # the head's moves and segment changes (and the exchange's calls) take any client;
            # a rep logs calls on his own
            cid = self.pick(rnd, login if kind in ("call", "refusal") else None)
            if cid is None:
                await asyncio.sleep(0.01)
                continue
            method, path, headers, body = self.request_for(kind, rnd, login, tok, cid)
            self.busy.add(cid)
            t0 = time.monotonic()
            try:
                st, payload = await conn.request(method, path, headers, body)
            except (OSError, HttpError, asyncio.IncompleteReadError, ValueError) as e:
                conn.close()
                self.results.append((kind, None, time.monotonic() - t0))
                if len(self.unexpected) < 20:
                    self.unexpected.append(f"{kind} {method} {path}: {type(e).__name__}: {e}")
                self.busy.discard(cid)
                continue
            self.results.append((kind, st, time.monotonic() - t0))
            if st != WANT[kind]:
                if len(self.unexpected) < 20:
                    self.unexpected.append(f"{kind} {method} {path}: {st} {payload[:300]!r}")
            elif kind in ("call", "refusal"):
                self.call_ids.append(json.loads(payload)["call"]["id"])
                self.category[cid] = "now" if kind == "call" else "future"
            elif kind == "missed":
                sid = json.loads(payload).get("stored_call_id")
                if sid is not None:
                    self.call_ids.append(sid)
            elif kind in ("move", "segment") and "owner" in body:
                self.owner[cid] = body["owner"]
            self.busy.discard(cid)
        conn.close()

    async def load(self):
        deadline = time.monotonic() + self.a.seconds
        t0 = time.monotonic()
        await asyncio.gather(*(self.client(i, deadline) for i in range(self.a.clients)))
        return time.monotonic() - t0


def check(run, db, srv, first_call, log_from):
    """The problems found after the load, and the counts retried in the server log."""
    problems = []
    codes = [st for _, st, _ in run.results]
    n5xx = sum(1 for st in codes if st is not None and st >= 500)
    if n5xx:
        problems.append(f"{n5xx} answers 5xx")
    bad = sum(1 for k, st, _ in run.results if st != WANT[k])
    if bad:
        problems.append(f"{bad} unexpected answers; the first: {run.unexpected[:5]}")
    ids = run.call_ids
    if len(set(ids)) != len(ids):
        problems.append(f"{len(ids) - len(set(ids))} call ids answered twice")
    total, distinct = (int(x) for x in db.sql(
        f"SELECT count(*), count(DISTINCT id) FROM calls WHERE id >= {first_call}").split("|"))
    if total != len(set(ids)):
        problems.append(f"{total} calls stored since the load began, {len(set(ids))} answered")
    if ids:
        found = 0
        s = sorted(set(ids))
        for i in range(0, len(s), 1000):
            found += int(db.sql("SELECT count(*) FROM calls WHERE id IN (%s)" %
                                ",".join(str(int(x)) for x in s[i:i + 1000])))
        if found != len(s):
            problems.append(f"{len(s) - found} calls answered 2xx are not stored")
    rows = db.sql("SELECT c.id, u.login, c.category FROM clients c JOIN users u "
                  "ON u.id = c.owner_id")
    stored = {}
    for ln in rows.splitlines():
        cid, login, cat = ln.split("|")
        stored[int(cid)] = (login, cat)
    wrong_owner = [c for c, o in run.owner.items() if stored.get(c, (None,))[0] != o]
    if wrong_owner:
        problems.append(f"{len(wrong_owner)} clients whose owner is not the last move's, e.g. "
                        f"{wrong_owner[:5]}")
    wrong_cat = [c for c, cat in run.category.items() if stored.get(c, (0, None))[1] != cat]
    if wrong_cat:
        problems.append(f"{len(wrong_cat)} clients whose category is not the one their last "
                        f"call gave, e.g. {wrong_cat[:5]}")
    # a missed call adds a callback beside the step planned before (one callback is enough)
    dup = db.sql("SELECT client_id, count(*), min(kind), max(kind), min(id), max(id) FROM "
                 "next_steps WHERE status = 'planned' GROUP BY client_id, kind = 'callback' "
                 "HAVING count(*) > 1")
    if dup:
        problems.append(f"clients with more than one planned step or callback (client|steps|"
                        f"kinds|ids): {dup.split()[:10]}")
    plan = db.sql("SELECT c.id FROM clients c WHERE (c.next_step_id IS NULL AND EXISTS ("
                  "SELECT 1 FROM next_steps s WHERE s.client_id = c.id AND s.status = 'planned'))"
                  " OR (c.next_step_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM next_steps s "
                  "WHERE s.id = c.next_step_id AND s.client_id = c.id AND s.status = 'planned'))")
    if plan:
        problems.append(f"clients whose plan summary names another step: {plan.split()[:10]}")
    lines = srv.log_lines()[log_from:]
    retried = [ln for ln in lines if "running it again" in ln]
    for word in BAD_LOG:
        hits = [ln for ln in lines if word in ln and "running it again" not in ln]
        if hits:
            problems.append(f"{len(hits)} server log lines with \"{word}\"; the first: "
                            f"{hits[0][:300]}")
    p = srv.cli("report", "verify", check=False)
    verify = f"exit {p.returncode}: {(p.stdout.strip() or p.stderr.strip())[-200:]}"
    if p.returncode != 0:
        problems.append(f"report verify: {verify} {p.stderr.strip()[-300:]}")
    return problems, retried, verify


def figures(run, took, cpu):
    by = {}
    for k, st, dt in run.results:
        by.setdefault(k, []).append(dt)
    lat = sorted(dt for _, _, dt in run.results)
    out = {"seconds": round(took, 1), "requests": len(run.results),
           "req_s": round(len(run.results) / took, 1),
           "p50_ms": round(pct(lat, 50) * 1000, 1), "p99_ms": round(pct(lat, 99) * 1000, 1),
           "server_cpu_s": round(cpu, 1), "kinds": {}}
    for k, _ in MIX:
        v = sorted(by.get(k, []))
        out["kinds"][k] = {"n": len(v), "p50_ms": round(pct(v, 50) * 1000, 1),
                           "p99_ms": round(pct(v, 99) * 1000, 1)}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nextcall", required=True)
    ap.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    ap.add_argument("--db-url")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--clients", type=int, default=48)
    ap.add_argument("--reps", type=int, default=40)
    ap.add_argument("--per-rep", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--demo-share", type=float, default=0.3)
    ap.add_argument("--mix", help="KIND=WEIGHT,... (default "
                    + ",".join(f"{k}={w}" for k, w in MIX) + ")")
    ap.add_argument("--workdir")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.mix:
        try:
            a.mix = tuple((k, int(w)) for k, w in (x.split("=") for x in a.mix.split(",")))
        except ValueError:
            ap.error("--mix: KIND=WEIGHT,...")
        if not a.mix or any(k not in WANT or w < 0 for k, w in a.mix) or \
                not sum(w for _, w in a.mix):
            ap.error(f"--mix: kinds are {', '.join(WANT)}")
    else:
        a.mix = MIX
    nextcall = os.path.abspath(a.nextcall)
    tmp = tempfile.mkdtemp(prefix="nc-pgw.", dir=a.workdir)
    if os.getuid() == 0:
        os.chmod(tmp, 0o755)  # scripts/pg.sh runs the cluster as "nobody" under root
    pg_dir = os.path.join(tmp, "pg")
    started_pg = False
    srv = None
    try:
        if a.db_url:
            url = a.db_url
        elif a.db == "postgres":
            p = subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "start", pg_dir],
                               capture_output=True, text=True)
            if p.returncode != 0:
                say(f"pg.sh start: {p.stderr.strip()[:500]}")
                return 1
            started_pg = True
            url = p.stdout.strip()
        else:
            url = os.path.join(tmp, "pgw.db")
        db = Db(url)
        srv = Server(nextcall, url, os.path.join(tmp, f"server-t{a.threads}.log"), a.threads)
        srv.cli("init", "--demo")
        hook = secrets.token_hex(20)
        srv.cli("settings", "set", "webhook.token", hook)
        admin_tok = srv.cli("token", "create", "admin", "--name", "pg_writes").stdout.strip()
        head_tok = srv.cli("token", "create", "elena", "--name", "pg_writes").stdout.strip()
        srv.start()
        run = Run(a, srv, admin_tok, head_tok, hook)
        asyncio.run(run.setup())
        run.add_demo(db)
        say(f"{'PostgreSQL' if db.pg else 'SQLite'}: {len(run.reps)} reps, "
            f"{len(run.owner) - len(run.demo)} clients and {len(run.demo)} of the demo team; {a.clients} clients writing for {a.seconds:g} s, "
            f"serve --threads {a.threads}")
        first_call = int(db.sql("SELECT COALESCE(max(id), 0) + 1 FROM calls"))
        log_from = len(srv.log_lines())
        cpu0, pg0 = srv.cpu_s(), pg_cpu_s(pg_dir if started_pg else None)
        took = asyncio.run(run.load())
        cpu, pg = (srv.cpu_s() or 0.0) - (cpu0 or 0.0), pg_cpu_s(pg_dir if started_pg else None) - pg0
        fig = figures(run, took, cpu)
        fig["postgres_cpu_s"] = round(pg, 1) if started_pg else None
        problems, retried, verify = check(run, db, srv, first_call, log_from)
        fig.update({"db": "postgres" if db.pg else "sqlite", "threads": a.threads,
                    "clients": a.clients, "reps": a.reps, "retries": len(retried),
                    "status_5xx": sum(1 for _, st, _ in run.results
                                      if st is not None and st >= 500),
                    "unexpected": sum(1 for k, st, _ in run.results if st != WANT[k]),
                    "calls_stored": len(set(run.call_ids)), "verify": verify,
                    "problems": problems})
        print(f"# {fig['db']}, serve --threads {a.threads}, {a.clients} clients over {a.reps} "
              f"reps, {fig['seconds']} s: {fig['requests']} writes = {fig['req_s']} /s, "
              f"p50 {fig['p50_ms']} ms, p99 {fig['p99_ms']} ms; CPU s: nextcall {fig['server_cpu_s']}"
              + (f", postgres {fig['postgres_cpu_s']}" if started_pg else ""))
        for k, v in fig["kinds"].items():
            print(f"#   {k}: {v['n']}, p50 {v['p50_ms']} ms, p99 {v['p99_ms']} ms")
        print(f"# {fig['calls_stored']} calls stored, {fig['status_5xx']} answers 5xx, "
              f"{fig['unexpected']} unexpected, {len(retried)} transactions run again; "
              f"report verify {verify}")
        by_what = {}
        for ln in retried:
            m = re.search(r"warn (\S+): attempt", ln)
            by_what[m.group(1) if m else "?"] = by_what.get(m.group(1) if m else "?", 0) + 1
        fig["retries_by"] = by_what
        if retried:
            print("#   run again: " + ", ".join(f"{k} {v}" for k, v in sorted(by_what.items()))
                  + f"; the first: {retried[0].strip()[:200]}")
        for p in problems:
            print(f"problem: {p}")
        if a.json:
            print(json.dumps(fig, ensure_ascii=False))
        return 1 if problems else 0
    finally:
        if srv:
            srv.stop()
        if started_pg:
            if a.keep:
                shutil.copy(os.path.join(pg_dir, "server.log"), os.path.join(tmp, "pg.log"))
                subprocess.run([os.path.join(pg_bindir(), "pg_dump"), "-d", url, "-f",
                                os.path.join(tmp, "db.sql")])
            subprocess.run([os.path.join(ROOT, "scripts", "pg.sh"), "stop", pg_dir])
        if a.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
