"""cases_calls.py - /api/v1/calls and /api/v1/meetings: a call accepted through the sales rules,
every refusal (422, error.code = the rule id) leaving the data as it was, the cadence warning,
the callback planned after a missed inbound call, meetings, lists and one contact."""

from datetime import timedelta

from lib import at_msk, case, date_msk, parse_time, same_instant


def calls_of(t, cid, kind="calls"):
    r = t.get(f"/api/v1/{kind}?client_id={cid}&limit=500", who="admin")
    t.need(r, 200, f"list {kind} of client {cid}")
    return r.get("items", default=[])


def snapshot(t, cid):
    card = t.get(f"/api/v1/clients/{cid}", who="admin")
    t.need(card, 200, "the card")
    steps = t.get(f"/api/v1/next-steps?client_id={cid}&limit=500", who="admin")
    deals = t.get(f"/api/v1/deals?client_id={cid}&limit=500", who="admin")
    return {"calls": calls_of(t, cid), "meetings": calls_of(t, cid, "meetings"),
            "card": card.json, "steps": steps.json if steps.status == 200 else steps.status,
            "deals": deals.json if deals.status == 200 else deals.status}


@case
def t_call_accepted(t):
    c = t.new_client("anna", segment="Частные клиенты")
    body = t.good_call(c["id"])
    r = t.post("/api/v1/calls", body, who="anna")
    t.need(r, 201, "a good call")
    call = r.get("call", default={})
    t.check(isinstance(r.get("warnings"), list), f"no warnings list: {r.short()}")
    t.check(call.get("client_id") == c["id"], f"call.client_id {call.get('client_id')}")
    t.check(call.get("kind") == "call" and call.get("direction") == "out", f"call {call}")
    t.check(call.get("purpose") == body["purpose"], "purpose not stored verbatim")
    t.check(call.get("rep") == "anna", f"rep {call.get('rep')!r}")
    t.check(call.get("talk_s") == 120 and call.get("result") == "max", f"call {call}")
    t.check(call.get("outcome") == "next_step", f"outcome {call.get('outcome')!r}")
    g = t.get(f"/api/v1/calls/{call.get('id')}", who="anna")
    if t.expect(g, 200, what="GET the call"):
        t.check(g.json == call, f"GET gives {g.json}, POST gave {call}")
    card = t.get(f"/api/v1/clients/{c['id']}", who="anna")
    if t.expect(card, 200, what="the card"):
        ns = card.get("next_step") or {}
        t.check(ns.get("kind") == "visit" and same_instant(ns.get("due_at"), body["next"]["due_at"]),
                f"next_step {ns}, want visit at {body['next']['due_at']}")
        hist = [h.get("id") for h in card.get("history", default=[])]
        t.check(call.get("id") in hist, f"history {hist} lacks the call")
        t.check(card.get("last_contact_at") is not None, "last_contact_at not set")
    ids = [x.get("id") for x in calls_of(t, c["id"])]
    t.check(ids == [call.get("id")], f"calls of the client {ids}")
    r = t.get(f"/api/v1/calls?rep=anna&limit=1", who="anna")
    t.expect(r, 200, what="calls?rep=anna")
    # a second call: the first step is done, the new one planned
    r = t.post("/api/v1/calls", t.good_call(c["id"], next={"kind": "call",
                                                           "due_at": at_msk(2, 11)}), who="anna")
    if t.expect(r, 201, what="a second call"):
        steps = t.get(f"/api/v1/next-steps?client_id={c['id']}", who="anna")
        if t.expect(steps, 200):
            planned = [s for s in steps.get("items", default=[]) if s.get("status") == "planned"]
            t.check(len(planned) == 1 and planned[0].get("kind") == "call",
                    f"planned steps after the second call: {planned}")


def refusal_case(rule, change, field=None):
    def run(t):
        c = t.new_client("anna", segment="Частные клиенты")
        # a first accepted call gives the client a history and a plan to keep
        t.need(t.post("/api/v1/calls", t.good_call(c["id"]), who="anna"), 201, "first call")
        before = snapshot(t, c["id"])
        body = t.good_call(c["id"])
        change(body)
        r = t.post("/api/v1/calls", body, who="anna")
        if t.expect(r, 422, code=rule, what=f"refusal {rule}"):
            v = r.error.get("violations")
            t.check(isinstance(v, list) and any(x.get("rule") == rule for x in v),
                    f"violations {v} lack {rule}")
            if field:
                t.check(r.error.get("field") == field,
                        f"error.field {r.error.get('field')!r}, want {field!r}")
        after = snapshot(t, c["id"])
        for k in before:
            t.check(before[k] == after[k], f"the refused call changed {k}: "
                    f"{str(before[k])[:200]} -> {str(after[k])[:200]}")
    run.__name__ = f"t_call_refused_{rule}"
    return case(run)


def _del(*keys):
    def f(b):
        for k in keys:
            b.pop(k, None)
    return f


def _set(**kv):
    def f(b):
        b.update(kv)
    return f


refusal_case("purpose_missing", _del("purpose"), "purpose")
refusal_case("courtesy_call", _set(purpose="Просто напомнить о себе"), "purpose")
refusal_case("goal_missing", _set(goal_max=""), "goal_max")
refusal_case("next_step_missing", _del("next"), "next")
refusal_case("next_step_vague", _set(next={"kind": "call", "due_at": date_msk(2)}), "next.due_at")
refusal_case("next_step_past", _set(next={"kind": "call", "due_at": at_msk(-1, 10)}),
             "next.due_at")
refusal_case("decision_window_exceeded",
             _set(next={"kind": "decision", "due_at": at_msk(5, 12)}), "next.due_at")
refusal_case("refusal_reason_missing", _set(refused="   "), "refused")
refusal_case("never_reason_invalid",
             lambda b: (b.pop("next"), b.update(never={"reason": "expensive", "note": "дорого"})),
             "never.reason")


@case
def t_call_courtesy_variants(t):
    c = t.new_client("anna")
    for purpose in ("ПРОСТО НАПОМНИТЬ О СЕБЕ!", "просто  напомнить о себе", "Just checking in",
                    "hatır sorma"):
        r = t.post("/api/v1/calls", t.good_call(c["id"], purpose=purpose), who="anna")
        t.expect(r, 422, code="courtesy_call", what=f"purpose {purpose!r}")
    r = t.post("/api/v1/calls", t.good_call(c["id"], purpose="Напомнить о себе и записать на замер"
                                            " в среду"), who="anna")
    t.check(r.status in (201, 422), f"mixed purpose: {r.short()}")


@case
def t_call_cadence_warning(t):
    c = t.new_client("anna", segment="Частные клиенты")  # contact every 3-7 days
    r = t.post("/api/v1/calls", t.good_call(c["id"], next={"kind": "call", "due_at": at_msk(12, 10)}),
               who="anna")
    if t.expect(r, 201, what="a next step beyond the segment's cadence is accepted"):
        w = r.get("warnings", default=[])
        t.check(any(x.get("rule") == "cadence_exceeded" for x in w),
                f"warnings {w} lack cadence_exceeded")
    r = t.post("/api/v1/calls", t.good_call(c["id"], next={"kind": "call", "due_at": at_msk(2, 10)}),
               who="anna")
    if t.expect(r, 201, what="within the cadence"):
        t.check(r.get("warnings") == [], f"warnings {r.get('warnings')} within the cadence")


@case
def t_call_missed_inbound(t):
    c = t.new_client("anna")
    s = t.get("/api/v1/settings", who="anna")
    delay = 15
    if t.expect(s, 200):
        delay = next((i.get("value") for i in s.get("items", default=[])
                      if i.get("key") == "callback.delay_min"), 15)
    r = t.post("/api/v1/calls", {"client_id": c["id"], "direction": "in", "missed": True},
               who="anna")
    t.need(r, 201, "a missed inbound call")
    call = r.get("call", default={})
    t.check(call.get("missed") is True and call.get("outcome") == "missed", f"call {call}")
    steps = t.get(f"/api/v1/next-steps?client_id={c['id']}", who="anna")
    t.need(steps, 200)
    cb = [x for x in steps.get("items", default=[]) if x.get("kind") == "callback"
          and x.get("status") == "planned"]
    if t.check(len(cb) == 1, f"planned callbacks {cb}, want one"):
        t.check(cb[0].get("auto") is True, f"the callback is not auto: {cb[0]}")
        due, at = parse_time(cb[0].get("due_at")), parse_time(call.get("at"))
        t.check(due is not None and at is not None and
                abs((due - at) - timedelta(minutes=delay)) <= timedelta(seconds=60),
                f"callback due {cb[0].get('due_at')}, call at {call.get('at')}, delay {delay} min")
    card = t.get(f"/api/v1/clients/{c['id']}", who="anna")
    if t.expect(card, 200):
        t.check((card.get("next_step") or {}).get("kind") == "callback",
                f"card next_step {card.get('next_step')}")
    # a missed call reached nobody: it cannot carry an outcome
    r = t.post("/api/v1/calls", {"client_id": c["id"], "direction": "in", "missed": True,
                                 "next": {"kind": "call", "due_at": at_msk(1, 10)}}, who="anna")
    t.expect(r, 400, what="a missed call with a next step")
    # an inbound call that was answered needs no purpose, but a next step
    r = t.post("/api/v1/calls", {"client_id": c["id"], "direction": "in", "talk_s": 60,
                                 "next": {"kind": "call", "due_at": at_msk(1, 12)}}, who="anna")
    t.expect(r, 201, what="an answered inbound call with a next step")
    r = t.post("/api/v1/calls", {"client_id": c["id"], "direction": "sideways"}, who="anna")
    t.expect(r, 400, what="direction sideways")


@case
def t_meetings(t):
    c = t.new_client("anna")
    body = {"client_id": c["id"], "purpose": "Показать образцы полотен и подобрать фактуру",
            "goal_max": "договор подписан", "goal_min": "смета согласована", "result": "min",
            "next": {"kind": "offer", "due_at": at_msk(1, 15)}}
    r = t.post("/api/v1/meetings", body, who="anna")
    t.need(r, 201, "a meeting")
    m = r.get("call", default={})
    t.check(m.get("kind") == "meeting" and m.get("direction") is None, f"meeting {m}")
    mid = m.get("id")
    g = t.get(f"/api/v1/meetings/{mid}", who="anna")
    if t.expect(g, 200, what="GET the meeting"):
        t.check(g.json == m, "GET meeting differs from POST")
    t.expect(t.get(f"/api/v1/calls/{mid}", who="anna"), 404, what="a meeting under /calls")
    ids = [x.get("id") for x in calls_of(t, c["id"], "meetings")]
    t.check(ids == [mid], f"meetings of the client {ids}")
    t.check(mid not in [x.get("id") for x in calls_of(t, c["id"])], "the meeting is in /calls")
    r = t.post("/api/v1/meetings", {k: v for k, v in body.items() if k != "purpose"}, who="anna")
    t.expect(r, 422, code="purpose_missing", what="a meeting without purpose")
    r = t.post("/api/v1/meetings", dict(body, purpose="Просто напомнить о себе"), who="anna")
    t.expect(r, 422, code="courtesy_call", what="a courtesy meeting")
    r = t.post("/api/v1/meetings", dict(body, direction="out"), who="anna")
    t.expect(r, 400, field="direction", what="a meeting with a direction")
    # an offer on the meeting opens a deal
    r = t.post("/api/v1/meetings", dict(body, offer="85000.50"), who="anna")
    if t.expect(r, 201, what="a meeting with an offer"):
        d = t.get(f"/api/v1/deals?client_id={c['id']}", who="anna")
        if t.expect(d, 200):
            amounts = [x.get("amount") for x in d.get("items", default=[])]
            t.check(85000.5 in amounts, f"deals {amounts} lack the offer 85000.50")


@case
def t_calls_list_and_get(t):
    c = t.new_client("anna")
    made = []
    for i in range(3):
        r = t.post("/api/v1/calls", t.good_call(c["id"], next={"kind": "call",
                                                                 "due_at": at_msk(1, 10 + i)}),
                   who="anna")
        t.need(r, 201, f"call {i}")
        made.append(r.get("call", "id"))
    seen, after = [], None
    for _ in range(5):
        r = t.get(f"/api/v1/calls?client_id={c['id']}&limit=1" +
                  (f"&after={after}" if after else ""), who="anna")
        t.need(r, 200)
        seen += [x.get("id") for x in r.get("items", default=[])]
        after = r.get("next_after")
        if after is None:
            break
    t.check(sorted(seen) == sorted(made) and len(set(seen)) == len(seen),
            f"paged calls {seen}, made {made}")
    t.expect(t.get("/api/v1/calls/987654321", who="anna"), 404, what="no such call")
    t.expect(t.get("/api/v1/calls?from=yesterday", who="anna"), 400, what="from=yesterday")
    t.expect(t.get("/api/v1/calls?rep=no-such-user", who="admin"), 400, what="rep=nobody")
    # a call of oleg's client is not anna's to see
    r = t.get("/api/v1/calls?rep=oleg&limit=20", who="admin")
    if t.expect(r, 200):
        theirs = [x for x in r.get("items", default=[]) if x.get("client_id")]
        owned = []
        for x in theirs:
            cl = t.get(f"/api/v1/clients/{x['client_id']}", who="admin")
            if cl.status == 200 and cl.get("owner") == "oleg":
                owned.append(x)
                break
        if t.check(owned, "no call of oleg on his own client in the demo"):
            t.expect(t.get(f"/api/v1/calls/{owned[0]['id']}", who="anna"), 403,
                     what="anna GETs a call of oleg's client")
            t.expect(t.get(f"/api/v1/calls/{owned[0]['id']}", who="oleg"), 200,
                     what="oleg GETs his call")
        r = t.get("/api/v1/calls?limit=500", who="anna")
        if t.expect(r, 200):
            bad = [x.get("id") for x in r.get("items", default=[]) if x.get("rep") == "oleg"
                   and x.get("client_id") in {o["client_id"] for o in owned}]
            t.check(not bad, f"anna's call list shows oleg's calls {bad}")


def pages(t, who, query, limit=7):
    """every item of /api/v1/calls?QUERY, page by page of LIMIT, checking that each page's ids
    rise and follow the cursor"""
    out, after = [], None
    for _ in range(1000):
        r = t.get(f"/api/v1/calls?limit={limit}" + (f"&{query}" if query else "") +
                  (f"&after={after}" if after else ""), who=who)
        if not t.expect(r, 200, what=f"calls?{query} as {who}"):
            return out
        ids = [x.get("id") for x in r.get("items", default=[])]
        t.check(ids == sorted(ids) and (after is None or not ids or ids[0] > after),
                f"calls?{query} after {after}: ids {ids} out of order")
        out += r.get("items", default=[])
        after = r.get("next_after")
        if after is None:
            return out
    t.check(False, f"calls?{query}: no end of pages")
    return out


@case
def t_calls_list_each_filter(t):
    """the list answers each filter (store_call_page has one statement per filter: a client's,
    a rep's, a range of a month at most, a wider range, none) with the same rows as the whole
    list filtered here, in id order, as a manager and as a rep"""
    every = pages(t, "admin", "", limit=50)
    t.check(len(every) > 20, f"only {len(every)} calls in the demo")
    ats = sorted(parse_time(x.get("at")) for x in every if parse_time(x.get("at")))
    if not t.check(len(ats) > 20, "calls without times"):
        return
    mid = ats[len(ats) // 2]
    day = (mid - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    day_to = (mid + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    wide = (mid - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    wide_to = (mid + timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    since = mid.strftime("%Y-%m-%dT%H:%M:%SZ")
    client = next(x["client_id"] for x in every if x.get("client_id"))
    # the range of the newest call alone starts at a high id: the walk's first id matters
    newest = parse_time(max(every, key=lambda x: x["id"]).get("at"))
    last = newest.strftime("%Y-%m-%dT%H:%M:%SZ")
    last_to = (newest + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    last_wide = (newest - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def within(x, frm, to):
        at = parse_time(x.get("at"))
        return at is not None and (frm is None or at >= parse_time(frm)) and \
            (to is None or at < parse_time(to))

    cases = [
        (f"client_id={client}", lambda x: x.get("client_id") == client),
        ("rep=anna", lambda x: x.get("rep") == "anna"),
        (f"rep=anna&from={wide}&to={wide_to}",
         lambda x: x.get("rep") == "anna" and within(x, wide, wide_to)),
        (f"from={day}&to={day_to}", lambda x: within(x, day, day_to)),
        (f"from={wide}&to={wide_to}", lambda x: within(x, wide, wide_to)),
        (f"from={since}", lambda x: within(x, since, None)),
        (f"to={since}", lambda x: within(x, None, since)),
        (f"from={last}", lambda x: within(x, last, None)),
        (f"from={last}&to={last_to}", lambda x: within(x, last, last_to)),
        (f"from={last_wide}&to={last_to}", lambda x: within(x, last_wide, last_to)),
    ]
    for query, keep in cases:
        want = [x["id"] for x in every if keep(x)]
        got = [x["id"] for x in pages(t, "admin", query.replace("+", "%2B"))]
        t.check(got == want, f"calls?{query}: {len(got)} ids, want {len(want)} "
                f"(first differences {sorted(set(got) ^ set(want))[:5]})")
    t.check(any(within(x, day, day_to) for x in every), "no call in the short range")
    # a rep sees the same rows of each filter as of the whole list
    anna = pages(t, "anna", "", limit=50)
    for query, keep in cases[1:]:
        want = [x["id"] for x in anna if keep(x)]
        got = [x["id"] for x in pages(t, "anna", query)]
        t.check(got == want, f"anna: calls?{query}: {len(got)} ids, want {len(want)}")
