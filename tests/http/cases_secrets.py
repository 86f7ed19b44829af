"""cases_secrets.py - passwords, session ids and tokens never reach the log or the database in
clear: sign-ins (API and form, right and wrong passwords), an API token, password changes (API
and profile form), the webhook token and the AMI secret (API and settings form); then the
server's log and the whole database are searched for each plaintext. Also: the secrets are long
random strings (libsodium's randombytes_buf), stored hashed (argon2id for passwords, BLAKE2b for
session ids and tokens), and the settings API and page never show a secret setting back."""

import glob
import os
import re
import secrets as pysecrets
import sqlite3
import subprocess
from urllib.parse import quote

from lib import case

SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # 32 random bytes, base64url without padding
MASK = "********"


def rnd(prefix):
    return f"{prefix}-{pysecrets.token_urlsafe(12)}"


def cookie(r, name):
    for v in r.header_all("Set-Cookie"):
        k, _, rest = v.partition("=")
        if k == name:
            return rest.split(";", 1)[0]
    return None


def form(t, path, fields, sid=None, pre=None, source=None):
    data = "&".join(f"{k}={quote(v)}" for k, v in fields).encode()
    hdrs = {}
    if pre:
        hdrs["Cookie"] = f"nc_pre={pre}"
    return t.api.request("POST", path, raw=data, cookie=sid, headers=hdrs, check=False,
                         content_type="application/x-www-form-urlencoded", source=source)


def form_login(t, login, password):
    """Signs in through the page's form; gives the answer."""
    pre_r = t.get("/login", who=None, check=False)
    pre = cookie(pre_r, "nc_pre")
    return form(t, "/login", [("_csrf", pre or ""), ("login", login), ("password", password),
                              ("next", "/day")], pre=pre, source=t.addr())


def database_text(t):
    """The whole database as bytes: the SQLite files (main, WAL, shared memory), or a
    pg_dump of the PostgreSQL database. None when it cannot be read."""
    db = t.server.db
    if os.path.exists(db):
        out = b""
        for p in (db, db + "-wal", db + "-shm", db + "-journal"):
            if os.path.exists(p):
                with open(p, "rb") as f:
                    out += f.read()
        return out
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))
    exe = os.environ.get("PG_BINDIR", "") and os.path.join(os.environ["PG_BINDIR"], "pg_dump")
    exe = exe if exe and os.access(exe, os.X_OK) else (bins[-1] if bins else None)
    if not exe:
        return None
    p = subprocess.run([exe, "--data-only", "-U", "postgres", "-d", db], capture_output=True,
                       timeout=120)
    if p.returncode != 0:
        print(f"  # pg_dump failed: {p.stderr.decode(errors='replace')[:300]}")
        return None
    return p.stdout


def sqlite_rows(t, sql, args=()):
    if not os.path.exists(t.server.db):
        return None
    c = sqlite3.connect(f"file:{t.server.db}?mode=ro", uri=True, timeout=30)
    try:
        return c.execute(sql, args).fetchall()
    finally:
        c.close()


@case
def t_secrets_not_logged_nor_stored(t):
    login = f"hxsec{t.seq().replace('x', '')}"
    p1, p2, p3 = rnd("Pass1"), rnd("Pass2"), rnd("Pass3")
    wrong1, wrong2 = rnd("Wrong1"), rnd("Wrong2")
    wt1, wt2, wt_bad = rnd("hook1"), rnd("hook2"), rnd("hookbad")
    as1, as2 = rnd("ami1"), rnd("ami2")
    plain = {"password 1": p1, "password 2": p2, "password 3": p3, "wrong password 1": wrong1,
             "wrong password 2": wrong2}
    r = t.post("/api/v1/users", {"login": login, "name": "Secret Keeper", "role": "head",
                                 "timezone": "Europe/Moscow", "locale": "en", "password": p1},
               who="admin")
    t.need(r, 201, "create a user with a password")
    t.check(p1 not in r.body.decode("utf-8", "replace"), "the user answer holds the password")

    # sign-ins: API (right, wrong), form (right, wrong)
    r = t.api.request("POST", "/api/v1/session", {"login": login, "password": wrong1},
                      source=t.addr())
    t.expect(r, 401, what="API sign-in, wrong password")
    r = t.api.request("POST", "/api/v1/session", {"login": login, "password": p1},
                      source=t.addr())
    t.need(r, 200, "API sign-in")
    sid1, csrf1 = cookie(r, "nc_session"), r.get("csrf")
    r = form_login(t, login, wrong2)
    t.expect(r, 401, what="form sign-in, wrong password")
    r = form_login(t, login, p1)
    t.need(r, 303, "form sign-in")
    sid2 = cookie(r, "nc_session")
    t.require(sid1 and sid2 and csrf1, "no session ids")
    sessions = {"session 1": sid1, "session 2": sid2}
    for what, s in list(sessions.items()) + [("csrf 1", csrf1)]:
        t.check(SECRET_RE.match(s), f"{what} is not 32 random bytes in base64url: {len(s)} chars")
    t.check(len({sid1, sid2, csrf1}) == 3, "two secrets are the same")

    # an API token
    r = t.post("/api/v1/tokens", {"login": login, "name": "secrets probe"}, who="admin")
    t.need(r, 201, "create a token")
    tok = r.get("token") or ""
    t.check(tok.startswith("nct_") and SECRET_RE.match(tok[4:]),
            f"the token is not nct_ + 32 random bytes: {len(tok)} chars")
    t.check(t.get("/api/v1/session", who=tok).status == 200, "the new token works")

    # password changes: by the admin (API), then by the user (profile form)
    r = t.patch(f"/api/v1/users/{login}", {"password": p2}, who="admin")
    t.expect(r, 200, what="the admin sets a password")
    t.check(p2 not in r.body.decode("utf-8", "replace"), "the answer holds the password")
    r = t.api.request("POST", "/api/v1/session", {"login": login, "password": p2},
                      source=t.addr())
    t.need(r, 200, "sign in with the new password")
    sid3, csrf3 = cookie(r, "nc_session"), r.get("csrf")
    sessions["session 3"] = sid3
    r = form(t, "/profile", [("_csrf", csrf3), ("name", "Secret Keeper"), ("locale", "en"),
                             ("timezone", "Europe/Moscow"), ("current_password", p2),
                             ("password", p3), ("password2", p3)], sid=sid3, source=t.addr())
    t.expect(r, 303, what="the profile form changes the password")
    r = t.api.request("POST", "/api/v1/session", {"login": login, "password": p3},
                      source=t.addr())
    t.expect(r, 200, what="sign in with the password set on the profile")
    if r.status == 200:
        sessions["session 4"] = cookie(r, "nc_session")

    # the webhook token and the AMI secret: API, then the settings form
    hook = {"event": "start", "call_id": f"secret-{t.seq()}", "from": "+7 495 123-99-02",
            "to": "+7 495 000-00-00", "extension": "999", "direction": "in",
            "started_at": "2026-11-22T10:00:00Z"}
    try:
        r = t.patch("/api/v1/settings", {"webhook.token": wt1, "ami.secret": as1}, who=tok)
        if t.expect(r, 200, what="set the secrets by the API"):
            body = r.body.decode("utf-8", "replace")
            t.check(wt1 not in body and as1 not in body, "PATCH /api/v1/settings echoes a secret")
        r = t.post("/api/v1/telephony/webhook", hook, who=None,
                   headers={"X-Nextcall-Token": wt1})
        t.check(r.status != 401, f"the webhook refuses its token: {r.short()}")
        r = t.post("/api/v1/telephony/webhook", hook, who=None,
                   headers={"X-Nextcall-Token": wt_bad})
        t.expect(r, 401, what="the webhook with a wrong token")
        r = t.post(f"/api/v1/telephony/webhook?token={quote(wt1)}", hook, who=None)
        t.check(r.status != 401, f"the webhook refuses ?token=: {r.short()}")
        # GET (or PATCH) back what GET gave: the mask is not stored as the new value
        r = t.patch("/api/v1/settings", {"webhook.token": MASK}, who=tok)
        t.expect(r, 200, what="PATCH the mask back")
        r = t.post("/api/v1/telephony/webhook", hook, who=None,
                   headers={"X-Nextcall-Token": wt1})
        t.check(r.status != 401, "PATCH with the mask changed the webhook token")
        # the settings page: a secret is a password field without its value; blank keeps it
        r = form(t, "/settings", [("_csrf", csrf3), ("webhook.token", wt2), ("ami.secret", as2)],
                 sid=sid3)
        t.expect(r, 303, what="the settings form sets the secrets")
        r = form(t, "/settings", [("_csrf", csrf3), ("webhook.token", ""), ("ami.secret", "")],
                 sid=sid3)
        t.expect(r, 303, what="the settings form with the secrets left blank")
        r = t.post("/api/v1/telephony/webhook", hook, who=None,
                   headers={"X-Nextcall-Token": wt2})
        t.check(r.status != 401, "a blank secret field on the settings form changed the token")
        g = t.get("/api/v1/settings", who=tok)
        vals = {i.get("key"): i.get("value") for i in g.get("items", default=[])}
        t.check(vals.get("webhook.token") == MASK and vals.get("ami.secret") == MASK,
                f"GET /api/v1/settings shows {vals.get('webhook.token')!r} "
                f"{vals.get('ami.secret')!r}, want {MASK!r}")
        for who in (tok, "anna"):
            g = t.get("/api/v1/settings", who=who)
            body = g.body.decode("utf-8", "replace")
            t.check(not any(s in body for s in (wt1, wt2, as1, as2)),
                    "GET /api/v1/settings shows a secret in clear")
        pg = t.api.request("GET", "/settings", cookie=sid3, check=False)
        if t.expect(pg, 200, what="the settings page"):
            body = pg.body.decode("utf-8", "replace")
            t.check(not any(s in body for s in (wt1, wt2, as1, as2)),
                    "the settings page shows a secret in clear")
            for key in ("webhook.token", "ami.secret"):
                m = re.search(r'<input[^>]*name="' + re.escape(key) + r'"[^>]*>', body)
                if t.check(m, f"the settings page has no {key} field"):
                    t.check('type="password"' in m.group(0) and 'value="' not in m.group(0),
                            f"{key}: {m.group(0)[:200]}")
        hook = sqlite_rows(t, "SELECT value FROM settings WHERE key = 'webhook.token'")
        if hook is not None:
            t.check(hook and re.fullmatch(r"blake2b:[0-9a-f]{64}", str(hook[0][0])),
                    f"the webhook token is not stored as a hash: {str(hook)[:20]}")
        cli = t.server.cli("settings", "list", check=False)
        t.check(not any(s in cli.stdout for s in (wt2, as2)),
                "nextcall settings list shows a secret")
    finally:
        t.patch("/api/v1/settings", {"webhook.token": "", "ami.secret": ""}, who="admin")
    secret_values = {"token": tok, "webhook token 1": wt1, "webhook token 2": wt2,
                     "wrong webhook token": wt_bad, "AMI secret 1": as1, "AMI secret 2": as2,
                     "csrf 1": csrf1, "csrf 3": csrf3}
    for v in list(plain.values()) + list(sessions.values()) + list(secret_values.values()):
        t.secrets.add(v)  # run.py's last case looks for them in the whole log again

    # the log holds none of them
    log = t.server.log_text()
    for what, s in list(plain.items()) + list(sessions.items()) + list(secret_values.items()):
        t.check(s not in log, f"the server log holds the {what}")
        t.check(quote(s) not in log, f"the server log holds the {what} URL-encoded")

    # the database holds only hashes of passwords, session ids, API and webhook tokens (the AMI
    # secret is kept as given: the exchange's MD5 challenge login needs the secret itself; the
    # CSRF token of a session is shown on its pages)
    data = database_text(t)
    if data is None:
        print("  # secrets: the database could not be read whole (no pg_dump): skipped")
    else:
        for what, s in list(plain.items()) + list(sessions.items()) + [
                ("token", tok), ("webhook token 1", wt1), ("webhook token 2", wt2)]:
            t.check(s.encode() not in data, f"the database holds the {what} in clear")
    rows = sqlite_rows(t, "SELECT password_hash FROM users WHERE login = ?", (login,))
    if rows is not None:
        t.check(rows and str(rows[0][0]).startswith("$argon2id$"),
                f"the password hash is not argon2id: {str(rows)[:60]}")
        ids = sqlite_rows(t, "SELECT s.id_hash FROM sessions s JOIN users u ON u.id = s.user_id "
                             "WHERE u.login = ?", (login,))
        t.check(ids and all(re.fullmatch(r"[0-9a-f]{64}", str(i[0])) for i in ids),
                f"session ids are not stored as 256-bit hashes: {str(ids)[:80]}")
        th = sqlite_rows(t, "SELECT token_hash FROM api_tokens t JOIN users u ON u.id = "
                            "t.user_id WHERE u.login = ?", (login,))
        t.check(th and all(re.fullmatch(r"[0-9a-f]{64}", str(i[0])) for i in th),
                f"tokens are not stored as 256-bit hashes: {str(th)[:80]}")
        audit = sqlite_rows(t, "SELECT detail FROM audit_log WHERE detail IS NOT NULL")
        text = "\n".join(str(a[0]) for a in audit)
        for s in (wt1, wt2, as1, as2, p1, p2, p3, tok):
            t.check(s not in text, "the audit log holds a secret")


@case
def t_secrets_random_source(t):
    """Session ids, CSRF tokens and API tokens come from libsodium's randombytes_buf (32 bytes);
    the code has no other source of secrets."""
    with open(os.path.join(t.src_root, "src", "app", "auth.c"), encoding="utf-8") as f:
        auth = f.read()
    m = re.search(r"static char \*new_secret\(.*?\n}\n", auth, re.S)
    t.require(m, "src/app/auth.c has no new_secret()")
    body = m.group(0)
    t.check("randombytes_buf(raw, sizeof(raw))" in body, "new_secret does not use randombytes_buf")
    t.check(re.search(r"#define SECRET_BYTES\s+(\d+)", auth) and
            int(re.search(r"#define SECRET_BYTES\s+(\d+)", auth).group(1)) >= 32,
            "SECRET_BYTES is under 32")
    for fn in glob.glob(os.path.join(t.src_root, "src", "**", "*.c"), recursive=True):
        with open(fn, encoding="utf-8", errors="replace") as f:
            src = f.read()
        for bad in (r"\brand\(\)", r"\brandom\(\)", r"\bsrand\(", r"\bdrand48\("):
            t.check(not re.search(bad, src), f"{os.path.relpath(fn, t.src_root)} uses {bad}")
    # a handful of fresh tokens: all different, all 43 base64url characters after nct_
    toks = []
    for i in range(5):
        r = t.post("/api/v1/tokens", {"login": "bodyuser", "name": f"random {i}"}, who="admin")
        if t.expect(r, 201, what="a token"):
            toks.append(r.get("token"))
            t.secrets.add(r.get("token"))
    t.check(len(set(toks)) == len(toks), "two tokens are the same")
    t.check(all(x.startswith("nct_") and SECRET_RE.match(x[4:]) for x in toks),
            f"token shapes: {[len(x) for x in toks]}")
