"""cases_steps.py - /api/v1/next-steps (plan, get, list, complete, move, cancel and their rules),
the agenda (the same JSON as "nextcall agenda --json") and the agenda.ics calendar feed."""

import json
import os
import subprocess
from urllib.parse import quote

from lib import at_msk, case, date_msk, same_instant


def step_id(r):
    """The id of a planned step from the answer of POST /api/v1/next-steps. The contract
    (routes.c) says the answer is a Step; tolerate {"step": Step} so that the other checks
    still run when the handler wraps it (the schema check reports that)."""
    if isinstance(r.get("id"), int):
        return r.get("id")
    return r.get("step", "id")


def plan(t, cid, who="anna", kind="call", due=None, **extra):
    body = {"client_id": cid, "kind": kind, "due_at": due or at_msk(1, 10)}
    body.update(extra)
    r = t.post("/api/v1/next-steps", body, who=who)
    t.need(r, 201, f"plan a {kind}")
    sid = step_id(r)
    t.require(isinstance(sid, int), f"no step id in {r.short()}")
    return sid, r


@case
def t_steps_create_get_list(t):
    c = t.new_client("anna")
    due = at_msk(1, 11, 30)
    sid, r = plan(t, c["id"], kind="meeting", due=due, note="Взять образцы")
    step = r.json if "id" in r.json else r.get("step", default={})
    t.check(step.get("client_id") == c["id"] and step.get("kind") == "meeting" and
            step.get("status") == "planned" and same_instant(step.get("due_at"), due),
            f"the planned step {step}")
    g = t.get(f"/api/v1/next-steps/{sid}", who="anna")
    if t.expect(g, 200, what="GET the step"):
        t.check(g.get("id") == sid and g.get("status") == "planned", f"GET {g.short()}")
        t.check(g.get("rep") == "anna", f"rep {g.get('rep')!r}")
    lst = t.get(f"/api/v1/next-steps?client_id={c['id']}", who="anna")
    if t.expect(lst, 200):
        t.check(sid in [x.get("id") for x in lst.get("items", default=[])], "list lacks the step")
    lst = t.get("/api/v1/next-steps?rep=anna&limit=500", who="anna")
    if t.expect(lst, 200):
        reps = {x.get("rep") for x in lst.get("items", default=[])}
        t.check(reps <= {"anna"}, f"?rep=anna gives steps of {reps}")
    card = t.get(f"/api/v1/clients/{c['id']}", who="anna")
    if t.expect(card, 200):
        t.check((card.get("next_step") or {}).get("id") == sid, "card next_step is not the step")
    t.expect(t.get("/api/v1/next-steps/987654321", who="anna"), 404, what="no such step")
    for kind, due, rule in (("call", at_msk(-1, 10), "next_step_past"),
                            ("call", date_msk(2), "next_step_vague"),
                            ("decision", at_msk(5, 10), "decision_window_exceeded")):
        r = t.post("/api/v1/next-steps", {"client_id": c["id"], "kind": kind, "due_at": due},
                   who="anna")
        t.expect(r, 422, code=rule, what=f"plan {kind} at {due}")
    r = t.post("/api/v1/next-steps", {"client_id": c["id"], "kind": "lunch", "due_at": due},
               who="anna")
    t.expect(r, 400, what="kind lunch")
    r = t.post("/api/v1/next-steps", {"client_id": c["id"], "kind": "call"}, who="anna")
    t.check(r.status in (400, 422), f"no due_at: {r.short()}")


def card_next(t, cid, want, what):
    """The card of client cid names step want as his next step (None: none)."""
    card = t.get(f"/api/v1/clients/{cid}", who="anna")
    if t.expect(card, 200, what=f"card {what}"):
        got = (card.get("next_step") or {}).get("id")
        t.check(got == want, f"card {what}: next_step {got}, want {want}")


@case
def t_steps_complete_move_cancel(t):
    c = t.new_client("anna")
    sid, _ = plan(t, c["id"])
    new_due = at_msk(2, 16)
    r = t.post(f"/api/v1/next-steps/{sid}/move", {"due_at": new_due}, who="anna")
    if t.expect(r, 200, what="move"):
        t.check(same_instant(r.get("due_at"), new_due) and r.get("status") == "planned",
                f"moved step {r.short()}")
    for due, rule in ((at_msk(-1, 9), "next_step_past"), (date_msk(3), "next_step_vague")):
        r = t.post(f"/api/v1/next-steps/{sid}/move", {"due_at": due}, who="anna")
        t.check(r.status in (400, 422), f"move to {due}: {r.short()}")
        if r.status == 422:
            t.check(r.error.get("code") == rule, f"move to {due}: code {r.error.get('code')}")
    r = t.post(f"/api/v1/next-steps/{sid}/complete", who="anna")
    if t.expect(r, 200, what="complete"):
        t.check(r.get("status") == "done", f"completed step {r.short()}")
    card_next(t, c["id"], None, "after its only step was completed")
    r = t.post(f"/api/v1/next-steps/{sid}/complete", who="anna")
    t.expect(r, 409, what="complete twice")
    r = t.post(f"/api/v1/next-steps/{sid}/move", {"due_at": at_msk(3, 10)}, who="anna")
    t.expect(r, 409, what="move a done step")
    r = t.post(f"/api/v1/next-steps/{sid}/cancel", {"reason": "поздно"}, who="anna")
    t.expect(r, 409, what="cancel a done step")
    sid3, _ = plan(t, c["id"], due=at_msk(2, 12))
    sid2, _ = plan(t, c["id"], due=at_msk(1, 12))
    card_next(t, c["id"], sid2, "with two planned, the earlier")
    r = t.post(f"/api/v1/next-steps/{sid2}/cancel", {}, who="anna")
    t.expect(r, 400, what="cancel without a reason")
    r = t.post(f"/api/v1/next-steps/{sid2}/cancel", {"reason": "   "}, who="anna")
    t.expect(r, 400, what="cancel with a blank reason")
    r = t.post(f"/api/v1/next-steps/{sid2}/cancel", {"reason": "Клиент уехал до весны"},
               who="anna")
    if t.expect(r, 200, what="cancel"):
        t.check(r.get("status") == "cancelled" and r.get("cancel_reason") == "Клиент уехал до весны",
                f"cancelled step {r.short()}")
    card_next(t, c["id"], sid3, "after the earlier was cancelled")
    g = t.get(f"/api/v1/next-steps/{sid2}", who="anna")
    if t.expect(g, 200):
        t.check(g.get("status") == "cancelled", f"GET after cancel {g.short()}")
    for action, body in (("complete", None), ("move", {"due_at": at_msk(1, 10)}),
                         ("cancel", {"reason": "x"})):
        r = t.post(f"/api/v1/next-steps/987654321/{action}", body, who="anna")
        t.expect(r, 404, what=f"{action} no such step")


@case
def t_steps_other_rep(t):
    c = t.new_client("oleg")
    sid, _ = plan(t, c["id"], who="oleg")
    t.expect(t.get(f"/api/v1/next-steps/{sid}", who="anna"), 403, what="anna GETs oleg's step")
    t.expect(t.post(f"/api/v1/next-steps/{sid}/complete", who="anna"), 403,
             what="anna completes oleg's step")
    t.expect(t.post(f"/api/v1/next-steps/{sid}/move", {"due_at": at_msk(2, 10)}, who="anna"),
             403, what="anna moves oleg's step")
    t.expect(t.post(f"/api/v1/next-steps/{sid}/cancel", {"reason": "x"}, who="anna"), 403,
             what="anna cancels oleg's step")
    g = t.get(f"/api/v1/next-steps/{sid}", who="oleg")
    if t.expect(g, 200):
        t.check(g.get("status") == "planned" and g.get("rep") == "oleg", f"after refusals {g.short()}")
    lst = t.get("/api/v1/next-steps?limit=500", who="anna")
    if t.expect(lst, 200):
        t.check(sid not in [x.get("id") for x in lst.get("items", default=[])],
                "anna's step list shows oleg's step")
    t.expect(t.get(f"/api/v1/next-steps/{sid}", who="elena"), 200, what="the head sees it")


def cli_agenda(t, *args):
    p = t.server.cli("agenda", "--json", *args)
    return json.loads(p.stdout)


@case
def t_agenda_matches_cli(t):
    for attempt in range(2):  # a step may fall due between the two reads: read again
        cli = cli_agenda(t, "--rep", "anna")
        day = (cli.get("day_start") or "")[:10]
        r = t.get(f"/api/v1/agenda?rep=anna&date={day}", who="anna")
        t.need(r, 200, "agenda")
        if r.json == cli:
            break
    if r.json != cli:
        diff = [k for k in set(cli) | set(r.json or {}) if (r.json or {}).get(k) != cli.get(k)]
        t.fail(f"agenda of anna differs from the CLI in {sorted(diff)}: "
               f"http {json.dumps({k: (r.json or {}).get(k) for k in diff}, ensure_ascii=False)[:300]} "
               f"cli {json.dumps({k: cli.get(k) for k in diff}, ensure_ascii=False)[:300]}")
    t.check(r.get("rep") == "anna", f"agenda rep {r.get('rep')!r}")
    t.check(cli.get("today") or cli.get("overdue"), "the demo agenda of anna is empty")
    r2 = t.get("/api/v1/agenda", who="anna")
    if t.expect(r2, 200, what="agenda without parameters"):
        t.check(r2.get("rep") == "anna", f"a rep's own agenda is of {r2.get('rep')!r}")
    r3 = t.get(f"/api/v1/agenda?rep=anna&date={day}", who="admin")
    if t.expect(r3, 200, what="admin reads anna's agenda"):
        t.check(r3.get("today") == r.get("today"), "admin sees another agenda of anna")
    d2 = date_msk(1)
    cli2 = cli_agenda(t, "--rep", "oleg", "--date", d2)
    r4 = t.get(f"/api/v1/agenda?rep=oleg&date={d2}", who="elena")
    if t.expect(r4, 200, what="agenda of oleg tomorrow"):
        t.check(r4.json == cli2, "oleg's agenda for tomorrow differs from the CLI")
    t.expect(t.get("/api/v1/agenda?date=2026-13-45", who="anna"), 400, what="date 2026-13-45")
    t.expect(t.get("/api/v1/agenda?rep=no-such-user", who="admin"), 400, what="rep nobody")


def ics_check(t, data):
    exe = os.path.join(t.build_dir, "tests", "ics_check")
    if not os.access(exe, os.X_OK):
        print(f"  # agenda.ics: {exe} is missing (built by tests/meson.build): libical check "
              "skipped")
        return
    p = subprocess.run([exe, "-"], input=data, capture_output=True, timeout=30)
    t.check(p.returncode == 0, f"ics_check refuses the feed: {p.stderr.decode(errors='replace')}")


@case
def t_agenda_ics(t):
    c = t.new_client("anna", name="Календарь; тест, «кавычки» \\ и длинное имя " + "я" * 40)
    sid, _ = plan(t, c["id"], due=at_msk(1, 14))
    tok = t.tok["anna"]
    r = t.get(f"/api/v1/agenda.ics?token={quote(tok)}", who=None)
    t.need(r, 200, "agenda.ics with a token")
    ct = r.header("Content-Type") or ""
    t.check(ct.lower().startswith("text/calendar"), f"Content-Type {ct!r}")
    body = r.body
    t.check(body.startswith(b"BEGIN:VCALENDAR\r\n"), f"feed starts {body[:40]!r}")
    t.check(body.rstrip(b"\r\n").endswith(b"END:VCALENDAR"), f"feed ends {body[-40:]!r}")
    bare = body.replace(b"\r\n", b"").count(b"\n")
    t.check(bare == 0 and body.endswith(b"\r\n"), f"{bare} lines end in bare LF, not CRLF")
    long = [ln for ln in body.split(b"\r\n") if len(ln) > 75]
    t.check(not long, f"{len(long)} lines longer than 75 octets")
    unfolded = body.replace(b"\r\n ", b"").decode("utf-8", "replace")
    t.check(f"UID:step-{sid}@" in unfolded, f"the feed lacks step {sid}")
    ics_check(t, body)
    t.expect(t.get("/api/v1/agenda.ics", who=None), 401, what="agenda.ics without a token")
    t.expect(t.get("/api/v1/agenda.ics?token=nct_bogus", who=None), 401,
             what="agenda.ics with a bad token")
    t.expect(t.get("/api/v1/agenda.ics?token=", who=None), 401, what="agenda.ics empty token")
    # oleg's feed does not show anna's step
    r = t.get(f"/api/v1/agenda.ics?token={quote(t.tok['oleg'])}", who=None)
    if t.expect(r, 200, what="oleg's feed"):
        t.check(f"step-{sid}@".encode() not in r.body.replace(b"\r\n ", b""),
                "oleg's feed shows anna's step")
        ics_check(t, r.body)


@case
def t_agenda_cache_follows_writes(t):
    """The agenda's answers are cached per user while nothing changes: a write through the API
    and a write by another process (the CLI) must both show in the next answer."""
    d = date_msk(1)
    path = f"/api/v1/agenda?date={d}"
    for attempt in range(3):  # a step falling due between two reads moves: read again
        first = t.get(path, who="anna")
        t.need(first, 200, "agenda")
        again = t.get(path, who="anna")
        if again.json == first.json:
            break
    if again.json != first.json:
        diff = {k: (first.json.get(k), again.json.get(k)) for k in set(first.json) | set(again.json)
                if first.json.get(k) != again.json.get(k)}
        t.fail(f"two reads with nothing between differ: {json.dumps(diff, ensure_ascii=False)[:600]}")
    c = t.new_client("anna")
    sid, _ = plan(t, c["id"], due=at_msk(1, 16, 45))
    after = t.get(path, who="anna")
    t.need(after, 200, "agenda after a write")
    t.check(sid in [s.get("id") for s in after.get("today", default=[])],
            "the step planned through the API is missing from the next agenda (stale cache)")
    t.server.cli("next", "cancel", str(sid), "--reason", "проверка кэша")
    gone = t.get(path, who="anna")
    t.need(gone, 200, "agenda after the CLI's write")
    t.check(sid not in [s.get("id") for s in gone.get("today", default=[])],
            "a step cancelled by another process is still in the agenda (stale cache)")
    other = t.get(path, who="oleg")
    t.check(other.status != 200 or other.get("rep") == "oleg", "one user got another's agenda")
