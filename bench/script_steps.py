#!/usr/bin/env python3
"""script_steps.py - the cost of a script run's steps through the API: what one live call costs
the server while a rep follows a script (issue 9; the counts of migration 0018 are kept in these
requests).

It starts "nextcall serve --threads 1" on an existing database (a copy you may change: runs,
calls and steps are added), makes a token for --as, and drives --runs runs one after another,
each on one of the rep's clients: POST /api/v1/script-runs, then steps chosen by a seeded
random walk (every question answered with a value of its type, options at random, "back" now
and then) until an end node, where the run is finished (the end's goal: a visit or a call at a
concrete time, or a refusal with its reason and next contact), or abandoned after --max-steps
steps or at random (one run in --abandon-every). Every request is durable (one commit each).

It prints the requests per kind, the latency per request (p50, p99), and what the server wrote
(/proc/PID/io wchar: the WAL frames of SQLite, 4 096 + 24 bytes each) per step request.
Compare two binaries on copies of one database: --nextcall OLD --db A, --nextcall NEW --db B.

usage: script_steps.py --nextcall PATH --db PATH [--as LOGIN] [--script NAME] [--runs N]
                       [--seed N] [--max-steps N] [--abandon-every N] [--json]
Python standard library only.
"""

import argparse
import http.client
import json
import os
import random
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "load"))
from ncserver import Server  # noqa: E402


def wchar(pid):
    with open(f"/proc/{pid}/io") as f:
        for line in f:
            if line.startswith("wchar:"):
                return int(line.split()[1])
    return 0


class Api:
    def __init__(self, port, token):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.hdr = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.lat = {}

    def call(self, kind, method, path, body=None):
        t0 = time.perf_counter()
        self.conn.request(method, path, json.dumps(body) if body is not None else None,
                          self.hdr)
        r = self.conn.getresponse()
        data = r.read()
        self.lat.setdefault(kind, []).append(time.perf_counter() - t0)
        try:
            return r.status, json.loads(data) if data else None
        except ValueError:
            return r.status, None


def answer(q, rnd, client_id):
    ty = q.get("type")
    if q.get("field") == "client.phone":  # one number a client: a card keeps 10 at most
        return "+7999%07d" % client_id
    if ty == "number":
        return str(rnd.randrange(1, 200))
    if ty == "choice":
        return rnd.choice(q.get("choices") or ["x"])
    if ty == "datetime":
        return "2027-03-%02dT11:00:00+03:00" % rnd.randrange(1, 28)
    return "Ivan Petrov"


def drive(api, script_id, client_id, rnd, max_steps, abandon):
    """One run; returns its ending ("finished", "abandoned") or raises on an unexpected answer."""
    st, run = api.call("start", "POST", "/api/v1/script-runs",
                       {"script_id": script_id, "client_id": client_id})
    if st == 403:  # the client went to another rep meanwhile (the rules, another driver)
        return "refused"
    if st != 201:
        raise RuntimeError(f"start: {st} {run}")
    stop = rnd.randrange(2, max_steps) if abandon else max_steps
    depth = 1  # the nodes on the run's path: "back" at its first node is refused
    for _ in range(stop):
        node = run.get("node") or {}
        q = node.get("question")
        body = {"seq": run["seq"]}
        if node.get("end"):
            goal = node.get("goal")
            body["action"] = "finish"
            due = "2027-03-%02dT1%d:00:00+03:00" % (rnd.randrange(1, 28), rnd.randrange(0, 8))
            body["next_step"] = {"kind": "visit" if goal == "max" else "call", "due_at": due}
            if goal not in ("max", "min"):
                body["refused"] = "not this season"
            st, r = api.call("finish", "POST", f"/api/v1/script-runs/{run['id']}/steps", body)
            if st != 200:
                raise RuntimeError(f"finish: {st} {r}")
            return "finished"
        if q and q.get("answer") is None:
            body.update(action="answer", answer=answer(q, rnd, client_id))
        elif node.get("options") and (depth < 2 or rnd.random() > 0.1):
            body.update(action="option", option=rnd.choice(node["options"])["index"])
            depth += 1
        elif depth > 1:
            body["action"] = "back"
            depth -= 1
        else:
            break
        st, r = api.call("step", "POST", f"/api/v1/script-runs/{run['id']}/steps", body)
        if st != 200:
            raise RuntimeError(f"step {body}: {st} {r}")
        run = r
    st, r = api.call("abandon", "POST", f"/api/v1/script-runs/{run['id']}/abandon")
    if st != 200:
        raise RuntimeError(f"abandon: {st} {r}")
    return "abandoned"


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))] if v else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nextcall", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--as", dest="login", default="anna")
    ap.add_argument("--script", default=None, help="a script's name (default: the first)")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-steps", type=int, default=60)
    ap.add_argument("--abandon-every", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    log = tempfile.NamedTemporaryFile(prefix="script_steps_", suffix=".log", delete=False)
    srv = Server(a.nextcall, a.db, log.name, 1)
    tok = srv.cli("token", "create", a.login, "--name", "script_steps").stdout.strip()
    srv.start()
    try:
        api = Api(srv.port, tok)
        st, scripts = api.call("list", "GET", "/api/v1/scripts")
        items = scripts if isinstance(scripts, list) else (scripts or {}).get("items", [])
        pick = [s for s in items if a.script is None or s.get("name") == a.script]
        if st != 200 or not pick:
            raise RuntimeError(f"no script {a.script!r}: {st} {str(scripts)[:300]}")
        sid = pick[0]["id"]
        st, cl = api.call("list", "GET", "/api/v1/clients?limit=200")
        clients = [c["id"] for c in (cl.get("items", []) if isinstance(cl, dict) else cl or [])
                   if c.get("owner") == a.login]
        if st != 200 or not clients:
            raise RuntimeError(f"no clients for {a.login}: {st} {str(cl)[:300]}")
        api.lat.clear()
        rnd = random.Random(a.seed)
        w0, c0 = wchar(srv.proc.pid), srv.cpu_s()
        ends = {}
        t0 = time.perf_counter()
        for i in range(a.runs):
            e = drive(api, sid, rnd.choice(clients), rnd, a.max_steps,
                      a.abandon_every and i % a.abandon_every == 0)
            ends[e] = ends.get(e, 0) + 1
        took = time.perf_counter() - t0
        w1, c1 = wchar(srv.proc.pid), srv.cpu_s()
    finally:
        srv.stop()
    nreq = sum(len(v) for v in api.lat.values())
    out = {"script": pick[0]["name"], "runs": a.runs, "ends": ends, "requests": nreq,
           "seconds": round(took, 3), "req_per_s": round(nreq / took, 1),
           "server_cpu_ms_per_req": round((c1 - c0) * 1000 / nreq, 3),
           "written_kib_per_req": round((w1 - w0) / 1024 / nreq, 1),
           "wal_frames_per_req": round((w1 - w0) / 4120 / nreq, 2),
           "latency_ms": {k: {"n": len(v), "p50": round(pct(v, 0.5) * 1000, 2),
                              "p99": round(pct(v, 0.99) * 1000, 2)}
                          for k, v in sorted(api.lat.items())}}
    if a.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k}: {v}")
    os.unlink(log.name)


if __name__ == "__main__":
    main()
