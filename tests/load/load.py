#!/usr/bin/env python3
"""load.py - the load test: N open event streams (GET /api/v1/events) spread over many reps, and
C clients of mixed reads and writes, for D seconds against one "nextcall serve" on a fresh
database. Python 3 standard library only (asyncio, raw sockets), one process.

Passes when:
- no request failed: every answer is the one wanted (200, 201 for a call), no connection broke;
- no stream dropped: every stream stays open to the end, hears every heartbeat (": ping", every
  15 s) and gets exactly the client.changed events of its own rep's calls, and no other rep's;
- the memory does not grow: /proc/PID/status is sampled every second (VmRSS, RssAnon, RssFile);
  the median RssAnon (heap and stacks) over the last third of the run is no higher than its
  median over the middle third plus a margin (the larger of --rss-margin-pct and
  --rss-margin-mib); the first third is the warm-up (caches filling), which --warmup S lengthens
  by S seconds of the same load before the run (its requests checked, not counted in the
  figures): the writer's page cache (16 MiB) takes 30-50 s to fill here. RssFile is left out of the
  check: it is the database file that SQLite maps (mmap_size 1 GiB), which grows with every
  call written, by design, and which the kernel reclaims at will; VmRSS is reported;
- p99 < 10 x p50 over every request of the run;
- the server stops on SIGTERM with the streams still open, and exits 0.

Prints a markdown section with the figures on standard output, progress on standard error.
Exit status: 0 passed, 1 failed, 77 cannot run here (file descriptor limit).

usage: load.py --nextcall PATH [--duration S] [--warmup S] [--streams N] [--clients C]
               [--reps R] [--threads T] [--rss-margin-pct P] [--rss-margin-mib M] [--keep]
               [--title TEXT]
"""

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from httpconn import Conn, HttpError, bearer  # tests/load/httpconn.py, beside this file
from ncserver import Server  # tests/load/ncserver.py, beside this file

HEARTBEAT_S = 15  # src/web/sse.c
MSK = timezone(timedelta(hours=3))
# the mix of the request clients: (kind, weight)
MIX = (("agenda", 25), ("card", 25), ("lookup", 15), ("search", 15), ("call", 20))
WANT = {"agenda": 200, "card": 200, "lookup": 200, "search": 200, "call": 201}


def say(msg):
    print(f"load: {msg}", file=sys.stderr, flush=True)


def pct(sorted_vals, p):
    """The p-th percentile (nearest rank) of an ascending list."""
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, int(round(p / 100.0 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[k]


def ms(x):
    return f"{x * 1000:.1f}"


# ---- event streams ----

class Stream(asyncio.Protocol):
    """GET /api/v1/events of one rep, parsed as it arrives (chunked transfer coding)."""

    def __init__(self, rep, token, owner_of, on_open):
        self.rep, self.token, self.owner_of, self.on_open = rep, token, owner_of, on_open
        self.buf = bytearray()
        self.text = bytearray()
        self.head_done = False
        self.chunked = False
        self.status = None
        self.pings = []          # monotonic times of ": ping"
        self.connected = False   # ": connected" seen
        self.events = {}         # client_id -> [monotonic arrival times] of change "call"
        self.other = 0           # other events (not ours to count), e.g. step.due
        self.wrong = []          # client.changed of a client that is not the rep's
        self.bad = []            # malformed lines
        self.ended = None        # why the stream ended, with the time
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        f"Authorization: Bearer {self.token}\r\n"
                        f"Accept: text/event-stream\r\n\r\n".encode())

    def connection_lost(self, exc):
        if not self.ended:
            self.ended = (time.monotonic(), f"connection lost ({exc or 'closed by the server'})")
        if not self.connected:
            self.on_open(self)

    def data_received(self, data):
        self.buf += data
        if not self.head_done:
            i = self.buf.find(b"\r\n\r\n")
            if i < 0:
                return
            head = bytes(self.buf[:i]).lower()
            del self.buf[:i + 4]
            self.head_done = True
            self.status = int(head[9:12])
            self.chunked = b"transfer-encoding: chunked" in head
            if self.status != 200 or b"content-type: text/event-stream" not in head:
                self.ended = (time.monotonic(), f"answer {self.status}")
                self.transport.close()
                return
        if self.chunked:
            while True:
                i = self.buf.find(b"\r\n")
                if i < 0:
                    return self._events()
                size = int(bytes(self.buf[:i]).split(b";")[0], 16)
                if len(self.buf) < i + 2 + size + 2:
                    return self._events()
                if size == 0:
                    del self.buf[:i + 4]
                    self._events()
                    self.ended = (time.monotonic(), "end of stream from the server")
                    return
                self.text += self.buf[i + 2:i + 2 + size]
                del self.buf[:i + 2 + size + 2]
        else:
            self.text += self.buf
            del self.buf[:]
            self._events()

    def _events(self):
        while True:
            i = self.text.find(b"\n\n")
            if i < 0:
                return
            block = bytes(self.text[:i]).decode("utf-8", "replace")
            del self.text[:i + 2]
            name, data = None, None
            for line in block.split("\n"):
                if line.startswith(":"):
                    c = line[1:].strip()
                    if c == "ping":
                        self.pings.append(time.monotonic())
                    elif c == "connected" and not self.connected:
                        self.connected = True
                        self.on_open(self)
                elif line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif line.startswith("retry: "):
                    pass
                else:
                    self.bad.append(line[:100])
            if name == "client.changed":
                try:
                    d = json.loads(data)
                    cid = d["client_id"]
                except (TypeError, ValueError, KeyError):
                    self.bad.append(f"data {data!r:.100}")
                    continue
                if self.owner_of.get(cid) != self.rep:
                    self.wrong.append(cid)
                elif d.get("change") == "call":
                    self.events.setdefault(cid, []).append(time.monotonic())
                else:
                    self.other += 1
            elif name is not None:
                self.other += 1


# ---- the run ----

def at_msk(days, hour, minute):
    d = datetime.now(MSK) + timedelta(days=days)
    return d.replace(hour=hour, minute=minute, second=0, microsecond=0).isoformat()


def good_call(client_id, rnd):
    """A call the sales rules accept (as tests/http/lib.py good_call), next step days ahead."""
    return {"client_id": client_id, "direction": "out",
            "purpose": "Записать на бесплатный замер и рассчитать смету",
            "goal_max": "замер в среду в 10:00", "goal_min": "договориться о звонке в четверг",
            "result": "max", "talk_s": 120,
            "next": {"kind": rnd.choice(("visit", "call")),
                     "due_at": at_msk(rnd.randint(1, 30), rnd.randint(9, 18),
                                      rnd.choice((0, 15, 30, 45)))}}


def found_ids(payload):
    """The ids of a client list answer; none when it is not one."""
    try:
        return [c.get("id") for c in json.loads(payload).get("items", [])]
    except (ValueError, AttributeError, TypeError):
        return []


class Run:
    def __init__(self, args, server):
        self.a, self.srv = args, server
        self.reps = []        # [(login, token)]
        self.clients = {}     # rep login -> [(client id, e164, name)]
        self.owner_of = {}    # client id -> rep login
        self.results = []     # (kind, status or None, latency s)
        self.warm_results = []  # the same, of the warm-up (--warmup)
        self.failures = []    # (kind, what) of the requests that failed, first few
        self.writes = {}      # client id -> [monotonic start of each accepted call]
        self.rss = []         # (monotonic, KiB)
        self.streams = []

    async def setup(self, admin_token):
        """Reps, their tokens and clients through the API as admin and as each rep."""
        conn = Conn(self.srv.port)
        adm = bearer(admin_token)
        nreps = self.a.reps
        base = random.Random(self.a.seed).randrange(1000000, 8000000)
        for k in range(nreps):
            login = f"load{k + 1:03d}"
            st, body = await conn.request("POST", "/api/v1/users", adm,
                                          {"login": login, "name": f"Нагрузка {k + 1}",
                                           "role": "rep", "timezone": "Europe/Moscow"})
            if st != 201:
                raise RuntimeError(f"add user {login}: {st} {body[:300]!r}")
            st, body = await conn.request("POST", "/api/v1/tokens", adm,
                                          {"login": login, "name": "load"})
            if st != 201:
                raise RuntimeError(f"token for {login}: {st} {body[:300]!r}")
            tok = json.loads(body)["token"]
            self.reps.append((login, tok))
            mine = []
            for j in range(self.a.clients_per_rep):
                n = (base + (k * self.a.clients_per_rep + j) * 7919) % 10000000
                e164 = f"+7999{n:07d}"
                name = f"Клиент {login} номер {j + 1}"
                st, body = await conn.request(
                    "POST", "/api/v1/clients", bearer(tok),
                    {"name": name, "company": f"ООО Нагрузка {k + 1}-{j + 1}", "phones": [e164]})
                if st != 201:
                    raise RuntimeError(f"client of {login}: {st} {body[:300]!r}")
                cid = json.loads(body)["id"]
                mine.append((cid, e164, name))
                self.owner_of[cid] = login
            self.clients[login] = mine
        conn.close()

    async def open_streams(self):
        loop = asyncio.get_running_loop()
        pending = {}
        opened = asyncio.Queue()

        def on_open(s):
            opened.put_nowait(s)

        batch = 50
        for i in range(self.a.streams):
            login, tok = self.reps[i % len(self.reps)]
            _, s = await loop.create_connection(
                lambda: Stream(login, tok, self.owner_of, on_open), "127.0.0.1", self.srv.port)
            self.streams.append(s)
            pending[id(s)] = s
            if len(pending) >= batch:  # at most 50 waiting for their first bytes
                while len(pending) >= batch:
                    s2 = await asyncio.wait_for(opened.get(), 30)
                    pending.pop(id(s2), None)
        while pending:
            s2 = await asyncio.wait_for(opened.get(), 30)
            pending.pop(id(s2), None)
        bad = [s for s in self.streams if not s.connected]
        if bad:
            raise RuntimeError(f"{len(bad)} streams did not open: {bad[0].ended}")

    async def sample_rss(self, stop):
        while not stop.is_set():
            kib = self.srv.rss_kib()
            if kib is not None:
                self.rss.append((time.monotonic(), kib))
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except asyncio.TimeoutError:
                pass

    async def client(self, idx, deadline):
        """One of the C request clients: a rep's token, his clients, a mix of requests."""
        login, tok = self.reps[idx % len(self.reps)]
        auth = bearer(tok)
        mine = self.clients[login]
        # the clients of a rep served by several request clients are shared out between them,
        # so that the calls of one client are logged one after another (events in order)
        sharing = [i for i in range(self.a.clients) if i % len(self.reps) == idx % len(self.reps)]
        slot = sharing.index(idx)
        writable = [c for j, c in enumerate(mine) if j % len(sharing) == slot] or mine
        rnd = random.Random(self.a.seed * 1000 + idx)
        kinds = [k for k, w in MIX for _ in range(w)]
        conn = Conn(self.srv.port)
        results = self.results
        while time.monotonic() < deadline:
            kind = rnd.choice(kinds)
            cid, e164, name = rnd.choice(mine)
            body = None
            if kind == "agenda":
                path = "/api/v1/agenda"
            elif kind == "card":
                path = f"/api/v1/clients/{cid}"
            elif kind == "lookup":
                path = f"/api/v1/clients?phone={quote(e164)}"
            elif kind == "search":
                path = f"/api/v1/clients?q={quote(login)}&limit=20"
            else:
                cid = rnd.choice(writable)[0]
                path, body = "/api/v1/calls", good_call(cid, rnd)
            t0 = time.monotonic()
            try:
                st, payload = await conn.request("POST" if body else "GET", path, auth, body)
            except (OSError, HttpError, asyncio.IncompleteReadError, ValueError) as e:
                conn.close()
                results.append((kind, None, time.monotonic() - t0))
                if len(self.failures) < 10:
                    self.failures.append((kind, f"{type(e).__name__}: {e}"))
                continue
            dt = time.monotonic() - t0
            results.append((kind, st, dt))
            if st != WANT[kind]:
                if len(self.failures) < 10:
                    self.failures.append((kind, f"{st} {payload[:200]!r}"))
            elif kind == "call":
                self.writes.setdefault(cid, []).append(t0)
            elif kind == "lookup" and cid not in found_ids(payload):
                results[-1] = (kind, -st, dt)  # a wrong answer counts as a failure
                if len(self.failures) < 10:
                    self.failures.append((kind, f"phone {e164}: client {cid} not found"))
        conn.close()

    async def main(self, admin_token):
        await self.setup(admin_token)
        say(f"{len(self.reps)} reps, {len(self.owner_of)} clients; opening "
            f"{self.a.streams} streams")
        self.rss_pre = self.srv.rss_kib()
        t_open = time.monotonic()
        await self.open_streams()
        self.open_s = time.monotonic() - t_open
        self.threads_idle = self.srv.threads_now()
        say(f"{self.a.streams} streams open in {self.open_s:.1f} s; {self.a.clients} clients "
            f"for {self.a.duration} s")
        stop = asyncio.Event()
        sampler = asyncio.create_task(self.sample_rss(stop))
        await asyncio.sleep(1.0)
        if self.a.warmup > 0:
            say(f"warm-up: {self.a.warmup:.0f} s of the same load")
            measured, self.results = self.results, []
            end = time.monotonic() + self.a.warmup
            await asyncio.gather(*(self.client(i, end) for i in range(self.a.clients)))
            self.warm_results, self.results = self.results, measured
        ru0, cpu0 = resource.getrusage(resource.RUSAGE_SELF), self.srv.cpu_s()
        self.t0 = time.monotonic()
        deadline = self.t0 + self.a.duration
        await asyncio.gather(*(self.client(i, deadline) for i in range(self.a.clients)))
        self.t1 = time.monotonic()
        ru1, cpu1 = resource.getrusage(resource.RUSAGE_SELF), self.srv.cpu_s()
        self.threads_load = self.srv.threads_now()
        self.driver_cpu = (ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime)
        self.server_cpu = (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None
        stop.set()
        await sampler
        # the last events on their way: until every stream has its rep's calls, 10 s at most
        want = sum(len(self.writes.get(c[0], [])) for s in self.streams
                   for c in self.clients[s.rep])
        for _ in range(50):
            await asyncio.sleep(0.2)
            if sum(len(v) for s in self.streams for v in s.events.values()) >= want:
                break
        await asyncio.sleep(0.5)  # and any extra one that should not come
        self.t_check = time.monotonic()
        # the server stops with every stream open: each must end cleanly
        loop = asyncio.get_running_loop()
        rc, took = await loop.run_in_executor(None, self.srv.stop, 30)
        self.stop_rc, self.stop_took = rc, took
        await asyncio.sleep(0.5)
        for s in self.streams:
            if s.transport:
                s.transport.close()


def verdict(run, a):
    """The checks, as (name, passed, detail), and the figures for the report."""
    checks = []
    fig = {}
    res = run.results
    n = len(res)
    dur = run.t1 - run.t0
    failed = [r for r in res if r[1] != WANT[r[0]]]
    warm = run.warm_results
    warm_failed = [r for r in warm if r[1] != WANT[r[0]]]
    fig["warm"] = (len(warm), len(warm_failed))
    fig["requests"] = n
    fig["rps"] = n / dur if dur > 0 else 0
    by = {}
    for k, st, _ in res:
        by.setdefault(k, {}).setdefault(st, 0)
        by[k][st] += 1
    fig["status"] = by
    checks.append(("no failed request", n > 0 and not failed and not warm_failed,
                   f"{len(failed)} of {n} failed" +
                   (f" (warm-up: {len(warm_failed)} of {len(warm)})" if warm else "") +
                   (f"; first: {run.failures[:3]}" if run.failures else "")))
    lat = sorted(r[2] for r in res)
    p50, p99 = pct(lat, 50), pct(lat, 99)
    fig.update(p50=p50, p90=pct(lat, 90), p99=p99, p999=pct(lat, 99.9), max=lat[-1] if lat else 0)
    fig["kinds"] = {}
    for k, _ in MIX:
        lk = sorted(r[2] for r in res if r[0] == k)
        fig["kinds"][k] = (len(lk), pct(lk, 50), pct(lk, 99))
    checks.append(("p99 < 10 x p50", n > 0 and p99 < 10 * p50,
                   f"p50 {ms(p50)} ms, p99 {ms(p99)} ms = {p99 / p50 if p50 else 0:.1f} x p50"))

    # streams: all open until the server stopped, heartbeats heard, events right
    dropped = [s for s in run.streams if s.ended and s.ended[0] < run.t_check]
    checks.append(("no stream dropped", not dropped,
                   f"{len(dropped)} of {len(run.streams)} ended early" +
                   (f"; first: {dropped[0].rep}: {dropped[0].ended[1]}" if dropped else "")))
    open_s = run.t_check - run.t0
    want_pings = int(open_s // (HEARTBEAT_S + 1))
    pings = [sum(1 for t in s.pings if run.t0 <= t <= run.t_check) for s in run.streams]
    deaf = [p for p in pings if p < want_pings]
    fig["pings"] = (min(pings, default=0), max(pings, default=0), want_pings)
    checks.append(("every stream hears the heartbeat", not deaf,
                   f"pings per stream {fig['pings'][0]}..{fig['pings'][1]} in {open_s:.0f} s, "
                   f"want >= {want_pings}; {len(deaf)} streams short"))
    missing = extra = delivered = 0
    wrong = sum(len(s.wrong) for s in run.streams)
    bad = sum(len(s.bad) for s in run.streams)
    delays = []
    for s in run.streams:
        for cid, _, _ in run.clients[s.rep]:
            sent = run.writes.get(cid, [])
            got = s.events.get(cid, [])
            delivered += min(len(sent), len(got))
            if len(got) < len(sent):
                missing += len(sent) - len(got)
            elif len(got) > len(sent):
                extra += len(got) - len(sent)
            delays += [g - w for g, w in zip(got, sent)]
    delays.sort()
    nwrites = sum(len(v) for v in run.writes.values())
    fig["events"] = (delivered, pct(delays, 50), pct(delays, 99), delays[-1] if delays else 0)
    checks.append(("each call's event reaches every stream of its rep, and only those",
                   (nwrites > 0 or not run.streams) and not (missing or extra or wrong or bad),
                   f"{nwrites} calls -> {delivered} deliveries; missing {missing}, extra {extra}, "
                   f"to a wrong rep {wrong}, malformed {bad}"))

    # memory: the median of the last third against the median of the middle third (the first
    # third is the warm-up: caches and the database's mapped pages filling up)
    third = dur / 3
    fig["rss"] = {}
    for i, name in enumerate(("VmRSS", "RssAnon", "RssFile")):
        win = [(t, k[i]) for t, k in run.rss if run.t0 <= t <= run.t1]
        mid = [k for t, k in win if run.t0 + third <= t < run.t0 + 2 * third]
        last = [k for t, k in win if t >= run.t0 + 2 * third]
        if not mid or not last:
            continue
        # the slope over the last two thirds, for the report (least squares, KiB/s)
        pts = [(t, k) for t, k in win if t >= run.t0 + third]
        mt = statistics.mean(t for t, _ in pts)
        mk = statistics.mean(k for _, k in pts)
        den = sum((t - mt) ** 2 for t, _ in pts)
        slope = sum((t - mt) * (k - mk) for t, k in pts) / den if den else 0.0
        fig["rss"][name] = dict(before=run.rss[0][1][i], start=win[0][1],
                                mid=statistics.median(mid), last=statistics.median(last),
                                peak=max(k[i] for _, k in run.rss), slope=slope,
                                samples=len(win))
    # the check is on the anonymous part (heap, stacks): the file-backed part is the database
    # that SQLite maps (mmap_size 1 GiB), growing with the file by design, and the kernel's to
    # reclaim; VmRSS = RssAnon + RssFile + RssShmem is reported beside it
    r = fig["rss"].get("RssAnon")
    if r:
        margin = max(a.rss_margin_mib * 1024, r["mid"] * a.rss_margin_pct / 100)
        grow = r["last"] - r["mid"]
        checks.append(("memory does not grow", grow <= margin,
                       f"RssAnon median {r['mid'] / 1024:.1f} MiB (middle third) -> "
                       f"{r['last'] / 1024:.1f} MiB (last third): {grow / 1024:+.1f} MiB, margin "
                       f"{margin / 1024:.1f} MiB (a steady growth above "
                       f"{margin / third:.0f} KiB/s fails)"))
    else:
        checks.append(("memory does not grow", False, f"only {len(run.rss)} RSS samples"))

    checks.append(("the server stops with the streams open and exits 0",
                   run.stop_rc == 0 and run.stop_took <= 20,
                   f"exit {run.stop_rc} after {run.stop_took:.1f} s"))
    ended = sum(1 for s in run.streams if s.ended and s.ended[1] == "end of stream from the server")
    fig["ended_clean"] = ended
    return checks, fig


def report(run, a, checks, fig):
    ok = all(c[1] for c in checks)
    out = []
    out.append(f"## {a.title}\n")
    out.append(f"{a.streams} event streams over {len(run.reps)} reps "
               f"({a.streams // len(run.reps)} each), {a.clients} request clients "
               f"(keep-alive, no pause) for {run.t1 - run.t0:.0f} s" +
               (f" after a warm-up of {a.warmup:.0f} s ({fig['warm'][0]} requests, not in the "
                f"figures)" if a.warmup > 0 else "") + "; server "
               f"`serve --threads {a.threads}`; fresh database (`init --demo` + "
               f"{len(run.reps)} reps x {a.clients_per_rep} clients). "
               f"Mix: " + ", ".join(f"{k} {w}%" for k, w in MIX) + ".\n")
    out.append("| figure | value |")
    out.append("| --- | --- |")
    out.append(f"| requests | {fig['requests']} ({fig['rps']:.0f}/s) |")
    out.append(f"| latency p50 / p90 / p99 / p99.9 / max | {ms(fig['p50'])} / {ms(fig['p90'])} / "
               f"{ms(fig['p99'])} / {ms(fig['p999'])} / {ms(fig['max'])} ms |")
    out.append(f"| p99 / p50 | {fig['p99'] / fig['p50'] if fig['p50'] else 0:.1f} (limit 10) |")
    for k, (cnt, p50, p99) in fig["kinds"].items():
        st = ", ".join(f"{s if s is not None else 'conn'}: {c}"
                       for s, c in sorted(fig["status"].get(k, {}).items(),
                                          key=lambda x: (x[0] is None, x[0] or 0)))
        out.append(f"| {k}: count, p50 / p99, statuses | {cnt}, {ms(p50)} / {ms(p99)} ms, "
                   f"{st} |")
    ev = fig["events"]
    out.append(f"| call events delivered (stream x call) | {ev[0]}, delay p50 {ms(ev[1])} ms, "
               f"p99 {ms(ev[2])} ms, max {ms(ev[3])} ms |")
    pm = fig["pings"]
    out.append(f"| heartbeats per stream | {pm[0]}..{pm[1]} (want >= {pm[2]}) |")
    out.append(f"| streams opened in | {run.open_s:.1f} s |")
    for i, (name, r) in enumerate(fig["rss"].items()):
        pre = f"{run.rss_pre[i] / 1024:.1f}" if run.rss_pre else "?"
        out.append(f"| server {name}: no stream / streams open / load start / middle third / "
                   f"last third / peak | {pre} / {r['before'] / 1024:.1f} / "
                   f"{r['start'] / 1024:.1f} / "
                   f"{r['mid'] / 1024:.1f} / {r['last'] / 1024:.1f} / {r['peak'] / 1024:.1f} MiB; "
                   f"slope {r['slope']:+.0f} KiB/s over the last two thirds |")
    out.append(f"| server threads: streams idle / under load | {run.threads_idle} / "
               f"{run.threads_load} |")
    dur = run.t1 - run.t0
    sc = f"{run.server_cpu / dur * 100:.0f}%" if run.server_cpu is not None else "?"
    out.append(f"| CPU of one core: server / load driver | {sc} / "
               f"{run.driver_cpu / dur * 100:.0f}% |")
    out.append(f"| stop with the streams open | exit {run.stop_rc} in {run.stop_took:.1f} s, "
               f"{fig['ended_clean']} streams ended cleanly |")
    out.append("")
    out.append("| check | result | detail |")
    out.append("| --- | --- | --- |")
    for name, passed, detail in checks:
        out.append(f"| {name} | {'pass' if passed else '**FAIL**'} | {detail} |")
    out.append("")
    out.append(f"Result: **{'PASS' if ok else 'FAIL'}**")
    print("\n".join(out), flush=True)
    return ok


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        want = need if hard == resource.RLIM_INFINITY else min(hard, max(need, soft))
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        except (ValueError, OSError):
            pass
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return soft


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nextcall", required=True)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=0)
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--clients-per-rep", type=int, default=6)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rss-margin-pct", type=float, default=5.0)
    ap.add_argument("--rss-margin-mib", type=float, default=4.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the database and the server log")
    ap.add_argument("--title", default=None)
    a = ap.parse_args()
    if a.title is None:
        a.title = f"Load: {a.streams} event streams + {a.clients} clients, {a.duration:.0f} s"
    if a.reps < 1 or a.streams < 0 or a.clients < 1 or a.duration < 3 or a.warmup < 0:
        ap.error("want --reps >= 1, --clients >= 1, --duration >= 3, --warmup >= 0")
    need = a.streams + a.clients + 64
    soft = raise_fd_limit(need)
    if soft < need:
        print(f"load: SKIP: {a.streams} streams need {need} file descriptors, the limit is "
              f"{soft} (raise the hard limit: ulimit -Hn)", file=sys.stderr)
        return 77
    workdir = tempfile.mkdtemp(prefix="nc-load.")
    srv = Server(os.path.abspath(a.nextcall), os.path.join(workdir, "load.db"),
                 os.path.join(workdir, "server.log"), a.threads, cli_timeout=120)
    ok = False
    try:
        srv.cli("init", "--demo")
        admin = srv.cli("token", "create", "admin", "--name", "load").stdout.strip()
        srv.start()
        run = Run(a, srv)
        asyncio.run(run.main(admin))
        checks, fig = verdict(run, a)
        ok = report(run, a, checks, fig)
        if not ok:
            say(f"server log: {srv.log_path if a.keep else srv.log_tail(5)}")
    except Exception as e:  # noqa: BLE001 - any failure of the run is reported as one
        say(f"FAIL: {type(e).__name__}: {e}")
        say(f"server log: {srv.log_tail(5)}")
    finally:
        if srv.proc and srv.proc.poll() is None:
            srv.stop(10)
        if a.keep or not ok:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
