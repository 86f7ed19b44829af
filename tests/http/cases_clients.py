"""cases_clients.py - /api/v1/clients: creating with phones in any format, duplicates, the card,
caller ID look-up, case-insensitive search in Russian and Turkish, filters, cursor pages,
changes, and the owner rule (403 for another rep's client, 404 for none; lists hide them)."""

import os
import sqlite3
from contextlib import closing
from urllib.parse import quote

from lib import case, fmt8, fmt_spaced

CARD_KEYS = ("next_step", "deals", "history")


@case
def t_client_create_formats(t):
    e = [t.phones.new() for _ in range(5)]
    variants = [fmt8(e[0]), fmt_spaced(e[1]), "8" + e[2][2:], "+7(" + e[3][2:5] + ")" +
                e[3][5:8] + "-" + e[3][8:], "7 " + e[4][2:]]
    name = f"Форматы {t.seq()}"
    r = t.post("/api/v1/clients", {"name": name, "company": "ООО «Тест»", "phones": variants},
               who="anna")
    t.need(r, 201, "create with five phone formats")
    c = r.json
    t.check(c.get("phones") == e, f"phones {c.get('phones')}, want E.164 {e}")
    t.check(c.get("name") == name and c.get("company") == "ООО «Тест»", f"name/company {c}")
    t.check(c.get("owner") == "anna", f"owner {c.get('owner')!r}, want the creator anna")
    t.check(c.get("category") in ("now", "future", "never"), f"category {c.get('category')}")
    for k in CARD_KEYS:
        t.check(k in c, f"the created client lacks the card member {k!r}")
    t.check(c.get("next_step") is None, f"a new client has next_step {c.get('next_step')}")
    t.check(c.get("deals") == [] and c.get("history") == [], "a new client has deals or history")
    r = t.post("/api/v1/clients", {"name": "Плохой номер", "phones": ["12"]}, who="anna")
    t.expect(r, 400, what="phone \"12\"")
    t.check(str(r.error.get("field", "")).startswith("phones"), f"field {r.error.get('field')}")
    r = t.post("/api/v1/clients", {"name": "Без телефонов", "phones": []}, who="anna")
    t.expect(r, 400, what="no phones")
    r = t.post("/api/v1/clients", {"phones": [fmt8(t.phones.new())]}, who="anna")
    t.expect(r, 400, field="name", what="no name")
    r = t.post("/api/v1/clients", {"name": "   ", "phones": [fmt8(t.phones.new())]}, who="anna")
    t.expect(r, 400, what="blank name")
    r = t.post("/api/v1/clients", {"name": "Чужой", "phones": [fmt8(t.phones.new())],
                                   "owner": "no-such-user"}, who="admin")
    t.expect(r, 400, what="owner who does not exist")


@case
def t_client_duplicate_phone(t):
    p = t.phones.new()
    first = t.new_client("anna", phones=[fmt8(p)])
    for who, phone in (("anna", fmt_spaced(p)), ("oleg", "8" + p[2:]), ("admin", p)):
        r = t.post("/api/v1/clients", {"name": f"Дубль {t.seq()}", "phones": [phone]}, who=who)
        if t.expect(r, 409, what=f"the same phone as {phone!r} by {who}"):
            t.check(r.error.get("existing_id") == first["id"],
                    f"existing_id {r.error.get('existing_id')}, want {first['id']}")
    # one phone twice in one request
    q = t.phones.new()
    r = t.post("/api/v1/clients", {"name": "Двойной", "phones": [fmt8(q), q]}, who="anna")
    t.check(r.status in (201, 400, 409), f"the same phone twice in one client: {r.short()}")
    if r.status == 201:
        t.check(r.get("phones") == [q], f"the phone is stored twice: {r.get('phones')}")


@case
def t_client_get(t):
    c = t.new_client("anna", company="ИП Тест")
    r = t.get(f"/api/v1/clients/{c['id']}", who="anna")
    t.need(r, 200, "GET the new client")
    for k in ("id", "name", "company", "phones", "owner", "category"):
        t.check(r.get(k) == c.get(k), f"{k}: GET gives {r.get(k)!r}, POST gave {c.get(k)!r}")
    for k in CARD_KEYS:
        t.check(k in r.json, f"the card lacks {k!r}")
    r = t.get(f"/api/v1/clients/{c['id']}", who="admin")
    t.expect(r, 200, what="admin sees any client")
    r = t.get(f"/api/v1/clients/{c['id']}", who="elena")
    t.expect(r, 200, what="the head sees any client")
    t.expect(t.get("/api/v1/clients/987654321", who="anna"), 404, what="no such client")


@case
def t_client_caller_id(t):
    p = t.phones.new()
    c = t.new_client("anna", phones=[fmt_spaced(p)])
    for form in (fmt8(p), p, "8" + p[2:], fmt_spaced(p)):
        r = t.get(f"/api/v1/clients?phone={quote(form)}", who="anna")
        if t.expect(r, 200, what=f"look-up {form!r}"):
            ids = [x.get("id") for x in r.get("items", default=[])]
            t.check(ids == [c["id"]], f"look-up {form!r} gives {ids}, want [{c['id']}]")
            t.check(r.get("next_after") is None, "look-up has a next page")
    r = t.get(f"/api/v1/clients?phone={quote(fmt8(t.phones.new()))}", who="anna")
    if t.expect(r, 200, what="look-up of an unknown number"):
        t.check(r.get("items") == [], f"unknown number gives {r.get('items')}")


def search_ids(t, who, text):
    r = t.get(f"/api/v1/clients?q={quote(text)}&limit=500", who=who)
    if not t.expect(r, 200, what=f"search {text!r}"):
        return set()
    return {x.get("id") for x in r.get("items", default=[])}


@case
def t_client_search_i18n(t):
    tag = t.seq()
    tr = t.new_client("anna", name=f"ŞEKER İnşaat {tag}")
    ru = t.new_client("anna", name=f"ПЁТР Иванов {tag}", company="ООО «Ёлка»")
    for text in ("şeker", "ŞEKER", "Şeker", "inşaat", "İNŞAAT", f"şeker inşaat {tag}"):
        t.check(tr["id"] in search_ids(t, "anna", text), f"search {text!r} misses {tr['name']}")
    for text in ("пётр", "ПЁТР", "Пётр", "ёлка", "ЁЛКА"):
        t.check(ru["id"] in search_ids(t, "anna", text), f"search {text!r} misses {ru['name']}")
    ids = search_ids(t, "anna", f"нет-такого-{tag}")
    t.check(not ids, f"search for nothing finds {ids}")
    for text in ("%", "_", "%' OR 1=1 --", "\\"):
        r = t.get(f"/api/v1/clients?q={quote(text)}&limit=5", who="anna")
        t.expect(r, 200, what=f"search {text!r}")


@case
def t_client_search_phone_runs(t):
    """Any run of a phone's digits finds the client, in any spacing, whole or in part, with or
    without the trunk 8: in Russia a run that begins with 8 is read both as the start of a number
    (8 -> 7) and as a run from its middle, and both are looked up."""
    p = t.phones.new()
    p = p[:5] + "8" + p[6:]  # +7 999 8xx xx xx: a subscriber part that begins with 8
    c = t.new_client("anna", phones=[fmt_spaced(p)])
    d = p[2:]
    runs = (p[5:], f"{p[5:8]} {p[8:10]}-{p[10:]}", "8 " + d[:6], "8" + d, d[1:], p[1:], p)
    for text in runs:
        t.check(c["id"] in search_ids(t, "anna", text), f"search {text!r} misses {p}")
    other = p[5:11] + str((int(p[11]) + 1) % 10)
    t.check(c["id"] not in search_ids(t, "anna", other), f"search {other!r} finds {p}")


@case
def t_client_filters(t):
    checks = [("owner=oleg", lambda c: c.get("owner") == "oleg"),
              ("category=future", lambda c: c.get("category") == "future"),
              ("category=now", lambda c: c.get("category") == "now"),
              (f"segment={quote('Частные клиенты')}", lambda c: c.get("segment") == "Частные клиенты"),
              (f"source={quote('Авито')}", lambda c: c.get("source") == "Авито"),
              ("owner=anna&category=future",
               lambda c: c.get("owner") == "anna" and c.get("category") == "future")]
    for qs, ok in checks:
        r = t.get(f"/api/v1/clients?{qs}&limit=500", who="admin")
        if not t.expect(r, 200, what=qs):
            continue
        items = r.get("items", default=[])
        t.check(items, f"{qs}: no demo client matches")
        bad = [c.get("id") for c in items if not ok(c)]
        t.check(not bad, f"{qs}: clients {bad[:5]} do not match")
    for qs, field in (("limit=0", "limit"), ("limit=501", "limit"), ("limit=x", "limit"),
                      ("after=-1", "after"), ("after=1x", "after")):
        r = t.get(f"/api/v1/clients?{qs}", who="admin")
        t.expect(r, 400, field=field, what=qs)
    for qs in ("owner=no-such-user", "category=sometimes"):
        r = t.get(f"/api/v1/clients?{qs}", who="admin")
        t.expect(r, 400, what=qs)


@case
def t_client_pagination(t):
    tag = f"Страницы{t.seq()}"
    made = [t.new_client("anna", name=f"{tag} {i}")["id"] for i in range(5)]
    seen, after, pages = [], None, 0
    while pages < 10:
        p = f"/api/v1/clients?q={quote(tag)}&limit=2" + (f"&after={after}" if after else "")
        r = t.get(p, who="anna")
        t.need(r, 200, p)
        items = [c.get("id") for c in r.get("items", default=[])]
        pages += 1
        t.check(len(items) <= 2, f"{p}: {len(items)} items with limit=2")
        seen += items
        after = r.get("next_after")
        if after is None:
            break
        t.check(after == items[-1] if items else False,
                f"{p}: next_after {after}, last item {items[-1] if items else None}")
    t.check(pages == 3, f"5 clients in pages of 2 took {pages} pages, want 3")
    t.check(seen == sorted(made), f"pages give {seen}, want {sorted(made)}")
    # the whole list: small pages and big pages agree, ascending, no duplicates
    small = [c.get("id") for c in t.list_all("/api/v1/clients", "admin", limit=37)]
    big = [c.get("id") for c in t.list_all("/api/v1/clients", "admin", limit=500)]
    t.check(len(set(small)) == len(small), "duplicates across pages of 37")
    t.check(small == sorted(small), "pages are not in id order")
    t.check(small == big, f"pages of 37 give {len(small)} clients, pages of 500 {len(big)}")
    t.check(len(big) >= 320, f"admin sees {len(big)} clients, the demo has 320")


@case
def t_client_patch(t):
    c = t.new_client("anna", company="Старое имя")
    p2 = t.phones.new()
    r = t.patch(f"/api/v1/clients/{c['id']}",
                {"name": "Новое имя", "company": "ООО Новое", "phones": [fmt8(p2)],
                 "segment": "Частные клиенты", "source": "Авито"}, who="anna")
    if t.expect(r, 200, what="PATCH"):
        t.check(r.get("name") == "Новое имя" and r.get("company") == "ООО Новое",
                f"after PATCH {r.short()}")
        t.check(r.get("phones") == [p2], f"phones {r.get('phones')}, want [{p2}]")
        t.check(r.get("segment") == "Частные клиенты" and r.get("source") == "Авито",
                f"segment/source {r.get('segment')}/{r.get('source')}")
    g = t.get(f"/api/v1/clients/{c['id']}", who="anna")
    if t.expect(g, 200):
        t.check(g.get("name") == "Новое имя" and g.get("phones") == [p2], "GET after PATCH")
    r = t.patch(f"/api/v1/clients/{c['id']}", {"company": None}, who="anna")
    if t.expect(r, 200, what="PATCH company null"):
        t.check(r.get("company") is None, f"company {r.get('company')!r} after null")
        t.check(r.get("name") == "Новое имя", "PATCH of one field changed the name")
    other = t.new_client("anna")
    r = t.patch(f"/api/v1/clients/{c['id']}", {"phones": other["phones"]}, who="anna")
    if t.expect(r, 409, what="PATCH to another client's phone"):
        t.check(r.error.get("existing_id") == other["id"],
                f"existing_id {r.error.get('existing_id')}, want {other['id']}")
    r = t.patch(f"/api/v1/clients/{c['id']}", {"segment": "Нет такого сегмента"}, who="anna")
    t.expect(r, 400, what="PATCH unknown segment")
    r = t.patch("/api/v1/clients/987654321", {"name": "x"}, who="anna")
    t.expect(r, 404, what="PATCH no such client")


def expected_terms(search):
    """The search index's terms of a search text, as store/q_terms.c makes them: each word (cut
    to 64 bytes on a character), and every suffix of at least 3 digits of a number."""
    out = set()
    for w in (search or "").split(" "):
        if not w:
            continue
        words = [w[k:] for k in range(len(w) - 2)] if w.isascii() and w.isdigit() else [w]
        out.update(x.encode()[:64].decode("utf-8", "ignore") for x in words)
    return out


def terms_match(t, cid, what):
    """On SQLite, checks that client cid's rows of client_terms are the terms of his text."""
    if not os.path.isfile(t.server.db):
        return
    with closing(sqlite3.connect(f"file:{t.server.db}?mode=ro", uri=True)) as db:
        search = db.execute("SELECT search FROM clients WHERE id = ?", (cid,)).fetchone()[0]
        rows = {r[0] for r in db.execute("SELECT term FROM client_terms WHERE client_id = ?",
                                         (cid,))}
    want = expected_terms(search)
    t.check(rows == want, f"{what}: terms {sorted(rows - want)} too many, "
                          f"{sorted(want - rows)} missing")


@case
def t_client_patch_search(t):
    """A change of name, company or phones moves the client in the search: the words and digits
    he lost find him no more, the new ones and those he kept do, and his rows of the index are
    exactly the terms of his new text (they are changed by difference, not rewritten)."""
    tag = t.seq()
    p1, p2 = t.phones.new(), t.phones.new()
    c = t.new_client("anna", name=f"Старинный{tag} Общий{tag}", company=f"Прежняя{tag}",
                     phones=[fmt8(p1)])
    # a phone by its national digits: a run typed with a leading 8 or 0 reads as a trunk prefix
    old = (f"Старинный{tag}", f"Прежняя{tag}", p1[2:])
    for text in old + (f"Общий{tag}",):
        t.check(c["id"] in search_ids(t, "anna", text), f"before: {text!r} misses him")
    terms_match(t, c["id"], "a new client")
    r = t.patch(f"/api/v1/clients/{c['id']}",
                {"name": f"Новейший{tag} Общий{tag}", "company": f"Нынешняя{tag}",
                 "phones": [fmt8(p2)]}, who="anna")
    t.need(r, 200, "PATCH name, company and phones")
    for text in old:
        t.check(c["id"] not in search_ids(t, "anna", text), f"after: {text!r} still finds him")
    for text in (f"Новейший{tag}", f"Общий{tag}", f"Нынешняя{tag}", p2[2:]):
        t.check(c["id"] in search_ids(t, "anna", text), f"after: {text!r} misses him")
    terms_match(t, c["id"], "after a new name, company and phone")
    r = t.patch(f"/api/v1/clients/{c['id']}", {"segment": "Частные клиенты"}, who="anna")
    t.need(r, 200, "PATCH of the segment alone")
    t.check(c["id"] in search_ids(t, "anna", f"Новейший{tag}"), "a new segment lost his name")
    r = t.patch(f"/api/v1/clients/{c['id']}", {"company": None, "phones": [fmt8(p2), p1]},
                who="anna")
    t.need(r, 200, "PATCH: no company, the old phone back beside the new")
    t.check(c["id"] not in search_ids(t, "anna", f"Нынешняя{tag}"), "the dropped company finds")
    for text in (p1[2:], p2[2:]):
        t.check(c["id"] in search_ids(t, "anna", text), f"both phones: {text!r} misses him")
    terms_match(t, c["id"], "after the company dropped and a phone added")


@case
def t_client_other_rep(t):
    theirs = t.demo_client("oleg")
    cid = theirs["id"]
    t.expect(t.get(f"/api/v1/clients/{cid}", who="anna"), 403, what="anna GETs oleg's client")
    before = t.get(f"/api/v1/clients/{cid}", who="admin")
    t.need(before, 200)
    r = t.patch(f"/api/v1/clients/{cid}", {"name": "Захвачен"}, who="anna")
    t.expect(r, 403, what="anna PATCHes oleg's client")
    r = t.post("/api/v1/calls", t.good_call(cid), who="anna")
    t.expect(r, 403, what="anna logs a call on oleg's client")
    r = t.post("/api/v1/meetings", {k: v for k, v in t.good_call(cid).items()
                                    if k != "direction"}, who="anna")
    t.expect(r, 403, what="anna logs a meeting on oleg's client")
    r = t.post("/api/v1/next-steps", {"client_id": cid, "kind": "call",
                                      "due_at": "2099-01-01T10:00:00+03:00"}, who="anna")
    t.expect(r, 403, what="anna plans a step for oleg's client")
    r = t.post("/api/v1/deals", {"client_id": cid, "amount": 1000}, who="anna")
    t.expect(r, 403, what="anna opens a deal for oleg's client")
    t.expect(t.get(f"/api/v1/calls?client_id={cid}", who="anna"), 403,
             what="anna lists the calls of oleg's client")
    after = t.get(f"/api/v1/clients/{cid}", who="admin")
    t.check(after.json == before.json, "refused writes changed oleg's client")
    # 404 for a client that does not exist
    t.expect(t.get("/api/v1/clients/987654321", who="anna"), 404, what="GET no such client")
    r = t.post("/api/v1/calls", t.good_call(987654321), who="anna")
    t.expect(r, 404, what="a call on no such client")
    # the owner and the managers may
    t.expect(t.get(f"/api/v1/clients/{cid}", who="oleg"), 200, what="oleg GETs his client")
    t.expect(t.get(f"/api/v1/clients/{cid}", who="elena"), 200, what="the head GETs it")


@case
def t_client_lists_hide_other_rep(t):
    theirs = t.demo_client("oleg")
    items = t.list_all("/api/v1/clients", "anna")
    t.check(items, "anna sees no clients at all")
    bad = [c.get("id") for c in items if c.get("owner") not in ("anna", None)]
    t.check(not bad, f"anna's list shows clients of others: {bad[:10]}")
    for qs in ("owner=oleg", f"q={quote(theirs['name'])}", f"phone={quote(theirs['phones'][0])}"):
        r = t.get(f"/api/v1/clients?{qs}", who="anna")
        if r.status in (403, 404):
            continue
        if t.expect(r, 200, what=f"anna lists {qs}"):
            bad = [c.get("id") for c in r.get("items", default=[])
                   if c.get("owner") not in ("anna", None)]
            t.check(not bad, f"anna's list {qs} shows clients of others: {bad[:10]}")
