"""cases_access.py - the access matrix: every route of routes.c (API, pages, forms, the event
stream, the calendar feed, exports) tried as each role, against the table "Access matrix" of
docs/api.md, and no data of another rep's client through any answer, list, search, report,
export, event stream or calendar feed.

cases_system.py checks 401 without credentials and the route table's role for every API route;
this adds the pages, the owner of the thing a route names (anna) against another rep (oleg),
and the data each role gets back."""

import http.client
import io
import os
import re
import zipfile
from datetime import timedelta
from urllib.parse import quote

from cases_scripts import EXAMPLES
from cases_qa import plan
from lib import at_msk, case, date_msk, fmt8, now_msk
from schema import parse_routes

# the roles of the matrix, in the order of its columns, and who plays each
ROLES = ("anon", "admin", "head", "owner", "other")
WHO = {"anon": None, "admin": "admin", "head": "elena", "owner": "anna", "other": "oleg"}

# The expected answer per role. ok: the route's own answer (2xx, 303 of a form, or a 400, 409,
# 415 or 422 about the input: the caller got past the access checks; a GET answers 200);
# 401: not signed in; login: 303 to /login; 403: forbidden; hook: the webhook's own token
# decides (401 wrong token, 403 webhook off) whoever signs in.
# "owner" is anna, who owns the client (and his calls, steps, deals, runs and reviews) that the
# route's {id} names; "other" is oleg, another rep. Keep in step with docs/api.md.
MATRIX = """
GET    /healthz                                   ok    ok  ok  ok  ok
GET    /api/v1/openapi.json                       ok    ok  ok  ok  ok
POST   /api/v1/session                            ok    ok  ok  ok  ok
GET    /api/v1/session                            401   ok  ok  ok  ok
DELETE /api/v1/session                            401   ok  ok  ok  ok
POST   /api/v1/tokens                             401   ok  403 ok  403
DELETE /api/v1/tokens/{id}                        401   ok  403 403 403
GET    /api/v1/clients                            401   ok  ok  ok  ok
POST   /api/v1/clients                            401   ok  ok  ok  ok
GET    /api/v1/clients/{id}                       401   ok  ok  ok  403
PATCH  /api/v1/clients/{id}                       401   ok  ok  ok  403
GET    /api/v1/calls                              401   ok  ok  ok  ok
POST   /api/v1/calls                              401   ok  ok  ok  403
GET    /api/v1/calls/{id}                         401   ok  ok  ok  403
DELETE /api/v1/calls/{id}                         401   ok  403 403 403
POST   /api/v1/calls/{id}/handover                401   ok  ok  ok  403
GET    /api/v1/meetings                           401   ok  ok  ok  ok
POST   /api/v1/meetings                           401   ok  ok  ok  403
GET    /api/v1/meetings/{id}                      401   ok  ok  ok  403
GET    /api/v1/next-steps                         401   ok  ok  ok  ok
POST   /api/v1/next-steps                         401   ok  ok  ok  403
GET    /api/v1/next-steps/{id}                    401   ok  ok  ok  403
POST   /api/v1/next-steps/{id}/complete           401   ok  ok  ok  403
POST   /api/v1/next-steps/{id}/move               401   ok  ok  ok  403
POST   /api/v1/next-steps/{id}/cancel             401   ok  ok  ok  403
GET    /api/v1/agenda                             401   ok  ok  ok  ok
GET    /api/v1/agenda.ics                         401   ok  ok  ok  ok
GET    /api/v1/deals                              401   ok  ok  ok  ok
POST   /api/v1/deals                              401   ok  ok  ok  403
PATCH  /api/v1/deals/{id}                         401   ok  ok  ok  403
GET    /api/v1/segments                           401   ok  ok  ok  ok
POST   /api/v1/segments                           401   ok  ok  403 403
GET    /api/v1/sources                            401   ok  ok  ok  ok
POST   /api/v1/sources                            401   ok  ok  403 403
POST   /api/v1/sources/{id}/spend                 401   ok  ok  403 403
GET    /api/v1/reports/stats                      401   ok  ok  ok  ok
GET    /api/v1/reports/funnel                     401   ok  ok  ok  ok
GET    /api/v1/reports/reps                       401   ok  ok  ok  ok
GET    /api/v1/qa/forms                           401   ok  ok  ok  ok
POST   /api/v1/qa/forms                           401   ok  ok  403 403
GET    /api/v1/qa/forms/{id}                      401   ok  ok  ok  ok
PATCH  /api/v1/qa/forms/{id}                      401   ok  ok  403 403
GET    /api/v1/qa/calls/{id}                      401   ok  ok  403 403
GET    /api/v1/qa/reviews                         401   ok  ok  ok  ok
POST   /api/v1/qa/reviews                         401   ok  ok  403 403
GET    /api/v1/qa/reviews/{id}                    401   ok  ok  ok  403
GET    /api/v1/qa/scores                          401   ok  ok  ok  ok
GET    /api/v1/qa/campaigns                       401   ok  ok  403 403
POST   /api/v1/qa/campaigns                       401   ok  ok  403 403
GET    /api/v1/qa/campaigns/{id}                  401   ok  ok  403 403
POST   /api/v1/qa/campaigns/{id}/calls/{n}        401   ok  ok  403 403
GET    /api/v1/users                              401   ok  403 403 403
POST   /api/v1/users                              401   ok  403 403 403
PATCH  /api/v1/users/{login}                      401   ok  403 ok  403
GET    /api/v1/settings                           401   ok  ok  ok  ok
PATCH  /api/v1/settings                           401   ok  ok  403 403
GET    /api/v1/events                             401   ok  ok  ok  ok
POST   /api/v1/telephony/events                   401   ok  403 403 403
GET    /api/v1/scripts                            401   ok  ok  ok  ok
POST   /api/v1/scripts                            401   ok  ok  403 403
POST   /api/v1/scripts/check                      401   ok  ok  ok  ok
GET    /api/v1/scripts/{id}                       401   ok  ok  ok  ok
POST   /api/v1/scripts/{id}/archive               401   ok  ok  403 403
GET    /api/v1/scripts/{id}/stats                 401   ok  ok  403 403
POST   /api/v1/script-runs                        401   ok  ok  ok  403
GET    /api/v1/script-runs/{id}                   401   ok  ok  ok  403
POST   /api/v1/script-runs/{id}/steps             401   403 403 ok  403
POST   /api/v1/script-runs/{id}/abandon           401   ok  ok  ok  403
POST   /api/v1/calls/originate                    401   ok  ok  ok  403
POST   /api/v1/telephony/webhook                  hook  hook hook hook hook
GET    /api/v1/telephony/status                   401   ok  403 403 403
GET    /                                          login ok  ok  ok  ok
GET    /favicon.ico                               ok    ok  ok  ok  ok
GET    /static/{name}                             ok    ok  ok  ok  ok
GET    /login                                     ok    ok  ok  ok  ok
POST   /login                                     ok    ok  ok  ok  ok
POST   /logout                                    login ok  ok  ok  ok
GET    /day                                       login ok  ok  ok  ok
GET    /team                                      login ok  ok  403 403
GET    /lost                                      login ok  ok  403 403
POST   /calls/{id}/handover                       login ok  ok  ok  403
GET    /reports                                   login ok  ok  403 403
GET    /qa                                        login ok  ok  403 403
GET    /qa/calls/{id}                             login ok  ok  403 403
POST   /qa/calls/{id}                             login ok  ok  403 403
GET    /qa/reviews/{id}                           login ok  ok  ok  403
GET    /qa/scores                                 login ok  ok  ok  ok
GET    /qa/forms/{id}                             login ok  ok  403 403
POST   /qa/forms/{id}                             login ok  ok  403 403
GET    /qa/campaigns/new                          login ok  ok  403 403
POST   /qa/campaigns                              login ok  ok  403 403
GET    /qa/campaigns/{id}                         login ok  ok  403 403
GET    /qa/campaigns/{id}/calls/{n}               login ok  ok  403 403
POST   /qa/campaigns/{id}/calls/{n}               login ok  ok  403 403
GET    /clients                                   login ok  ok  ok  ok
GET    /clients/new                               login ok  ok  ok  ok
POST   /clients                                   login ok  ok  ok  ok
GET    /clients/{id}                              login ok  ok  ok  403
GET    /clients/{id}/edit                         login ok  ok  ok  403
POST   /clients/{id}                              login ok  ok  ok  403
POST   /clients/{id}/originate                    login ok  ok  ok  403
POST   /clients/{id}/contacts                     login ok  ok  ok  403
POST   /clients/{id}/script-runs                  login ok  ok  ok  403
POST   /script-runs/{id}/steps                    login 403 403 ok  403
POST   /script-runs/{id}/abandon                  login ok  ok  ok  403
GET    /scripts                                   login ok  ok  ok  ok
GET    /scripts/new                               login ok  ok  403 403
POST   /scripts                                   login ok  ok  403 403
GET    /scripts/{id}                              login ok  ok  ok  ok
GET    /scripts/{id}/edit                         login ok  ok  403 403
POST   /scripts/{id}/edit                         login ok  ok  403 403
POST   /scripts/{id}/archive                      login ok  ok  403 403
GET    /scripts/{id}/stats                        login ok  ok  403 403
POST   /steps/{id}/done                           login ok  ok  ok  403
POST   /steps/{id}/move                           login ok  ok  ok  403
POST   /steps/{id}/cancel                         login ok  ok  ok  403
GET    /settings                                  login ok  ok  403 403
POST   /settings                                  login ok  ok  403 403
POST   /settings/segments                         login ok  ok  403 403
POST   /settings/sources                          login ok  ok  403 403
POST   /settings/spend                            login ok  ok  403 403
GET    /settings/users                            login ok  403 403 403
POST   /settings/users                            login ok  403 403 403
POST   /settings/users/{login}                    login ok  403 403 403
GET    /profile                                   login ok  ok  ok  ok
POST   /profile                                   login ok  ok  ok  ok
"""


def parse_matrix(text):
    m = {}
    for ln in text.strip().splitlines():
        parts = ln.split()
        if len(parts) != 2 + len(ROLES):
            raise ValueError(f"matrix line {ln!r}")
        m[(parts[0], parts[1])] = dict(zip(ROLES, parts[2:]))
    return m


ACCESS = parse_matrix(MATRIX)
DOC_CELL = {"ok": "ok", "401": "401", "403": "403", "login": "→ login", "hook": "token"}


def doc_matrix(path):
    """The rows of the "Access matrix" table of docs/api.md: {(method, pattern): {role: cell}}."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    i = text.find("## Access matrix")
    if i < 0:
        return None
    rows = {}
    end = text.find("\n## ", i + 1)
    for ln in text[i:end if end > 0 else len(text)].splitlines():
        m = re.match(r"^\|\s*`(GET|POST|PATCH|DELETE|PUT) ([^`]+)`\s*\|(.*)\|\s*$", ln)
        if m:
            rows[(m.group(1), m.group(2))] = [c.strip() for c in m.group(3).split("|")]
    return rows


# ---- fixtures: anna's marked things, oleg's, and the ids the routes name ----

def sign_in(t, login):
    r = t.post("/api/v1/session", {"login": login, "password": "demo1234"}, who=None,
               source=t.addr())
    t.need(r, 200, f"{login} signs in")
    cookie = None
    for v in r.header_all("Set-Cookie"):
        m = re.match(r"nc_session=([^;]+)", v)
        if m:
            cookie = m.group(1)
    t.require(cookie and r.get("csrf"), f"no session cookie or csrf for {login}")
    return cookie, r.get("csrf")


def marked_client(t, who, tag):
    s = t.seq()
    m = {"name": f"{tag}name{s}zq", "company": f"{tag}corp{s}qz", "phone": t.phones.new(),
         "purpose": f"Записать на замер {tag}purpose{s}", "note": f"{tag}note{s}xv",
         "review": f"{tag}review{s}vx"}
    c = t.new_client(who, name=m["name"], phones=[fmt8(m["phone"])], company=m["company"])
    m["id"] = c["id"]
    return m


def new_step(t, cid, note, who="anna", days=2, hour=11):
    r = t.post("/api/v1/next-steps", {"client_id": cid, "kind": "call",
                                      "due_at": at_msk(days, hour), "note": note}, who=who)
    t.need(r, 201, "plan a step")
    sid = r.get("id") or r.get("step", "id")
    t.require(isinstance(sid, int), f"no step id in {r.short()}")
    return sid


def new_run(t, script_id, cid, who="anna"):
    r = t.post("/api/v1/script-runs", {"script_id": script_id, "client_id": cid}, who=who)
    t.need(r, 201, "open a run")
    return r.get("id")


def fixtures(t):
    if "access" in t.cache:
        return t.cache["access"]
    fx = {}
    a = fx["anna"] = marked_client(t, "anna", "Annamark")
    o = fx["oleg"] = marked_client(t, "oleg", "Olegmark")
    for m, who in ((a, "anna"), (o, "oleg")):
        r = t.post("/api/v1/calls", t.good_call(m["id"], purpose=m["purpose"],
                                                next={"kind": "visit",
                                                      "due_at": at_msk(1, 10)}), who=who)
        t.need(r, 201, f"{who} logs a call")
        m["call"] = r.get("call", "id")
        body = {k: v for k, v in t.good_call(m["id"], purpose=m["purpose"]).items()
                if k != "direction"}
        body["next"] = {"kind": "visit", "due_at": at_msk(3, 12)}
        r = t.post("/api/v1/meetings", body, who=who)
        t.need(r, 201, f"{who} logs a meeting")
        m["meeting"] = r.get("call", "id")
        m["step"] = new_step(t, m["id"], m["note"], who)
        r = t.post("/api/v1/deals", {"client_id": m["id"], "amount": 4321}, who=who)
        t.need(r, 201, f"{who} opens a deal")
        m["deal"] = r.get("id")
    r = t.get("/api/v1/scripts", who="anna")
    t.need(r, 200, "scripts")
    scripts = [s for s in r.get("items", default=[]) if s.get("kind") != "mystery"]
    t.require(scripts, "no script in the demo")
    fx["script"] = scripts[0]["id"]
    a["run"] = new_run(t, fx["script"], a["id"])
    # things a route uses up: each its own
    fx["step_complete"] = new_step(t, a["id"], a["note"])
    fx["step_move"] = new_step(t, a["id"], a["note"])
    fx["step_cancel"] = new_step(t, a["id"], a["note"])
    fx["step_done_page"] = new_step(t, a["id"], a["note"])
    fx["step_move_page"] = new_step(t, a["id"], a["note"])
    fx["step_cancel_page"] = new_step(t, a["id"], a["note"])
    fx["run_abandon"] = new_run(t, fx["script"], a["id"])
    fx["run_abandon_page"] = new_run(t, fx["script"], a["id"])
    spare = t.new_client("anna")
    r = t.post("/api/v1/calls", t.good_call(spare["id"]), who="anna")
    t.need(r, 201, "a call to delete")
    fx["call_delete"] = r.get("call", "id")
    r = t.post("/api/v1/tokens", {"name": "access-matrix"}, who="anna")
    t.need(r, 201, "a token to revoke")
    fx["token"] = r.get("id")
    t.secrets.add(r.get("token"))
    # the head's review of anna's call, with a marker in its note
    form = t.get("/api/v1/qa/forms/1", who="elena")
    t.need(form, 200, "QA form 1")
    manual = [i for i in form.get("items", default=[])
              if i.get("auto") in (None, "needs_questions", "price_late")]
    r = t.post("/api/v1/qa/reviews", {"call_id": a["call"], "form_id": 1, "note": a["review"],
                                      "answers": {str(i["id"]): True for i in manual}},
               who="elena")
    t.need(r, 201, "review anna's call")
    a["review_id"] = r.get("id")
    with open(os.path.join(t.src_root, EXAMPLES, "mystery_shopper.yaml"), encoding="utf-8") as f:
        text = f.read()
    r = t.post("/api/v1/qa/campaigns", {"name": f"Access {t.seq()}", "scenario_text": text,
                                        "calls": plan(["anna", "oleg", "mike", "anna", "oleg"],
                                                      day=5)}, who="elena")
    t.need(r, 201, "plan a campaign")
    fx["campaign"] = r.get("id")
    r = t.get("/api/v1/sources", who="anna")
    t.need(r, 200, "sources")
    t.require(r.get("items"), "no lead source")
    fx["source"] = r.get("items", 0, "id")
    fx["sessions"] = {role: sign_in(t, WHO[role]) for role in ROLES if WHO[role]}
    t.cache["access"] = fx
    return fx


def markers(m):
    """What must never reach another rep: the client's name, company, phone in the forms
    people read and type, the call's purpose, the step's note, the review's note."""
    p = m["phone"]
    return [m["name"], m["company"], p, p[1:], fmt8(p), m["purpose"].split()[-1], m["note"],
            m["review"]]


def texts_of(body):
    """The answer as text, and for an XLSX (a zip) the text of every member too."""
    out = [body.decode("utf-8", "replace")]
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as z:
                for n in z.namelist():
                    out.append(z.read(n).decode("utf-8", "replace"))
        except zipfile.BadZipFile:
            pass
    return "\n".join(out)


def leaks(body, marks):
    text = texts_of(body)
    return [mk for mk in marks if mk and mk in text]


# ---- one request of the matrix ----

def probe(t, fx, rt):
    """(path, body for a role that may, body for one that may not; None: no body). A refused
    role gets a complete, valid request, so that only an access check can stop it; a role that
    may gets one that changes nothing where the route would otherwise use up a fixture."""
    a = fx["anna"]
    ids = {
        "/api/v1/tokens/{id}": fx["token"],
        "/api/v1/clients/{id}": a["id"],
        "/api/v1/calls/{id}": fx["call_delete"] if rt.method == "DELETE" else a["call"],
        # anna's own logged call: who may gets 409 (logged), nothing is handed
        "/api/v1/calls/{id}/handover": a["call"],
        "/calls/{id}/handover": a["call"],
        "/api/v1/meetings/{id}": a["meeting"],
        "/api/v1/next-steps/{id}": a["step"],
        "/api/v1/next-steps/{id}/complete": fx["step_complete"],
        "/api/v1/next-steps/{id}/move": fx["step_move"],
        "/api/v1/next-steps/{id}/cancel": fx["step_cancel"],
        "/api/v1/deals/{id}": a["deal"],
        "/api/v1/sources/{id}/spend": fx["source"],
        "/api/v1/qa/forms/{id}": 1,
        "/api/v1/qa/calls/{id}": a["call"],
        "/api/v1/qa/reviews/{id}": a["review_id"],
        "/api/v1/qa/campaigns/{id}": fx["campaign"],
        "/api/v1/qa/campaigns/{id}/calls/{n}": fx["campaign"],
        "/api/v1/scripts/{id}": fx["script"],
        "/api/v1/scripts/{id}/archive": fx["script"],
        "/api/v1/scripts/{id}/stats": fx["script"],
        "/api/v1/script-runs/{id}": a["run"],
        "/api/v1/script-runs/{id}/steps": a["run"],
        "/api/v1/script-runs/{id}/abandon": fx["run_abandon"],
        "/qa/calls/{id}": a["call"],
        "/qa/reviews/{id}": a["review_id"],
        "/qa/forms/{id}": 1,
        "/qa/campaigns/{id}": fx["campaign"],
        "/qa/campaigns/{id}/calls/{n}": fx["campaign"],
        "/clients/{id}": a["id"],
        "/clients/{id}/edit": a["id"],
        "/clients/{id}/originate": a["id"],
        "/clients/{id}/contacts": a["id"],
        "/clients/{id}/script-runs": a["id"],
        "/script-runs/{id}/steps": a["run"],
        "/script-runs/{id}/abandon": fx["run_abandon_page"],
        "/scripts/{id}": fx["script"],
        "/scripts/{id}/edit": fx["script"],
        "/scripts/{id}/archive": fx["script"],
        "/scripts/{id}/stats": fx["script"],
        "/steps/{id}/done": fx["step_done_page"],
        "/steps/{id}/move": fx["step_move_page"],
        "/steps/{id}/cancel": fx["step_cancel_page"],
    }
    path = rt.path(id=ids.get(rt.pattern, 1), n=1, login="anna", name="app.css")
    cid = a["id"]
    past = "2020-01-02T10:00:00+03:00"
    bodies = {  # (may, may not)
        "POST /api/v1/tokens": ({"login": "anna", "name": "x"},) * 2,
        "PATCH /api/v1/clients/{id}": ({"company": a["company"]},) * 2,
        # a call and a meeting without their next step: the rules refuse them (422) after
        # the access checks, so nothing is stored
        "POST /api/v1/calls": ({k: v for k, v in t.good_call(cid).items() if k != "next"},
                               t.good_call(cid)),
        "POST /api/v1/meetings": ({"client_id": cid, "purpose": "Замер"},
                                  {k: v for k, v in t.good_call(cid).items()
                                   if k != "direction"}),
        "POST /api/v1/next-steps": ({"client_id": cid, "kind": "call", "due_at": past},
                                    {"client_id": cid, "kind": "call",
                                     "due_at": at_msk(4, 10)}),
        "POST /api/v1/next-steps/{id}/move": ({"due_at": at_msk(5, 10)},) * 2,
        "POST /api/v1/next-steps/{id}/cancel": ({"reason": "access matrix"},) * 2,
        "POST /api/v1/deals": ({"client_id": cid, "amount": "nonsense"},
                               {"client_id": cid, "amount": 1}),
        "PATCH /api/v1/deals/{id}": ({"stage": "offer"},) * 2,
        "PATCH /api/v1/users/{login}": ({"timezone": "Europe/Moscow"},) * 2,
        "POST /api/v1/script-runs": ({"script_id": fx["script"], "client_id": cid},) * 2,
        "POST /api/v1/script-runs/{id}/steps": ({"seq": 99999, "action": "back"},) * 2,
        "POST /api/v1/calls/originate": ({"client_id": cid},) * 2,
        "POST /api/v1/calls/{id}/handover": ({"note": "access matrix"},) * 2,
        "POST /api/v1/scripts/{id}/archive": ({"archived": False},) * 2,
        "POST /api/v1/session": ({},) * 2,
        "POST /api/v1/telephony/webhook": ({},) * 2,
    }
    key = f"{rt.method} {rt.pattern}"
    if key in bodies:
        return path, bodies[key]
    if rt.method in ("POST", "PATCH") and rt.body:
        return path, ({}, {})
    return path, (None, None)


# page forms for a role that may not: complete, so that only an access check stops them
def page_form(fx, pattern, csrf):
    a = fx["anna"]
    forms = {
        "/clients/{id}": {"name": a["name"], "company": a["company"],
                          "phones": fmt8(a["phone"])},
        "/clients/{id}/originate": {},
        "/clients/{id}/contacts": {"kind": "call", "direction": "out",
                                   "purpose": "Записать на замер", "result": "max",
                                   "talk": "120", "outcome": "next", "next_kind": "visit",
                                   "next_due": at_msk(2, 10)[:16].replace("T", " ")},
        "/clients/{id}/script-runs": {"script": str(fx["script"])},
        "/script-runs/{id}/steps": {"seq": "0", "step": "back"},
        "/steps/{id}/move": {"when": at_msk(5, 10)[:16].replace("T", " ")},
        "/steps/{id}/cancel": {"reason": "access matrix"},
        "/calls/{id}/handover": {"note": "access matrix"},
    }
    f = dict(forms.get(pattern, {}))
    f["_csrf"] = csrf
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in f.items()).encode()


def request(t, fx, rt, role, denied):
    """Sends the route's probe as role; gives the Response."""
    path, (may, may_not) = probe(t, fx, rt)
    body = may_not if denied else may
    who = WHO[role]
    if rt.pattern == "/api/v1/events":
        return stream_status(t, who)
    if rt.pattern == "/api/v1/agenda.ics":
        tok = t.tok[who] if who else None
        return t.get(path + (f"?token={tok}" if tok else ""), who=None, check=False)
    if rt.pattern == "/api/v1/telephony/webhook":
        return t.post(path, body, who=who, headers={"X-Nextcall-Token": "wrong-token"})
    if rt.tag != "pages":
        return t.req(rt.method, path, body, who=who)
    cookie, csrf = fx["sessions"][role] if who else (None, None)
    if rt.pattern == "/logout" and who:
        cookie, csrf = sign_in(t, who)  # this one ends
    if rt.method == "GET":
        return t.api.request("GET", path, cookie=cookie, check=False)
    if denied and who:
        raw = page_form(fx, rt.pattern, csrf)
        ct = "application/x-www-form-urlencoded"
    else:  # past the router, the handler refuses anything but a form: nothing changes
        raw, ct = b"not a form", "text/plain"
    return t.api.request(rt.method, path, cookie=cookie, raw=raw, content_type=ct, check=False)


def stream_status(t, who):
    """Opens /api/v1/events as who and closes it at once: a Response with the status (and the
    body of a refusal)."""
    conn = http.client.HTTPConnection("127.0.0.1", t.api.port, timeout=10)
    hdrs = {"Accept": "text/event-stream"}
    if who:
        hdrs["Authorization"] = f"Bearer {t.tok[who]}"
    try:
        conn.request("GET", "/api/v1/events", headers=hdrs)
        r = conn.getresponse()
        body = r.read() if r.status != 200 else b""
        from lib import Response
        return Response("GET", "/api/v1/events", r.status, r.getheaders(), body)
    finally:
        conn.close()


def verdict(rt, want, r):
    """None when r is the answer the matrix wants, else why not."""
    s = r.status
    loc = r.header("Location") or ""
    if want == "401":
        return None if s == 401 else "want 401"
    if want == "403":
        return None if s == 403 else "want 403"
    if want == "login":
        return None if s == 303 and loc.startswith("/login") else "want 303 to /login"
    if want == "hook":
        return None if s in (401, 403) else "want the webhook's 401 or 403"
    # ok (click-to-call answers 503 busy while the exchange is not connected)
    busy = s == 503 and rt.pattern == "/api/v1/calls/originate" and r.error.get("code") == "busy"
    if (s >= 500 and not busy) or s in (401, 403, 404) or loc.startswith("/login"):
        return "want the route's own answer"
    if rt.pattern in ("/", "/login") and s == 303:  # a signed-in user goes to his day
        return None
    if rt.method == "GET" and s != 200:
        return "want 200"
    return None


@case
def t_access_matrix_lists_every_route(t):
    with open(os.path.join(t.src_root, "src", "web", "routes.c"), encoding="utf-8") as f:
        table = {(rt.method, rt.pattern) for rt in parse_routes(f.read())}
    t.require(table, "no routes parsed from routes.c")
    for k in sorted(table - set(ACCESS)):
        t.fail(f"{k[0]} {k[1]} is a route but not in the access matrix (cases_access.py, "
               "docs/api.md)")
    for k in sorted(set(ACCESS) - table):
        t.fail(f"the access matrix lists {k[0]} {k[1]}, which routes.c does not have")
    doc = doc_matrix(os.path.join(t.src_root, "docs", "api.md"))
    t.require(doc is not None, "docs/api.md has no \"## Access matrix\"")
    for k, want in ACCESS.items():
        cells = [DOC_CELL[want[r]] for r in ROLES]
        t.check(doc.get(k) == cells, f"docs/api.md: {k[0]} {k[1]} is {doc.get(k)}, the test "
                f"says {cells}")
    for k in sorted(set(doc) - set(ACCESS)):
        t.fail(f"docs/api.md lists {k[0]} {k[1]}, the test's matrix does not")


@case
def t_access_matrix(t):
    fx = fixtures(t)
    with open(os.path.join(t.src_root, "src", "web", "routes.c"), encoding="utf-8") as f:
        routes = [rt for rt in parse_routes(f.read()) if (rt.method, rt.pattern) in ACCESS]
    marks = markers(fx["anna"])
    checked = 0
    # refused roles first: their complete requests must change nothing for the others
    order = sorted(ROLES, key=lambda r: 0 if r in ("anon", "other") else 1)
    for rt in routes:
        want = ACCESS[(rt.method, rt.pattern)]
        for role in sorted(order, key=lambda r: want[r] == "ok"):
            denied = want[role] in ("401", "403", "login")
            r = request(t, fx, rt, role, denied)
            checked += 1
            why = verdict(rt, want[role], r)
            if why:
                t.fail(f"{rt} as {role} ({WHO[role]}): {why}, got {r.short()[:300]}")
            if role in ("anon", "other"):
                bad = leaks(r.body, marks)
                t.check(not bad, f"{rt} as {role}: the answer holds anna's {bad}")
    t.check(checked == len(ACCESS) * len(ROLES), f"{checked} requests for {len(ACCESS)} routes")


def page_get(t, fx, role, path):
    cookie, _ = fx["sessions"][role]
    return t.api.request("GET", path, cookie=cookie, check=False)


@case
def t_access_no_leak_to_another_rep(t):
    fx = fixtures(t)
    a, o = fx["anna"], fx["oleg"]
    marks = markers(a)
    per = f"from={date_msk(-30)}&to={date_msk(1)}"
    reads = [
        "/api/v1/clients", "/api/v1/clients?limit=500", "/api/v1/clients?owner=anna",
        f"/api/v1/clients?q={quote(a['name'])}", f"/api/v1/clients?q={quote(a['company'])}",
        f"/api/v1/clients?q={quote(a['phone'][-7:])}", f"/api/v1/clients?q={quote(a['phone'])}",
        f"/api/v1/clients?phone={quote(fmt8(a['phone']))}",
        f"/api/v1/clients?phone={quote(a['phone'])}",
        "/api/v1/calls?limit=500", "/api/v1/calls?rep=anna", f"/api/v1/calls?client_id={a['id']}",
        "/api/v1/meetings?limit=500", "/api/v1/meetings?rep=anna",
        "/api/v1/next-steps?limit=500", "/api/v1/next-steps?rep=anna",
        f"/api/v1/next-steps?client_id={a['id']}",
        "/api/v1/deals?limit=500", f"/api/v1/deals?client_id={a['id']}",
        "/api/v1/agenda", "/api/v1/agenda?rep=anna", f"/api/v1/agenda?date={date_msk(2)}",
        "/api/v1/qa/reviews", "/api/v1/qa/reviews?rep=anna", "/api/v1/qa/scores",
    ]
    for rep in ("stats", "funnel", "reps"):
        for fmt in ("json", "csv", "xlsx"):
            reads.append(f"/api/v1/reports/{rep}?{per}&format={fmt}")
            reads.append(f"/api/v1/reports/{rep}?{per}&format={fmt}&rep=anna")
    for path in reads:
        r = t.get(path, who="oleg", check=False)
        t.check(r.status in (200, 400, 403), f"oleg GET {path}: {r.short()[:200]}")
        bad = leaks(r.body, marks)
        t.check(not bad, f"oleg GET {path} ({r.status}) holds anna's {bad}")
    # the calendar feed, his own and asked for hers
    for q in ("", "&rep=anna"):
        r = t.get(f"/api/v1/agenda.ics?token={t.tok['oleg']}{q}", who=None, check=False)
        t.check(r.status in (200, 403), f"oleg's feed{q}: {r.short()[:200]}")
        bad = leaks(r.body, marks)
        t.check(not bad, f"oleg's calendar feed{q} holds anna's {bad}")
    # the pages
    for path, typed in (("/day", None), ("/clients", None),
                        (f"/clients?q={quote(a['name'])}", a["name"]),
                        (f"/clients?q={quote(fmt8(a['phone']))}", fmt8(a["phone"])),
                        (f"/clients?q={quote(a['phone'][-7:])}", None),
                        ("/clients?owner=anna", None), ("/qa/scores", None), ("/scripts", None),
                        ("/profile", None), (f"/clients/{a['id']}", None),
                        (f"/clients/{a['id']}/edit", None),
                        (f"/qa/reviews/{a['review_id']}", None)):
        r = page_get(t, fx, "other", path)
        # the search box shows what oleg typed himself
        bad = [m for m in leaks(r.body, marks) if m != typed]
        t.check(not bad, f"oleg's page {path} ({r.status}) holds anna's {bad}")
    # a client with anna's phone: refused, naming no more than the holder's id
    r = t.post("/api/v1/clients", {"name": "Дубль", "phones": [fmt8(a["phone"])]}, who="oleg")
    if t.expect(r, 409, what="oleg adds a client with anna's client's phone"):
        t.check(r.error.get("existing_id") == a["id"], f"409 without existing_id: {r.short()}")
    typed = {a["phone"], a["phone"][1:], fmt8(a["phone"])}  # what oleg typed, echoed
    bad = [m for m in leaks(r.body, marks) if m not in typed]
    t.check(not bad, f"the 409 to oleg holds anna's {bad}")
    r = t.patch(f"/api/v1/clients/{o['id']}", {"phones": [fmt8(o["phone"]), fmt8(a["phone"])]},
                who="oleg")
    t.expect(r, 409, what="oleg gives his client anna's client's phone")
    bad = [m for m in leaks(r.body, marks) if m not in typed]
    t.check(not bad, f"the 409 of a PATCH to oleg holds anna's {bad}")
    # the head and the admin see all of it
    for who in ("elena", "admin"):
        r = t.get(f"/api/v1/clients?q={quote(a['name'])}", who=who)
        t.check(t.expect(r, 200) and [c.get("id") for c in r.get("items", default=[])]
                == [a["id"]], f"{who} does not find anna's client by name: {r.short()[:200]}")
        r = t.get(f"/api/v1/clients?phone={quote(a['phone'])}", who=who)
        t.check(r.get("items", 0, "id") == a["id"], f"{who} by phone: {r.short()[:200]}")
        r = t.get(f"/api/v1/calls?client_id={a['id']}", who=who)
        t.check(a["call"] in [c.get("id") for c in r.get("items", default=[])],
                f"{who} does not see anna's call")
        r = t.get(f"/api/v1/next-steps?rep=anna&limit=500", who=who)
        t.check(a["step"] in [s.get("id") for s in r.get("items", default=[])],
                f"{who} does not see anna's step")
    # anna sees hers; oleg's are not in her lists
    omarks = markers(o)
    for path in ("/api/v1/clients?limit=500", "/api/v1/calls?limit=500",
                 "/api/v1/next-steps?limit=500", "/api/v1/agenda", "/api/v1/deals?limit=500"):
        r = t.get(path, who="anna")
        bad = leaks(r.body, omarks)
        t.check(not bad, f"anna GET {path} holds oleg's {bad}")
    r = page_get(t, fx, "owner", f"/clients?q={quote(a['name'])}")
    t.check(a["name"] in r.body.decode("utf-8", "replace"), "anna does not find her client")


@case
def t_access_stream_and_feed(t):
    """oleg's event stream while anna's client rings and is logged, and the pop-up of anna's
    client ringing at oleg's phone."""
    from lib import EventStream
    fx = fixtures(t)
    a = fx["anna"]
    marks = markers(a)
    oleg = EventStream(t.api.port, t.tok["oleg"])
    anna = EventStream(t.api.port, t.tok["anna"])
    try:
        t.require(oleg.status == 200 and anna.status == 200, "the streams did not open")
        call_id = f"access.{t.seq()}"
        r = t.post("/api/v1/telephony/events", {"type": "ringing", "call_id": call_id,
                                                "from": fmt8(a["phone"]), "rep": "anna"})
        t.expect(r, 200, what="anna's client rings at anna")
        t.check(anna.wait(lambda e: call_id in e[1], 5) is not None, "anna got no pop-up")
        r = t.post("/api/v1/calls", t.good_call(a["id"], purpose=a["purpose"]), who="anna")
        t.expect(r, 201, what="anna logs the call")
        t.need(t.patch(f"/api/v1/clients/{a['id']}", {"company": a["company"]}, who="anna"),
               200)
        t.check(anna.wait(lambda e: e[0] == "client.changed" and str(a["id"]) in e[1], 5),
                "anna got no client.changed")
        # the pop-up when anna's client rings at oleg's phone names no more than the id
        call2 = f"access.{t.seq()}"
        r = t.post("/api/v1/telephony/events", {"type": "ringing", "call_id": call2,
                                                "from": fmt8(a["phone"]), "rep": "oleg"})
        t.expect(r, 200, what="anna's client rings at oleg")
        ev = oleg.wait(lambda e: call2 in e[1], 5)
        t.check(ev is not None, "oleg got no pop-up for his ringing phone")
        oleg.wait(lambda e: False, 1.0)
        with oleg.cond:
            got = list(oleg.events)
        for name, data, _ in got:
            if call_id in data:
                t.fail(f"oleg's stream got anna's ringing call: {name} {data[:200]}")
            if name == "client.changed" and f'"client_id": {a["id"]}' in data.replace(
                    '"client_id":', '"client_id": '):
                t.fail(f"oleg's stream got anna's client.changed: {data[:200]}")
            # the number ringing at his own phone is his to see, the client behind it is not
            seen = marks if call2 not in data else [a["name"], a["company"], a["note"]]
            bad = [m for m in seen if m in data]
            t.check(not bad, f"oleg's stream {name} holds anna's {bad}: {data[:200]}")
    finally:
        oleg.close()
        anna.close()


@case
def t_access_client_moves_to_another_rep(t):
    """A client the head gives from oleg to anna takes his planned steps along: oleg's agenda,
    steps, calendar feed and day no longer show him."""
    fx = fixtures(t)
    m = marked_client(t, "oleg", "Movedmark")
    sid = new_step(t, m["id"], m["note"], who="oleg", days=1, hour=15)
    r = t.get("/api/v1/next-steps?limit=500", who="oleg")
    t.require(sid in [s.get("id") for s in r.get("items", default=[])],
              "oleg does not see his own step")
    t.need(t.patch(f"/api/v1/clients/{m['id']}", {"owner": "anna"}, who="elena"), 200,
           "the head gives oleg's client to anna")
    marks = [m["name"], m["company"], m["note"], fmt8(m["phone"])]
    for path in ("/api/v1/next-steps?limit=500", "/api/v1/agenda",
                 f"/api/v1/agenda?date={date_msk(1)}", "/api/v1/clients?limit=500"):
        r = t.get(path, who="oleg")
        bad = leaks(r.body, marks)
        t.check(not bad, f"oleg GET {path} after the move holds {bad}")
    r = t.get(f"/api/v1/agenda.ics?token={t.tok['oleg']}", who=None, check=False)
    bad = leaks(r.body, marks)
    t.check(not bad, f"oleg's calendar feed after the move holds {bad}")
    r = page_get(t, fx, "other", "/day")
    bad = leaks(r.body, marks)
    t.check(not bad, f"oleg's day after the move holds {bad}")
    r = t.get(f"/api/v1/next-steps/{sid}", who="anna")
    if t.expect(r, 200, what="anna reads the step she got"):
        t.check(r.get("rep") == "anna", f"the planned step stayed with {r.get('rep')}")
    r = t.get("/api/v1/next-steps?limit=500", who="anna")
    t.check(sid in [s.get("id") for s in r.get("items", default=[])],
            "anna's steps do not show the step of the client she got")


def webhook_call(t, phone, ext, token):
    """An answered inbound call from phone at the extension ext, stored through the webhook as
    "to be logged": gives the stored call's id."""
    start = now_msk() - timedelta(hours=1)
    body = {"event": "end", "call_id": f"access-{t.seq()}", "from": phone, "extension": ext,
            "direction": "in", "started_at": start.isoformat(timespec="seconds"),
            "answered_at": (start + timedelta(seconds=6)).isoformat(timespec="seconds"),
            "ended_at": (start + timedelta(seconds=96)).isoformat(timespec="seconds")}
    r = t.post("/api/v1/telephony/webhook", body, who=None, headers={"X-Nextcall-Token": token})
    t.need(r, 200, "the exchange reports a call")
    return r.get("stored_call_id")


@case
def t_access_unlogged_call_of_another_rep(t):
    """oleg answers a call from anna's client: his day lists the call to be logged (its time
    and number, marked as another rep's client) without the client's name or anything else of
    hers, and with no link into a card he may not open; the head sees the client."""
    fx = fixtures(t)
    m = marked_client(t, "anna", "Ringmark")
    token = f"access-hook-{t.seq()}"
    t.need(t.patch("/api/v1/settings", {"webhook.token": token}, who="elena"), 200,
           "set the webhook token")
    try:
        call = webhook_call(t, fmt8(m["phone"]), "202", token)
    finally:
        t.need(t.patch("/api/v1/settings", {"webhook.token": ""}, who="elena"), 200,
               "webhook off")
    r = t.get(f"/api/v1/calls/{call}", who="oleg")
    if t.expect(r, 200, what="oleg reads the call he answered"):
        t.check(r.get("client_id") == m["id"] and r.get("logged") is False,
                f"the stored call: {r.short()[:200]}")
    # what oleg may see: the number he answered; never the client behind it
    marks = [m["name"], m["company"], m["note"], m["purpose"].split()[-1]]
    r = page_get(t, fx, "other", "/day")
    t.need(r, 200, "oleg's day")
    body = r.body.decode("utf-8", "replace")
    rows = re.findall(r'<section class="unlogged".*?</section>', body, re.S)
    t.require(rows, "oleg's day lists no call to be logged")
    t.check(fmt8(m["phone"]) in rows[0], "oleg's day does not show the number he answered")
    t.check('class="other-rep"' in rows[0],
            "the call is not marked as one of another rep's client")
    t.check(f'/clients/{m["id"]}' not in rows[0],
            "oleg's day links to the card of anna's client, which he may not open")
    bad = leaks(r.body, marks)
    t.check(not bad, f"oleg's day holds anna's client's {bad}")
    # the head, on oleg's day, sees whose call it is
    r = page_get(t, fx, "head", "/day?rep=oleg")
    t.need(r, 200, "the head opens oleg's day")
    t.check(m["name"] in r.body.decode("utf-8", "replace"),
            "the head does not see the client of oleg's call to be logged")


@case
def t_access_run_follows_the_client(t):
    """A client the head gives from oleg to anna takes oleg's open script run out of his hands:
    the run is abandoned, oleg may no longer read it or take its steps, anna (the new owner)
    and the head read it."""
    fx = fixtures(t)
    m = marked_client(t, "oleg", "Runmark")
    run = new_run(t, fx["script"], m["id"], who="oleg")
    r = t.get(f"/api/v1/script-runs/{run}", who="oleg")
    t.need(r, 200, "oleg reads his run")
    t.need(t.patch(f"/api/v1/clients/{m['id']}", {"owner": "anna"}, who="elena"), 200,
           "the head gives oleg's client to anna")
    marks = [m["name"], m["company"], m["note"], fmt8(m["phone"]), m["phone"]]
    r = t.get(f"/api/v1/script-runs/{run}", who="oleg")
    t.expect(r, 403, what="oleg reads the run of the client he no longer has")
    t.check(not leaks(r.body, marks), f"the 403 holds {leaks(r.body, marks)}")
    r = t.post(f"/api/v1/script-runs/{run}/steps", {"seq": 0, "action": "back"}, who="oleg")
    t.expect(r, 403, what="oleg steps the run of the client he no longer has")
    t.check(not leaks(r.body, marks), f"the step's 403 holds {leaks(r.body, marks)}")
    r = t.post(f"/api/v1/script-runs/{run}/abandon", {}, who="oleg")
    t.expect(r, 403, what="oleg abandons the run of the client he no longer has")
    r = page_get(t, fx, "other", f"/clients/{m['id']}?run={run}")
    t.check(r.status == 403 and not leaks(r.body, marks),
            f"oleg's page of the run: {r.status} {leaks(r.body, marks)}")
    for who in ("anna", "elena"):
        r = t.get(f"/api/v1/script-runs/{run}", who=who)
        if t.expect(r, 200, what=f"{who} reads the run of the client"):
            t.check(r.get("status") == "abandoned",
                    f"the run oleg left open is {r.get('status')} for {who}")
    # the new owner's panel offers a new run, not oleg's
    r = page_get(t, fx, "owner", f"/clients/{m['id']}")
    t.need(r, 200, "anna's card of the client")
    t.check(f'/script-runs/{run}/' not in r.body.decode("utf-8", "replace"),
            "anna's card shows oleg's run as one she takes the steps of")
