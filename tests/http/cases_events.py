"""cases_events.py - live events: GET /api/v1/events streams, and POST /api/v1/telephony/events
announcing an incoming call to the rep whose phone rings (and to nobody else)."""

import json
import time

from lib import EventStream, case, fmt8


def incoming(call_id):
    def pred(ev):
        if ev[0] != "call.incoming":
            return False
        try:
            return json.loads(ev[1]).get("call_id") == call_id
        except ValueError:
            return False
    return pred


def open_stream(t, who):
    s = EventStream(t.api.port, t.tok[who])
    t.require(s.status == 200, f"GET /api/v1/events as {who}: {s.status}")
    t.check((s.content_type or "").startswith("text/event-stream"),
            f"events Content-Type {s.content_type!r}")
    t.require(s.wait_comment("connected", 5), f"{who}'s stream did not say it is connected")
    return s


@case
def t_events_incoming_call(t):
    demo = t.demo_client("oleg")  # whose client it is does not matter: the phone rings at anna
    phone = demo["phones"][0]
    anna, oleg = open_stream(t, "anna"), open_stream(t, "oleg")
    try:
        cid = f"t1-{t.seq()}"
        t0 = time.monotonic()
        r = t.post("/api/v1/telephony/events",
                   {"type": "ringing", "call_id": cid, "from": fmt8(phone), "rep": "anna"},
                   who="admin")
        if t.expect(r, 200, what="post a ringing event"):
            t.check(r.get("client_id") == demo["id"] and r.get("phone") == phone,
                    f"answer {r.short()}, want client {demo['id']} phone {phone}")
        ev = anna.wait(incoming(cid), 2.0)
        if t.check(ev is not None, "anna's stream got no call.incoming within 2 s"):
            data = json.loads(ev[1])
            t.check(data.get("client_id") == demo["id"], f"client_id {data.get('client_id')}")
            t.check(data.get("phone") == phone, f"phone {data.get('phone')!r}, want {phone}")
            t.check(ev[2] - t0 <= 2.0, f"delivered after {ev[2] - t0:.2f} s")
        time.sleep(0.5)
        t.check(oleg.wait(incoming(cid), 0.5) is None, "oleg's stream got anna's call")
        # a number nobody has
        cid2 = f"t2-{t.seq()}"
        unknown = t.phones.new()
        r = t.post("/api/v1/telephony/events",
                   {"type": "ringing", "call_id": cid2, "from": fmt8(unknown), "rep": "anna"},
                   who="admin")
        if t.expect(r, 200, what="ringing from an unknown number"):
            t.check(r.get("client_id") is None and r.get("phone") == unknown,
                    f"answer {r.short()}")
        ev = anna.wait(incoming(cid2), 2.0)
        if t.check(ev is not None, "no call.incoming for an unknown number"):
            data = json.loads(ev[1])
            t.check("client_id" in data and data["client_id"] is None,
                    f"unknown number: client_id {data.get('client_id')!r}, want null")
        # a number that is not one
        cid3 = f"t3-{t.seq()}"
        r = t.post("/api/v1/telephony/events",
                   {"type": "ringing", "call_id": cid3, "from": "anonymous", "rep": "oleg"},
                   who="admin")
        if t.expect(r, 200, what="ringing from a hidden number"):
            t.check(r.get("client_id") is None and r.get("phone") is None, f"{r.short()}")
            t.check(oleg.wait(incoming(cid3), 2.0) is not None, "oleg missed his call")
            t.check(anna.wait(incoming(cid3), 0.3) is None, "anna got oleg's call")
        # who may post
        body = {"type": "ringing", "call_id": "t4", "from": fmt8(phone), "rep": "anna"}
        t.expect(t.post("/api/v1/telephony/events", body, who="anna"), 403, what="a rep posts")
        t.expect(t.post("/api/v1/telephony/events", body, who="elena"), 403,
                 what="the head posts")
        t.check(anna.wait(incoming("t4"), 0.3) is None, "a refused event was published")
        for bad, what in ((dict(body, type="hangup"), "type hangup"),
                          (dict(body, rep="no-such-user"), "rep nobody"),
                          ({k: v for k, v in body.items() if k != "rep"}, "no rep"),
                          (dict(body, call_id=""), "empty call_id")):
            r = t.post("/api/v1/telephony/events", bad, who="admin")
            t.check(r.status in (400, 404), f"{what}: want 400/404, got {r.short()}")
    finally:
        anna.close()
        oleg.close()


@case
def t_events_stream_auth(t):
    r = t.get("/api/v1/events", who=None)
    t.expect(r, 401, what="events without credentials")
    s = EventStream(t.api.port, "nct_bogus")
    t.check(s.status == 401, f"events with a bad token: {s.status}")
    # many streams of one user all get the event
    streams = [open_stream(t, "mike") for _ in range(3)]
    try:
        cid = f"t5-{t.seq()}"
        r = t.post("/api/v1/telephony/events",
                   {"type": "ringing", "call_id": cid, "from": "+79990000000", "rep": "mike"},
                   who="admin")
        t.expect(r, 200)
        got = sum(1 for s in streams if s.wait(incoming(cid), 2.0) is not None)
        t.check(got == 3, f"{got} of mike's 3 streams got the call")
    finally:
        for s in streams:
            s.close()
    time.sleep(0.3)
    t.expect(t.get("/healthz", who=None), 200, what="the server after streams closed")
