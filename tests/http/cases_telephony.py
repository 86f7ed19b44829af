"""cases_telephony.py - the AMI link inside "nextcall serve" against a loopback AMI server that
replays the bytes Asterisk really sent (fixtures/asterisk/ami, PROTOCOL.md), click-to-call, and
the cloud PBX webhook.

The fake server speaks the protocol's login (MD5 challenge), Ping, CoreShowChannels and
Originate, and replays the capture ami_nextcall_events_call_cdr (15 calls: 8 inbound, 7
click-to-call). The capture's made-up numbers 555100N / 555200N are rewritten to Moscow numbers
so that they normalise and match clients; nothing else in the bytes changes."""

import hashlib
import json
import os
import re
import socket
import threading
import time

from lib import EventStream, case

CAPTURE = "ami_nextcall_events_call_cdr.jsonl"
SECRET = "test-ami-secret"


def fixture_dir(t):
    """The captures, copied from fixtures/asterisk/ami (see tests/data/README.md)."""
    return os.path.join(t.src_root, "tests", "data", "asterisk")


def moscow(num):
    """5551001 -> 84951234001 (+74951234001); 5552001 -> 84951234101."""
    return re.sub(r"(?<![\d.])555(1|2)00(\d)(?!\d)",
                  lambda m: f"849512340{int(m.group(2)) + (0 if m.group(1) == '1' else 10):02d}"
                  if m.group(1) == "2" else f"8495123400{m.group(2)}", num)


def e164(n):
    return "+7495123400%d" % n


def load_capture(path, rename=None):
    """The bytes Asterisk sent after the login answer, as a list of chunks (the Logoff's answer
    is left out); rename maps Linkedid/Uniqueid values to make the calls new."""
    chunks = []
    with open(path, encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    started = False
    for r in recs:
        if r["dir"] != "recv":
            continue
        data = r["data"]
        if not started:
            if "Authentication accepted" in data:
                started = True
            continue
        if "Thanks for all the fish" in data:
            break
        data = moscow(data)
        if rename:
            data = re.sub(r"((?:Dest)?(?:Uniqueid|Linkedid): )(\d+\.\d+)",
                          lambda m: m.group(1) + rename(m.group(2)), data)
        chunks.append(data)
    return chunks


def messages(chunks):
    """Splits the chunks into whole messages (text ending with an empty line)."""
    text = "".join(chunks)
    return [m + "\r\n\r\n" for m in text.split("\r\n\r\n") if m]


class FakeAmi:
    """A loopback AMI server: one connection at a time. plan(session_no) gives the messages to
    replay after login and CoreShowChannels, and whether to drop the connection afterwards."""

    def __init__(self, plan):
        self.plan = plan
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.sessions = 0
        self.logins = []         # (username, key ok)
        self.actions = []        # every action received, as a dict
        self.sent_at = {}        # message marker -> monotonic time it was sent
        self.conn = None
        self.lock = threading.Lock()
        self.stop = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def close(self):
        self.stop = True
        try:
            self.sock.close()
        except OSError:
            pass
        c = self.conn
        if c:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def send(self, text):
        with self.lock:
            self.conn.sendall(text.encode("utf-8"))

    def serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conn = conn
            self.sessions += 1
            try:
                self.session(conn, self.sessions)
            except OSError:
                pass
            finally:
                try:
                    conn.close()
                except OSError:
                    pass
                self.conn = None

    def read_actions(self, conn, buf):
        while b"\r\n\r\n" not in buf:
            data = conn.recv(65536)
            if not data:
                raise OSError("closed")
            buf += data
        raw, rest = buf.split(b"\r\n\r\n", 1)
        action = {}
        for line in raw.decode("utf-8", "replace").split("\r\n"):
            k, _, v = line.partition(": ")
            action[k.lower()] = v
        self.actions.append(action)
        return action, rest

    def session(self, conn, no):
        conn.sendall(b"Asterisk Call Manager/11.0.0\r\n")
        buf = b""
        nonce = str(100000000 + no)
        replay, drop = self.plan(no)
        while True:
            a, buf = self.read_actions(conn, buf)
            act, aid = a.get("action", "").lower(), a.get("actionid", "")
            if act == "challenge":
                self.send(f"Response: Success\r\nActionID: {aid}\r\nChallenge: {nonce}\r\n\r\n")
            elif act == "login":
                want = hashlib.md5((nonce + SECRET).encode()).hexdigest()
                ok = a.get("key") == want and a.get("authtype", "").lower() == "md5"
                self.logins.append((a.get("username"), ok))
                if not ok:
                    time.sleep(0.2)
                    self.send(f"Response: Error\r\nActionID: {aid}\r\n"
                              "Message: Authentication failed\r\n\r\n")
                    return
                self.send(f"Response: Success\r\nActionID: {aid}\r\n"
                          "Message: Authentication accepted\r\n\r\n")
            elif act == "coreshowchannels":
                self.send(f"Response: Success\r\nActionID: {aid}\r\nEventList: start\r\n"
                          "Message: Channels will follow\r\n\r\n"
                          f"Event: CoreShowChannelsComplete\r\nActionID: {aid}\r\n"
                          "EventList: Complete\r\nListItems: 0\r\n\r\n")
                threading.Thread(target=self.replay, args=(conn, replay, drop),
                                 daemon=True).start()
            elif act == "ping":
                self.send(f"Response: Success\r\nActionID: {aid}\r\nPing: Pong\r\n"
                          f"Timestamp: {time.time():.6f}\r\n\r\n")
            elif act == "originate":
                self.send(f"Response: Success\r\nActionID: {aid}\r\n"
                          "Message: Originate successfully queued\r\n\r\n")
                ok = not a.get("channel", "").endswith("/203")  # 203: the agent is busy
                self.send("Event: OriginateResponse\r\nPrivilege: call,all\r\n"
                          f"ActionID: {aid}\r\nResponse: {'Success' if ok else 'Failure'}\r\n"
                          f"Channel: {a.get('channel')}\r\nContext: {a.get('context')}\r\n"
                          f"Exten: {a.get('exten')}\r\nReason: {4 if ok else 5}\r\n"
                          "Uniqueid: <unknown>\r\nCallerIDNum: <unknown>\r\n\r\n")
            elif act == "logoff":
                self.send(f"Response: Goodbye\r\nActionID: {aid}\r\n"
                          "Message: Thanks for all the fish.\r\n\r\n")
                return

    def replay(self, conn, msgs, drop):
        for m in msgs:
            if self.stop:
                return
            try:
                self.send(m)
            except OSError:
                return
            mark = re.search(r"Event: DialState\r\n.*?Linkedid: (\S+)\r\n.*?DialStatus: RINGING",
                             m, re.S)
            if mark and mark.group(1) not in self.sent_at:
                self.sent_at[mark.group(1)] = time.monotonic()
            time.sleep(0.002)
        if drop:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def ami_settings(t, port, enabled=True):
    r = t.patch("/api/v1/settings", {
        "ami.host": "127.0.0.1", "ami.port": str(port), "ami.user": "nextcall",
        "ami.secret": SECRET, "ami.enabled": "true" if enabled else "false",
        "recording.url": "https://pbx.example/rec/{date}/{uniqueid}.wav"}, who="elena")
    t.need(r, 200, "AMI settings")


def wait_status(t, pred, timeout):
    deadline = time.monotonic() + timeout
    st = None
    while time.monotonic() < deadline:
        r = t.get("/api/v1/telephony/status", who="admin")
        t.need(r, 200, "telephony status")
        st = r.json
        if pred(st):
            return st
        time.sleep(0.2)
    return st


def calls_by_pbx(t, ids, timeout=15):
    """Waits until every pbx id in ids is stored; gives {pbx_id: call}."""
    deadline = time.monotonic() + timeout
    found = {}
    while time.monotonic() < deadline:
        found = {}
        for c in t.list_all("/api/v1/calls", who="admin"):
            if c.get("pbx_id") in ids:
                found.setdefault(c["pbx_id"], []).append(c)
        if len(found) == len(ids):
            break
        time.sleep(0.3)
    return found


def incoming(call_id):
    def pred(ev):
        if ev[0] != "call.incoming":
            return False
        try:
            return json.loads(ev[1]).get("call_id") == call_id
        except ValueError:
            return False
    return pred


EXPECT = {  # linkedid: direction, number (E.164), rep, missed, ring_s, talk_s (PROTOCOL.md §5)
    "1795367457.0": ("in", e164(1), "anna", False, 3, 9),
    "1795367471.4": ("in", e164(2), "oleg", True, 12, 0),
    "1795367485.8": ("in", e164(3), "oleg", True, 7, 0),
    "1795367494.12": ("in", e164(4), "mike", True, 0, 0),
    "1795367496.16": ("in", e164(5), "anna", False, 3, 9),
    "1795367510.22": ("in", e164(6), None, False, 0, 0),
    "1795367516.24": ("in", None, None, False, 0, 0),
    "1795367523.26": ("in", e164(8), None, False, 0, 0),
    "1795367529.28": ("out", "+74951234011", "elena", False, 4, 7),
    "1795367543.32": ("out", "+74951234012", "elena", False, 15, 0),
    "1795367561.36": ("out", "+74951234013", "elena", False, 0, 0),
    "1795367564.40": ("out", "+74951234014", "elena", False, 0, 0),
    "1795367567.44": ("out", None, "oleg", False, 8, 0),
    "1795367577.46": ("out", None, "mike", False, 0, 0),
    "1795367581.48": ("out", "+74951234011", "elena", False, 4, 7),
}


@case
def t_ami_live_calls(t):
    """Login by MD5 challenge, resync, the capture's 15 calls stored once each with direction,
    number, client, rep, ring and talk seconds, recording link; the pop-up reaches the rep;
    missed calls plan callbacks (a lead for an unknown number)."""
    cap = load_capture(os.path.join(fixture_dir(t), CAPTURE))
    msgs = messages(cap)
    t.need(t.patch("/api/v1/users/elena", {"extension": "204"}, who="admin"), 200, "ext 204")
    alice = t.new_client("anna", name="Alice Customer", phones=["8 495 123-40-01"])
    fake = FakeAmi(lambda no: (msgs, False) if no == 1 else ([], False))
    anna = EventStream(t.api.port, t.tok["anna"])
    try:
        t.require(anna.wait_comment("connected", 5), "anna's stream did not connect")
        ami_settings(t, fake.port)
        st = wait_status(t, lambda s: s["connected"], 15)
        t.require(st and st["connected"], f"the AMI link did not connect: {st}")
        t.check(fake.logins and fake.logins[0] == ("nextcall", True),
                f"MD5 login: {fake.logins}")
        t.check(st["server"].startswith("Asterisk Call Manager/"), f"banner: {st}")
        t.check(any(a.get("action", "").lower() == "coreshowchannels" for a in fake.actions),
                "no CoreShowChannels after login")
        ev = anna.wait(incoming("1795367457.0"), 10)
        t.require(ev, "no call.incoming for anna's ringing phone")
        data = json.loads(ev[1])
        t.check(data.get("client_id") == alice["id"], f"pop-up client: {data}")
        sent = fake.sent_at.get("1795367457.0")
        if sent:
            print(f"# AMI RINGING -> call.incoming at anna: {(ev[2] - sent) * 1000:.1f} ms")
        found = calls_by_pbx(t, set(EXPECT))
        t.check(len(found) == len(EXPECT),
                f"stored {len(found)} of {len(EXPECT)} calls: missing "
                f"{sorted(set(EXPECT) - set(found))}")
        for pid, (direction, phone, rep, missed, ring, talk) in EXPECT.items():
            got = found.get(pid)
            if not got:
                continue
            t.check(len(got) == 1, f"{pid} stored {len(got)} times")
            c = got[0]
            want = {"direction": direction, "rep": rep, "missed": missed, "logged": False}
            for k, v in want.items():
                t.check(c.get(k) == v, f"{pid}: {k} {c.get(k)!r}, want {v!r}")
            t.check(abs(c.get("ring_s", -99) - ring) <= 1, f"{pid}: ring_s {c.get('ring_s')}")
            t.check(abs(c.get("talk_s", -99) - talk) <= 1, f"{pid}: talk_s {c.get('talk_s')}")
            if phone:
                t.check(c.get("phone") and phone[-7:] in re.sub(r"\D", "", c["phone"]),
                        f"{pid}: phone as dialled {c.get('phone')!r}, want {phone}")
                t.check(c.get("phone_e164") == phone,
                        f"{pid}: phone_e164 {c.get('phone_e164')!r}, want {phone}")
            t.check(c.get("recording_url") ==
                    f"https://pbx.example/rec/2026/11/22/{pid}.wav",
                    f"{pid}: recording_url {c.get('recording_url')!r}")
        a = found.get("1795367457.0", [{}])[0]
        t.check(a.get("client_id") == alice["id"], f"Alice's call client {a.get('client_id')}")
        # missed: the unknown number became a lead with a callback 15 min after the call
        m = found.get("1795367471.4", [{}])[0]
        t.check(m.get("client_id"), f"the missed call from an unknown number has no lead: {m}")
        if m.get("client_id"):
            card = t.get(f"/api/v1/clients/{m['client_id']}", who="admin").json
            t.check(card.get("owner") is None, f"the lead is unassigned: {card.get('owner')}")
            nxt = card.get("next_step") or {}
            t.check(nxt.get("kind") == "callback", f"the lead's next step: {nxt}")
        # the calls wait on the rep's day to be logged
        day = t.get("/api/v1/calls?rep=anna&limit=100", who="anna")
        t.need(day, 200, "anna's calls")
    finally:
        anna.close()
        fake.close()
        ami_settings(t, fake.port, enabled=False)


@case
def t_ami_reconnect_resync(t):
    """The AMI drops mid-call: the link reconnects with backoff, logs in again, resynchronises
    with CoreShowChannels (the call ended meanwhile: completed from what was seen), and the rest
    of that call's events, replayed after the reconnect, do not count it twice."""
    cap = load_capture(os.path.join(fixture_dir(t), CAPTURE),
                       rename=lambda v: "3" + v[1:])  # 1795... -> 3795...: new calls
    msgs = messages(cap)
    first = [m for m in msgs if "3795367457." in m]  # the first call (answered by anna)
    cut = next(i for i, m in enumerate(first) if "SoftHangupRequest" in m)
    fake = FakeAmi(lambda no: (first[:cut], True) if no == 1 else (first[cut:], False))
    try:
        ami_settings(t, fake.port)
        st = wait_status(t, lambda s: fake.sessions >= 2 and s["connected"], 20)
        t.require(st and st["connected"] and fake.sessions >= 2,
                  f"no reconnect after the drop: {st}, {fake.sessions} sessions")
        found = calls_by_pbx(t, {"3795367457.0"})
        got = found.get("3795367457.0", [])
        t.require(len(got) == 1, f"the call cut by the drop stored {len(got)} times")
        c = got[0]
        t.check(c.get("rep") == "anna" and c.get("missed") is False and c.get("direction") == "in",
                f"the resynchronised call: {c}")
        time.sleep(1.5)  # the rest of its events arrived after the reconnect
        again = calls_by_pbx(t, {"3795367457.0"}, timeout=1).get("3795367457.0", [])
        t.check(len(again) == 1, f"counted {len(again)} times after the replay")
    finally:
        fake.close()
        ami_settings(t, fake.port, enabled=False)


@case
def t_ami_bad_secret(t):
    """A wrong secret: the login fails, the status says so, nothing crashes, and the link keeps
    trying (with backoff) until the settings are fixed."""
    fake = FakeAmi(lambda no: ([], False))
    try:
        r = t.patch("/api/v1/settings", {
            "ami.host": "127.0.0.1", "ami.port": str(fake.port), "ami.user": "nextcall",
            "ami.secret": "wrong", "ami.enabled": "true"}, who="elena")
        t.need(r, 200, "settings")
        st = wait_status(t, lambda s: "login" in s["last_error"], 15)
        t.check(st and not st["connected"] and "login" in st["last_error"],
                f"status after a wrong secret: {st}")
        t.check(fake.logins and not fake.logins[0][1], f"logins {fake.logins}")
        t.check("wrong" not in t.server.log_text(), "the AMI secret appears in the log")
    finally:
        fake.close()
        ami_settings(t, fake.port, enabled=False)


@case
def t_click_to_call(t):
    """POST /api/v1/calls/originate rings the rep's extension first, then the client's number;
    the OriginateResponse reaches the rep as call.originate; bad input is refused by name."""
    fake = FakeAmi(lambda no: ([], False))
    client = t.new_client("anna", phones=["8 495 777-12-34"])
    other = t.new_client("oleg", phones=["8 495 777-12-35"])
    anna = EventStream(t.api.port, t.tok["anna"])
    try:
        t.require(anna.wait_comment("connected", 5), "anna's stream did not connect")
        r = t.post("/api/v1/calls/originate", {"client_id": client["id"]}, who="anna")
        t.expect(r, 503, what="click-to-call while the exchange is not connected")
        ami_settings(t, fake.port)
        t.require(wait_status(t, lambda s: s["connected"], 15)["connected"], "not connected")
        r = t.post("/api/v1/calls/originate", {"client_id": client["id"]}, who="anna")
        t.need(r, 202, "click-to-call")
        aid = r.get("action_id")
        ev = anna.wait(lambda e: e[0] == "call.originate" and
                       json.loads(e[1]).get("action_id") == aid, 10)
        t.require(ev, "no call.originate event")
        t.check(json.loads(ev[1]).get("result") == "ringing_client", f"result {ev[1]}")
        orig = [a for a in fake.actions if a.get("action", "").lower() == "originate"]
        t.require(orig, "the exchange got no Originate")
        o = orig[-1]
        t.check(o.get("channel") == "PJSIP/201", f"Channel {o.get('channel')}")
        t.check(o.get("exten") == "+74957771234", f"Exten {o.get('exten')}")
        t.check(o.get("async", "").lower() == "true", "not Async")
        t.check(o.get("actionid") == aid and aid.startswith("nc"), f"ActionID {aid}")
        t.expect(t.post("/api/v1/calls/originate", {"client_id": other["id"]}, who="anna"), 403,
                 what="another rep's client")
        t.expect(t.post("/api/v1/calls/originate", {"client_id": client["id"],
                                                    "phone": "8 495 000-00-00"}, who="anna"),
                 400, field="phone", what="a phone that is not the client's")
        t.expect(t.post("/api/v1/calls/originate", {"client_id": client["id"]}, who="admin"),
                 400, field="extension", what="a user without an extension")
        t.expect(t.post("/api/v1/calls/originate", {"client_id": "x"}, who="anna"), 400,
                 field="client_id", what="client_id of the wrong type")
        # mike's phone is busy: the failure reaches him
        mc = t.new_client("mike", phones=["8 495 777-12-36"])
        mike = EventStream(t.api.port, t.tok["mike"])
        try:
            t.require(mike.wait_comment("connected", 5), "mike's stream")
            r = t.post("/api/v1/calls/originate", {"client_id": mc["id"]}, who="mike")
            t.need(r, 202, "mike's click-to-call")
            ev = mike.wait(lambda e: e[0] == "call.originate", 10)
            t.check(ev and json.loads(ev[1]).get("result") == "failed", f"busy agent: {ev}")
        finally:
            mike.close()
    finally:
        anna.close()
        fake.close()
        ami_settings(t, fake.port, enabled=False)


@case
def t_webhook(t):
    """POST /api/v1/telephony/webhook: off while webhook.token is empty, a wrong token 401, start
    pops up at the extension's rep, end stores the call once, bad fields named."""
    body = {"event": "end", "call_id": f"cloud-{t.seq()}", "from": "+7 495 123-99-01",
            "to": "+7 495 000-00-00", "extension": "202", "direction": "in",
            "started_at": "2026-11-22T10:00:00Z", "ended_at": "2026-11-22T10:00:20Z"}
    t.expect(t.post("/api/v1/telephony/webhook", body, who=None), 403, what="webhook off")
    t.need(t.patch("/api/v1/settings", {"webhook.token": "hook-secret-1"}, who="elena"), 200,
           "set the webhook token")
    t.expect(t.post("/api/v1/telephony/webhook", body, who=None,
                    headers={"X-Nextcall-Token": "nope"}), 401, what="wrong token")
    hdr = {"X-Nextcall-Token": "hook-secret-1"}
    oleg = EventStream(t.api.port, t.tok["oleg"])
    try:
        t.require(oleg.wait_comment("connected", 5), "oleg's stream")
        start = dict(body, event="start")
        t.need(t.post("/api/v1/telephony/webhook", start, who=None, headers=hdr), 200, "start")
        t.check(oleg.wait(incoming(body["call_id"]), 5), "no pop-up for the webhook's start")
    finally:
        oleg.close()
    r = t.post("/api/v1/telephony/webhook", body, who=None, headers=hdr)
    t.need(r, 200, "end (missed)")
    t.check(r.get("duplicate") is False and r.get("stored_call_id"), f"end: {r.short()}")
    t.check(r.get("callback_step_id"), f"a missed webhook call plans a callback: {r.short()}")
    r2 = t.post("/api/v1/telephony/webhook", body, who=None, headers=hdr)
    t.check(r2.status == 200 and r2.get("duplicate") is True, f"the same end twice: {r2.short()}")
    c = t.get(f"/api/v1/calls/{r.get('stored_call_id')}", who="admin")
    t.need(c, 200, "the stored call")
    t.check(c.get("missed") is True and c.get("rep") == "oleg" and c.get("ring_s") == 20,
            f"the webhook call: {c.short()}")
    ans = dict(body, call_id=f"cloud-{t.seq()}", answered_at="2026-11-22T10:00:05Z",
               recording_url="https://cloud.example/r/1.mp3")
    r = t.post("/api/v1/telephony/webhook", ans, who=None, headers=hdr)
    t.need(r, 200, "end (answered)")
    c = t.get(f"/api/v1/calls/{r.get('stored_call_id')}", who="admin")
    t.check(c.get("missed") is False and c.get("talk_s") == 15 and c.get("ring_s") == 5 and
            c.get("recording_url") == "https://cloud.example/r/1.mp3", f"answered: {c.short()}")
    for bad, field in [({"event": "hangup"}, "event"), ({"started_at": "yesterday"}, "started_at"),
                       ({"ended_at": "2026-11-22T09:00:00Z"}, "ended_at"),
                       ({"direction": "sideways"}, "direction"),
                       ({"recording_url": "javascript:alert(1)"}, "recording_url"),
                       ({"call_id": ""}, "call_id"), ({"extra": 1}, "extra")]:
        b = dict(body, call_id=f"cloud-{t.seq()}")
        b.update(bad)
        if field == "call_id":
            b["call_id"] = ""
        t.expect(t.post("/api/v1/telephony/webhook", b, who=None, headers=hdr), 400,
                 field=field, what=f"webhook with bad {field}")
    t.need(t.patch("/api/v1/settings", {"webhook.token": ""}, who="elena"), 200, "webhook off")


@case
def t_webhook_one_callback(t):
    """Missed calls from a client whose earliest planned step is not a callback plan one
    callback in all, not one per call (bench/pg_writes.sh found a second one planned)."""
    from datetime import datetime, timedelta, timezone
    e164 = t.phones.new()
    c = t.new_client("oleg", phones=[e164])
    soon = (datetime.now(timezone.utc) + timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    t.need(t.post("/api/v1/calls", {
        "client_id": c["id"], "direction": "out", "purpose": "Уточнить объём заказа",
        "goal_max": "встреча в офисе", "goal_min": "созвон в пятницу", "talk_s": 60,
        "result": "min", "next": {"kind": "call", "due_at": soon}}, who="oleg"), 201,
        "a call with a step due before any callback")
    t.need(t.patch("/api/v1/settings", {"webhook.token": "hook-secret-2"}, who="elena"), 200,
           "set the webhook token")
    hdr = {"X-Nextcall-Token": "hook-secret-2"}
    try:
        for _ in range(3):
            end = datetime.now(timezone.utc).replace(microsecond=0)
            body = {"event": "end", "call_id": f"cloud-{t.seq()}", "from": e164,
                    "to": "+7 495 000-00-00", "extension": "202", "direction": "in",
                    "started_at": (end - timedelta(seconds=20)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "ended_at": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
            t.need(t.post("/api/v1/telephony/webhook", body, who=None, headers=hdr), 200,
                   "a missed call")
    finally:
        t.need(t.patch("/api/v1/settings", {"webhook.token": ""}, who="elena"), 200,
               "webhook off")
    steps = t.get(f"/api/v1/next-steps?client_id={c['id']}", who="oleg")
    t.need(steps, 200)
    planned = [(x.get("kind"), x.get("status")) for x in steps.get("items", default=[])
               if x.get("status") == "planned"]
    t.check(sorted(planned) == [("call", "planned"), ("callback", "planned")],
            f"planned steps after three missed calls: {planned}, want the call and one callback")
