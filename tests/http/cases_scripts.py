"""cases_scripts.py - call scripts over HTTP: uploading versions (refused with findings that name
their line and column), the check endpoint, a full inbound run from the greeting to a booked
visit (options, an objection opened and resumed, three price questions, answers of each type,
back, hold), finishing through the sales rules, the refusals of steps sent out of order, to a
finished run or for another rep's run, the example scripts, and the analytics of a version
checked against numbers computed here from the runs the case made."""

import os
import re

from lib import at_msk, case, date_msk, fmt8, parse_time, same_instant

SCRIPT = os.path.join("tests", "data", "scripts", "http_inbound.yaml")
EXAMPLES = os.path.join("examples", "scripts")
EXAMPLE_INBOUND = "inbound_ceilings_en.yaml"
DEFLECT = ["It depends on the material; may I ask two questions first?",
           "I will name it in a minute, just one more question."]
PRICE_LINE = "A ceiling like yours costs from 450 per square metre, installed."


def source(t, name=None):
    """The test script's YAML, renamed (each case its own script) when name is given."""
    with open(os.path.join(t.src_root, SCRIPT), encoding="utf-8") as f:
        text = f.read()
    if name:
        text = text.replace("name: HTTP test, inbound ceilings", f"name: {name}", 1)
    return text


def line_of(text, needle):
    """The 1-based line and column of needle's first occurrence in text."""
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def upload(t, name, text=None, who="elena"):
    r = t.post("/api/v1/scripts", {"source": text or source(t, name)}, who=who)
    t.need(r, 201, f"upload {name}")
    return r.json


def start(t, script_id, client_id, who="anna", **kw):
    r = t.post("/api/v1/script-runs", dict(script_id=script_id, client_id=client_id, **kw),
               who=who)
    t.need(r, 201, "open a run")
    return r.json


VOLATILE = ("elapsed_s", "hold_s", "effect_line", "logged")


def stable(state):
    """A run's state without what changes by itself (the clocks) or belongs to one answer (the
    line a step produced, the call it logged)."""
    return {k: v for k, v in (state or {}).items() if k not in VOLATILE}


class Run:
    """A run driven step by step; every answer is kept as the latest state."""

    def __init__(self, t, state, who="anna"):
        self.t, self.s, self.who = t, state, who

    @property
    def node(self):
        return self.s.get("node") or {}

    def send(self, action, seq=None, who=None, **kw):
        body = dict(seq=self.s.get("seq") if seq is None else seq, action=action, **kw)
        return self.t.post(f"/api/v1/script-runs/{self.s['id']}/steps", body,
                           who=who or self.who)

    def step(self, action, what=None, **kw):
        """A step that must be accepted: seq goes up by one."""
        seq = self.s.get("seq")
        r = self.send(action, **kw)
        self.t.need(r, 200, what or f"step {action} {kw}")
        self.t.check(r.get("seq") == seq + 1, f"{action}: seq {seq} -> {r.get('seq')}")
        self.s = r.json
        return r

    def refused(self, status, field, action, what, code=None, **kw):
        """A step that must be refused, leaving the run as it was."""
        r = self.send(action, **kw)
        ok = self.t.expect(r, status, code=code, field=field, what=what)
        g = self.t.get(f"/api/v1/script-runs/{self.s['id']}", who=self.who)
        if self.t.expect(g, 200, what=f"the run after: {what}"):
            self.t.check(stable(g.json) == stable(self.s),
                         f"{what}: the refused step changed the run: "
                         f"{str(self.s)[:300]} -> {str(g.json)[:300]}")
        return r if ok else None

    def go(self, node_id):
        """Follows the option that leads to node_id."""
        opts = [o for o in self.node.get("options", []) if o.get("goto") == node_id]
        self.t.require(opts, f"node {self.node.get('id')} has no option to {node_id}: "
                       f"{self.node.get('options')}")
        self.step("option", option=opts[0]["index"])
        self.t.check(self.node.get("id") == node_id, f"option to {node_id} led to "
                     f"{self.node.get('id')}")


def check_line(t, line, what):
    t.check(isinstance(line, str) and line and "{" not in line and not re.search(r"\[[a-z_.]+\]",
                                                                              line),
            f"{what}: line {line!r} is not fully rendered")


# ---- scripts ----

@case
def t_script_upload_versions(t):
    name = f"HTTP script {t.seq()}"
    text = source(t, name)
    r = t.post("/api/v1/scripts", {"source": text}, who="anna")
    t.expect(r, 403, code="forbidden", what="a rep uploads a script")
    s = upload(t, name, text)
    t.check(isinstance(s.get("id"), int) and s.get("name") == name and
            s.get("kind") == "inbound" and s.get("version") == 1 and s.get("author") == "elena"
            and s.get("archived") is False, f"the upload answered {s}")
    t.check(all(f.get("severity") == "warning" for f in s.get("findings", [])),
            f"a valid upload reports errors: {s.get('findings')}")
    sid = s["id"]
    lst = t.get("/api/v1/scripts", who="anna")
    if t.expect(lst, 200, what="the list as a rep"):
        mine = [x for x in lst.get("items", default=[]) if x.get("id") == sid]
        t.check(len(mine) == 1 and mine[0].get("version") == 1, f"list has {mine}")
    g = t.get(f"/api/v1/scripts/{sid}", who="anna")
    if t.expect(g, 200, what="GET the script"):
        t.check(g.get("source") == text, "the source is not stored verbatim")
        t.check([v.get("version") for v in g.get("versions", default=[])] == [1],
                f"versions {g.get('versions')}")
    # a second upload of the same name is version 2; version 1 stays readable
    text2 = text.replace("How can I help?", "How may I help you today?")
    s2 = upload(t, name, text2)
    t.check(s2.get("id") == sid and s2.get("version") == 2 and
            s2.get("version_id") != s.get("version_id"), f"second upload {s2}")
    g = t.get(f"/api/v1/scripts/{sid}", who="anna")
    if t.expect(g, 200):
        t.check(g.get("version") == 2 and g.get("source") == text2, "latest is not version 2")
        t.check([v.get("version") for v in g.get("versions", default=[])] == [2, 1],
                f"versions {g.get('versions')}, want newest first")
    g = t.get(f"/api/v1/scripts/{sid}?version=1", who="anna")
    if t.expect(g, 200, what="version 1"):
        t.check(g.get("version") == 1 and g.get("source") == text, "version 1 changed")
    t.expect(t.get(f"/api/v1/scripts/{sid}?version=9", who="anna"), 404, what="version 9")
    t.expect(t.get(f"/api/v1/scripts/{sid}?version=x", who="anna"), 400, field="version",
             what="version=x")
    t.expect(t.get("/api/v1/scripts/987654321", who="anna"), 404, what="no such script")
    # archived scripts leave the list (all=1 shows them) and come back
    r = t.post(f"/api/v1/scripts/{sid}/archive", {"archived": True}, who="elena")
    if t.expect(r, 200, what="archive"):
        t.check(r.get("archived") is True, f"archive answered {r.json}")
    ids = [x.get("id") for x in t.get("/api/v1/scripts", who="anna").get("items", default=[])]
    t.check(sid not in ids, "an archived script is listed")
    ids = [x.get("id") for x in t.get("/api/v1/scripts?all=1", who="elena").get("items",
                                                                              default=[])]
    t.check(sid in ids, "all=1 does not list the archived script")
    t.expect(t.post(f"/api/v1/scripts/{sid}/archive", {"archived": False}, who="anna"), 403,
             what="a rep archives")
    r = t.post(f"/api/v1/scripts/{sid}/archive", {"archived": False}, who="elena")
    t.expect(r, 200, what="unarchive")
    ids = [x.get("id") for x in t.get("/api/v1/scripts", who="anna").get("items", default=[])]
    t.check(sid in ids, "an unarchived script is not listed")


@case
def t_script_upload_invalid(t):
    name = f"HTTP invalid {t.seq()}"
    good = source(t, name)
    bad = good.replace("goto: lighting", "goto: nowhere", 1)
    line, col = line_of(bad, "nowhere")
    r = t.post("/api/v1/scripts", {"source": bad}, who="elena")
    if t.expect(r, 422, code="invalid_script", field="source", what="an unknown target"):
        fs = r.error.get("findings") or []
        hit = [f for f in fs if f.get("code") == "unknown_target"]
        t.check(hit and hit[0].get("severity") == "error" and hit[0].get("line") == line and
                1 <= hit[0].get("col", 0) <= col, f"findings {fs}, want unknown_target at "
                f"line {line} (column up to {col})")
        t.check("nowhere" in str(hit[0].get("message") if hit else ""),
                f"the message does not quote the target: {hit}")
    # a needs stage without the motivation question
    r = t.post("/api/v1/scripts", {"source": good.replace("kind: motivation", "kind: technical")},
               who="elena")
    if t.expect(r, 422, field="source", what="a needs stage lacking a question kind"):
        codes = [f.get("code") for f in r.error.get("findings") or []]
        t.check("needs_kind_missing" in codes, f"findings {codes} lack needs_kind_missing")
    # a goal node that does not capture the next step's time
    r = t.post("/api/v1/scripts", {"source": good.replace("next_step: {kinds: [visit, meeting]}",
                                                          "next_step: {kinds: [visit], "
                                                          "time: false}")}, who="elena")
    if t.expect(r, 422, field="source", what="a goal without the next step's time"):
        codes = [f.get("code") for f in r.error.get("findings") or []]
        t.check("goal_next_step_missing" in codes, f"findings {codes}")
    # broken YAML: the finding names the line
    broken = good.replace("  area:\n", "  area: [\n", 1)
    r = t.post("/api/v1/scripts", {"source": broken}, who="elena")
    if t.expect(r, 422, field="source", what="broken YAML"):
        fs = r.error.get("findings") or []
        t.check(fs and all(isinstance(f.get("line"), int) and f["line"] >= 1 for f in fs),
                f"findings {fs} without lines")
    for body, what in (({}, "no source"), ({"source": 5}, "source a number")):
        t.expect(t.post("/api/v1/scripts", body, who="elena"), 400, field="source", what=what)
    # the loader reads at most 256 KiB (SCRIPT_MAX_BYTES): more is refused before it
    huge = good + "#" * (256 * 1024)
    for path in ("/api/v1/scripts", "/api/v1/scripts/check"):
        t.expect(t.post(path, {"source": huge}, who="elena"), 400, code="too_long",
                 field="source", what=f"{path}: a source over 256 KiB")
    ids = [x.get("name") for x in t.get("/api/v1/scripts?all=1", who="elena").get("items",
                                                                                default=[])]
    t.check(name not in ids, "a refused upload was stored")


@case
def t_script_check(t):
    name = f"HTTP check {t.seq()}"
    good = source(t, name)
    r = t.post("/api/v1/scripts/check", {"source": good}, who="anna")
    if t.expect(r, 200, what="check a valid script as a rep"):
        t.check(r.get("valid") is True and r.get("errors") == 0 and r.get("name") == name and
                r.get("kind") == "inbound", f"check answered {r.short()}")
    bad = good.replace("goto: summary", "goto: nowhere", 1)
    line, _ = line_of(bad, "nowhere")
    r = t.post("/api/v1/scripts/check", {"source": bad}, who="mike")
    if t.expect(r, 200, what="check an invalid script"):
        t.check(r.get("valid") is False and r.get("errors", default=0) >= 1, f"check {r.short()}")
        t.check(any(f.get("code") == "unknown_target" and f.get("line") == line
                    for f in r.get("findings", default=[])), f"findings {r.get('findings')}")
    r = t.post("/api/v1/scripts/check", {"source": "name: [unclosed"}, who="anna")
    if t.expect(r, 200, what="check unreadable YAML"):
        t.check(r.get("valid") is False and r.get("name") is None, f"check {r.short()}")
    names = [x.get("name") for x in t.get("/api/v1/scripts?all=1", who="elena").get("items",
                                                                                   default=[])]
    t.check(name not in names, "check stored the script")


@case
def t_script_examples(t):
    """Every example script passes the validator; the English inbound call runs from its first
    line to a booked visit."""
    d = os.path.join(t.src_root, EXAMPLES)
    files = sorted(f for f in os.listdir(d) if f.endswith(".yaml")) if os.path.isdir(d) else []
    t.require(EXAMPLE_INBOUND in files, f"{EXAMPLES}/{EXAMPLE_INBOUND} is missing ({files})")
    for f in files:
        with open(os.path.join(d, f), encoding="utf-8") as fh:
            text = fh.read()
        r = t.post("/api/v1/scripts/check", {"source": text}, who="anna")
        if t.expect(r, 200, what=f"check {f}"):
            t.check(r.get("valid") is True, f"{f}: {r.get('findings')}")
    with open(os.path.join(d, EXAMPLE_INBOUND), encoding="utf-8") as fh:
        text = fh.read()
    s = upload(t, EXAMPLE_INBOUND, text)
    c = t.new_client("anna")
    run = Run(t, start(t, s["id"], c["id"]))
    reach_goal(t, run, "max")
    node = run.node
    t.require(node.get("end") and node.get("goal") == "max", f"no max goal reached: {node}")
    kinds = node.get("next_kinds") or ["visit"]
    run.step("finish", next_step={"kind": kinds[0], "due_at": at_msk(1, 11)}, talk_s=300)
    t.check(run.s.get("status") == "finished" and run.s.get("result") == "max",
            f"finished as {run.s.get('status')} {run.s.get('result')}")


def answer_for(t, q):
    """A value that fits question q: a fresh phone for the card's phone, by type otherwise."""
    if q.get("field") == "client.phone":
        return fmt8(t.phones.new())
    if q.get("field") == "client.email":
        return f"client{t.seq()}@example.com"
    ty = q.get("type")
    if ty == "number":
        return "24"
    if ty == "choice":
        return (q.get("choices") or ["x"])[0]
    if ty == "datetime":
        return at_msk(20, 12)
    return "Ivan Petrov"


def reach_goal(t, run, goal, limit=300):
    """Depth-first through the script over the API: answers every question, tries each option
    once, goes back from dead ends, until an end node with goal."""
    tried = {}
    for _ in range(limit):
        node = run.node
        q = node.get("question")
        if q and q.get("answer") is None:
            run.step("answer", answer=answer_for(t, q))
            continue
        if node.get("end") and node.get("goal") == goal:
            return
        left = [o for o in node.get("options", [])
                if o["index"] not in tried.setdefault(node.get("id"), set())]
        if left and not node.get("end"):
            tried[node["id"]].add(left[0]["index"])
            run.step("option", option=left[0]["index"])
        else:
            run.step("back")
    t.fail(f"no {goal} goal within {limit} steps")


# ---- a run ----

@case
def t_script_run_inbound(t):
    """The whole inbound call of the test script, from the greeting to a booked visit."""
    s = upload(t, f"HTTP run {t.seq()}")
    c = t.new_client("anna", name="Caller")
    st = start(t, s["id"], c["id"])
    run = Run(t, st)
    t.check(st.get("status") == "open" and st.get("result") is None and st.get("seq") == 0 and
            st.get("rep") == "anna" and st.get("client_id") == c["id"] and
            st.get("script", {}).get("version") == 1, f"the new run {str(st)[:400]}")
    t.check(run.node.get("id") == "greeting" and run.node.get("stage") == "greeting" and
            run.node.get("variant") in (0, 1), f"start node {run.node}")
    check_line(t, run.node.get("line"), "greeting")
    t.check([o.get("id") for o in st.get("objections", [])] == ["expensive", "think"],
            f"objections {st.get('objections')}")
    t.check(st.get("questions") == {"asked": 0, "max": 7}, f"questions {st.get('questions')}")
    t.check(st.get("price") == {"asks": 0, "answer_on": 3, "answered": False},
            f"price {st.get('price')}")
    t.check(parse_time(st.get("started_at")) is not None, f"started_at {st.get('started_at')}")
    g = t.get(f"/api/v1/script-runs/{st['id']}", who="anna")
    if t.expect(g, 200, what="GET the run"):
        t.check(stable(g.json) == stable(st), f"GET gives {str(g.json)[:300]}, POST gave {str(st)[:300]}")

    # the first direct price question gets the first deflection
    run.step("price")
    t.check(run.s.get("effect_line") == DEFLECT[0] and run.s["price"]["asks"] == 1 and
            run.s["price"]["answered"] is False, f"price 1: {run.s.get('effect_line')!r}")
    run.go("name")
    t.check(run.s.get("effect_line") is None, "the deflection outlives the next step")
    q = run.node.get("question") or {}
    t.check(q.get("field") == "client.name" and q.get("type") == "text" and
            q.get("answer") is None, f"question {q}")
    # an objection opens over the node and returns to it
    run.step("objection", objection="expensive")
    o = run.s.get("objection") or {}
    t.check(o.get("id") == "expensive" and "Compared with what" in str(o.get("line")) and
            run.node.get("id") == "name", f"objection {o}, node {run.node.get('id')}")
    run.step("resume")
    t.check(run.s.get("objection") is None and run.node.get("id") == "name",
            f"after resume: objection {run.s.get('objection')}, node {run.node.get('id')}")
    run.refused(422, "action", "resume", "resume with nothing open", code="step_invalid")
    run.step("answer", answer="  Ivan Petrov ")
    t.check(run.s.get("answers", {}).get("client.name") == "Ivan Petrov" and
            run.node.get("question", {}).get("answer") == "Ivan Petrov",
            f"name answer: {run.s.get('answers')}")
    run.go("area")
    t.check(run.node.get("line", "").startswith("Ivan Petrov, what is the area"),
            f"the line does not use the name: {run.node.get('line')!r}")
    run.step("price")
    t.check(run.s.get("effect_line") == DEFLECT[1] and run.s["price"]["asks"] == 2,
            f"price 2: {run.s.get('effect_line')!r}")
    # a number: bad values are refused naming answers, then a decimal comma is accepted
    for v in ("twenty", "1e999", "", "12 apples"):
        run.refused(422, "answers", "answer", f"area {v!r}", answers={"area_m2": v})
    run.refused(422, "answers", "answer", "an answer to another field",
                answers={"lighting": "spots"})
    run.step("answer", answers={"area_m2": "20,5"})
    t.check(run.s["answers"].get("area_m2") == "20.5" and run.s["questions"]["asked"] == 1,
            f"area: {run.s.get('answers')} asked {run.s.get('questions')}")
    run.go("lighting")
    q = run.node.get("question") or {}
    t.check(q.get("type") == "choice" and q.get("kind") == "expertise" and
            q.get("choices") == ["spots", "chandelier", "none"], f"question {q}")
    run.refused(422, "answers", "answer", "a choice not offered", answer="neon")
    run.step("answer", answer="SPOTS")
    t.check(run.s["answers"].get("lighting") == "spots", f"choice {run.s['answers']}")
    # hold: on, then resumed
    run.step("hold")
    t.check(run.s.get("on_hold") is True and run.s.get("hold_s", -1) >= 0, "hold not shown")
    run.refused(422, "action", "hold", "hold twice")
    run.step("resume")
    t.check(run.s.get("on_hold") is False and run.s.get("hold_s") == 0,
            f"after resume: on_hold {run.s.get('on_hold')} hold_s {run.s.get('hold_s')}")
    run.go("deadline")
    run.refused(422, "answers", "answer", "a date without a time", answer=date_msk(30))
    due = at_msk(30, 12)
    run.step("answer", answer=due)
    t.check(same_instant(run.s["answers"].get("deadline"), due) and
            run.s["questions"]["asked"] == 3, f"deadline {run.s['answers']}")
    # back to lighting: the answers stay
    run.step("back")
    t.check(run.node.get("id") == "lighting" and run.s["answers"].get("deadline") and
            run.node.get("question", {}).get("answer") == "spots",
            f"after back: {run.node.get('id')}, {run.s.get('answers')}")
    t.check(run.s.get("path") == ["greeting", "name", "area", "lighting"],
            f"path {run.s.get('path')}")
    run.go("deadline")
    run.go("summary")
    line = run.node.get("line", "")
    t.check("20.5" in line and "spots" in line, f"summary line {line!r}")
    # the third price question names the price
    run.step("price")
    t.check(run.s.get("effect_line") == PRICE_LINE and run.s["price"] ==
            {"asks": 3, "answer_on": 3, "answered": True}, f"price 3: {run.s.get('price')}")
    run.go("presentation")
    run.refused(422, "action", "finish", "finish away from an end node")
    run.go("close")
    t.check(run.node.get("end") is True and run.node.get("goal") == "max" and
            run.node.get("next_kinds") == ["visit", "meeting"], f"close node {run.node}")
    check_line(t, run.node.get("line"), "close")

    # steps out of order, or by another rep
    seq = run.s["seq"]
    for bad in (seq - 1, seq + 1):
        run.refused(409, "seq", "back", f"seq {bad} (want {seq})", seq=bad)
    for who in ("oleg", "mike"):
        r = run.send("back", who=who)
        t.expect(r, 403, what=f"{who} steps anna's run")
        t.expect(t.get(f"/api/v1/script-runs/{st['id']}", who=who), 403,
                 what=f"{who} reads anna's run")
    t.expect(t.get(f"/api/v1/script-runs/{st['id']}", who="elena"), 200, what="the head reads")
    # the rules refuse a vague or past next step; the run stays open at the end node
    for nxt, rule in (({"kind": "visit", "due_at": date_msk(1)}, "next_step_vague"),
                      ({"kind": "visit", "due_at": at_msk(-1, 10)}, "next_step_past")):
        r = run.refused(422, None, "finish", rule, code=rule, next_step=nxt)
        if r:
            v = r.error.get("violations") or []
            t.check(any(x.get("rule") == rule for x in v), f"violations {v} lack {rule}")
    run.refused(422, "next_step.kind", "finish", "a next step the node does not capture",
                code="step_invalid", next_step={"kind": "invoice", "due_at": at_msk(1, 10)})
    calls = t.get(f"/api/v1/calls?client_id={c['id']}", who="anna")
    t.check(calls.get("items") == [], f"a refused finish logged a call: {calls.short()}")
    due = at_msk(1, 10)
    run.step("finish", next_step={"kind": "visit", "due_at": due}, talk_s=240)
    t.check(run.s.get("status") == "finished" and run.s.get("result") == "max" and
            parse_time(run.s.get("finished_at")) is not None, f"finished {str(run.s)[:300]}")
    logged = run.s.get("logged") or {}
    t.check(isinstance(logged.get("call_id"), int) and isinstance(logged.get("warnings"), list),
            f"logged {logged}")
    t.check(run.s.get("call_id") in (None, logged.get("call_id")),
            f"the run's call {run.s.get('call_id')}, logged {logged.get('call_id')}")
    # a finished run takes no step and cannot be abandoned
    run.refused(409, "run", "back", "a step to a finished run")
    t.expect(t.post(f"/api/v1/script-runs/{st['id']}/abandon", who="anna"), 409,
             what="abandon a finished run")

    # the call log: result max, the next step planned; the card holds every answer
    r = t.get(f"/api/v1/calls?client_id={c['id']}", who="anna")
    if t.expect(r, 200, what="the client's calls"):
        items = r.get("items", default=[])
        t.check([x.get("id") for x in items] == [logged.get("call_id")], f"calls {items}")
        if items:
            call = items[0]
            t.check(call.get("result") == "max" and call.get("direction") == "in" and
                    call.get("talk_s") == 240 and call.get("rep") == "anna" and
                    call.get("outcome") == "next_step", f"the logged call {call}")
            # an inbound call's purpose is the script's maximum task (its goals are the
            # caller's, not stored)
            t.check(call.get("purpose") == "Measurement visit at a concrete time",
                    f"the call's purpose {call.get('purpose')!r}")
    card = t.get(f"/api/v1/clients/{c['id']}", who="anna")
    if t.expect(card, 200, what="the card"):
        t.check(card.get("name") == "Ivan Petrov", f"card name {card.get('name')!r}")
        ns = card.get("next_step") or {}
        t.check(ns.get("kind") == "visit" and same_instant(ns.get("due_at"), due),
                f"next_step {ns}, want visit at {due}")
        f = card.get("fields") or {}
        t.check((f.get("area_m2") or {}).get("value") == "20.5" and
                (f.get("area_m2") or {}).get("type") == "number", f"area_m2 {f.get('area_m2')}")
        t.check((f.get("lighting") or {}).get("value") == "spots" and
                (f.get("lighting") or {}).get("type") == "choice", f"lighting {f.get('lighting')}")
        t.check(same_instant((f.get("deadline") or {}).get("value"), at_msk(30, 12)) and
                (f.get("deadline") or {}).get("type") == "datetime",
                f"deadline {f.get('deadline')}")
        t.check(all((f.get(k) or {}).get("run_id") == st["id"]
                    for k in ("area_m2", "lighting", "deadline")), f"fields' run_id {f}")


@case
def t_script_run_refusals(t):
    s = upload(t, f"HTTP refusals {t.seq()}")
    c = t.new_client("anna")
    for body, status, field, what in (
            ({"client_id": c["id"]}, 400, "script_id", "no script"),
            ({"script_id": s["id"]}, 400, "client_id", "no client"),
            ({"script_id": 987654321, "client_id": c["id"]}, 404, None, "no such script"),
            ({"script_id": s["id"], "client_id": 987654321}, 404, None, "no such client"),
            ({"script_id": s["id"], "client_id": c["id"], "version": 7}, 404, None,
             "no such version"),
            ({"script_id": "1", "client_id": c["id"]}, 400, "script_id", "script_id a string")):
        t.expect(t.post("/api/v1/script-runs", body, who="anna"), status, field=field, what=what)
    theirs = t.new_client("oleg")
    t.expect(t.post("/api/v1/script-runs", {"script_id": s["id"], "client_id": theirs["id"]},
                    who="anna"), 403, what="a run on another rep's client")
    run = Run(t, start(t, s["id"], c["id"]))
    run.refused(422, "action", "back", "back at the first node")
    run.refused(422, "option", "option", "an option out of range", option=9)
    run.refused(422, "objection", "objection", "an unknown objection", objection="weather")
    run.refused(422, "answers", "answer", "an answer where no question is asked", answer="x")
    run.refused(422, "action", "finish", "finish at the greeting")
    for body, field, what in (({"seq": 0, "action": "jump"}, "action", "an unknown action"),
                              ({"action": "option"}, "seq", "no seq"),
                              ({"seq": 0}, "action", "no action"),
                              ({"seq": 0, "action": "price", "option": 1}, "option",
                               "an option with a price question"),
                              ({"seq": 0, "action": "back", "next_step": {"kind": "visit"}},
                               "next_step", "a next step without finishing"),
                              ({"seq": 0, "action": "answer", "answers": {"x": ["y"]}},
                               "answers", "an answer that is a list"),
                              ({"seq": 0, "action": "finish", "next_step": {"when": "x"}},
                               "next_step.when", "an unknown next_step member")):
        r = t.post(f"/api/v1/script-runs/{run.s['id']}/steps", body, who="anna")
        t.expect(r, 400, field=field, what=what)
    t.expect(t.post("/api/v1/script-runs/987654321/steps", {"seq": 0, "action": "back"},
                    who="anna"), 404, what="a step of no run")
    t.expect(t.get("/api/v1/script-runs/987654321", who="anna"), 404, what="no such run")
    t.expect(t.post(f"/api/v1/script-runs/{run.s['id']}/abandon", who="oleg"), 403,
             what="oleg abandons anna's run")
    r = t.post(f"/api/v1/script-runs/{run.s['id']}/abandon", who="anna")
    if t.expect(r, 200, what="abandon"):
        t.check(r.get("status") == "abandoned" and r.get("result") is None, f"abandoned {r.json}")
        run.s = r.json
    run.refused(409, "run", "price", "a step to an abandoned run")


@case
def t_script_run_keeps_version(t):
    name = f"HTTP versions {t.seq()}"
    text = source(t, name)
    s1 = upload(t, name, text)
    c = t.new_client("anna")
    old = Run(t, start(t, s1["id"], c["id"]))
    t.check(old.s["script"]["version"] == 1, f"run script {old.s.get('script')}")
    text2 = text.replace("  name:\n    stage: consent\n    say: \"Of course.",
                         "  name:\n    stage: consent\n    say: \"Gladly.", 1)
    t.require(text2 != text, "the test script changed: cannot make version 2")
    s2 = upload(t, name, text2)
    t.check(s2.get("version") == 2, f"second upload {s2}")
    new = Run(t, start(t, s1["id"], c["id"]))
    t.check(new.s["script"]["version"] == 2, f"a new run uses {new.s.get('script')}")
    old.go("name")
    new.go("name")
    t.check(old.node.get("line", "").startswith("Of course.") and
            new.node.get("line", "").startswith("Gladly."),
            f"old run says {old.node.get('line')!r}, new run {new.node.get('line')!r}")
    g = t.get(f"/api/v1/script-runs/{old.s['id']}", who="anna")
    if t.expect(g, 200):
        t.check(g.get("script", "version") == 1, "the old run moved to version 2")
    pinned = Run(t, start(t, s1["id"], c["id"], version=1))
    t.check(pinned.s["script"]["version"] == 1, f"version=1 gives {pinned.s.get('script')}")
    for r in (old, new, pinned):
        t.expect(t.post(f"/api/v1/script-runs/{r.s['id']}/abandon", who="anna"), 200)


# ---- analytics ----

def prop(k, n):
    return {"k": k, "n": n}


@case
def t_script_stats(t):
    """Runs with known ends, then the analytics of the version compared with what this case
    counts: per node the runs that reached it and their share of maximum and minimum goals,
    where runs were abandoned, per wording of the greeting its conversion."""
    s = upload(t, f"HTTP stats {t.seq()}")
    sid = s["id"]
    plans = [("close", "max"), ("close", "max"), ("callback", "min"), ("lost", "none"),
             ("area", "abandon"), ("greeting", "open")]
    order = ["greeting", "name", "area", "lighting", "deadline", "summary", "presentation"]
    made = []
    for target, end in plans:
        c = t.new_client("anna")
        run = Run(t, start(t, sid, c["id"]))
        variant = run.node.get("variant")
        path = ["greeting"]
        if target != "greeting":
            stop = order.index(target) if target in order else len(order) - 1
            for nid in order[1:stop + 1]:
                run.go(nid)
                path.append(nid)
                q = run.node.get("question")
                if q:
                    run.step("answer", answer=answer_for(t, q))
            if target not in order:
                run.go(target)
                path.append(target)
        if end == "max":
            run.step("finish", next_step={"kind": "visit", "due_at": at_msk(1, 10)})
        elif end == "min":
            run.step("finish", next_step={"kind": "call", "due_at": at_msk(1, 12)})
        elif end == "none":
            run.step("finish", refused="not now: building a house next year",
                     next_step={"kind": "call", "due_at": at_msk(20, 11)})
        elif end == "abandon":
            t.need(t.post(f"/api/v1/script-runs/{run.s['id']}/abandon", who="anna"), 200)
        made.append({"variant": variant, "path": path, "end": end})
        if end in ("max", "min", "none"):
            t.check(run.s.get("status") == "finished" and run.s.get("result") == end,
                    f"run to {target}: {run.s.get('status')} {run.s.get('result')}")
    t.expect(t.get(f"/api/v1/scripts/{sid}/stats", who="anna"), 403, what="a rep reads stats")
    r = t.get(f"/api/v1/scripts/{sid}/stats", who="elena")
    t.need(r, 200, "stats")
    st = r.json
    n = len(made)
    fin = sum(1 for m in made if m["end"] in ("max", "min", "none"))
    t.check((st.get("runs"), st.get("finished"), st.get("abandoned"), st.get("open")) ==
            (n, fin, 1, 1), f"counts {st.get('runs')} {st.get('finished')} "
            f"{st.get('abandoned')} {st.get('open')}, want {n} {fin} 1 1")
    t.check(st.get("script", {}).get("version") == 1, f"stats of {st.get('script')}")
    maxes = sum(1 for m in made if m["end"] == "max")
    mins = sum(1 for m in made if m["end"] == "min")
    for key, k in (("max", maxes), ("min", mins)):
        p = st.get(key) or {}
        t.check(p.get("k") == k and p.get("n") == n and abs(p.get("p", -1) - k / n) < 1e-9 and
                p.get("lo") <= p.get("p") <= p.get("hi"), f"{key} {p}, want {k} of {n}")
    nodes = {x.get("node"): x for x in st.get("nodes", [])}
    t.check(list(nodes)[:3] == ["greeting", "name", "area"], f"node order {list(nodes)}")
    for nid in order + ["close", "callback", "lost"]:
        reached = [m for m in made if nid in m["path"]]
        x = nodes.get(nid) or {}
        want = (len(reached), sum(m["end"] == "max" for m in reached),
                sum(m["end"] == "min" for m in reached),
                sum(m["end"] == "abandon" and m["path"][-1] == nid for m in made))
        got = (x.get("reached"), (x.get("max") or {}).get("k"), (x.get("min") or {}).get("k"),
               x.get("abandoned"))
        t.check(got == want, f"node {nid}: reached/max/min/abandoned {got}, want {want}")
        t.check((x.get("max") or {}).get("n") == len(reached), f"node {nid} max.n {x.get('max')}")
    greet = [v for v in st.get("variants", []) if v.get("node") == "greeting"]
    t.check(sorted(v.get("variant") for v in greet) == [0, 1], f"greeting variants {greet}")
    for v in greet:
        shown = [m for m in made if m["variant"] == v.get("variant")]
        conv = v.get("conv") or {}
        want = (sum(m["end"] == "max" for m in shown), len(shown))
        t.check((conv.get("k"), conv.get("n")) == want,
                f"variant {v.get('variant')}: conv {conv}, want k, n = {want}")
        t.check(v.get("weight") == 1 and "stretch ceilings" in str(v.get("text")), f"{v}")
        t.check(0 <= v.get("prob_best", -1) <= 1 and 0 <= v.get("p_value", -1) <= 1,
                f"variant {v.get('variant')}: prob_best {v.get('prob_best')}, "
                f"p_value {v.get('p_value')}")
    if len(greet) == 2:
        t.check(abs(greet[0]["prob_best"] + greet[1]["prob_best"] - 1) < 0.01,
                f"prob_best of the two wordings sum to "
                f"{greet[0]['prob_best'] + greet[1]['prob_best']}")
    t.expect(t.get(f"/api/v1/scripts/{sid}/stats?version=2", who="elena"), 404,
             what="stats of a version that does not exist")
    t.expect(t.get("/api/v1/scripts/987654321/stats", who="elena"), 404, what="no such script")
