"""cases_load.py - a concurrency smoke test: 8 threads x 25 requests mixing reads of the agenda
and valid call reports; no answer may be a 5xx, none may fail to arrive."""

import threading
import time

from lib import at_msk, case, fmt_exc

THREADS = 8
PER_THREAD = 25


@case
def t_concurrency_smoke(t):
    clients = [t.new_client("anna")["id"] for _ in range(THREADS)]
    results, lock = [], threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(i):
        mine = []
        try:
            start.wait(10)
        except threading.BrokenBarrierError:
            pass
        for k in range(PER_THREAD):
            try:
                if k % 2 == 0:
                    r = t.get("/api/v1/agenda?rep=anna", who="anna")
                    mine.append(("GET agenda", r.status, 200, r))
                else:
                    body = t.good_call(clients[i], next={"kind": "call",
                                                         "due_at": at_msk(1, 9 + k % 10, k)})
                    r = t.post("/api/v1/calls", body, who="anna")
                    mine.append(("POST calls", r.status, 201, r))
            except Exception:  # noqa: BLE001 - a dropped connection is a finding
                mine.append(("request", None, None, fmt_exc()))
        with lock:
            results.extend(mine)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    took = time.monotonic() - t0
    t.check(len(results) == THREADS * PER_THREAD,
            f"{len(results)} of {THREADS * PER_THREAD} requests finished in {took:.1f} s")
    errors = [x for x in results if x[1] is None]
    five = [x for x in results if x[1] is not None and x[1] >= 500]
    other = [x for x in results if x[1] is not None and x[1] < 500 and x[1] != x[2]]
    for what, status, want, r in (errors + five + other)[:6]:
        t.fail(f"{what}: {r if status is None else r.short()}")
    t.check(not errors and not five, f"{len(errors)} failed connections, {len(five)} 5xx "
            f"answers of {len(results)}")
    t.check(not other, f"{len(other)} answers other than 200/201")
    r = t.get("/healthz", who=None)
    t.expect(r, 200, what="health after the load")
    for cid in clients:
        r = t.get(f"/api/v1/calls?client_id={cid}&limit=500", who="anna")
        if t.expect(r, 200):
            n = len(r.get("items", default=[]))
            t.check(n == PER_THREAD // 2, f"client {cid} has {n} calls, want {PER_THREAD // 2}")
