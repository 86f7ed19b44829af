"""schema.py - a small JSON-Schema validator for the subset that src/web/openapi.c uses, and the
contract: the OpenAPI document fetched from the server, which says for every route and status
what the answer must look like, plus the route table parsed from src/web/routes.c.

Supported keywords: type (a name or a list such as ["string", "null"]), properties, required,
items, enum (null included), $ref to #/components/schemas/X, allOf, additionalProperties
(false, true or a schema). format, description and the rest are ignored."""

import json
import re

REF_PREFIX = "#/components/schemas/"


def _type_ok(value, name):
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    return False  # an unknown type name never matches: the document is wrong


def _same(a, b):
    """JSON equality: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def _short(value):
    s = json.dumps(value, ensure_ascii=False)
    return s if len(s) <= 80 else s[:77] + "..."


class Schemas:
    """The components/schemas of one OpenAPI document."""

    def __init__(self, doc):
        self.doc = doc
        self.components = doc.get("components", {}).get("schemas", {})

    def resolve(self, ref):
        if not isinstance(ref, str) or not ref.startswith(REF_PREFIX):
            return None
        return self.components.get(ref[len(REF_PREFIX):])

    def validate(self, value, schema, path="$", depth=0):
        """Gives the list of problems of value against schema (empty when it conforms)."""
        if depth > 50:
            return [f"{path}: schema nesting too deep (a $ref loop?)"]
        if schema is True or schema == {}:
            return []
        if schema is False:
            return [f"{path}: no value is allowed here"]
        if not isinstance(schema, dict):
            return [f"{path}: the schema is not an object: {_short(schema)}"]
        errs = []
        if "$ref" in schema:
            target = self.resolve(schema["$ref"])
            if target is None:
                return [f"{path}: unresolvable $ref {schema['$ref']}"]
            errs += self.validate(value, target, path, depth + 1)
        for i, sub in enumerate(schema.get("allOf", [])):
            errs += self.validate(value, sub, path, depth + 1)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_type_ok(value, t) for t in types):
                return errs + [f"{path}: want {'|'.join(types)}, got {_short(value)}"]
        if "enum" in schema:
            if not any(_same(value, e) for e in schema["enum"]):
                errs.append(f"{path}: {_short(value)} is not one of {_short(schema['enum'])}")
        if isinstance(value, dict):
            props = schema.get("properties", {})
            for key in schema.get("required", []):
                if key not in value:
                    errs.append(f"{path}: required member \"{key}\" is missing")
            for key, sub in props.items():
                if key in value:
                    errs += self.validate(value[key], sub, f"{path}.{key}", depth + 1)
            extra = schema.get("additionalProperties", True)
            if extra is not True:
                for key in value:
                    if key in props:
                        continue
                    if extra is False:
                        errs.append(f"{path}: member \"{key}\" is not allowed")
                    else:
                        errs += self.validate(value[key], extra, f"{path}.{key}", depth + 1)
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                errs += self.validate(item, schema["items"], f"{path}[{i}]", depth + 1)
        return errs

    def named(self, name):
        return {"$ref": REF_PREFIX + name}


def all_refs(node, where="$"):
    """Yields (where, ref) for every $ref in a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield where, v
            else:
                yield from all_refs(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from all_refs(v, f"{where}/{i}")


# ---- the route table of src/web/routes.c ----

_ROUTE_RE = re.compile(
    r'\{"(GET|POST|PATCH|DELETE|PUT)",\s*"([^"]+)",\s*(\w+),\s*(ROLE_\w+),\s*([^,]+?),\s*'
    r'"([\w-]+)",(.*?)(NULL|"\w+"),\s*(NULL|"\w+"),\s*(\d{3})\s*\}', re.S)


class Route:
    def __init__(self, m):
        self.method, self.pattern, self.handler, self.role = m.group(1), m.group(2), m.group(3), \
            m.group(4)[5:].lower()
        flags = m.group(5)
        self.public = "PUB" in flags or "ROUTE_PUBLIC" in flags
        self.body = "BODY" in flags
        self.tag = m.group(6)
        self.request = None if m.group(8) == "NULL" else m.group(8).strip('"')
        self.response = None if m.group(9) == "NULL" else m.group(9).strip('"')
        self.success = int(m.group(10))

    def path(self, **params):
        """The pattern with its {x} parts filled from params (default "1")."""
        return re.sub(r"\{(\w+)\}", lambda m: str(params.get(m.group(1), 1)), self.pattern)

    def __repr__(self):
        return f"{self.method} {self.pattern}"


def parse_routes(routes_c_text):
    return [Route(m) for m in _ROUTE_RE.finditer(routes_c_text)]


# ---- the contract: which schema an answer must follow ----

def _segments(p):
    return [s for s in p.split("/") if s != ""]


class Contract:
    """The OpenAPI document as an oracle for answers."""

    def __init__(self, doc):
        self.doc = doc
        self.schemas = Schemas(doc)
        self.paths = doc.get("paths", {})
        self._patterns = [(p, _segments(p)) for p in self.paths]

    def pattern_for(self, path):
        """The documented path pattern that path matches (literal segments first), or None."""
        segs = _segments(path.split("?", 1)[0])
        best, best_literals = None, -1
        for pattern, psegs in self._patterns:
            if len(psegs) != len(segs):
                continue
            literals, ok = 0, True
            for a, b in zip(psegs, segs):
                if a.startswith("{") and a.endswith("}"):
                    if b == "":
                        ok = False
                        break
                elif a == b:
                    literals += 1
                else:
                    ok = False
                    break
            if ok and literals > best_literals:
                best, best_literals = pattern, literals
        return best

    def check(self, method, path, status, content_type, body):
        """Problems of one answer: an undocumented status, a wrong content type, a JSON body
        that does not follow the documented schema. body is bytes."""
        where = f"{method} {path.split('?', 1)[0]} -> {status}"
        pattern = self.pattern_for(path)
        op = self.paths.get(pattern, {}).get(method.lower()) if pattern else None
        schema = None
        if op is None:
            # no such route: 404 (unknown path) or 405 (other method): both answer Error
            if status not in (404, 405):
                return [f"{where}: no documented route, and the status is not 404/405"]
            schema = self.schemas.named("Error")
        else:
            resp = op.get("responses", {}).get(str(status))
            if resp is None:
                return [f"{where}: status {status} is not documented for this route "
                        f"(documented: {', '.join(sorted(op.get('responses', {})))})"
                        + _excerpt(body)]
            content = resp.get("content")
            if content:
                schema = content.get("application/json", {}).get("schema")
            elif status == 204 and body:
                return [f"{where}: 204 with a body"]
        if schema is None:
            return []
        if not (content_type or "").lower().startswith("application/json"):
            return [f"{where}: Content-Type {content_type!r}, want application/json"]
        try:
            value = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            return [f"{where}: the body is not JSON ({e})" + _excerpt(body)]
        errs = self.schemas.validate(value, schema)
        return [f"{where}: schema: {e}" for e in errs[:8]] + (
            [f"{where}: ... {len(errs) - 8} more schema problems"] if len(errs) > 8 else [])


def _excerpt(body):
    if not body:
        return ""
    s = body[:300].decode("utf-8", "replace")
    return f"; body: {s}"


# ---- a fallback: the document rebuilt from the sources ----
#
# When GET /api/v1/openapi.json does not answer, the suite still checks answers: it reads the
# schemas from the C string literals of src/web/openapi.c (expanding its #define macros) and
# builds the paths from routes.c the way openapi.c does (error_responses: 413/415/422 only for
# routes with a body, no 401 for "system" routes, 429 only for /api/v1/session).

_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|([A-Za-z_]\w*)|([(),{}])|(\s+|/\*.*?\*/|//[^\n]*)',
                    re.S)


def _tokens(text):
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            pos += 1
            continue
        pos = m.end()
        if m.group(1) is not None:
            out.append(("s", m.group(1).replace('\\"', '"').replace("\\\\", "\\")))
        elif m.group(2):
            out.append(("id", m.group(2)))
        elif m.group(3):
            out.append(("p", m.group(3)))
    return out


def _expand(tokens, macros, depth=0):
    """Concatenates string tokens, expanding object-like and one-parameter macros."""
    out, i = [], 0
    while i < len(tokens):
        kind, v = tokens[i]
        if kind == "s":
            out.append(v)
        elif kind == "id" and v in macros and depth < 20:
            params, body = macros[v]
            if params:
                # NAME ( args ) with one argument of string tokens
                j, level, arg = i + 2, 1, []
                while j < len(tokens) and level:
                    if tokens[j] == ("p", "("):
                        level += 1
                    elif tokens[j] == ("p", ")"):
                        level -= 1
                        if not level:
                            break
                    arg.append(tokens[j])
                    j += 1
                sub = []
                for tk in body:
                    sub += arg if tk == ("id", params[0]) else [tk]
                out.append(_expand(sub, macros, depth + 1))
                i = j
            else:
                out.append(_expand(body, macros, depth + 1))
        i += 1
    return "".join(out)


def schemas_from_openapi_c(text):
    """{name: schema} from the schemas[] table of openapi.c."""
    macros = {}
    for m in re.finditer(r"^#define\s+(\w+)(\((\w+)\))?[ \t]+((?:.*\\\n)*.*)$", text, re.M):
        macros[m.group(1)] = ([m.group(3)] if m.group(3) else [],
                              _tokens(m.group(4).replace("\\\n", " ")))
    start = text.index("schemas[] = {")
    end = text.index("{NULL, NULL}", start)
    toks = _tokens(text[start + len("schemas[] = {"):end])
    out, entry, level = {}, [], 0
    for tk in toks:
        if tk == ("p", "{"):
            level += 1
            if level == 1:
                entry = []
                continue
        elif tk == ("p", "}"):
            level -= 1
            if level == 0 and entry:
                name = entry[0][1]
                rest = entry[2:] if len(entry) > 2 and entry[1] == ("p", ",") else entry[1:]
                out[name] = json.loads(_expand(rest, macros))
                continue
        if level >= 1:
            entry.append(tk)
    return out


def document_from_sources(routes, openapi_c_text):
    errors = [400, 401, 403, 404, 405, 409, 413, 415, 422, 429]
    err = {"content": {"application/json": {"schema": {"$ref": REF_PREFIX + "Error"}}}}
    paths = {}
    for rt in routes:
        resp = {str(rt.success): {"description": "success"}}
        if rt.response:
            resp[str(rt.success)]["content"] = {
                "application/json": {"schema": {"$ref": REF_PREFIX + rt.response}}}
        for st in errors:
            if (st in (413, 415, 422) and not rt.body) or (st == 401 and rt.tag == "system") \
                    or (st == 429 and rt.pattern != "/api/v1/session"):
                continue
            resp[str(st)] = err
        op = {"responses": resp}
        if rt.request:
            op["requestBody"] = {"content": {"application/json": {
                "schema": {"$ref": REF_PREFIX + rt.request}}}}
        paths.setdefault(rt.pattern, {})[rt.method.lower()] = op
    return {"openapi": "3.1.0", "paths": paths,
            "components": {"schemas": schemas_from_openapi_c(openapi_c_text)}}
