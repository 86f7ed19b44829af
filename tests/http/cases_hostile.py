"""cases_hostile.py - the hostile input catalogue beyond JSON bodies (cases_input.py): markup and
script in every text field shown back on the HTML pages, in the CSV/XLSX exports (no formula
injection) and in the iCalendar feed (escaping), SQL metacharacters, invalid UTF-8, NUL and long
strings in query strings and urlencoded form bodies of every route, path traversal on the static
files, CR/LF and open redirects in what reaches response headers, oversize headers and URLs, and
slow clients that must not hold the worker threads."""

import csv
import io
import json
import os
import re
import socket
import threading
import time
import zipfile
from html.parser import HTMLParser
from urllib.parse import quote

from lib import at_msk, case, raw_request
from schema import parse_routes

# ---- helpers ----


def payload(marker):
    """Markup that runs script when a page forgets to escape it, in text and in attributes."""
    return (f"<script>alert('{marker}')</script>\"'><img src=x onerror=alert('{marker}')>"
            f"<b data-{marker}>&amp;")


class PageScan(HTMLParser):
    """Elements and attributes a page must not hold when every value is escaped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []

    def handle_starttag(self, tag, attrs):
        names = [k for k, _ in attrs]
        for k in names:
            if k.startswith("on"):
                self.bad.append(f"<{tag} {k}=...>: an event handler attribute")
            if k.startswith("data-xs"):
                self.bad.append(f"<{tag} {k}>: an injected attribute")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.bad.append(f"<script src={src!r}>: a script not from /static/")
        if tag == "img":
            self.bad.append(f"<img {attrs}>: an injected image")


def scan_page(t, what, body, markers):
    """Checks one HTML page: valid UTF-8, no injected markup, no marker unescaped."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        t.fail(f"{what}: the page is not valid UTF-8 ({e})")
        text = body.decode("utf-8", "replace")
    p = PageScan()
    try:
        p.feed(text)
        p.close()
    except Exception as e:  # noqa: BLE001 - an unparsable page is a finding
        t.fail(f"{what}: the page does not parse: {e}")
    for b in p.bad[:5]:
        t.fail(f"{what}: {b}")
    for m in markers:
        for raw in (f"<script>alert('{m}')", f"onerror=alert('{m}')>", f"<b data-{m}>"):
            if raw in text:  # escaped, it would read &lt;script&gt;... or ...&gt;
                t.fail(f"{what}: {raw!r} is in the page unescaped")
    return text


def page_get(t, path, who):
    """A page as a signed-in user (Bearer tokens work on pages too)."""
    return t.get(path, who=who, check=False)


def login(t, user, password):
    r = t.api.request("POST", "/api/v1/session", {"login": user, "password": password},
                      source=t.addr())
    t.need(r, 200, f"sign in as {user}")
    for v in r.header_all("Set-Cookie"):
        name, _, rest = v.partition("=")
        if name == "nc_session":
            sid = rest.split(";", 1)[0]
            t.secrets.update([sid, r.get("csrf")])
            return sid, r.get("csrf")
    t.fail(f"no session cookie: {r.headers}")
    return None, None


def form_post(t, path, fields, sid, csrf, raw=None, source=None):
    """POSTs an urlencoded form with the session's CSRF field; fields are already encoded
    (name, value) pairs when raw is None."""
    if raw is None:
        raw = "&".join(f"{k}={v}" for k, v in [("_csrf", quote(csrf or ""))] + fields)
    data = raw.encode() if isinstance(raw, str) else raw
    return t.api.request("POST", path, raw=data, cookie=sid,
                         content_type="application/x-www-form-urlencoded", check=False,
                         source=source)


def fixture_user(t, login, role="rep", name=None, password=None):
    body = {"login": login, "name": name or login, "role": role, "timezone": "Europe/Moscow",
            "locale": "en", "password": password or f"Pw-{login}-{t.seq()}-long"}
    r = t.post("/api/v1/users", body, who="admin")
    if r.status == 409:
        return body
    t.need(r, 201, f"create user {login}")
    t.secrets.add(body["password"])
    return body


def page_routes(t):
    if "page_routes" not in t.cache:
        with open(os.path.join(t.src_root, "src", "web", "routes.c"), encoding="utf-8") as f:
            t.cache["page_routes"] = [rt for rt in parse_routes(f.read()) if rt.tag == "pages"]
    return t.cache["page_routes"]


KEY_RE = re.compile(r'\b(?:http_query|http_query_int|param|query_text|text_param|query_long)'
                    r'\(r, "(\w+)"')
FORM_RE = re.compile(r'form_get\(&?\w+, "(\w+)"\)')
HANDLER_RE = re.compile(r"^void (\w+)\(struct req \*r\)", re.M)


def handler_keys(t):
    """handler name -> (query keys, form fields) read in the file that defines it."""
    if "handler_keys" in t.cache:
        return t.cache["handler_keys"]
    out = {}
    web = os.path.join(t.src_root, "src", "web")
    for fn in sorted(os.listdir(web)):
        if not fn.endswith(".c"):
            continue
        with open(os.path.join(web, fn), encoding="utf-8") as f:
            text = f.read()
        q, fo = sorted(set(KEY_RE.findall(text))), sorted(set(FORM_RE.findall(text)))
        for h in HANDLER_RE.findall(text):
            out[h] = (q, fo)
    t.cache["handler_keys"] = out
    return out


def fixtures(t):
    """Resources of this file's own: a head and an admin of their own (their profile and
    session change), a rep, a client with a planned step, a script, a QA form."""
    if "hostile_fx" in t.cache:
        return t.cache["hostile_fx"]
    fx = {}
    s = t.seq().replace("x", "")
    fx["admin"] = fixture_user(t, f"hxadmin{s}", "admin")
    fx["victim"] = fixture_user(t, f"hxvictim{s}", "rep")
    fx["sid"], fx["csrf"] = login(t, fx["admin"]["login"], fx["admin"]["password"])
    fx["token"] = t.server.token(fx["admin"]["login"])
    t.secrets.add(fx["token"])
    c = t.new_client("anna")
    fx["client"] = c["id"]
    r = t.post("/api/v1/next-steps", {"client_id": c["id"], "kind": "call",
                                      "due_at": at_msk(2, 11)}, who="anna")
    t.need(r, 201, "plan a step")
    fx["step"] = r.get("id") if isinstance(r.get("id"), int) else r.get("step", "id")
    t.cache["hostile_fx"] = fx
    return fx


def fill(pattern, fx):
    ids = {"/clients/{id}": fx["client"], "/steps/{id}": fx["step"]}
    for prefix, v in ids.items():
        if pattern.startswith(prefix):
            pattern = pattern.replace("{id}", str(v), 1)
    return (pattern.replace("{login}", fx["victim"]["login"]).replace("{id}", "987654")
            .replace("{n}", "1"))


# ---- markup on the pages ----

@case
def t_hostile_markup_on_pages(t):
    """Every text a user types, stored through the API, comes back escaped on every page that
    shows it: no element, attribute or script of its own."""
    fx = fixtures(t)
    M = {}  # field -> marker

    def mark(field):
        M[field] = f"xs{len(M)}q{t.seq().replace('x', 'q')[-4:]}"
        return payload(M[field])

    seg = t.post("/api/v1/segments", {"name": mark("segment"), "every": "3-7"}, who="elena")
    src = t.post("/api/v1/sources", {"name": mark("source")}, who="elena")
    t.check(seg.status == 201 and src.status == 201, f"segment {seg.short()} source "
            f"{src.short()}")
    rep = fixture_user(t, f"hxrep{t.seq().replace('x', '')}", "rep", name=mark("user name"))
    c = t.new_client("anna", name=mark("client name"), company=mark("company"),
                     segment=seg.get("name"), source=src.get("name"))
    body = t.good_call(c["id"], purpose="Замер " + mark("purpose"),
                       goal_max="Встреча " + mark("goal_max"),
                       goal_min="Звонок " + mark("goal_min"))
    r = t.post("/api/v1/calls", body, who="anna")
    t.expect(r, 201, what="a call with markup")
    call_id = r.get("call", "id")
    r = t.post("/api/v1/next-steps", {"client_id": c["id"], "kind": "call",
                                      "due_at": at_msk(4, 10), "note": mark("step note")},
               who="anna")
    t.expect(r, 201, what="a step with markup in its note")
    r = t.post("/api/v1/next-steps", {"client_id": c["id"], "kind": "call",
                                      "due_at": at_msk(3, 10), "note": "x"}, who="anna")
    sid = r.get("id") if isinstance(r.get("id"), int) else r.get("step", "id")
    if sid:
        t.post(f"/api/v1/next-steps/{sid}/cancel", {"reason": mark("cancel reason")}, who="anna")
    c2 = t.new_client("elena", name="Владелец " + t.seq(), owner=rep["login"])
    # a script whose name, task and line hold markup
    with open(os.path.join(t.src_root, "tests", "data", "scripts", "http_inbound.yaml"),
              encoding="utf-8") as f:
        yaml = f.read()
    yaml = yaml.replace("name: HTTP test, inbound ceilings",
                        "name: " + json.dumps("Скрипт " + mark("script name")), 1)
    yaml = yaml.replace('max: "Measurement visit at a concrete time"',
                        "max: " + json.dumps("Замер " + mark("script task")), 1)
    yaml = yaml.replace('say: "Of course. How may I call you, so that it is easier to talk?"',
                        "say: " + json.dumps("Конечно. " + mark("script line")), 1)
    sc = t.post("/api/v1/scripts", {"source": yaml}, who="elena")
    t.expect(sc, 201, what="a script with markup")
    qf = t.post("/api/v1/qa/forms", {"name": mark("qa form"),
                                     "items": [{"text": mark("qa item"), "weight": 1}]},
                who="elena")
    t.expect(qf, 201, what="a QA form with markup")
    review = None
    if call_id and qf.status == 201:
        items = qf.get("items") or []
        rv = t.post("/api/v1/qa/reviews", {"call_id": call_id, "form_id": qf.get("id"),
                                           "answers": {str(i["id"]): True for i in items},
                                           "note": mark("qa note")}, who="elena")
        if t.expect(rv, 201, what="a QA review with markup"):
            review = rv.get("id")
    old_team = next((i.get("value") for i in t.get("/api/v1/settings").get("items", default=[])
                     if i.get("key") == "team.name"), "")
    t.patch("/api/v1/settings", {"team.name": mark("team name")[:100]}, who="elena")
    try:
        pages = [("/clients", "anna"), (f"/clients?q={quote(M['client name'])}", "anna"),
                 (f"/clients/{c['id']}", "anna"), (f"/clients/{c['id']}/edit", "anna"),
                 ("/day", "anna"), ("/team", "elena"), ("/lost", "elena"),
                 (f"/clients/{c2['id']}", "elena"), ("/clients?owner=" + rep["login"], "elena"),
                 ("/reports", "elena"), ("/settings", "elena"), ("/settings/users", "admin"),
                 ("/scripts", "anna"), ("/qa", "elena"), ("/qa/scores", "elena"),
                 ("/profile", "anna"), ("/login", None)]
        if sc.status == 201:
            pages += [(f"/scripts/{sc.get('id')}", "elena"),
                      (f"/scripts/{sc.get('id')}/edit", "elena"),
                      (f"/scripts/{sc.get('id')}/stats", "elena")]
        if qf.status == 201:
            pages.append((f"/qa/forms/{qf.get('id')}", "elena"))
        if call_id:
            pages.append((f"/qa/calls/{call_id}", "elena"))
        if review:
            pages.append((f"/qa/reviews/{review}", "elena"))
        seen = ""
        for path, who in pages:
            r = page_get(t, path, who)
            if not t.check(r.status == 200, f"GET {path} as {who}: {r.status}"):
                continue
            seen += scan_page(t, f"GET {path}", r.body, M.values())
        # each value was shown somewhere, escaped (else the pages above test nothing of it)
        shown = seen.replace("&#39;", "'")
        for field, m in M.items():
            if field in ("team name",):
                continue
            t.check(f"&lt;script&gt;alert('{m}')" in shown,
                    f"{field}: not shown escaped on any page fetched")
        # the profile of the rep with markup in his name
        rep_tok = t.server.token(rep["login"])
        t.secrets.add(rep_tok)
        for path in ("/day", "/profile", "/clients"):
            r = page_get(t, path, rep_tok)
            if t.check(r.status == 200, f"GET {path} as the rep with markup: {r.status}"):
                scan_page(t, f"GET {path} as the rep", r.body, M.values())
    finally:
        t.patch("/api/v1/settings", {"team.name": old_team}, who="elena")


# ---- exports ----

FORMULA = re.compile(r"^[=+\-@]")
NUMBER = re.compile(r"^[+-]?\d[\d.,]*%?$")


@case
def t_hostile_exports_no_formulas(t):
    """A rep named like a formula: every CSV cell starting with = + - @ is a number or is
    neutralised by an apostrophe; the XLSX holds no formula; the file name is fixed."""
    names = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3",
             "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
    made = []
    for i, n in enumerate(names):
        u = fixture_user(t, f"hxf{i}{t.seq().replace('x', '')}", "rep", name=n)
        made.append(u)
    for rep in ("reps", "stats", "funnel"):
        r = t.get(f"/api/v1/reports/{rep}?format=csv", who="elena", check=False)
        if not t.expect(r, 200, what=f"{rep} CSV"):
            continue
        cd = r.header("Content-Disposition") or ""
        t.check(re.fullmatch(r'attachment; filename="nextcall-' + rep +
                             r'-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv"', cd),
                f"{rep}: Content-Disposition {cd!r}")
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"))))
        for row in rows:
            for cell in row:
                if FORMULA.match(cell) and not NUMBER.match(cell):
                    t.fail(f"{rep} CSV: a cell a spreadsheet runs as a formula: {cell[:60]!r}")
                if cell[:1] in ("\t", "\r"):
                    t.fail(f"{rep} CSV: a cell starts with a control character: {cell[:60]!r}")
        if rep == "reps":
            text = r.body.decode("utf-8")
            for u in made:
                t.check(u["login"] in text, f"reps CSV lacks {u['login']}")
            t.check("'=HYPERLINK(" in text, "the =HYPERLINK name is not neutralised by '")
        x = t.get(f"/api/v1/reports/{rep}?format=xlsx", who="elena", check=False)
        if t.expect(x, 200, what=f"{rep} XLSX"):
            try:
                z = zipfile.ZipFile(io.BytesIO(x.body))
                for n in z.namelist():
                    if n.startswith("xl/worksheets/") and n.endswith(".xml"):
                        t.check(b"<f>" not in z.read(n) and b"<f " not in z.read(n),
                                f"{rep} XLSX {n}: holds a formula")
                if rep == "reps":
                    strings = z.read("xl/sharedStrings.xml").decode("utf-8") \
                        if "xl/sharedStrings.xml" in z.namelist() else ""
                    t.check("HYPERLINK" in strings, "the reps XLSX lacks the names")
            except zipfile.BadZipFile as e:
                t.fail(f"{rep} XLSX is not a zip: {e}")
    # an export's file name is built from checked dates only
    for bad in ("2026-01-01%0d%0aX-Injected:%20yes", "2026-01-01%22;%20x=%22", "..%2f..%2fx"):
        status, lines, _ = raw_request(t.api.port, (
            f"GET /api/v1/reports/stats?format=csv&from={bad} HTTP/1.1\r\nHost: x\r\n"
            f"Connection: close\r\nAuthorization: Bearer {t.tok['elena']}\r\n\r\n").encode())
        t.check(status.split(b" ")[1:2] in ([b"400"], [b"422"]), f"from={bad}: {status!r}")
        t.check(not any(ln.lower().startswith(b"x-injected") or
                        ln.lower().startswith(b"content-disposition") for ln in lines),
                f"from={bad}: headers {lines}")


# ---- the iCalendar feed ----

@case
def t_hostile_ics_escaping(t):
    """Text in the feed is escaped (RFC 5545: \\; \\, \\\\ \\n): a note or a name cannot end
    its line, add a property or an event."""
    inj = "a;b,c\\d\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged\nX-FORGED:1"
    c = t.new_client("oleg", name="Клиент " + inj)
    r = t.post("/api/v1/next-steps", {"client_id": c["id"], "kind": "meeting",
                                      "due_at": at_msk(1, 15), "note": "Заметка " + inj},
               who="oleg")
    if r.status != 201:  # the note may refuse CR: try without it
        r = t.post("/api/v1/next-steps", {"client_id": c["id"], "kind": "meeting",
                                          "due_at": at_msk(1, 15),
                                          "note": "Заметка " + inj.replace("\r", "")},
                   who="oleg")
    t.need(r, 201, "plan a step with the injection in its note")
    sid = r.get("id") if isinstance(r.get("id"), int) else r.get("step", "id")
    feed = t.get(f"/api/v1/agenda.ics?token={quote(t.tok['oleg'])}", who=None)
    t.need(feed, 200, "oleg's feed")
    body = feed.body
    t.check(b"\r" not in body.replace(b"\r\n", b""), "a bare CR in the feed")
    t.check(b"\n" not in body.replace(b"\r\n", b""), "a bare LF in the feed")
    lines = body.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode("utf-8").split("\r\n")
    t.check(not any(ln.startswith("X-FORGED") or ln.startswith("SUMMARY:forged")
                    for ln in lines), "the note forged a property")
    begins = sum(ln == "BEGIN:VEVENT" for ln in lines)
    uids = sum(ln.startswith("UID:") for ln in lines)
    t.check(begins == uids, f"{begins} BEGIN:VEVENT for {uids} UIDs: an event was forged")
    mine = [i for i, ln in enumerate(lines) if ln == f"UID:step-{sid}@nextcall"]
    t.require(mine, f"the feed lacks step {sid}")
    ev = []
    i = mine[0]
    while i > 0 and lines[i] != "BEGIN:VEVENT":
        i -= 1
    for ln in lines[i:]:
        ev.append(ln)
        if ln == "END:VEVENT":
            break
    summary = next((ln for ln in ev if ln.startswith("SUMMARY")), "")
    desc = next((ln for ln in ev if ln.startswith("DESCRIPTION")), "")
    t.check("a\\;b\\,c\\\\d" in summary, f"SUMMARY not escaped: {summary[:200]!r}")
    t.check("a\\;b\\,c\\\\d" in desc, f"DESCRIPTION not escaped: {desc[:200]!r}")
    t.check("\\nX-FORGED:1" in desc or "\\n X-FORGED:1" in desc or " X-FORGED:1" in desc,
            f"the note's line break is not \\n: {desc[:200]!r}")


# ---- query strings and forms ----

QUERY_VALUES = [
    ("sql", quote("'; DROP TABLE clients;--")), ("sql-or", quote("1 OR 1=1")),
    ("id-drop", quote("1;DROP TABLE users")), ("minus", "-1"), ("huge", "99999999999999999999"),
    ("exp", "1e9"), ("hex", "0x10"), ("utf8", "%ff"), ("utf8-2", "%c3%28"),
    ("overlong", "%c0%af"), ("surrogate", "%ed%a0%80"), ("nul", "a%00b"), ("nul-only", "%00"),
    ("markup", quote(payload("xssq"))), ("quotes", "%27%22%5c"), ("date", "2026-02-30"),
    ("traversal", "..%2f..%2fetc%2fpasswd"), ("long", "x" * 6000), ("empty", ""),
    ("crlf", "%0d%0aX-Injected:%20yes"),
]
# 414: a URL past the connection's 32 KiB (docs/api.md, "Limits"), as "long" in every key of
# a route that reads five or more makes it
OK_STATUS = {200, 204, 303, 304, 400, 401, 403, 404, 405, 409, 413, 414, 415, 422, 429}


def probe_get(t, path, who, what):
    r = t.get(path, who=who, check=False)
    t.check(r.status in OK_STATUS, f"{what}: {r.status} {r.body[:200]!r}")
    ct = (r.header("Content-Type") or "").lower()
    if ct.startswith("text/html"):
        scan_page(t, what, r.body, ["xssq"])
    elif ct.startswith("application/json") and r.body:
        t.check(r.json is not None, f"{what}: the JSON answer does not parse")
    t.check(not r.header("X-Injected"), f"{what}: an injected header")
    return r


@case
def t_hostile_query_strings(t):
    """Every GET route, API and pages, with each hostile value in every query key its handler
    reads, then in all of them at once: a clear 4xx or an answer, never a 5xx, and no page
    showing the markup unescaped."""
    fx = fixtures(t)
    keys = handler_keys(t)
    routes = [rt for rt in t.routes + page_routes(t) if rt.method == "GET" and
              rt.pattern not in ("/api/v1/events", "/static/{name}")]
    for rt in routes:
        path = fill(rt.pattern, fx)
        q = [k for k in keys.get(rt.handler, ((), ()))[0] if k != "token"] or ["q"]
        who = fx["token"]
        for name, v in QUERY_VALUES:
            probe_get(t, f"{path}?{'&'.join(f'{k}={v}' for k in q)}", who,
                      f"GET {rt.pattern} all keys={name}")
        for k in q:
            for name, v in QUERY_VALUES:
                if name in ("utf8", "nul", "sql", "markup", "long", "huge", "crlf"):
                    probe_get(t, f"{path}?{k}={v}", who, f"GET {rt.pattern}?{k}={name}")
    # ids in paths
    for bad in ("1;DROP%20TABLE%20clients", "-1", "0", "99999999999999999999", "1e9", "0x10",
                "%ff", "1%00", "%2e%2e", "1%20OR%201=1"):
        for p in ("/api/v1/clients/", "/api/v1/calls/", "/api/v1/next-steps/", "/clients/",
                  "/scripts/", "/api/v1/users/"):
            r = probe_get(t, p + bad, fx["token"], f"GET {p}{bad}")
            if not p.startswith("/api/v1/users"):
                t.check(r.status in (400, 404), f"GET {p}{bad}: {r.status}, want 404")
    t.expect(t.get("/healthz", who=None), 200, what="the server after the query probes")


FORM_VALUES = [
    ("sql", quote("'; DROP TABLE clients;--")), ("utf8", "%ff"), ("utf8-2", "%e2%82"),
    ("nul", "a%00b"), ("markup", quote(payload("xssq"))), ("crlf", "%0d%0aX-Injected:%20yes"),
    ("huge", "99999999999999999999"), ("minus", "-1"), ("long", quote("я" * 3000)),
]


@case
def t_hostile_form_bodies(t):
    """Every page form (urlencoded), with each hostile value in every field its handler reads:
    a clear answer (303 or a 4xx page), never a 5xx; invalid UTF-8, NUL and bad %-escapes are
    refused before anything is stored."""
    fx = fixtures(t)
    keys = handler_keys(t)
    sid, csrf = fx["sid"], fx["csrf"]
    for rt in page_routes(t):
        if rt.method != "POST":
            continue
        path = fill(rt.pattern, fx)
        fields = keys.get(rt.handler, ((), ()))[1] or ["name"]
        for name, v in FORM_VALUES:
            if rt.pattern in ("/logout", "/settings", "/login") and name in (
                    "sql", "markup", "crlf", "huge", "minus", "long"):
                continue  # would sign out, change the team's settings or throttle sign-ins
            # sign-in and password checks count failures per address: each from its own
            src = t.addr() if rt.pattern in ("/login", "/profile") else None
            r = form_post(t, path, [(k, v) for k in fields], sid, csrf, source=src)
            what = f"POST {rt.pattern} {name}"
            t.check(r.status in OK_STATUS, f"{what}: {r.status} {r.body[:200]!r}")
            if name in ("utf8", "utf8-2", "nul"):
                t.check(r.status == 400, f"{what}: {r.status}, want 400")
            if (r.header("Content-Type") or "").startswith("text/html"):
                scan_page(t, what, r.body, ["xssq"])
            loc = r.header("Location")
            if loc is not None:
                t.check(loc.startswith("/") and not loc.startswith("//") and
                        not re.search(r"[\x00-\x20\\\x7f]", loc), f"{what}: Location {loc!r}")
        for raw in ("a=%zz", "a=%", "a=%f", "%ff=1", "=&&=&a", "a=1&" * 5000):
            if rt.pattern == "/logout" and "%" not in raw:
                continue  # a well-formed form signs out
            r = form_post(t, path, None, sid, csrf, raw=f"_csrf={quote(csrf)}&{raw}",
                          source=t.addr() if rt.pattern in ("/login", "/profile") else None)
            t.check(r.status in OK_STATUS, f"POST {rt.pattern} {raw[:20]!r}: {r.status}")
            if "%" in raw:
                t.check(r.status == 400, f"POST {rt.pattern} {raw!r}: {r.status}, want 400")
    # the session survived: nothing above signed it out
    r = t.api.request("GET", "/day", cookie=sid, check=False)
    t.check(r.status == 200, f"GET /day with the session after the form probes: {r.status}")
    t.expect(t.get("/healthz", who=None), 200, what="the server after the form probes")
    for path in ("/api/v1/clients?limit=1", "/api/v1/users", "/api/v1/segments"):
        r = t.get(path, who="admin")
        t.check(r.status == 200 and r.get("items"), f"{path} after the SQL in forms: {r.short()}")


# ---- static files ----

@case
def t_hostile_static_traversal(t):
    """Only the embedded assets are served: no path reaches a file of the disk."""
    port = t.api.port
    ok = raw_request(port, b"GET /static/app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                           b"\r\n")
    t.check(ok[0].startswith(b"HTTP/1.1 200"), f"app.css: {ok[0]!r}")
    paths = ["/static/../../../../etc/passwd", "/static/..%2f..%2f..%2fetc%2fpasswd",
             "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/%252e%252e%252fetc%252fpasswd",
             "/static/..\\..\\..\\etc\\passwd", "/static/..%5c..%5cetc%5cpasswd",
             "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/app.css%00.txt",
             "/static/app.css%00", "/static/./app.css", "/static/../static/app.css",
             "/static/app.css/", "/static/app.css/..", "/static/%c0%ae%c0%ae/etc/passwd",
             "/static/..%c0%af..%c0%afetc%c0%afpasswd", "/static/meson.build",
             "/static/static.c", "/static/../web/static.c", "/static/C:%5cwindows%5cwin.ini",
             "/static/file:%2f%2f%2fetc%2fpasswd", "/../../etc/passwd", "/%2e%2e/etc/passwd",
             "//etc/passwd", "/etc/passwd", "/static/"]
    for p in paths:
        status, lines, body = raw_request(port, f"GET {p} HTTP/1.1\r\nHost: x\r\n"
                                                f"Connection: close\r\n\r\n".encode())
        code = status.split(b" ")[1:2]
        t.check(code in ([b"404"], [b"400"]), f"GET {p}: {status!r}, want 404 or 400")
        t.check(b"root:" not in body and b"project(" not in body and b"#include" not in body,
                f"GET {p}: the body holds a file of the disk")


# ---- what reaches response headers ----

def location_safe(loc):
    """A redirect a browser follows to this site only: a path, no scheme or host even after it
    strips tabs and newlines, no backslash (read as a slash)."""
    if loc is None:
        return True
    stripped = re.sub(r"[\t\n\r]", "", loc).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b"
                                                    "\x0c\x0e\x0f ")
    return (stripped.startswith("/") and not stripped.startswith("//") and "\\" not in stripped
            and not re.search(r"[\x00-\x1f\x7f]", loc))


NEXTS = ["//evil.example/", "/\\evil.example/", "https://evil.example/", "/\t/evil.example/",
         "/\n/evil.example", "/%0d%0aX-Injected:%20yes", "/\r\nX-Injected: yes",
         "/ /evil.example", "\t//evil.example", "/day\x00//evil.example", "/\x0b/evil.example",
         "javascript:alert(1)", "/%2f%2fevil.example", "/day?x=\"><script>alert('xssq')</script>"]


@case
def t_hostile_redirect_targets(t):
    """next= of the sign-in and back= of step forms: only paths of this site, no CR/LF."""
    port = t.api.port
    u = fixture_user(t, f"hxnext{t.seq().replace('x', '')}", "rep")
    for nxt in NEXTS:
        # GET /login?next= puts it on the form, escaped
        r = t.get(f"/login?next={quote(nxt)}", who=None, check=False)
        if t.check(r.status == (404 if "\x00" in nxt else 200),
                   f"GET /login?next={nxt!r}: {r.status}"):
            scan_page(t, f"GET /login?next={nxt!r}", r.body, ["xssq"])
            t.check(not r.header("X-Injected"), "injected header")
        # POST /login with it: the redirect stays on this site
        pre = t.get("/login", who=None, check=False)
        cookie = next((v.split(";", 1)[0] for v in pre.header_all("Set-Cookie")
                       if v.startswith("nc_pre=")), "")
        tok = cookie.partition("=")[2]
        data = (f"_csrf={quote(tok)}&login={quote(u['login'])}&password={quote(u['password'])}"
                f"&next={quote(nxt)}").encode()
        src = t.addr()
        status, lines, _ = raw_request(port, (
            f"POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {cookie}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(data)}\r\n\r\n").encode() + data, source=src)
        locs = [ln[9:].strip().decode("latin-1") for ln in lines
                if ln.lower().startswith(b"location:")]
        if "\x00" in nxt:  # a NUL is refused before anything happens
            t.check(status.startswith(b"HTTP/1.1 400") and not locs,
                    f"POST /login next={nxt!r}: {status!r} {locs}")
        else:
            t.check(status.startswith(b"HTTP/1.1 303"), f"POST /login next={nxt!r}: {status!r}")
            t.check(len(locs) == 1 and location_safe(locs[0]),
                    f"POST /login next={nxt!r}: Location {locs!r}")
        t.check(not any(ln.lower().startswith(b"x-injected") for ln in lines),
                f"POST /login next={nxt!r}: an injected header")
        for ln in lines:
            if ln.lower().startswith(b"set-cookie:") and b"nc_session=" in ln:
                t.secrets.add(ln.split(b"nc_session=")[1].split(b";")[0].decode())
    # back= of a step form
    fx = fixtures(t)
    for nxt in NEXTS:
        c = t.new_client("anna")
        r = t.post("/api/v1/next-steps", {"client_id": c["id"], "kind": "call",
                                          "due_at": at_msk(2, 10)}, who="anna")
        sid = r.get("id") if isinstance(r.get("id"), int) else r.get("step", "id")
        r = form_post(t, f"/steps/{sid}/done", [("back", quote(nxt))], fx["sid"], fx["csrf"])
        t.check(r.status == (400 if "\x00" in nxt else 303) and
                location_safe(r.header("Location")),
                f"POST /steps/{sid}/done back={nxt!r}: {r.status} {r.header('Location')!r}")
    # a signed-out visit keeps only safe characters of the path in next=
    status, lines, _ = raw_request(port, b"GET /clients%0d%0aX-Injected:%20yes/%09/x HTTP/1.1\r\n"
                                         b"Host: x\r\nConnection: close\r\n\r\n")
    t.check(not any(ln.lower().startswith(b"x-injected") for ln in lines),
            f"signed-out redirect: {lines}")
    # cookie values never come back in a header or unescaped in a page
    for cv in ("<script>alert('xssq')</script>aaaaaaaa", "a\"; Path=/; x=\"bbbbbbbbbbbbbbbbb",
               "%0d%0aX-Injected:%20yes%0d%0a123456"):
        status, lines, body = raw_request(port, (
            f"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            f"Cookie: nc_pre={cv}; nc_session={cv}\r\n\r\n").encode())
        t.check(status.startswith(b"HTTP/1.1 200"), f"cookie {cv!r}: {status!r}")
        t.check(not any(ln.lower().startswith(b"x-injected") for ln in lines),
                f"cookie {cv!r}: an injected header")
        scan_page(t, f"GET /login with cookie {cv!r}", body, ["xssq"])


# ---- oversize requests ----

@case
def t_hostile_oversize_headers(t):
    """One 100 KB header, a thousand headers, 500 cookies and a 100 KB URL get a clear 4xx; the server
    goes on serving."""
    port = t.api.port
    probes = [
        ("one 100 KB header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 +
         b"\r\nConnection: close\r\n\r\n", (b"431", b"400", b"413")),
        ("1000 headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" +
         b"".join(b"X-H%d: value-%d\r\n" % (i, i) for i in range(1000)) +
         b"Connection: close\r\n\r\n", (b"431", b"400", b"413")),
        ("a 100 KB URL", b"GET /healthz?" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n"
         b"Connection: close\r\n\r\n", (b"414", b"431", b"400")),
        ("a 100 KB cookie", b"GET /day HTTP/1.1\r\nHost: x\r\nCookie: nc_session=" +
         b"c" * 100000 + b"\r\nConnection: close\r\n\r\n", (b"431", b"400", b"413")),
        ("500 cookies", b"GET /login HTTP/1.1\r\nHost: x\r\nCookie: " +
         b"; ".join(b"a=b" for _ in range(500)) + b"\r\nConnection: close\r\n\r\n",
         (b"431",)),
        ("a 100 KB bearer token", b"GET /api/v1/clients HTTP/1.1\r\nHost: x\r\n"
         b"Authorization: Bearer " + b"t" * 100000 + b"\r\nConnection: close\r\n\r\n",
         (b"431", b"400", b"413")),
    ]
    for what, data, want in probes:
        try:
            status, _, _ = raw_request(port, data)
        except OSError as e:
            t.fail(f"{what}: the connection failed without an answer: {e}")
            continue
        code = status.split(b" ")[1] if b" " in status else b""
        t.check(code in want, f"{what}: {status!r}, want {b'/'.join(want).decode()}")
        t.expect(t.get("/healthz", who=None), 200, what=f"the server after {what}")
    # a long header under the limit is fine
    r = t.get("/api/v1/session", who="anna", headers={"X-Long": "b" * 8000})
    t.expect(r, 200, what="an 8 KB header")


# ---- slow clients ----

SLOW = 8
TRICKLE_S = 30.0


@case
def t_hostile_slow_clients(t):
    """More clients than the server has threads, each trickling its request byte by byte over
    30 s, hold no worker: requests sent meanwhile are answered within a second, and the slow
    requests are answered correctly in the end. Runs in the SQLite round only (the database
    plays no part)."""
    if os.environ.get("NEXTCALL_TEST_PG"):
        print("  # hostile_slow_clients: SQLite round only (skipped with NEXTCALL_TEST_PG)")
        return
    port = t.api.port
    reqs = []
    for i in range(SLOW):
        if i % 2 == 0:
            reqs.append(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " +
                        str(i).encode() * 8 + b"\r\nConnection: close\r\n\r\n")
        else:
            body = json.dumps({"source": "name: slow\n"}).encode()
            reqs.append((f"POST /api/v1/scripts/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Authorization: Bearer {t.tok['anna']}\r\n"
                         f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                         f"Connection: close\r\n\r\n").encode() + body)
    answers = [None] * SLOW

    def slow(i):
        data = reqs[i]
        # the header of the POSTs is sent at once, its body trickled; the GETs trickle it all
        head = b"" if i % 2 == 0 else data[:data.index(b"\r\n\r\n") + 4]
        rest = data[len(head):]
        gap = TRICKLE_S / len(rest)
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=TRICKLE_S + 30)
            if head:
                s.sendall(head)
            for k in range(len(rest)):
                s.sendall(rest[k:k + 1])
                time.sleep(gap)
            out = b""
            while True:
                c = s.recv(65536)
                if not c:
                    break
                out += c
            s.close()
            answers[i] = out
        except OSError as e:
            answers[i] = f"error: {e}".encode()

    threads = [threading.Thread(target=slow, args=(i,), daemon=True) for i in range(SLOW)]
    for th in threads:
        th.start()
    time.sleep(2)
    worst, n = 0.0, 0
    deadline = time.monotonic() + TRICKLE_S - 4
    while time.monotonic() < deadline:
        for path, who in (("/healthz", None), ("/api/v1/agenda?rep=anna", "anna"),
                          ("/api/v1/clients?limit=5", "anna")):
            t0 = time.monotonic()
            r = t.get(path, who=who, timeout=10)
            took = time.monotonic() - t0
            worst = max(worst, took)
            n += 1
            t.check(r.status == 200, f"GET {path} during the slow clients: {r.status}")
            t.check(took < 1.0, f"GET {path} took {took:.2f} s while {SLOW} clients trickled")
        time.sleep(0.5)
    print(f"  # {n} requests during {SLOW} slow clients; the slowest took {worst:.3f} s")
    for th in threads:
        th.join(TRICKLE_S + 40)
    for i, a in enumerate(answers):
        a = a or b""
        want = (b"HTTP/1.1 200",) if i % 2 == 0 else (b"HTTP/1.1 200", b"HTTP/1.1 400",
                                                          b"HTTP/1.1 422")
        if not t.check(a.startswith(want), f"slow client {i}: {a[:120]!r}"):
            continue
        if i % 2:
            body = a.partition(b"\r\n\r\n")[2]
            try:
                j = json.loads(body.decode())
                t.check(isinstance(j, dict), f"slow client {i}: {body[:120]!r}")
            except ValueError:
                t.fail(f"slow client {i}: the answer is not JSON: {body[:120]!r}")

