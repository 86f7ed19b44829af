#!/usr/bin/env python3
"""ami_latency.py - issue 7's figure: from the AMI event to the SSE event on the rep's stream,
with 100 calls ringing at once.

Starts "nextcall serve" on a fresh database with 100 reps (extensions 301..400), each with a
client whose number will call, points its AMI link at a loopback AMI server written here (MD5
challenge login, an empty CoreShowChannels, Ping), and opens one live stream per rep. Each round
the server writes, in one send, for every rep a call of its own Linkedid: Newchannel on the
trunk (context from-trunk), DialBegin to PJSIP/3xx and DialState RINGING. A call's latency is
from just before that send to the arrival of its call.incoming on its rep's stream (read by one
thread polling all streams, so the reader adds no queue of its own).

usage: ami_latency.py --nextcall PATH [--calls N] [--rounds R] [--keep]
Prints one line per round and a last line
  "ami_latency: calls N rounds R samples S p50_ms A p99_ms B max_ms C"."""

import argparse
import hashlib
import json
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

SECRET = "bench-ami-secret"
BANNER = b"Asterisk Call Manager/11.0.0\r\n"


def say(msg):
    print(f"ami_latency: {msg}", file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class FakeAmi:
    """A loopback AMI server for one session: logs nextcall in by MD5 challenge, answers
    CoreShowChannels with an empty list and Ping; send() writes events to the session."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.conn = None
        self.lock = threading.Lock()
        self.ready = threading.Event()  # logged in and resynchronised
        self.logins = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def send(self, data):
        with self.lock:
            self.conn.sendall(data)

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            # a round's burst fits the socket buffer: the send does not wait for the reader,
            # so the streams are read (and timed) from the moment it returns
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
            self.conn = conn
            try:
                self.session(conn)
            except OSError:
                pass
            self.ready.clear()
            conn.close()

    def session(self, conn):
        conn.sendall(BANNER)
        nonce = str(int(time.time() * 1000))
        buf = b""
        while True:
            while b"\r\n\r\n" not in buf:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
            raw, buf = buf.split(b"\r\n\r\n", 1)
            a = {}
            for line in raw.decode("utf-8", "replace").split("\r\n"):
                k, _, v = line.partition(": ")
                a[k.lower()] = v
            act, aid = a.get("action", "").lower(), a.get("actionid", "")
            if act == "challenge":
                self.send(f"Response: Success\r\nActionID: {aid}\r\n"
                          f"Challenge: {nonce}\r\n\r\n".encode())
            elif act == "login":
                want = hashlib.md5((nonce + SECRET).encode()).hexdigest()
                if a.get("key") != want:
                    self.send(f"Response: Error\r\nActionID: {aid}\r\n"
                              "Message: Authentication failed\r\n\r\n".encode())
                    return
                self.logins += 1
                self.send(f"Response: Success\r\nActionID: {aid}\r\n"
                          "Message: Authentication accepted\r\n\r\n".encode())
            elif act == "coreshowchannels":
                self.send(f"Response: Success\r\nActionID: {aid}\r\nEventList: start\r\n"
                          "Message: Channels will follow\r\n\r\n"
                          f"Event: CoreShowChannelsComplete\r\nActionID: {aid}\r\n"
                          "EventList: Complete\r\nListItems: 0\r\n\r\n".encode())
                self.ready.set()
            elif act == "ping":
                self.send(f"Response: Success\r\nActionID: {aid}\r\nPing: Pong\r\n"
                          f"Timestamp: {time.time():.6f}\r\n\r\n".encode())
            elif act == "logoff":
                self.send(f"Response: Goodbye\r\nActionID: {aid}\r\n"
                          "Message: Thanks for all the fish.\r\n\r\n".encode())
                return
            elif act:
                self.send(f"Response: Error\r\nActionID: {aid}\r\n"
                          "Message: Invalid/unknown command\r\n\r\n".encode())


def number(k):
    """The outside number of rep k's caller, as the trunk sends it (Moscow, national form)."""
    return f"8495770{k:04d}"


def call_events(rnd, k, ts):
    """The bytes of one inbound call to extension 301+k up to its first ring."""
    ext = 301 + k
    lid = f"{1795000000 + rnd * 1000 + k}.{k * 2}"
    uid_b = f"{1795000000 + rnd * 1000 + k}.{k * 2 + 1}"
    num = number(k)
    chan_a = f"PJSIP/trunk-{rnd:04x}{k:04x}"
    chan_b = f"PJSIP/{ext}-{rnd:04x}{k:04x}"
    caller = (f"Channel: {chan_a}\r\nChannelState: 4\r\nChannelStateDesc: Ring\r\n"
              f"CallerIDNum: {num}\r\nCallerIDName: <unknown>\r\nConnectedLineNum: <unknown>\r\n"
              "ConnectedLineName: <unknown>\r\nLanguage: en\r\nAccountCode: \r\n"
              f"Context: from-trunk\r\nExten: 4957700000\r\nPriority: 1\r\n"
              f"Uniqueid: {lid}\r\nLinkedid: {lid}\r\n")
    dest = (f"DestChannel: {chan_b}\r\nDestChannelState: 0\r\nDestChannelStateDesc: Down\r\n"
            f"DestCallerIDNum: {ext}\r\nDestCallerIDName: <unknown>\r\n"
            f"DestConnectedLineNum: {num}\r\nDestConnectedLineName: <unknown>\r\n"
            "DestLanguage: en\r\nDestAccountCode: \r\nDestContext: from-internal\r\n"
            f"DestExten: {ext}\r\nDestPriority: 1\r\nDestUniqueid: {uid_b}\r\n"
            f"DestLinkedid: {lid}\r\n")
    t = f"Timestamp: {ts:.6f}\r\n"
    dial_caller = caller.replace("Context: from-trunk\r\nExten: 4957700000\r\nPriority: 1\r\n",
                                 "Context: from-trunk\r\nExten: s\r\nPriority: 2\r\n")
    return ("Event: Newchannel\r\nPrivilege: call,all\r\n" + t + caller + "\r\n"
            "Event: DialBegin\r\nPrivilege: call,all\r\n" + t + dial_caller + dest +
            f"DialString: {ext}\r\n\r\n"
            "Event: DialState\r\nPrivilege: call,all\r\n" + t + dial_caller + dest +
            "DialStatus: RINGING\r\n\r\n"), lid


def hangup_events(rnd, k, ts):
    """The bytes that end that call unanswered: DialEnd NOANSWER, then both channels hang up."""
    ext = 301 + k
    lid = f"{1795000000 + rnd * 1000 + k}.{k * 2}"
    uid_b = f"{1795000000 + rnd * 1000 + k}.{k * 2 + 1}"
    t = f"Privilege: call,all\r\nTimestamp: {ts:.6f}\r\n"
    chan_a = f"PJSIP/trunk-{rnd:04x}{k:04x}"
    chan_b = f"PJSIP/{ext}-{rnd:04x}{k:04x}"
    return (f"Event: DialEnd\r\n{t}Channel: {chan_a}\r\nUniqueid: {lid}\r\nLinkedid: {lid}\r\n"
            f"DestChannel: {chan_b}\r\nDestUniqueid: {uid_b}\r\nDestLinkedid: {lid}\r\n"
            "DialStatus: NOANSWER\r\n\r\n"
            f"Event: Hangup\r\n{t}Channel: {chan_b}\r\nUniqueid: {uid_b}\r\n"
            f"Linkedid: {lid}\r\nCause: 19\r\nCause-txt: No answer\r\n\r\n"
            f"Event: Hangup\r\n{t}Channel: {chan_a}\r\nUniqueid: {lid}\r\n"
            f"Linkedid: {lid}\r\nCause: 16\r\nCause-txt: Normal Clearing\r\n\r\n")


class Stream:
    """GET /api/v1/events of one rep on a raw socket; the call_ids of call.incoming events."""

    def __init__(self, port, token, k):
        self.k = k
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                          f"Authorization: Bearer {token}\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        self.raw = b""      # bytes not yet taken apart
        self.head = None    # the response head once read
        self.chunked = False
        self.text = b""     # the event stream itself (chunk framing removed)
        self.connected = False
        self.sock.setblocking(False)

    def feed(self, data):
        """Adds received bytes; gives the call_ids of the call.incoming events completed."""
        self.raw += data
        if self.head is None:
            if b"\r\n\r\n" not in self.raw:
                return []
            self.head, self.raw = self.raw.split(b"\r\n\r\n", 1)
            status = self.head.split(b"\r\n", 1)[0]
            if b" 200 " not in status + b" ":
                raise RuntimeError(f"stream of rep {self.k}: {status!r}")
            self.chunked = b"transfer-encoding: chunked" in self.head.lower()
        if self.chunked:
            while True:
                line, sep, rest = self.raw.partition(b"\r\n")
                if not sep:
                    break
                size = int(line.split(b";")[0] or b"0", 16)
                if len(rest) < size + 2:
                    break
                self.text += rest[:size]
                self.raw = rest[size + 2:]
        else:
            self.text += self.raw
            self.raw = b""
        ids = []
        while b"\n\n" in self.text:
            ev, self.text = self.text.split(b"\n\n", 1)
            lines = ev.decode("utf-8", "replace").split("\n")
            if ": connected" in lines:
                self.connected = True
            if "event: call.incoming" in lines:
                data = "\n".join(x[5:].lstrip() for x in lines if x.startswith("data:"))
                ev = json.loads(data)
                if ev.get("client_id") is None:  # the pop-up must name the caller
                    raise RuntimeError(f"call.incoming without the client: {data}")
                ids.append(ev["call_id"])
        return ids


def nc(args, db, *cmd, stdin=None):
    r = subprocess.run([args.nextcall, "--db", db, *cmd], input=stdin, capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise RuntimeError(f"nextcall {' '.join(cmd)}: {r.stderr.strip()}")
    return r.stdout.strip()


def percentile(sorted_ms, p):
    """The nearest-rank percentile of a sorted list."""
    k = max(1, -(-len(sorted_ms) * p // 100))
    return sorted_ms[int(k) - 1]


def setup(args, tmp, fake):
    db = os.path.join(tmp, "ami.db")
    nc(args, db, "init")
    nc(args, db, "user", "add", "boss", "--name", "Bench Admin", "--role", "admin")
    for k in range(args.calls):
        login = f"rep{301 + k}"
        nc(args, db, "user", "add", login, "--name", f"Rep {301 + k}", "--role", "rep",
           "--extension", str(301 + k))
        nc(args, db, "client", "add", "--name", f"Caller {k}", "--phone", number(k),
           "--owner", login)
    for key, val in (("ami.host", "127.0.0.1"), ("ami.port", str(fake.port)),
                     ("ami.user", "nextcall"), ("ami.secret", SECRET), ("ami.enabled", "true")):
        nc(args, db, "settings", "set", key, val)
    tokens = [nc(args, db, "token", "create", f"rep{301 + k}", "--name", "bench")
              for k in range(args.calls)]
    return db, tokens


def round_once(rnd, fake, streams, sel, timeout=10.0):
    """One burst; gives the latencies in ms of the calls whose event arrived (None: lost)."""
    ts = time.time()
    blob, want = [], {}
    for k in range(len(streams)):
        text, lid = call_events(rnd, k, ts)
        blob.append(text)
        want[lid] = k
    data = "".join(blob).encode()
    got = {}
    t0 = time.monotonic()
    fake.send(data)
    deadline = t0 + timeout
    while len(got) < len(want) and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            s = key.data
            try:
                chunk = s.sock.recv(65536)
            except BlockingIOError:
                continue
            now = time.monotonic()
            if not chunk:
                raise RuntimeError(f"stream of rep {s.k} closed")
            for cid in s.feed(chunk):
                if cid in want and cid not in got:
                    if want[cid] != s.k:
                        raise RuntimeError(f"{cid} reached rep {s.k}, not {want[cid]}")
                    got[cid] = (now - t0) * 1000
    return [got.get(lid) for lid in want]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nextcall", required=True, help="the nextcall binary (a release build)")
    ap.add_argument("--calls", type=int, default=100, help="calls ringing at once (reps)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2, help="serve --threads")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    if not 1 <= args.calls <= 100:
        ap.error("--calls: 1 to 100 (extensions 301..400)")

    tmp = tempfile.mkdtemp(prefix="nc-ami-latency.")
    fake = FakeAmi()
    server = None
    streams = []
    try:
        say(f"setting up {args.calls} reps, clients and tokens")
        db, tokens = setup(args, tmp, fake)
        port = free_port()
        log = open(os.path.join(tmp, "server.log"), "w")
        server = subprocess.Popen([args.nextcall, "--db", db, "serve", "--listen",
                                   f"127.0.0.1:{port}", "--threads", str(args.threads)],
                                  stdout=subprocess.DEVNULL, stderr=log)
        if not fake.ready.wait(15):
            raise RuntimeError("the AMI link did not log in and resynchronise")
        sel = selectors.DefaultSelector()
        for k, tok in enumerate(tokens):
            for _ in range(100):  # the HTTP listener may come up after the AMI link
                try:
                    s = Stream(port, tok, k)
                    break
                except ConnectionRefusedError:
                    time.sleep(0.05)
            else:
                raise RuntimeError("the server does not listen")
            streams.append(s)
            sel.register(s.sock, selectors.EVENT_READ, s)
        deadline = time.monotonic() + 10
        while not all(s.connected for s in streams) and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.5):
                try:
                    chunk = key.data.sock.recv(65536)
                except BlockingIOError:
                    continue
                key.data.feed(chunk)
        if not all(s.connected for s in streams):
            raise RuntimeError("not every stream said it was connected")
        say(f"{len(streams)} streams open; {args.rounds} rounds of {args.calls} calls")
        every = []
        lost = 0
        for rnd in range(1, args.rounds + 1):
            lat = round_once(rnd, fake, streams, sel)
            ok = sorted(x for x in lat if x is not None)
            lost += len(lat) - len(ok)
            every += ok
            if ok:
                print(f"round {rnd}: {len(ok)} of {len(lat)} events, p50 "
                      f"{percentile(ok, 50):.2f} ms, p99 {percentile(ok, 99):.2f} ms, "
                      f"max {ok[-1]:.2f} ms", flush=True)
            # the calls end unanswered: the link stores 100 missed calls and plans their
            # callbacks; the next round starts once that work is done
            ts = time.time() + 20
            fake.send("".join(hangup_events(rnd, k, ts) for k in range(args.calls)).encode())
            time.sleep(2)
        if fake.logins != 1:
            raise RuntimeError(f"the AMI link logged in {fake.logins} times")
        every.sort()
        if not every:
            raise RuntimeError("no call.incoming arrived")
        print(f"ami_latency: calls {args.calls} rounds {args.rounds} samples {len(every)} "
              f"lost {lost} p50_ms {percentile(every, 50):.2f} "
              f"p99_ms {percentile(every, 99):.2f} max_ms {every[-1]:.2f}", flush=True)
        return 0 if lost == 0 else 1
    finally:
        if server:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        for s in streams:
            s.sock.close()
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
