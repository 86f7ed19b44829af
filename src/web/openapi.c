/* openapi.c - GET /api/v1/openapi.json: the OpenAPI 3.1 document made from the route table and
 * the schemas below, so the description cannot drift from the routes. The HTTP tests check the
 * server's real answers against these schemas. */
#include "web/api.h"
#include "web/router.h"

#include <stdio.h>
#include <string.h>

#define STR   "{\"type\":\"string\"}"
#define OSTR  "{\"type\":[\"string\",\"null\"]}"
#define INT   "{\"type\":\"integer\"}"
#define OINT  "{\"type\":[\"integer\",\"null\"]}"
#define NUM   "{\"type\":\"number\"}"
#define BOOL  "{\"type\":\"boolean\"}"
#define TIME  "{\"type\":\"string\",\"format\":\"date-time\"}"
#define OTIME "{\"type\":[\"string\",\"null\"],\"format\":\"date-time\"}"
#define LIST(item)                                                                                 \
	"{\"type\":\"object\",\"required\":[\"items\",\"next_after\"],\"properties\":{"            \
	"\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/" item "\"}},"   \
	"\"next_after\":" OINT "}}"
#define KINDS "[\"meeting\",\"visit\",\"call\",\"callback\",\"offer\",\"invoice\",\"decision\"]"

struct schema {
	const char *name, *json;
};

static const struct schema schemas[] = {
    {"Error", "{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{"
	      "\"type\":\"object\",\"required\":[\"code\",\"message\",\"field\"],\"properties\":{"
	      "\"code\":" STR ",\"message\":" STR ",\"field\":" OSTR ",\"existing_id\":" INT
	      ",\"violations\":{\"type\":\"array\",\"items\":{\"$ref\":"
	      "\"#/components/schemas/Violation\"}}}}}}"},
    {"Violation", "{\"type\":\"object\",\"required\":[\"rule\",\"field\",\"message\"],"
		  "\"properties\":{\"rule\":" STR ",\"field\":" STR ",\"message\":" STR "}}"},
    {"Health", "{\"type\":\"object\",\"required\":[\"status\"],\"properties\":{\"status\":" STR
	       ",\"database\":" STR "}}"},
    {"Login", "{\"type\":\"object\",\"required\":[\"login\",\"password\"],\"properties\":{"
	      "\"login\":" STR ",\"password\":" STR "}}"},
    {"Session", "{\"type\":\"object\",\"required\":[\"user\"],\"properties\":{\"user\":{"
		"\"$ref\":\"#/components/schemas/User\"},\"csrf\":" STR "}}"},
    {"TokenCreate", "{\"type\":\"object\",\"properties\":{\"login\":" STR ",\"name\":" STR "}}"},
    {"Token",
     "{\"type\":\"object\",\"required\":[\"id\",\"login\",\"name\",\"token\"],"
     "\"properties\":{\"id\":" INT ",\"login\":" STR ",\"name\":" STR ",\"token\":" STR "}}"},
    {"StepRef",
     "{\"type\":[\"object\",\"null\"],\"required\":[\"id\",\"kind\",\"due_at\"],"
     "\"properties\":{\"id\":" INT ",\"kind\":{\"enum\":" KINDS "},\"due_at\":" TIME "}}"},
    {"Client",
     "{\"type\":\"object\",\"required\":[\"id\",\"name\",\"company\",\"category\",\"phones\","
     "\"owner\",\"refusal_reason\",\"never_reason\"],\"properties\":{\"id\":" INT ",\"name\":" STR
     ",\"company\":" OSTR ",\"category\":{\"enum\":[\"now\",\"future\","
     "\"never\"]},\"phones\":{\"type\":\"array\",\"items\":" STR "},\"owner\":" OSTR
     ",\"segment\":" OSTR ",\"source\":" OSTR ",\"refusal_reason\":" OSTR ",\"never_reason\":" OSTR
     ",\"never_note\":" OSTR ",\"next_step\":{\"$ref\":"
     "\"#/components/schemas/StepRef\"},\"last_contact_at\":" OTIME ",\"created_at\":" TIME
     ",\"updated_at\":" TIME "}}"},
    {"ClientCard",
     "{\"allOf\":[{\"$ref\":\"#/components/schemas/Client\"},{\"type\":\"object\","
     "\"required\":[\"next_step\",\"deals\",\"history\"],\"properties\":{\"deals\":{\"type\":"
     "\"array\",\"items\":{\"$ref\":\"#/components/schemas/Deal\"}},\"history\":{\"type\":"
     "\"array\",\"items\":{\"$ref\":\"#/components/schemas/Call\"}}}}]}"},
    {"ClientList", LIST("Client")},
    {"ClientCreate",
     "{\"type\":\"object\",\"required\":[\"name\",\"phones\"],\"properties\":{"
     "\"name\":" STR ",\"company\":" OSTR ",\"phones\":{\"type\":\"array\","
     "\"items\":" STR "},\"owner\":" OSTR ",\"segment\":" OSTR ",\"source\":" OSTR "}}"},
    {"ClientUpdate", "{\"type\":\"object\",\"properties\":{\"name\":" STR ",\"company\":" OSTR
		     ",\"phones\":{\"type\":\"array\",\"items\":" STR "},\"owner\":" OSTR
		     ",\"segment\":" OSTR ",\"source\":" OSTR "}}"},
    {"Call", "{\"type\":\"object\",\"required\":[\"id\",\"client_id\",\"kind\",\"direction\","
	     "\"at\",\"missed\",\"ring_s\",\"talk_s\",\"outcome\",\"rep\",\"phone\",\"pbx_id\","
	     "\"recording_url\"],\"properties\":{\"id\":" INT ",\"client_id\":" OINT
	     ",\"kind\":{\"enum\":[\"call\",\"meeting\"]},\"direction\":{\"enum\":[\"in\","
	     "\"out\",null]},\"at\":" TIME ",\"missed\":" BOOL ",\"ring_s\":" INT ",\"talk_s\":" INT
	     ",\"purpose\":" OSTR ",\"goal_max\":" OSTR ",\"goal_min\":" OSTR
	     ",\"result\":{\"enum\":[\"max\",\"min\",\"none\",null]},\"outcome\":" STR
	     ",\"refusal_reason\":" OSTR ",\"rep\":" OSTR ",\"phone\":" OSTR ",\"pbx_id\":" OSTR
	     ",\"recording_url\":" OSTR ",\"logged\":" BOOL "}}"},
    {"CallList", LIST("Call")},
    {"CallCreate",
     "{\"type\":\"object\",\"required\":[\"client_id\",\"direction\"],\"properties\":{"
     "\"client_id\":" INT ",\"rep\":" STR ",\"direction\":{\"enum\":[\"in\",\"out\"]},"
     "\"purpose\":" STR ",\"goal_max\":" STR ",\"goal_min\":" STR ",\"result\":{\"enum\":["
     "\"max\",\"min\",\"none\"]},\"missed\":" BOOL ",\"talk_s\":" INT ",\"at\":" TIME
     ",\"next\":{\"type\":\"object\",\"properties\":{\"kind\":{\"enum\":" KINDS "},"
     "\"due_at\":" STR "}},\"refused\":" STR ",\"never\":{\"type\":\"object\",\"properties\":{"
     "\"reason\":{\"enum\":[\"closed\",\"gone\"]},\"note\":" STR "}},\"offer\":{\"type\":["
     "\"number\",\"string\"]},\"won\":{\"type\":[\"number\",\"string\"]}}}"},
    {"MeetingCreate",
     "{\"type\":\"object\",\"required\":[\"client_id\",\"purpose\"],\"properties\":{"
     "\"client_id\":" INT ",\"rep\":" STR ",\"purpose\":" STR ",\"goal_max\":" STR
     ",\"goal_min\":" STR ",\"result\":{\"enum\":[\"max\",\"min\",\"none\"]},\"at\":" TIME
     ",\"next\":{\"type\":\"object\"},\"refused\":" STR ",\"never\":{\"type\":\"object\"},"
     "\"offer\":{\"type\":[\"number\",\"string\"]},\"won\":{\"type\":[\"number\",\"string\"]}}}"},
    {"CallCreated", "{\"type\":\"object\",\"required\":[\"call\",\"warnings\"],\"properties\":{"
		    "\"call\":{\"$ref\":\"#/components/schemas/Call\"},\"warnings\":{\"type\":"
		    "\"array\",\"items\":{\"$ref\":\"#/components/schemas/Violation\"}}}}"},
    {"Step",
     "{\"type\":\"object\",\"required\":[\"id\",\"client_id\",\"kind\",\"due_at\","
     "\"status\"],\"properties\":{\"id\":" INT ",\"client_id\":" INT ",\"kind\":{\"enum\":" KINDS
     "},\"due_at\":" TIME ",\"status\":{\"enum\":[\"planned\",\"done\",\"missed\","
     "\"cancelled\"]},\"auto\":" BOOL ",\"rep\":" STR ",\"client_name\":" STR ",\"phone\":" STR
     ",\"call_id\":" INT ",\"note\":" STR ",\"cancel_reason\":" STR "}}"},
    {"StepList", LIST("Step")},
    {"StepCreated", "{\"type\":\"object\",\"required\":[\"step\",\"warnings\"],\"properties\":{"
		    "\"step\":{\"$ref\":\"#/components/schemas/Step\"},\"warnings\":{\"type\":"
		    "\"array\",\"items\":{\"$ref\":\"#/components/schemas/Violation\"}}}}"},
    {"StepCreate", "{\"type\":\"object\",\"required\":[\"client_id\",\"kind\",\"due_at\"],"
		   "\"properties\":{\"client_id\":" INT ",\"kind\":{\"enum\":" KINDS "},"
		   "\"due_at\":" STR ",\"rep\":" STR ",\"note\":" STR "}}"},
    {"StepMove",
     "{\"type\":\"object\",\"required\":[\"due_at\"],\"properties\":{\"due_at\":" STR "}}"},
    {"StepCancel",
     "{\"type\":\"object\",\"required\":[\"reason\"],\"properties\":{\"reason\":" STR "}}"},
    {"Agenda",
     "{\"type\":\"object\",\"required\":[\"overdue\",\"today\",\"violations\",\"counters\"],"
     "\"properties\":{\"rep\":" OSTR ",\"timezone\":" STR ",\"day_start\":" TIME
     ",\"day_end\":" TIME ",\"overdue\":{\"type\":\"array\",\"items\":{\"$ref\":"
     "\"#/components/schemas/Step\"}},\"today\":{\"type\":\"array\",\"items\":{\"$ref\":"
     "\"#/components/schemas/Step\"}},\"violations\":{\"type\":\"array\",\"items\":{\"type\":"
     "\"object\",\"required\":[\"client_id\",\"rule\"],\"properties\":{\"client_id\":" INT
     ",\"client_name\":" STR ",\"rule\":" STR ",\"due_at\":" TIME "}}},\"counters\":{\"type\":"
     "\"object\",\"properties\":{\"calls_today\":" INT ",\"planned_today\":" INT ",\"overdue\":" INT
     ",\"pool_now\":" INT ",\"pool_future\":" INT "}}}}"},
    {"Deal", "{\"type\":\"object\",\"required\":[\"id\",\"client_id\",\"amount\",\"stage\"],"
	     "\"properties\":{\"id\":" INT ",\"client_id\":" INT ",\"amount\":" NUM
	     ",\"stage\":{\"enum\":[\"offer\",\"pending\",\"won\",\"lost\"]},\"created_at\":" TIME
	     ",\"closed_at\":" OTIME "}}"},
    {"DealList", LIST("Deal")},
    {"DealCreate", "{\"type\":\"object\",\"required\":[\"client_id\",\"amount\"],\"properties\":{"
		   "\"client_id\":" INT ",\"amount\":{\"type\":[\"number\",\"string\"]},"
		   "\"stage\":{\"enum\":[\"offer\",\"pending\",\"won\",\"lost\"]}}}"},
    {"DealUpdate", "{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":[\"number\","
		   "\"string\"]},\"stage\":{\"enum\":[\"offer\",\"pending\",\"won\",\"lost\"]}}}"},
    {"Segment",
     "{\"type\":\"object\",\"required\":[\"id\",\"name\",\"min_days\",\"max_days\"],"
     "\"properties\":{\"id\":" INT ",\"name\":" STR ",\"min_days\":" INT ",\"max_days\":" INT "}}"},
    {"SegmentList", LIST("Segment")},
    {"SegmentCreate", "{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{\"name\":" STR
		      ",\"every\":" STR ",\"min_days\":" INT ",\"max_days\":" INT "}}"},
    {"Source", "{\"type\":\"object\",\"required\":[\"id\",\"name\",\"spend\"],\"properties\":{"
	       "\"id\":" INT ",\"name\":" STR ",\"spend\":{\"type\":\"array\",\"items\":{\"type\":"
	       "\"object\",\"required\":[\"month\",\"amount\"],\"properties\":{\"month\":" STR
	       ",\"amount\":" NUM "}}}}}"},
    {"SourceList", LIST("Source")},
    {"SourceCreate",
     "{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{\"name\":" STR "}}"},
    {"SpendSet", "{\"type\":\"object\",\"required\":[\"month\",\"amount\"],\"properties\":{"
		 "\"month\":" STR ",\"amount\":{\"type\":[\"number\",\"string\"]}}}"},
    {"User", "{\"type\":\"object\",\"required\":[\"id\",\"login\",\"name\",\"role\",\"timezone\","
	     "\"locale\",\"extension\",\"active\"],\"properties\":{\"id\":" INT ",\"login\":" STR
	     ",\"name\":" STR ",\"role\":{\"enum\":[\"rep\",\"head\",\"admin\"]},\"timezone\":" STR
	     ",\"locale\":{\"enum\":[\"en\",\"ru\",\"tr\",\"vi\"]},\"extension\":" OSTR
	     ",\"active\":" BOOL "}}"},
    {"UserList", LIST("User")},
    {"UserCreate", "{\"type\":\"object\",\"required\":[\"login\",\"name\",\"role\"],"
		   "\"properties\":{\"login\":" STR ",\"name\":" STR ",\"role\":{\"enum\":[\"rep\","
		   "\"head\",\"admin\"]},\"timezone\":" STR ",\"locale\":" STR ",\"extension\":" STR
		   ",\"password\":" STR "}}"},
    {"UserUpdate",
     "{\"type\":\"object\",\"properties\":{\"name\":" STR ",\"role\":" STR ",\"timezone\":" STR
     ",\"locale\":" STR ",\"extension\":" STR ",\"password\":" STR ",\"active\":" BOOL "}}"},
    {"Setting", "{\"type\":\"object\",\"required\":[\"key\",\"value\"],\"properties\":{\"key\":" STR
		",\"value\":{},\"default\":{},\"help\":" STR ",\"type\":" STR "}}"},
    {"SettingList", "{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{"
		    "\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Setting\"}}}}"},
    {"SettingsUpdate", "{\"type\":\"object\",\"additionalProperties\":true}"},
    {"TelephonyEvent",
     "{\"type\":\"object\",\"required\":[\"type\",\"call_id\",\"from\",\"rep\"],\"properties\":{"
     "\"type\":{\"enum\":[\"ringing\"]},\"call_id\":" STR ",\"from\":" STR ",\"to\":" STR
     ",\"rep\":" STR "}}"},
    {"TelephonyResult", "{\"type\":\"object\",\"required\":[\"call_id\",\"phone\",\"client_id\"],"
			"\"properties\":{\"call_id\":" STR ",\"phone\":" OSTR ",\"client_id\":" OINT
			",\"delivered\":" BOOL "}}"},
    {NULL, NULL},
};

static json_t *ref(const char *name)
{
	return json_pack("{s:s+}", "$ref", "#/components/schemas/", name);
}

static json_t *content(const char *name)
{
	return json_pack("{s:{s:o}}", "application/json", "schema", ref(name));
}

/* error_responses: every documented failure of a route. */
static void error_responses(json_t *resp, const struct route *rt)
{
	static const struct {
		int status;
		const char *when;
	} errors[] = {
	    {400, "malformed JSON, a wrong type or an invalid value (error.field names it)"},
	    {401, "not signed in"},
	    {403, "the role or the client's owner does not allow it, or a missing CSRF token"},
	    {404, "no such resource"},
	    {405, "the path exists under another method (see Allow)"},
	    {409, "a duplicate (error.existing_id names the existing record) or a closed step"},
	    {413, "the body is larger than 1 MiB"},
	    {415, "the body is not application/json"},
	    {422, "refused by a sales rule (error.code is the rule id; error.violations)"},
	    {429, "too many failed sign-ins (Retry-After)"},
	};
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		int st = errors[i].status;
		bool body = rt->flags & ROUTE_BODY;
		if (((st == 413 || st == 415 || st == 422) && !body) ||
		    (st == 401 && strcmp(rt->tag, "system") == 0) ||
		    (st == 429 && strcmp(rt->pattern, "/api/v1/session") != 0))
			continue;
		char code[8];
		snprintf(code, sizeof(code), "%d", st);
		json_object_set_new(resp, code,
				    json_pack("{s:s, s:o}", "description", errors[i].when,
					      "content", content("Error")));
	}
}

static json_t *operation(const struct route *rt)
{
	json_t *op = json_pack("{s:s, s:[s], s:s+}", "summary", rt->summary, "tags", rt->tag,
			       "operationId", rt->method, rt->pattern);
	json_t *params = json_array();
	for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1,
							(size_t)(e - p - 1), "in", "path",
							"required", 1, "schema", "type", "string"));
	}
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (rt->request)
		json_object_set_new(
		    op, "requestBody",
		    json_pack("{s:b, s:o}", "required", 1, "content", content(rt->request)));
	json_t *resp = json_object();
	char code[8];
	snprintf(code, sizeof(code), "%d", rt->success);
	json_t *ok = json_pack("{s:s}", "description", "success");
	if (rt->response)
		json_object_set_new(ok, "content", content(rt->response));
	json_object_set_new(resp, code, ok);
	error_responses(resp, rt);
	json_object_set_new(op, "responses", resp);
	if (rt->flags & ROUTE_PUBLIC)
		json_object_set_new(op, "security", json_array());
	return op;
}

json_t *openapi_document(void)
{
	json_t *paths = json_object(), *comps = json_object();
	for (const struct route *rt = routes; rt->method; rt++) {
		if (strcmp(rt->tag, "pages") == 0)
			continue; /* the web interface is not part of the API */
		json_t *item = json_object_get(paths, rt->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->pattern, item);
		}
		char m[8];
		size_t i = 0;
		for (; rt->method[i] && i < sizeof(m) - 1; i++)
			m[i] = (char)(rt->method[i] | 0x20);
		m[i] = 0;
		json_object_set_new(item, m, operation(rt));
	}
	for (const struct schema *s = schemas; s->name; s++) {
		json_error_t e;
		json_t *j = json_loads(s->json, 0, &e);
		json_object_set_new(comps, s->name,
				    j ? j : json_pack("{s:s}", "description", e.text));
	}
	return json_pack(
	    "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:o, s:{s:{s:s, s:s}, s:{s:s, s:s, "
	    "s:s}}}, "
	    "s:[{s:[]}, {s:[]}]}",
	    "openapi", "3.1.0", "info", "title", "nextcall API", "version", "1", "description",
	    "Sales calls with a next step. Sign in with POST /api/v1/session (cookie; browser "
	    "writes send X-CSRF-Token) or send Authorization: Bearer TOKEN. Times are RFC 3339. "
	    "Lists are paginated by cursor: limit (1..500) and after (the last id seen).",
	    "servers", "url", "/", "paths", paths, "components", "schemas", comps,
	    "securitySchemes", "bearer", "type", "http", "scheme", "bearer", "cookie", "type",
	    "apiKey", "in", "cookie", "name", "nc_session", "security", "bearer", "cookie");
}

void api_openapi(struct req *r)
{
	http_json(r, 200, openapi_document());
}
