"""cases_qa.py - quality control over HTTP: QA forms and their versions, reviews of calls with the
items data answers prefilled from the script run (path, needs questions, price asks), the next
step and the contacts, who may read a review, scores by week, and mystery shopper campaigns:
the plan's rules (5 calls, distinct hours, several reps), the shopper's form, the leak rate and
the alarm at 30%."""

import json
import os

from cases_scripts import EXAMPLES, Run, reach_goal, start, upload
from lib import at_msk, case, date_msk

MOVES = ["product", "price", "expensive", "discount", "think", "boss", "next_step", "contacts"]


def default_form(t):
    r = t.get("/api/v1/qa/forms/1", who="elena")
    t.need(r, 200, "the method's form")
    return r.json


@case
def t_qa_forms(t):
    f = default_form(t)
    items = f.get("items") or []
    t.check(f.get("name") == "Method call review" and len(items) == 9,
            f"default form {str(f)[:300]}")
    autos = {i.get("auto") for i in items}
    t.check(autos == {None, "needs_questions", "price_late", "next_step", "contacts"},
            f"auto sources {autos}")
    t.check([i.get("pos") for i in items] == list(range(1, 10)), "positions")
    # examples/qa/method_form.json is the same form, ready to POST to another team
    with open(os.path.join(t.src_root, "examples", "qa", "method_form.json"),
              encoding="utf-8") as fh:
        example = json.load(fh)
    t.check(example["name"] == f.get("name") and example["items"] ==
            [{k: i.get(k) for k in ("text", "weight", "auto")} for i in items],
            "examples/qa/method_form.json differs from the migration's form")
    r = t.get("/api/v1/qa/forms", who="anna")
    if t.expect(r, 200, what="a rep reads the forms"):
        t.check(any(x.get("id") == 1 for x in r.get("items", default=[])), "list lacks form 1")
    name = f"Outbound check {t.seq()}"
    body = {"name": name, "items": [{"text": "Named the purpose", "weight": 3},
                                    {"text": "Next step at a time", "weight": 5,
                                     "auto": "next_step"}]}
    t.expect(t.post("/api/v1/qa/forms", body, who="anna"), 403, what="a rep adds a form")
    for bad, field in (({"name": name, "items": [{"text": "x", "weight": 11}]}, "items[0].weight"),
                       ({"name": name, "items": []}, "items"),
                       ({"name": name, "items": [{"text": "x", "auto": "mood"}]},
                        "items[0].auto"),
                       ({"name": "", "items": [{"text": "x"}]}, "name")):
        t.expect(t.post("/api/v1/qa/forms", bad, who="elena"), 400, field=field,
                 what=f"refused form {bad}")
    r = t.post("/api/v1/qa/forms", body, who="elena")
    t.need(r, 201, "add a form")
    fid, v1 = r.get("id"), r.get("items")
    t.check(r.get("version") == 1 and [i.get("weight") for i in v1] == [3, 5], f"{r.short()}")
    t.expect(t.post("/api/v1/qa/forms", body, who="elena"), 409, field="name",
             what="a second form of the same name")
    # editing stores a new version: reordered, one removed, one added
    r = t.patch(f"/api/v1/qa/forms/{fid}",
                {"items": [{"text": "Next step at a time", "weight": 6, "auto": "next_step"},
                           {"text": "Took the contacts", "weight": 2, "auto": "contacts"}]},
                who="elena")
    if t.expect(r, 200, what="edit the form"):
        t.check(r.get("version") == 2 and r.get("versions") == 2, f"{r.short()}")
        ids2 = {i.get("id") for i in r.get("items", default=[])}
        t.check(not ids2 & {i.get("id") for i in v1}, "the new version reuses item ids")
    old = t.get(f"/api/v1/qa/forms/{fid}?version=1", who="elena")
    if t.expect(old, 200, what="version 1 stays readable"):
        t.check([i.get("text") for i in old.get("items", default=[])] ==
                ["Named the purpose", "Next step at a time"], f"{old.short()}")
    t.expect(t.patch(f"/api/v1/qa/forms/{fid}", {"name": "x"}, who="anna"), 403,
             what="a rep edits a form")
    t.expect(t.get("/api/v1/qa/forms/987654", who="elena"), 404, what="no such form")


def scripted_call(t):
    """A call made with the English inbound example to a booked visit: its id."""
    with open(os.path.join(t.src_root, EXAMPLES, "inbound_ceilings_en.yaml"),
              encoding="utf-8") as fh:
        text = fh.read().replace("name: ", f"name: QA {t.seq()} ", 1)
    s = upload(t, "qa", text)
    c = t.new_client("anna")
    run = Run(t, start(t, s["id"], c["id"]))
    run.step("price")
    reach_goal(t, run, "max")
    kinds = run.node.get("next_kinds") or ["visit"]
    run.step("finish", next_step={"kind": kinds[0], "due_at": at_msk(1, 11)}, talk_s=300)
    call_id = (run.s.get("logged") or {}).get("call_id")
    t.require(isinstance(call_id, int), f"the run logged no call: {str(run.s)[:300]}")
    return call_id


@case
def t_qa_review_from_script(t):
    call_id = scripted_call(t)
    form = default_form(t)
    by_auto = {i.get("auto"): i for i in form["items"]}
    r = t.get(f"/api/v1/qa/calls/{call_id}?form_id=1", who="elena")
    t.need(r, 200, "the call for review")
    run = r.get("run") or {}
    t.check(run.get("path") and run.get("price_asks") == 1 and run.get("needs_questions") >= 1,
            f"run {str(run)[:400]}")
    t.check(run.get("path")[0].get("action") == "start", "the path starts with the start")
    pre = {p.get("item_id"): p.get("answer") for p in r.get("prefill", default=[])}
    for src in ("needs_questions", "price_late", "next_step", "contacts"):
        t.check(pre.get(by_auto[src]["id"]) is True, f"{src} prefilled {pre}")
    t.check(pre.get(form["items"][0]["id"]) is None, "a manual item is prefilled")
    t.expect(t.get(f"/api/v1/qa/calls/{call_id}", who="anna"), 403, what="a rep opens it")
    manual = [i for i in form["items"] if i.get("auto") is None]
    answers = {str(i["id"]): n % 2 == 0 for n, i in enumerate(manual)}
    answers[str(by_auto["contacts"]["id"])] = False  # the head overrides data
    body = {"call_id": call_id, "form_id": 1, "answers": answers, "note": "<b>fine</b>"}
    t.expect(t.post("/api/v1/qa/reviews", body, who="anna"), 403, what="a rep reviews")
    r = t.post("/api/v1/qa/reviews", body, who="elena")
    t.need(r, 201, "save the review")
    rid = r.get("id")
    yes = {a["item_id"]: a for a in r.get("answers", default=[])}
    t.check(len(yes) == 9, f"answers {r.get('answers')}")
    want_yes = sum(i["weight"] for i in form["items"]
                   if (answers.get(str(i["id"])) if str(i["id"]) in answers else True))
    total = sum(i["weight"] for i in form["items"])
    t.check(r.get("yes_weight") == want_yes and r.get("total_weight") == total and
            abs(r.get("score") - want_yes / total) < 1e-9, f"score {r.short()}")
    t.check(yes[by_auto["next_step"]["id"]].get("from_data") is True and
            yes[by_auto["contacts"]["id"]].get("from_data") is False and
            yes[by_auto["contacts"]["id"]].get("yes") is False, "from_data marks")
    t.check(r.get("rep") == "anna" and r.get("note") == "<b>fine</b>", f"{r.short()}")
    r2 = t.post("/api/v1/qa/reviews", body, who="elena")
    if t.expect(r2, 409, field="call_id", what="a second review with the same form"):
        t.check(r2.error.get("existing_id") == rid, f"{r2.short()}")
    t.expect(t.get(f"/api/v1/qa/reviews/{rid}", who="anna"), 200, what="anna reads hers")
    t.expect(t.get(f"/api/v1/qa/reviews/{rid}", who="oleg"), 403, what="oleg reads anna's")
    lst = t.get("/api/v1/qa/reviews", who="oleg")
    if t.expect(lst, 200, what="oleg's reviews"):
        t.check(all(x.get("rep") == "oleg" for x in lst.get("items", default=[])),
                "oleg sees another rep's review")
    t.expect(t.get("/api/v1/qa/reviews?rep=anna", who="oleg"), 403, field="rep",
             what="oleg asks for anna's reviews")
    lst = t.get(f"/api/v1/qa/reviews?rep=anna&from={date_msk(-1)}&to={date_msk(1)}",
                who="elena")
    if t.expect(lst, 200):
        t.check(rid in [x.get("id") for x in lst.get("items", default=[])], "list lacks it")
    s = t.get("/api/v1/qa/scores?rep=anna", who="elena")
    if t.expect(s, 200, what="anna's scores"):
        reps = s.get("reps", default=[])
        t.check(len(reps) == 1 and reps[0].get("rep") == "anna" and reps[0]["reviews"] >= 1 and
                len(reps[0]["weeks"]) == len(s.get("weeks")) and
                any(w is not None for w in reps[0]["weeks"]), f"scores {s.short()}")
    s = t.get("/api/v1/qa/scores", who="oleg")
    if t.expect(s, 200, what="a rep's own scores"):
        t.check(all(x.get("rep") == "oleg" for x in s.get("reps", default=[])), f"{s.short()}")
    t.expect(t.get("/api/v1/qa/scores?from=2026-13-01", who="elena"), 400, field="from",
             what="a bad date")


@case
def t_qa_review_needs_answers(t):
    c = t.new_client("anna")
    r = t.post("/api/v1/calls", t.good_call(c["id"]), who="anna")
    t.need(r, 201, "log a call")
    call_id = r.get("call", "id")
    form = default_form(t)
    first = form["items"][0]["id"]
    r = t.post("/api/v1/qa/reviews", {"call_id": call_id, "form_id": 1, "answers": {}},
               who="elena")
    t.expect(r, 400, field=f"answers.{first}", what="an unanswered item without data")
    for answers, what in (({"987654": True}, "an item of no form"),
                          ({str(first): "yes"}, "a string answer"),
                          ({"abc": True}, "a key that is no id")):
        t.expect(t.post("/api/v1/qa/reviews", {"call_id": call_id, "form_id": 1,
                                               "answers": answers}, who="elena"), 400,
                 field="answers", what=what)
    t.expect(t.post("/api/v1/qa/reviews", {"call_id": 987654321, "form_id": 1, "answers": {}},
                    who="elena"), 404, what="no such call")
    # a call without a script run: script items must be answered, the others come from data
    manual = [i for i in form["items"] if i.get("auto") in (None, "needs_questions",
                                                           "price_late")]
    r = t.post("/api/v1/qa/reviews", {"call_id": call_id, "form_id": 1,
                                      "answers": {str(i["id"]): True for i in manual}},
               who="elena")
    if t.expect(r, 201, what="review a call without a script"):
        t.check(r.get("score") == 1.0, f"all yes: {r.short()}")


def plan(reps, day=3):
    return [{"rep": rep, "at": at_msk(day + n // 4, 9 + 2 * (n % 4))} for n, rep in
            enumerate(reps)]


@case
def t_qa_campaign(t):
    with open(os.path.join(t.src_root, EXAMPLES, "mystery_shopper.yaml"), encoding="utf-8") as fh:
        text = fh.read()
    name = f"Mystery {t.seq()}"
    good = {"name": name, "scenario_text": text,
            "calls": plan(["anna", "oleg", "mike", "anna", "oleg"])}
    t.expect(t.post("/api/v1/qa/campaigns", good, who="anna"), 403, what="a rep plans")
    bad = dict(good, calls=good["calls"][:4])
    t.expect(t.post("/api/v1/qa/campaigns", bad, who="elena"), 400, field="calls",
             what="4 calls")
    same = [dict(c) for c in good["calls"]]
    same[1]["at"] = same[0]["at"][:14] + "40" + same[0]["at"][16:]
    t.expect(t.post("/api/v1/qa/campaigns", dict(good, calls=same), who="elena"), 400,
             field="calls[1].at", what="two calls in the same hour")
    t.expect(t.post("/api/v1/qa/campaigns", dict(good, calls=plan(["anna"] * 5)), who="elena"),
             400, field="calls", what="one rep only")
    t.expect(t.post("/api/v1/qa/campaigns", dict(good, calls=plan(["elena"] + ["anna"] * 4)),
                    who="elena"), 400, field="calls[0].rep", what="a head as the rep")
    day = [dict(c) for c in good["calls"]]
    day[2]["at"] = date_msk(4)
    t.expect(t.post("/api/v1/qa/campaigns", dict(good, calls=day), who="elena"), 400,
             field="calls[2].at", what="a day without an hour")
    t.expect(t.post("/api/v1/qa/campaigns", dict(good, scenario_text=None,
                                                  scenario="no such script"), who="elena"),
             400, field="scenario", what="an unknown scenario")
    r = t.post("/api/v1/qa/campaigns", good, who="elena")
    t.need(r, 201, "plan the campaign")
    cid = r.get("id")
    t.check(r.get("planned") == 5 and r.get("filled") == 0 and r.get("alarm") is False and
            r.get("scenario") and [c.get("n") for c in r.get("calls")] == [1, 2, 3, 4, 5],
            f"{r.short()}")
    t.expect(t.get(f"/api/v1/qa/campaigns/{cid}", who="anna"), 403, what="a rep reads it")
    ok = {m: True for m in MOVES}
    leak = dict(ok, next_step=False, think=False)
    r = t.post(f"/api/v1/qa/campaigns/{cid}/calls/1", {"answers": dict(ok, think=None)},
               who="elena")
    t.expect(r, 400, what="a move not answered")
    r = t.post(f"/api/v1/qa/campaigns/{cid}/calls/1", {"answers": {"product": True}},
               who="elena")
    t.expect(r, 400, field="answers.price", what="moves missing")
    t.expect(t.post(f"/api/v1/qa/campaigns/{cid}/calls/9", {"answers": ok}, who="elena"), 404,
             what="no call 9")
    for n, answers in ((1, ok), (2, leak), (3, ok), (4, ok)):
        r = t.post(f"/api/v1/qa/campaigns/{cid}/calls/{n}", {"answers": answers}, who="elena")
        t.need(r, 200, f"fill call {n}")
    t.check(r.get("filled") == 4 and r.get("leaks") == 1 and r.get("leak_rate") == 0.25 and
            r.get("alarm") is False and r.get("advice") is None, f"25%: {r.short()}")
    r = t.post(f"/api/v1/qa/campaigns/{cid}/calls/5", {"answers": dict(leak, think=True),
                                                      "note": "said he would call back"},
               who="elena")
    t.need(r, 200, "fill call 5")
    t.check(r.get("leaks") == 2 and abs(r.get("leak_rate") - 0.4) < 1e-9 and
            r.get("alarm") is True, f"40%: {str(r.json)[:400]}")
    t.check(r.get("worst_moves", default=[])[:1] == ["next_step"] and
            "think" in r.get("worst_moves", default=[]), f"worst {r.get('worst_moves')}")
    t.check(r.get("leak_reps") == ["oleg"], f"leak reps {r.get('leak_reps')}")
    t.check("train the reps: oleg" in (r.get("advice") or ""), f"advice {r.get('advice')}")
    fails = {m.get("key"): m.get("fails") for m in r.get("moves", default=[])}
    t.check(fails.get("next_step") == 2 and fails.get("think") == 1 and fails.get("price") == 0,
            f"fails {fails}")
    calls = r.get("calls", default=[])
    t.check(calls[4].get("leak") is True and calls[4].get("note") == "said he would call back"
            and calls[4].get("answers", {}).get("think") is True, f"call 5 {calls[4:]}")
    lst = t.get("/api/v1/qa/campaigns", who="elena")
    if t.expect(lst, 200):
        t.check(cid in [x.get("id") for x in lst.get("items", default=[])], "list lacks it")
    # a corrected form clears the alarm: the leak rate is recounted
    r = t.post(f"/api/v1/qa/campaigns/{cid}/calls/5", {"answers": ok}, who="elena")
    if t.expect(r, 200, what="refill call 5"):
        t.check(r.get("leaks") == 1 and r.get("alarm") is False, f"{r.short()}")
