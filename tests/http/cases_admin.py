"""cases_admin.py - deals, segments, lead sources and their spend, users (admins only) and the
team's settings (read by anyone, changed by the head, all or nothing)."""

from lib import case, date_msk


@case
def t_deals(t):
    c = t.new_client("anna")
    r = t.post("/api/v1/deals", {"client_id": c["id"], "amount": 15000.5}, who="anna")
    t.need(r, 201, "open a deal")
    d = r.json
    t.check(d.get("client_id") == c["id"] and d.get("amount") == 15000.5 and
            d.get("stage") == "offer", f"deal {d}")
    t.check(d.get("closed_at") is None, "an open deal has closed_at")
    r = t.post("/api/v1/deals", {"client_id": c["id"], "amount": "42000.00", "stage": "pending"},
               who="anna")
    if t.expect(r, 201, what="amount as a string"):
        t.check(r.get("amount") == 42000 and r.get("stage") == "pending", f"deal {r.short()}")
    lst = t.get(f"/api/v1/deals?client_id={c['id']}", who="anna")
    if t.expect(lst, 200):
        t.check(d["id"] in [x.get("id") for x in lst.get("items", default=[])], "list lacks it")
    lst = t.get("/api/v1/deals?stage=pending&limit=500", who="admin")
    if t.expect(lst, 200, what="deals?stage=pending"):
        t.check(all(x.get("stage") == "pending" for x in lst.get("items", default=[])),
                "stage filter lets other stages through")
    r = t.patch(f"/api/v1/deals/{d['id']}", {"stage": "won"}, who="anna")
    if t.expect(r, 200, what="win the deal"):
        t.check(r.get("stage") == "won" and r.get("closed_at") is not None, f"won {r.short()}")
    r = t.patch(f"/api/v1/deals/{d['id']}", {"amount": 16000}, who="anna")
    t.check(r.status in (200, 409), f"change the amount of a won deal: {r.short()}")
    card = t.get(f"/api/v1/clients/{c['id']}", who="anna")
    if t.expect(card, 200):
        t.check(d["id"] in [x.get("id") for x in card.get("deals", default=[])],
                "the card lacks the deal")
    for body, what in (({"client_id": c["id"], "amount": -5}, "negative amount"),
                       ({"client_id": c["id"], "amount": "a lot"}, "amount 'a lot'"),
                       ({"client_id": c["id"], "amount": 100, "stage": "maybe"}, "stage maybe"),
                       ({"amount": 100}, "no client_id")):
        t.expect(t.post("/api/v1/deals", body, who="anna"), 400, what=what)
    t.expect(t.post("/api/v1/deals", {"client_id": 987654321, "amount": 1}, who="anna"), 404,
             what="a deal for no such client")
    t.expect(t.patch("/api/v1/deals/987654321", {"stage": "lost"}, who="anna"), 404,
             what="PATCH no such deal")
    t.expect(t.patch(f"/api/v1/deals/{d['id']}", {"stage": "lost"}, who="oleg"), 403,
             what="oleg changes anna's deal")


@case
def t_segments(t):
    r = t.get("/api/v1/segments", who="anna")
    t.need(r, 200)
    names = {s.get("name"): s for s in r.get("items", default=[])}
    t.check(names.get("Частные клиенты", {}).get("min_days") == 3 and
            names.get("Частные клиенты", {}).get("max_days") == 7,
            f"demo segment Частные клиенты: {names.get('Частные клиенты')}")
    name = f"Сегмент {t.seq()}"
    r = t.post("/api/v1/segments", {"name": name, "every": "3-7"}, who="anna")
    t.expect(r, 403, what="a rep adds a segment")
    r = t.post("/api/v1/segments", {"name": name, "every": "3-7"}, who="elena")
    if t.expect(r, 201, what="the head adds a segment"):
        t.check(r.get("name") == name and r.get("min_days") == 3 and r.get("max_days") == 7,
                f"segment {r.short()}")
    r = t.post("/api/v1/segments", {"name": name + "б", "min_days": 10, "max_days": 20},
               who="elena")
    if t.expect(r, 201, what="segment by days"):
        t.check(r.get("min_days") == 10 and r.get("max_days") == 20, f"segment {r.short()}")
    t.expect(t.post("/api/v1/segments", {"name": name, "every": "3-7"}, who="elena"), 409,
             what="the same segment twice")
    for body, what in (({"name": "x", "every": "7-3"}, "every 7-3"),
                       ({"name": "x", "every": "often"}, "every often"),
                       ({"every": "3-7"}, "no name"),
                       ({"name": "x", "min_days": 0, "max_days": 5}, "min_days 0"),
                       ({"name": "x", "every": "3-7", "min_days": 3}, "every and min_days")):
        t.expect(t.post("/api/v1/segments", body, who="elena"), 400, what=what)
    r = t.get("/api/v1/segments?limit=500", who="anna")
    if t.expect(r, 200):
        t.check(name in [s.get("name") for s in r.get("items", default=[])], "list lacks it")


@case
def t_sources_and_spend(t):
    r = t.get("/api/v1/sources", who="anna")
    t.need(r, 200)
    t.check("Авито" in [s.get("name") for s in r.get("items", default=[])], "no demo source Авито")
    name = f"Источник {t.seq()}"
    t.expect(t.post("/api/v1/sources", {"name": name}, who="oleg"), 403, what="a rep adds one")
    r = t.post("/api/v1/sources", {"name": name}, who="elena")
    t.need(r, 201, "the head adds a source")
    sid = r.get("id")
    t.check(r.get("name") == name and r.get("spend") == [], f"source {r.short()}")
    t.expect(t.post("/api/v1/sources", {"name": name}, who="elena"), 409, what="twice")
    month = date_msk()[:7]
    r = t.post(f"/api/v1/sources/{sid}/spend", {"month": month, "amount": 45000}, who="elena")
    if t.expect(r, 200, what="set spend"):
        t.check({"month": month, "amount": 45000} in r.get("spend", default=[]),
                f"spend {r.get('spend')}")
    r = t.post(f"/api/v1/sources/{sid}/spend", {"month": month, "amount": "47000.50"},
               who="elena")
    if t.expect(r, 200, what="set spend again (replaces)"):
        rows = [x for x in r.get("spend", default=[]) if x.get("month") == month]
        t.check(rows == [{"month": month, "amount": 47000.5}], f"spend rows {rows}")
    t.expect(t.post(f"/api/v1/sources/{sid}/spend", {"month": month, "amount": 1}, who="anna"),
             403, what="a rep sets spend")
    for body, what in (({"month": "2026-13", "amount": 1}, "month 2026-13"),
                       ({"month": "ноябрь", "amount": 1}, "month ноябрь"),
                       ({"month": month, "amount": -1}, "negative spend"),
                       ({"amount": 1}, "no month")):
        t.expect(t.post(f"/api/v1/sources/{sid}/spend", body, who="elena"), 400, what=what)
    t.expect(t.post("/api/v1/sources/987654321/spend", {"month": month, "amount": 1},
                    who="elena"), 404, what="spend of no such source")
    r = t.get("/api/v1/sources?limit=500", who="anna")
    if t.expect(r, 200):
        mine = [s for s in r.get("items", default=[]) if s.get("id") == sid]
        t.check(mine and mine[0].get("spend") == [{"month": month, "amount": 47000.5}],
                f"listed source {mine}")


@case
def t_users(t):
    r = t.get("/api/v1/users", who="admin")
    t.need(r, 200)
    logins = [u.get("login") for u in r.get("items", default=[])]
    t.check({"admin", "elena", "anna", "oleg", "mike"} <= set(logins), f"users {logins}")
    t.expect(t.get("/api/v1/users", who="anna"), 403, what="a rep lists users")
    t.expect(t.get("/api/v1/users", who="elena"), 403, what="the head lists users")
    login = f"vera{t.seq()}".replace("x", "v")
    pw = "Vera-pass-" + t.seq()
    t.secrets.add(pw)
    body = {"login": login, "name": "Вера Новикова", "role": "rep", "timezone": "Europe/Moscow",
            "locale": "ru", "extension": "299", "password": pw}
    t.expect(t.post("/api/v1/users", body, who="elena"), 403, what="the head adds a user")
    r = t.post("/api/v1/users", body, who="admin")
    t.need(r, 201, "admin adds a user")
    t.check(r.get("login") == login and r.get("role") == "rep" and r.get("active") is True,
            f"user {r.short()}")
    t.check(pw not in r.body.decode("utf-8", "replace") and "password" not in (r.json or {}),
            "the answer shows the password")
    t.expect(t.post("/api/v1/users", body, who="admin"), 409, what="the same login twice")
    for bad, what in (({"login": "Bad Login", "name": "x", "role": "rep"}, "login with a space"),
                      ({"login": login + "r", "name": "x", "role": "boss"}, "role boss"),
                      ({"login": login + "t", "name": "x", "role": "rep",
                        "timezone": "Mars/Olympus"}, "timezone Mars/Olympus")):
        t.expect(t.post("/api/v1/users", bad, who="admin"), 400, what=what)
    s = t.api.request("POST", "/api/v1/session", {"login": login, "password": pw},
                      source=t.addr())
    t.expect(s, 200, what="the new user signs in")
    r = t.post("/api/v1/tokens", {"login": login}, who="admin")
    t.need(r, 201, "a token for the new user")
    vt = r.get("token")
    t.secrets.add(vt)
    r = t.patch(f"/api/v1/users/{login}", {"name": "Вера Н."}, who=vt)
    if t.expect(r, 200, what="a user changes his own name"):
        t.check(r.get("name") == "Вера Н.", f"name {r.get('name')!r}")
    t.expect(t.patch(f"/api/v1/users/{login}", {"role": "admin"}, who=vt), 403,
             what="a user makes himself admin")
    t.expect(t.patch("/api/v1/users/oleg", {"name": "Олег?"}, who=vt), 403,
             what="a user renames another")
    t.expect(t.patch(f"/api/v1/users/{login}", {}, who="admin"), 400, what="PATCH nothing")
    t.expect(t.patch("/api/v1/users/no-such-user", {"name": "x"}, who="admin"), 404,
             what="PATCH no such user")
    r = t.patch(f"/api/v1/users/{login}", {"active": False}, who="admin")
    if t.expect(r, 200, what="admin deactivates"):
        t.check(r.get("active") is False, f"active {r.get('active')}")
        t.expect(t.get("/api/v1/session", who=vt), 401, what="a deactivated user's token")


@case
def t_settings(t):
    r = t.get("/api/v1/settings", who="anna")
    t.need(r, 200, "a rep reads the settings")
    before = {i.get("key"): i.get("value") for i in r.get("items", default=[])}
    for k in ("callback.delay_min", "rules.decision_hours", "team.timezone",
              "rules.courtesy_phrases"):
        t.check(k in before, f"setting {k} missing")
    t.expect(t.patch("/api/v1/settings", {"callback.delay_min": 20}, who="anna"), 403,
             what="a rep changes a setting")
    t.expect(t.patch("/api/v1/settings", {"callback.delay_min": 20}, who="admin"), 200,
             what="admin changes a setting")
    r = t.patch("/api/v1/settings", {"callback.delay_min": 20, "team.name": "Потолки Люкс+"},
                who="elena")
    if t.expect(r, 200, what="the head changes two settings"):
        got = {i.get("key"): i.get("value") for i in r.get("items", default=[])}
        t.check(got.get("callback.delay_min") == 20 and got.get("team.name") == "Потолки Люкс+",
                f"after PATCH: {got.get('callback.delay_min')} {got.get('team.name')}")
    mid = {i.get("key"): i.get("value")
           for i in t.get("/api/v1/settings", who="anna").get("items", default=[])}
    for body, what in (({"callback.delay_min": 30, "no.such.key": 1}, "one unknown key"),
                       ({"callback.delay_min": 30, "rules.decision_hours": "abc"},
                        "one bad value"),
                       ({"callback.delay_min": 30, "team.timezone": "Mars/Olympus"},
                        "a bad zone"),
                       ({"callback.delay_min": 30, "rules.decision_hours": True}, "a bool"),
                       ({"callback.delay_min": 30, "rules.courtesy_phrases": "not a list"},
                        "a list as text"),
                       ({}, "nothing")):
        r = t.patch("/api/v1/settings", body, who="elena")
        t.expect(r, 400, what=what)
        now = {i.get("key"): i.get("value")
               for i in t.get("/api/v1/settings", who="anna").get("items", default=[])}
        t.check(now == mid, f"a refused PATCH ({what}) changed settings: "
                f"{ {k: now.get(k) for k in now if now.get(k) != mid.get(k)} }")
    r = t.patch("/api/v1/settings", {"rules.courtesy_phrases": ["просто напомнить о себе",
                                                                  "звонок вежливости"]},
                who="elena")
    if t.expect(r, 200, what="set a list"):
        got = {i.get("key"): i.get("value") for i in r.get("items", default=[])}
        t.check(got.get("rules.courtesy_phrases") == ["просто напомнить о себе",
                                                       "звонок вежливости"],
                f"list {got.get('rules.courtesy_phrases')}")
    # put everything back for the other cases
    restore = {k: before[k] for k in ("callback.delay_min", "team.name",
                                      "rules.courtesy_phrases") if k in before}
    r = t.patch("/api/v1/settings", restore, who="elena")
    t.expect(r, 200, what="restore the settings")


@case
def t_settings_changed_by_another_process(t):
    """The server keeps the team's settings between requests while the database does not
    change; a change made by another process (the CLI) is seen by the next request of every
    worker thread."""
    c = t.new_client("anna")
    phrase = f"memo check {t.seq()}"
    body = {"client_id": c["id"], "direction": "out", "purpose": phrase,
            "goal_max": "a meeting on Friday at 10:00", "goal_min": "a call agreed"}

    def codes(n=6):
        """The refusal codes of n attempts (the two worker threads each answer some)."""
        return {t.post("/api/v1/calls", body, who="anna").error.get("code") for _ in range(n)}

    got = codes()
    t.check("courtesy_call" not in got, f"an unknown phrase refused as a courtesy call: {got}")
    # a change refused as a whole leaves nothing behind, in the database or in a worker's memo
    r = t.patch("/api/v1/settings", {"rules.courtesy_phrases": [phrase],
                                      "rules.decision_hours": "abc"}, who="elena")
    t.expect(r, 400, what="a list with a bad value beside it")
    got = codes()
    t.check("courtesy_call" not in got, f"a phrase of a refused change is refused: {got}")
    t.server.cli("settings", "add", "rules.courtesy_phrases", phrase)
    try:
        got = codes()
        t.check(got == {"courtesy_call"},
                f"a phrase added by the CLI is not refused by every worker: {got}")
    finally:
        t.server.cli("settings", "remove", "rules.courtesy_phrases", phrase)
    got = codes()
    t.check("courtesy_call" not in got, f"a phrase removed by the CLI is still refused: {got}")
