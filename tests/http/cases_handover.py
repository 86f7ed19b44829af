"""cases_handover.py - a call of another rep's client handed to his owner
(POST /api/v1/calls/{id}/handover and the form on /day): the owner gets a callback step with
the note, the call leaves the day of the rep who took it, nobody else may hand it, twice or a
logged call is 409, the note is checked, the form needs its CSRF token, and the client stays
hidden from the rep who handed him."""

import json
import re
from urllib.parse import quote

from cases_access import fixtures, leaks, marked_client, page_get, webhook_call
from cases_events import open_stream
from lib import case, fmt8


def exchange_calls(t, phones_ext):
    """Calls stored through the webhook as "to be logged", one per (phone, extension): their
    ids."""
    token = f"handover-hook-{t.seq()}"
    t.need(t.patch("/api/v1/settings", {"webhook.token": token}, who="elena"), 200,
           "set the webhook token")
    try:
        return [webhook_call(t, fmt8(p), ext, token) for p, ext in phones_ext]
    finally:
        t.need(t.patch("/api/v1/settings", {"webhook.token": ""}, who="elena"), 200,
               "webhook off")


def marks_of(m):
    return [m["name"], m["company"], m["note"], m["purpose"].split()[-1]]


def unlogged_rows(t, fx, role):
    r = page_get(t, fx, role, "/day")
    t.need(r, 200, f"the day of {role}")
    body = r.body.decode("utf-8", "replace")
    rows = re.findall(r'<section class="unlogged".*?</section>', body, re.S)
    return r, body, rows[0] if rows else ""


def post_form(t, fx, role, path, fields, csrf=True):
    cookie, token = fx["sessions"][role]
    f = dict(fields)
    if csrf:
        f["_csrf"] = token
    raw = "&".join(f"{quote(k)}={quote(v)}" for k, v in f.items()).encode()
    return t.api.request("POST", path, cookie=cookie, raw=raw,
                         content_type="application/x-www-form-urlencoded", check=False)


@case
def t_handover_to_the_owner(t):
    """oleg answers anna's client and hands the call to her: anna gets a callback step with
    his note, the call leaves oleg's day, a second handover is 409, and oleg still may not
    read the client."""
    fx = fixtures(t)
    m = marked_client(t, "anna", "Handmark")
    (call,) = exchange_calls(t, [(m["phone"], "202")])
    _, _, rows = unlogged_rows(t, fx, "other")
    t.check(f'action="/calls/{call}/handover"' in rows,
            "oleg's day has no handover form beside anna's client's call")
    note = f"wants a second ceiling, after 18:00 handnote{t.seq()}"
    stream = open_stream(t, "anna")
    try:
        r = t.post(f"/api/v1/calls/{call}/handover", {"note": note}, who="oleg")
        if not t.expect(r, 201, what="oleg hands the call to the owner"):
            return
        ev = stream.wait(lambda e: e[0] == "client.changed"
                         and json.loads(e[1]).get("change") == "handover", 5)
        t.check(ev and json.loads(ev[1]).get("client_id") == m["id"],
                f"anna's event stream did not get the handover: {ev}")
    finally:
        stream.close()
    t.check(r.get("owner") == "anna" and r.get("call_id") == call,
            f"the handover's answer: {r.short()}")
    bad = leaks(r.body, marks_of(m))
    t.check(not bad, f"the handover's answer holds anna's client's {bad}")
    sid = r.get("step_id")
    s = t.get(f"/api/v1/next-steps/{sid}", who="anna")
    if t.expect(s, 200, what="anna reads the step she got"):
        t.check(s.get("kind") == "callback" and s.get("status") == "planned"
                and s.get("rep") == "anna" and s.get("client_id") == m["id"]
                and s.get("call_id") == call, f"the step: {s.short()}")
        t.check(note in (s.get("note") or "") and "oleg" in (s.get("note") or ""),
                f"the step's note does not say who handed it and why: {s.get('note')!r}")
        t.check(s.get("auto") is False, "the handed step is marked as planned automatically")
    r = t.get("/api/v1/next-steps?rep=anna&limit=500", who="anna")
    t.check(sid in [x.get("id") for x in r.get("items", default=[])],
            "anna's next steps do not list the callback")
    r = t.get("/api/v1/agenda", who="anna")
    if t.expect(r, 200, what="anna's agenda"):
        ids = [x.get("id") for k in ("overdue", "today") for x in r.get(k, default=[])]
        due = s.get("due_at") or ""
        today = r.get("day_end") or ""
        if due < today:  # due today (not after midnight): her day shows it
            t.check(sid in ids, "anna's agenda does not show the callback due today")
    _, body, rows = unlogged_rows(t, fx, "other")
    t.check(f'data-call="{call}"' not in body, "the handed call is still on oleg's day")
    bad = leaks(body.encode(), marks_of(m))
    t.check(not bad, f"oleg's day holds anna's client's {bad}")
    r = t.get(f"/api/v1/calls/{call}", who="oleg")
    if t.expect(r, 200, what="oleg reads the call he handed"):
        t.check(r.get("logged") is True, f"the handed call is not logged: {r.short()}")
    t.expect(t.get(f"/api/v1/clients/{m['id']}", who="oleg"), 403,
             what="oleg reads anna's client after the handover")
    r = t.get(f"/api/v1/next-steps/{sid}", who="oleg")
    t.expect(r, 403, what="oleg reads anna's callback step")
    r = t.post(f"/api/v1/calls/{call}/handover", {"note": note}, who="oleg")
    t.expect(r, 409, code="conflict", field="id", what="the call handed twice")
    t.check("handed" in r.error.get("message", ""), f"the second handover's 409: {r.short()}")
    bad = leaks(r.body, marks_of(m))
    t.check(not bad, f"the 409 holds anna's client's {bad}")


@case
def t_handover_who_and_what(t):
    """Only the rep who took the call (or a head) hands it over; the note is required, a string,
    at most 1000 bytes; a logged call, or one of the rep's own client, is 409."""
    fx = fixtures(t)
    a = fx["anna"]
    m = marked_client(t, "anna", "Handwho")
    mo = marked_client(t, "oleg", "Handown")
    call, own, headed = exchange_calls(t, [(m["phone"], "202"), (mo["phone"], "202"),
                                           (m["phone"], "202")])
    path = f"/api/v1/calls/{call}/handover"
    r = t.post(path, {"note": "mike tries"}, who="mike")
    t.expect(r, 403, code="forbidden", what="a third rep hands oleg's call")
    t.check(not leaks(r.body, marks_of(m)), f"mike's 403 holds {leaks(r.body, marks_of(m))}")
    t.expect(t.post(path, {"note": "anna takes it"}, who="anna"), 403,
             what="the owner hands a call she did not take")
    for body, what in (({}, "no note"), ({"note": ""}, "an empty note"),
                       ({"note": "  \t "}, "a blank note"), ({"note": None}, "a null note"),
                       ({"note": 12}, "a number"), ({"note": "x" * 1001}, "1001 bytes"),
                       ({"note": "ж" * 501}, "1002 bytes of Cyrillic")):
        r = t.post(path, body, who="oleg")
        t.expect(r, 400, field="note", what=what)
    r = t.post(path, {"note": "ok", "owner": "mike"}, who="oleg")
    t.expect(r, 400, code="unknown_field", what="an unknown field")
    r = t.get(f"/api/v1/calls/{call}", who="oleg")
    t.check(r.get("logged") is False, "a refused handover logged the call")
    t.expect(t.post(f"/api/v1/calls/{a['call']}/handover", {"note": "mine"}, who="anna"), 409,
             field="id", what="a logged call")
    r = t.post(f"/api/v1/calls/{own}/handover", {"note": "mine"}, who="oleg")
    t.expect(r, 409, field="id", what="oleg hands the call of his own client")
    t.expect(t.post("/api/v1/calls/999999999/handover", {"note": "x"}, who="oleg"), 404,
             what="no such call")
    r = t.post(path, {"note": "x" * 1000}, who="oleg")
    t.expect(r, 201, what="a note of exactly 1000 bytes")
    r = t.post(f"/api/v1/calls/{headed}/handover", {"note": "the head hands it"}, who="elena")
    if t.expect(r, 201, what="the head hands oleg's call"):
        s = t.get(f"/api/v1/next-steps/{r.get('step_id')}", who="anna")
        t.check("elena" in (s.get("note") or ""), f"the head's handover note: {s.short()}")


@case
def t_handover_form_on_the_day(t):
    """The form on oleg's day: without its CSRF token it is refused and nothing changes; an
    empty note comes back with the message beside the field; a note hands the call over and
    the row leaves the day."""
    fx = fixtures(t)
    m = marked_client(t, "anna", "Handform")
    (call,) = exchange_calls(t, [(m["phone"], "202")])
    path = f"/calls/{call}/handover"
    r = post_form(t, fx, "other", path, {"note": "no token"}, csrf=False)
    t.expect(r, 403, what="the form without its CSRF token")
    r = t.get(f"/api/v1/calls/{call}", who="oleg")
    t.check(r.get("logged") is False, "a form without its token handed the call")
    r = post_form(t, fx, "other", path, {"note": " "})
    t.expect(r, 400, what="the form with an empty note")
    body = r.body.decode("utf-8", "replace")
    t.check('class="field-error"' in body and f'id="handover-{call}-error"' in body,
            "the empty note's message is not beside the form")
    t.check(f'data-call="{call}"' in body, "the refused form's page lost the call's row")
    t.check(not leaks(r.body, marks_of(m)), f"the refusal holds {leaks(r.body, marks_of(m))}")
    r = post_form(t, fx, "other", path, {"note": f"call her back formnote{t.seq()}"})
    t.expect(r, 303, what="the form with a note")
    t.check((r.header("Location") or "") == "/day", f"the form went to {r.header('Location')}")
    _, body, _ = unlogged_rows(t, fx, "other")
    t.check(f'data-call="{call}"' not in body, "the handed call is still on oleg's day")
    r = post_form(t, fx, "other", path, {"note": "again"})
    t.expect(r, 409, what="the form sent twice")
    t.check('role="alert"' in r.body.decode("utf-8", "replace"),
            "the second form's refusal is not shown")
