"""cases_system.py - health, unknown paths and methods, the OpenAPI document against routes.c,
authentication and roles of every route."""

import http.client
import os
import shutil
import subprocess
import tempfile

from lib import Server, case
from schema import all_refs, REF_PREFIX


@case
def t_health(t):
    r = t.get("/healthz", who=None)
    if t.expect(r, 200):
        t.check(r.get("status") == "ok", f"status not ok: {r.short()}")
    t.check(r.header("X-Content-Type-Options") == "nosniff", "no X-Content-Type-Options: nosniff")
    t.check(r.header("X-Frame-Options") == "DENY", "no X-Frame-Options: DENY")
    r = t.get("/api/v1/session", who="anna")
    t.check((r.header("Cache-Control") or "").find("no-store") >= 0,
            f"/api/ answer without Cache-Control: no-store: {r.headers}")


@case
def t_not_found(t):
    for p in ("/nope", "/api/v1/nope", "/api/v1/clients/1/nope", "/api/v2/clients",
              "/api/v1/clients/", "/api/v1//clients"):
        r = t.get(p, who="anna")
        t.expect(r, 404, code="not_found", what=f"GET {p}")
    for p in ("/api/v1/clients/abc", "/api/v1/clients/0", "/api/v1/clients/-1",
              "/api/v1/clients/99999999999999999999", "/api/v1/clients/999999"):
        r = t.get(p, who="admin")
        t.expect(r, 404, what=f"GET {p}")


@case
def t_method_not_allowed(t):
    by_path = {}
    for rt in t.routes:
        by_path.setdefault(rt.pattern, set()).add(rt.method)
    for pattern, methods in sorted(by_path.items()):
        path = pattern.replace("{id}", "1").replace("{login}", "anna")
        other = next(m for m in ("PUT", "DELETE", "PATCH", "POST", "GET") if m not in methods)
        r = t.req(other, path, who="admin")
        if not t.expect(r, 405, code="method_not_allowed", what=f"{other} {path}"):
            continue
        allow = r.header("Allow")
        got = {m.strip() for m in (allow or "").split(",") if m.strip()}
        t.check(got == methods, f"{other} {path}: Allow {allow!r}, want {sorted(methods)}")


@case
def t_openapi_document(t):
    r = t.get("/api/v1/openapi.json", who=None)
    t.need(r, 200)
    doc = r.json
    t.require(isinstance(doc, dict), "openapi.json is not a JSON object")
    t.check(str(doc.get("openapi", "")).startswith("3.1"), f"openapi {doc.get('openapi')!r}")
    paths = doc.get("paths", {})
    comps = doc.get("components", {}).get("schemas", {})
    t.require(t.routes, "no routes parsed from src/web/routes.c")
    for rt in t.routes:
        op = paths.get(rt.pattern, {}).get(rt.method.lower())
        if not t.check(op is not None, f"{rt} of routes.c is not in openapi.json"):
            continue
        resp = op.get("responses", {})
        if t.check(str(rt.success) in resp, f"{rt}: success {rt.success} not documented"):
            ref = resp[str(rt.success)].get("content", {}).get("application/json", {}) \
                .get("schema", {}).get("$ref")
            want = REF_PREFIX + rt.response if rt.response else None
            t.check(ref == want, f"{rt}: success schema {ref}, routes.c says {want}")
        req = op.get("requestBody", {}).get("content", {}).get("application/json", {}) \
            .get("schema", {}).get("$ref")
        want = REF_PREFIX + rt.request if rt.request else None
        t.check(req == want, f"{rt}: request schema {req}, routes.c says {want}")
        t.check(rt.public == (op.get("security") == []),
                f"{rt}: public={rt.public} but security={op.get('security')!r}")
        for st in ("400", "404"):
            if rt.body or st == "404":
                t.check(st in resp, f"{rt}: {st} not documented")
        if not rt.public:
            t.check("401" in resp and "403" in resp, f"{rt}: 401/403 not documented")
    documented = {(p, m.upper()) for p, ops in paths.items() for m in ops}
    table = {(rt.pattern, rt.method) for rt in t.routes}
    for extra in sorted(documented - table):
        t.fail(f"openapi.json documents {extra[1]} {extra[0]}, not an API route of routes.c")
    for where, ref in all_refs(doc):
        if not (isinstance(ref, str) and ref.startswith(REF_PREFIX) and ref[len(REF_PREFIX):]
                in comps):
            t.fail(f"unresolvable $ref {ref!r} at {where}")
    for name, s in comps.items():
        # openapi.c turns a schema whose JSON does not parse into {"description": error}
        t.check(isinstance(s, dict) and set(s) != {"description"},
                f"schema {name} did not parse in openapi.c: {s}")
    t.check("Error" in comps, "no Error schema")


@case
def t_auth_required(t):
    for rt in t.routes:
        if rt.public:
            continue
        path = rt.path(login="anna")
        body = {} if rt.body else None
        r = t.req(rt.method, path, body, who=None)
        t.expect(r, 401, code="unauthorized", what=f"{rt} without credentials")
        r = t.req(rt.method, path, body, who="nct_not-a-real-token")
        t.expect(r, 401, what=f"{rt} with a bad token")
        r = t.req(rt.method, path, body, who=None, cookie="bogus-session-id")
        t.expect(r, 401, what=f"{rt} with a bad session cookie")


@case
def t_roles_enforced(t):
    for rt in t.routes:
        if rt.public or rt.role == "rep":
            continue
        path = rt.path(login="anna")
        body = {} if rt.body else None
        r = t.req(rt.method, path, body, who="anna")
        t.expect(r, 403, code="forbidden", what=f"{rt} as rep anna")
        if rt.role == "admin":
            r = t.req(rt.method, path, body, who="elena")
            t.expect(r, 403, code="forbidden", what=f"{rt} as head elena")


@case
def t_schema_validator_selftest(t):
    """The validator must find faults, or every schema check above proves nothing."""
    t.require(t.api.contract is not None, "no contract")
    s = t.api.contract.schemas
    n = s.named
    good_err = {"error": {"code": "x", "message": "m", "field": None}}
    t.check(s.validate(good_err, n("Error")) == [], "a valid Error fails")
    for bad, what in (({"error": {"code": "x", "message": "m"}}, "missing field"),
                      ({"error": {"code": 1, "message": "m", "field": None}}, "code a number"),
                      ({"error": {"code": "x", "message": "m", "field": 5}}, "field a number"),
                      ([], "an array")):
        t.check(s.validate(bad, n("Error")) != [], f"the validator accepts an Error with {what}")
    t.check(s.validate({"id": 1, "kind": "lunch", "due_at": "x"}, n("StepRef")) != [],
            "enum not checked")
    t.check(s.validate(None, n("StepRef")) == [], "type [object, null] refuses null")
    t.check(s.validate(True, {"type": "integer"}) != [], "true passes as an integer")
    t.check(s.validate(1.5, {"type": "integer"}) != [], "1.5 passes as an integer")
    t.check(s.validate(None, {"enum": ["in", None]}) == [], "enum with null refuses null")
    t.check(s.validate({"a": 1, "b": 2}, {"type": "object", "properties": {"a": {}},
                                          "additionalProperties": False}) != [],
            "additionalProperties false not checked")
    t.check(s.validate({"id": 1}, n("ClientCard")) != [], "allOf/$ref not checked")
    t.check(s.validate({}, {"$ref": "#/components/schemas/NoSuch"}) != [], "a bad $ref passes")


@case
def t_read_cache_setting(t):
    """NEXTCALL_READ_CACHE_MB sizes a server worker's SQLite page cache: a value that is not a
    whole number of megabytes from 1 to 65536 stops "serve" at start (exit 1) with an error
    naming the variable; a good one serves. PostgreSQL has no such cache (the variable is not
    read)."""
    if not os.path.exists(t.server.db):
        print("  # PostgreSQL: nothing to check")
        return
    env = dict(t.server.env)
    for v in ("abc", "0", "65537", "12x", "", "-5", "99999999999999999999"):
        env["NEXTCALL_READ_CACHE_MB"] = v
        p = subprocess.run([t.server.nextcall, "--db", t.server.db, "serve", "--listen",
                            f"127.0.0.1:{Server.free_port()}"], env=env, capture_output=True,
                           text=True, timeout=10)
        t.check(p.returncode == 1 and "NEXTCALL_READ_CACHE_MB" in p.stderr
                and "\n" not in p.stderr.strip(),
                f"NEXTCALL_READ_CACHE_MB={v!r}: exit {p.returncode}: {p.stderr.strip()[:300]}")
    tmp = tempfile.mkdtemp(prefix="readcache-", dir=t.server.tmp)
    srv = Server(t.server.nextcall, tmp)
    srv.db = t.server.db
    srv.env["NEXTCALL_READ_CACHE_MB"] = "16"
    try:
        srv.start()  # waits for /healthz 200
        tok = t.tok["anna"]
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        c.request("GET", "/api/v1/agenda", headers={"Authorization": f"Bearer {tok}"})
        r = c.getresponse()
        r.read()
        c.close()
        t.check(r.status == 200, f"NEXTCALL_READ_CACHE_MB=16: GET /api/v1/agenda {r.status}")
    finally:
        rc, _ = srv.stop(10)
        srv.kill()
        t.check(rc == 0, f"NEXTCALL_READ_CACHE_MB=16: the server exited with {rc}")
        shutil.rmtree(tmp, ignore_errors=True)
