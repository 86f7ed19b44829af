"""cases_session.py - signing in (cookie, CSRF, throttling), signing out, API tokens.

The throttle counts failures per login and per address. All requests of the suite come from
loopback, so each sign-in case speaks from its own 127.0.x.y address (Linux routes all of
127/8 to lo): one case's failures never throttle another's sign-ins."""

from urllib.parse import quote

from lib import case, fmt8

DEMO_PASSWORD = "demo1234"
# users made with the CLI before the server starts (run.py): login -> password
EXTRA_USERS = {
    "thr_login": "Thr-login-pass-1",
    "thr_other": "Thr-other-pass-2",
    "thr_addr": "Thr-addr-pass-3",
}


def login(t, user, password, source=None):
    return t.api.request("POST", "/api/v1/session", {"login": user, "password": password},
                         source=source or t.addr())


def cookie_of(r):
    """(value, attributes lower-cased) of the nc_session Set-Cookie, or (None, {})."""
    for v in r.header_all("Set-Cookie"):
        parts = [p.strip() for p in v.split(";")]
        name, _, value = parts[0].partition("=")
        if name == "nc_session":
            attrs = {}
            for p in parts[1:]:
                k, _, val = p.partition("=")
                attrs[k.strip().lower()] = val.strip()
            return value, attrs
    return None, {}


@case
def t_login_wrong_password(t):
    src = t.addr()
    r = login(t, "anna", "not-the-password", src)
    t.expect(r, 401, what="wrong password")
    t.check(b"not-the-password" not in r.body, "the answer repeats the password")
    t.check(cookie_of(r)[0] in (None, ""), "a failed sign-in set a session cookie")
    r = login(t, "nobody-such", "whatever", src)
    t.expect(r, 401, what="unknown login")
    r = t.api.request("POST", "/api/v1/session", {"login": "anna"}, source=src)
    t.expect(r, 400, field="password", what="no password")
    r = t.api.request("POST", "/api/v1/session", {"password": "x"}, source=src)
    t.expect(r, 400, field="login", what="no login")


@case
def t_login_throttle_per_login(t):
    user, pw = "thr_login", EXTRA_USERS["thr_login"]
    t.secrets.add(pw)
    # five failures, each from another address: only the login's count can reach five
    for i in range(5):
        r = login(t, user, f"wrong-{i}")
        t.expect(r, 401, what=f"failure {i + 1}")
    r = login(t, user, "wrong-6")
    if t.expect(r, 429, what="sixth attempt (wrong password), fresh address"):
        ra = r.header("Retry-After")
        t.check(ra is not None and ra.isdigit() and 0 < int(ra) <= 15 * 60,
                f"Retry-After {ra!r}: want seconds within 15 minutes")
    r = login(t, user, pw)
    if t.expect(r, 429, what="right password while throttled, fresh address"):
        t.check(r.header("Retry-After") is not None, "429 without Retry-After")
        t.check(cookie_of(r)[0] in (None, ""), "a throttled sign-in set a cookie")
    # another login is not affected
    r = login(t, "thr_other", EXTRA_USERS["thr_other"])
    t.expect(r, 200, what="another login signs in")
    t.secrets.add(EXTRA_USERS["thr_other"])


@case
def t_login_throttle_per_address(t):
    src = t.addr()
    for i in range(5):
        r = login(t, f"ghost{i}", "whatever", src)
        t.expect(r, 401, what=f"unknown login {i + 1} from one address")
    pw = EXTRA_USERS["thr_addr"]
    t.secrets.add(pw)
    r = login(t, "thr_addr", pw, src)
    t.expect(r, 429, what="right password from the throttled address")
    r = login(t, "thr_addr", pw)
    t.expect(r, 200, what="the same login from another address")


@case
def t_login_cookie(t):
    r = login(t, "anna", DEMO_PASSWORD)
    t.need(r, 200, "sign in")
    value, attrs = cookie_of(r)
    t.require(value, f"no nc_session cookie: {r.headers}")
    t.secrets.add(value)
    t.check("httponly" in attrs, f"cookie without HttpOnly: {attrs}")
    t.check(attrs.get("samesite", "").lower() == "lax", f"cookie SameSite {attrs.get('samesite')}")
    t.check("secure" not in attrs, "cookie with Secure without --tls-proxy")
    t.check(attrs.get("path") == "/", f"cookie Path {attrs.get('path')!r}")
    csrf = r.get("csrf")
    t.require(isinstance(csrf, str) and len(csrf) >= 16, f"no csrf in the answer: {r.short()}")
    t.secrets.add(csrf)
    t.check(r.get("user", "login") == "anna", f"user {r.get('user')}")
    t.check(value not in r.body.decode("utf-8", "replace"), "the session id is in the body")
    s = t.api.request("GET", "/api/v1/session", cookie=value)
    if t.expect(s, 200, what="GET /api/v1/session with the cookie"):
        t.check(s.get("user", "login") == "anna", f"session user {s.get('user')}")
        t.check(s.get("csrf") == csrf, "GET /api/v1/session gives another csrf")
    s = t.get("/api/v1/session", who="anna")
    if t.expect(s, 200, what="GET /api/v1/session with a token"):
        t.check(s.get("user", "login") == "anna", "token session user")


@case
def t_cookie_csrf(t):
    r = login(t, "anna", DEMO_PASSWORD)
    t.need(r, 200, "sign in")
    sid, csrf = cookie_of(r)[0], r.get("csrf")
    t.secrets.update([sid, csrf])
    name = f"CSRF probe {t.seq()}"
    body = {"name": name, "phones": [fmt8(t.phones.new())]}
    r = t.api.request("POST", "/api/v1/clients", body, cookie=sid)
    t.expect(r, 403, code="csrf", what="cookie write without X-CSRF-Token")
    r = t.api.request("POST", "/api/v1/clients", body, cookie=sid, csrf=csrf[:-1] + "x")
    t.expect(r, 403, code="csrf", what="cookie write with a wrong X-CSRF-Token")
    r = t.api.request("POST", "/api/v1/clients", body, cookie=sid, csrf="")
    t.expect(r, 403, code="csrf", what="cookie write with an empty X-CSRF-Token")
    found = t.get(f"/api/v1/clients?q={quote(name)}", who="admin")
    if t.expect(found, 200, what="search"):
        t.check(found.get("items") == [], f"a refused write created a client: {found.short()}")
    r = t.api.request("GET", "/api/v1/clients?limit=1", cookie=sid)
    t.expect(r, 200, what="cookie read needs no CSRF token")
    r = t.api.request("POST", "/api/v1/clients", body, cookie=sid, csrf=csrf)
    t.expect(r, 201, what="cookie write with X-CSRF-Token")
    # a token-authenticated write needs no CSRF token, even with a stray cookie header
    r = t.post("/api/v1/clients", {"name": name + " b", "phones": [fmt8(t.phones.new())]},
               who="anna")
    t.expect(r, 201, what="token write")


@case
def t_logout(t):
    r = login(t, "anna", DEMO_PASSWORD)
    t.need(r, 200, "sign in")
    sid, csrf = cookie_of(r)[0], r.get("csrf")
    t.secrets.update([sid, csrf])
    r = t.api.request("DELETE", "/api/v1/session", cookie=sid)
    t.expect(r, 403, code="csrf", what="sign out without X-CSRF-Token")
    r = t.api.request("DELETE", "/api/v1/session", cookie=sid, csrf=csrf)
    if t.expect(r, 204, what="sign out"):
        value, attrs = cookie_of(r)
        t.check(value == "" and attrs.get("max-age") == "0",
                f"sign-out does not clear the cookie: {r.header_all('Set-Cookie')}")
    r = t.api.request("GET", "/api/v1/session", cookie=sid)
    t.expect(r, 401, what="the old cookie after sign-out")
    r = t.api.request("GET", "/api/v1/clients?limit=1", cookie=sid)
    t.expect(r, 401, what="the old cookie on another route")


@case
def t_tokens(t):
    r = t.post("/api/v1/tokens", {"login": "anna", "name": "http-test"}, who="admin")
    t.need(r, 201, "admin makes a token for anna")
    tok, tid = r.get("token"), r.get("id")
    t.require(isinstance(tok, str) and tok and isinstance(tid, int), f"token answer {r.short()}")
    t.secrets.add(tok)
    t.check(r.get("login") == "anna" and r.get("name") == "http-test", f"token answer {r.short()}")
    s = t.get("/api/v1/session", who=tok)
    if t.expect(s, 200, what="use the new token"):
        t.check(s.get("user", "login") == "anna", f"the token is of {s.get('user', 'login')}")
        t.check("csrf" not in s.json, "a token session shows a csrf")
    r = t.delete(f"/api/v1/tokens/{tid}", who="anna")
    t.expect(r, 403, what="a rep revokes a token")
    r = t.delete(f"/api/v1/tokens/{tid}", who="oleg")
    t.expect(r, 403, what="another rep revokes a token")
    t.expect(t.get("/api/v1/session", who=tok), 200, what="the token still works")
    r = t.delete(f"/api/v1/tokens/{tid}", who="admin")
    t.expect(r, 204, what="admin revokes")
    t.expect(t.get("/api/v1/session", who=tok), 401, what="the revoked token")
    t.expect(t.get("/api/v1/clients?limit=1", who=tok), 401, what="the revoked token elsewhere")
    t.expect(t.delete(f"/api/v1/tokens/{tid}", who="admin"), 404, what="revoke twice")
    t.expect(t.delete("/api/v1/tokens/99999999", who="admin"), 404, what="revoke no such token")
    # users make tokens for themselves, not for others
    r = t.post("/api/v1/tokens", {"name": "mine"}, who="oleg")
    if t.expect(r, 201, what="a rep makes his own token"):
        t.secrets.add(r.get("token", default=""))
        t.check(r.get("login") == "oleg", f"own token for {r.get('login')}")
    r = t.post("/api/v1/tokens", {"login": "anna"}, who="oleg")
    t.expect(r, 403, what="a rep makes a token for another")
    r = t.post("/api/v1/tokens", {"login": "no-such-user"}, who="admin")
    t.expect(r, 404, what="a token for nobody")


@case
def t_auth_memo_follows_changes(t):
    """Each worker keeps its last sign-in look-ups while nothing is committed (app/auth.c). A
    change to a token, a session or its user shows at the very next request on every worker,
    whoever made it: the server or another process. Each check asks a dozen times, each time on
    a new connection, so that both workers answer after their memo was filled."""
    def ask(who, want, what, cookie=None, role=None, login=None):
        for i in range(12):
            if cookie:
                r = t.api.request("GET", "/api/v1/session", cookie=cookie)
            else:
                r = t.get("/api/v1/session", who=who)
            if not t.expect(r, want, what=f"{what} (request {i + 1})"):
                return
            if want == 200 and role:
                t.check(r.get("user", "role") == role,
                        f"{what} (request {i + 1}): role {r.get('user', 'role')}, want {role}")
            if want == 200 and login:
                t.check(r.get("user", "login") == login,
                        f"{what} (request {i + 1}): login {r.get('user', 'login')}, want {login}")

    login = f"memo{t.seq()}"
    pw = "Memo-pass-" + t.seq()
    t.secrets.add(pw)
    r = t.post("/api/v1/users", {"login": login, "name": "Мемо Тест", "role": "rep",
                                 "password": pw}, who="admin")
    t.need(r, 201, "admin adds a user")
    r = t.post("/api/v1/tokens", {"login": login}, who="admin")
    t.need(r, 201, "a token")
    tok, tid = r.get("token"), r.get("id")
    t.secrets.add(tok)
    ask(tok, 200, "a new token", role="rep", login=login)
    # another process revokes it: only the database's version tells the server
    t.server.cli("token", "revoke", str(tid))
    ask(tok, 401, "the token revoked by `nextcall token revoke`")
    r = t.post("/api/v1/tokens", {"login": login}, who="admin")
    t.need(r, 201, "a second token")
    tok2 = r.get("token")
    t.secrets.add(tok2)
    ask(tok2, 200, "the second token", role="rep")
    t.expect(t.get("/api/v1/users", who=tok2), 403, what="a rep lists the users")
    t.need(t.patch(f"/api/v1/users/{login}", {"role": "admin"}, who="admin"), 200,
           "admin makes him admin")
    ask(tok2, 200, "after the role changed", role="admin")
    t.expect(t.get("/api/v1/users", who=tok2), 200, what="the new admin lists the users")
    t.need(t.patch(f"/api/v1/users/{login}", {"role": "rep"}, who="admin"), 200,
           "admin makes him a rep again")
    ask(tok2, 200, "after the role changed back", role="rep")
    t.expect(t.get("/api/v1/users", who=tok2), 403, what="the rep again lists the users")
    t.need(t.patch(f"/api/v1/users/{login}", {"active": False}, who="admin"), 200,
           "admin deactivates him")
    ask(tok2, 401, "the token of a deactivated user")
    t.need(t.patch(f"/api/v1/users/{login}", {"active": True}, who="admin"), 200,
           "admin activates him again")
    ask(tok2, 200, "the token after the user is active again", role="rep")
    # a session: signed out by a new password (every session of the user ends)
    s = t.api.request("POST", "/api/v1/session", {"login": login, "password": pw},
                      source=t.addr())
    t.need(s, 200, "he signs in")
    sid = cookie_of(s)[0]
    t.secrets.add(sid)
    t.secrets.add(s.get("csrf", default=""))
    ask(None, 200, "the session", cookie=sid, login=login)
    pw2 = "Memo-pass-2-" + t.seq()
    t.secrets.add(pw2)
    t.need(t.patch(f"/api/v1/users/{login}", {"password": pw2}, who="admin"), 200,
           "admin sets a new password")
    ask(None, 401, "the session after the password changed", cookie=sid)
    # many secrets in turn: each answer is its own user's
    who = ["admin", "elena", "anna", "oleg", "mike", tok2]
    for rnd in range(4):
        for w in who:
            r = t.get("/api/v1/session", who=w)
            want = login if w == tok2 else w
            if t.expect(r, 200, what=f"{want}'s session, round {rnd + 1}"):
                t.check(r.get("user", "login") == want,
                        f"round {rnd + 1}: {want}'s secret gave {r.get('user', 'login')}")
