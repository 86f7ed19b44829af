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
#define ONUM  "{\"type\":[\"number\",\"null\"]}"
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
	      "\"#/components/schemas/Violation\"}},\"findings\":{\"type\":\"array\","
	      "\"items\":{\"$ref\":\"#/components/schemas/Finding\"}}}}}}"},
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
     "\"required\":[\"next_step\",\"deals\",\"history\",\"fields\"],\"properties\":{"
     "\"deals\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Deal\"}},"
     "\"history\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Call\"}},"
     "\"fields\":{\"type\":\"object\",\"additionalProperties\":{\"$ref\":"
     "\"#/components/schemas/ClientField\"}}}}]}"},
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
	     ",\"refusal_reason\":" OSTR ",\"rep\":" OSTR ",\"phone\":" OSTR ",\"phone_e164\":" OSTR
	     ",\"pbx_id\":" OSTR ",\"recording_url\":" OSTR ",\"logged\":" BOOL "}}"},
    {"CallList", LIST("Call")},
    {"CallHandover",
     "{\"type\":\"object\",\"required\":[\"note\"],\"properties\":{\"note\":" STR "}}"},
    {"CallHandedOver",
     "{\"type\":\"object\",\"required\":[\"call_id\",\"step_id\",\"owner\",\"due_at\"],"
     "\"properties\":{\"call_id\":" INT ",\"step_id\":" INT ",\"owner\":" STR ",\"due_at\":" TIME
     "}}"},
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
    /* telephony */
    {"Originate", "{\"type\":\"object\",\"required\":[\"client_id\"],\"properties\":{"
		  "\"client_id\":" INT ",\"phone\":" OSTR "}}"},
    {"OriginateQueued",
     "{\"type\":\"object\",\"required\":[\"action_id\",\"client_id\",\"number\",\"status\"],"
     "\"properties\":{\"action_id\":" STR ",\"client_id\":" INT ",\"number\":" STR
     ",\"status\":" STR "}}"},
    {"WebhookEvent",
     "{\"type\":\"object\",\"required\":[\"event\",\"call_id\"],\"properties\":{"
     "\"event\":{\"enum\":[\"start\",\"answer\",\"end\"]},\"call_id\":" STR ",\"from\":" OSTR
     ",\"to\":" OSTR ",\"extension\":" OSTR ",\"direction\":{\"enum\":[\"in\",\"out\",null]},"
     "\"started_at\":{\"type\":[\"string\",\"integer\",\"null\"]},\"answered_at\":{\"type\":["
     "\"string\",\"integer\",\"null\"]},\"ended_at\":{\"type\":[\"string\",\"integer\",\"null\"]},"
     "\"recording_url\":" OSTR "}}"},
    {"WebhookResult",
     "{\"type\":\"object\",\"required\":[\"event\",\"call_id\",\"stored_call_id\","
     "\"client_id\",\"duplicate\",\"callback_step_id\"],\"properties\":{\"event\":" STR
     ",\"call_id\":" STR ",\"stored_call_id\":" OINT ",\"client_id\":" OINT ",\"duplicate\":" BOOL
     ",\"callback_step_id\":" OINT "}}"},
    {"TelephonyStatus",
     "{\"type\":\"object\",\"required\":[\"enabled\",\"connected\",\"server\",\"events\","
     "\"calls\",\"reconnects\",\"last_error\"],\"properties\":{\"enabled\":" BOOL
     ",\"connected\":" BOOL ",\"server\":" STR ",\"connected_since\":" OTIME ",\"events\":" INT
     ",\"calls\":" INT ",\"reconnects\":" INT ",\"last_error\":" STR "}}"},
    /* scripts */
    {"Finding", "{\"type\":\"object\",\"required\":[\"code\",\"message\",\"line\",\"col\","
		"\"severity\"],\"properties\":{\"code\":" STR ",\"message\":" STR ",\"line\":" INT
		",\"col\":" INT ",\"severity\":{\"enum\":[\"error\",\"warning\"]}}}"},
    {"ClientField", "{\"type\":\"object\",\"required\":[\"value\",\"type\",\"updated_at\"],"
		    "\"properties\":{\"value\":" STR ",\"type\":{\"enum\":[\"text\",\"number\","
		    "\"choice\",\"datetime\"]},\"run_id\":" OINT ",\"updated_at\":" TIME "}}"},
    {"Script",
     "{\"type\":\"object\",\"required\":[\"id\",\"name\",\"kind\",\"archived\",\"version\","
     "\"version_id\",\"created_at\",\"author\",\"nversions\",\"runs\"],\"properties\":{\"id\":" INT
     ",\"name\":" STR ",\"kind\":{\"enum\":[\"inbound\",\"outbound\"]},\"archived\":" BOOL
     ",\"version\":" INT ",\"version_id\":" INT ",\"created_at\":" TIME ",\"author\":" OSTR
     ",\"nversions\":" INT ",\"runs\":" INT ",\"findings\":{\"type\":\"array\",\"items\":{"
     "\"$ref\":\"#/components/schemas/Finding\"}}}}"},
    {"ScriptList", "{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{"
		   "\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Script\"}}}}"},
    {"ScriptDetail",
     "{\"allOf\":[{\"$ref\":\"#/components/schemas/Script\"},{\"type\":\"object\","
     "\"required\":[\"source\",\"versions\"],\"properties\":{\"source\":" STR ",\"versions\":{"
     "\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"version\","
     "\"version_id\",\"created_at\",\"author\"],\"properties\":{\"version\":" INT
     ",\"version_id\":" INT ",\"created_at\":" TIME ",\"author\":" OSTR "}}}}}]}"},
    {"ScriptSource",
     "{\"type\":\"object\",\"required\":[\"source\"],\"properties\":{\"source\":" STR "}}"},
    {"ScriptCheck",
     "{\"type\":\"object\",\"required\":[\"valid\",\"errors\",\"name\",\"kind\",\"findings\"],"
     "\"properties\":{\"valid\":" BOOL ",\"errors\":" INT ",\"name\":" OSTR ",\"kind\":{\"enum\":["
     "\"inbound\",\"outbound\",null]},\"findings\":{\"type\":\"array\",\"items\":{\"$ref\":"
     "\"#/components/schemas/Finding\"}}}}"},
    {"ScriptArchive", "{\"type\":\"object\",\"properties\":{\"archived\":" BOOL "}}"},
    {"Proportion",
     "{\"type\":\"object\",\"required\":[\"k\",\"n\",\"p\",\"lo\",\"hi\"],"
     "\"properties\":{\"k\":" INT ",\"n\":" INT ",\"p\":{\"type\":[\"number\","
     "\"null\"]},\"lo\":{\"type\":[\"number\",\"null\"]},\"hi\":{\"type\":[\"number\","
     "\"null\"]}}}"},
    {"ScriptStats",
     "{\"type\":\"object\",\"required\":[\"script\",\"runs\",\"finished\",\"abandoned\","
     "\"open\",\"max\",\"min\",\"nodes\",\"variants\"],\"properties\":{\"script\":{\"$ref\":"
     "\"#/components/schemas/Script\"},\"runs\":" INT ",\"finished\":" INT ",\"abandoned\":" INT
     ",\"open\":" INT ",\"max\":{\"$ref\":\"#/components/schemas/Proportion\"},\"min\":{\"$ref\":"
     "\"#/components/schemas/Proportion\"},\"nodes\":{\"type\":\"array\",\"items\":{\"type\":"
     "\"object\",\"required\":[\"node\",\"stage\",\"reached\",\"max\",\"min\",\"abandoned\"],"
     "\"properties\":{\"node\":" STR ",\"stage\":" OSTR ",\"reached\":" INT ",\"max\":{\"$ref\":"
     "\"#/components/schemas/Proportion\"},\"min\":{\"$ref\":\"#/components/schemas/"
     "Proportion\"},\"abandoned\":" INT "}}},\"variants\":{\"type\":\"array\",\"items\":{"
     "\"type\":\"object\",\"required\":[\"node\",\"variant\",\"text\",\"weight\",\"conv\","
     "\"prob_best\",\"p_value\"],\"properties\":{\"node\":" STR ",\"variant\":" INT
     ",\"text\":" OSTR ",\"weight\":" INT ",\"conv\":{\"$ref\":\"#/components/schemas/"
     "Proportion\"},\"prob_best\":{\"type\":[\"number\",\"null\"]},\"p_value\":{\"type\":["
     "\"number\",\"null\"]}}}}}}"},
    {"RunCreate", "{\"type\":\"object\",\"required\":[\"script_id\",\"client_id\"],"
		  "\"properties\":{\"script_id\":" INT ",\"version\":" INT ",\"client_id\":" INT
		  ",\"call_id\":" INT "}}"},
    {"RunStep",
     "{\"type\":\"object\",\"required\":[\"seq\",\"action\"],\"properties\":{\"seq\":" INT
     ",\"action\":{\"enum\":[\"option\",\"objection\",\"resume\",\"answer\",\"price\",\"back\","
     "\"hold\",\"finish\"]},\"option\":" INT ",\"objection\":" STR ",\"answers\":{\"type\":"
     "\"object\",\"additionalProperties\":{\"type\":[\"string\",\"number\"]}},\"answer\":" STR
     ",\"next_step\":{\"type\":\"object\",\"properties\":{\"kind\":{\"enum\":" KINDS "},"
     "\"due_at\":" STR "}},\"refused\":" STR ",\"offer\":{\"type\":[\"number\",\"string\"]},"
     "\"talk_s\":" INT "}}"},
    {"RunNode",
     "{\"type\":\"object\",\"required\":[\"id\",\"stage\",\"stage_label\",\"line\",\"variant\","
     "\"end\",\"goal\",\"next_kinds\",\"next_time\",\"question\",\"options\"],\"properties\":{"
     "\"id\":" STR ",\"stage\":{\"enum\":[\"greeting\",\"question\",\"consent\",\"intro\","
     "\"needs\",\"summary\",\"presentation\",\"side\",\"closing\",\"custom\"]},\"stage_"
     "label\":" OSTR ",\"line\":" STR ",\"variant\":" OINT ",\"end\":" BOOL
     ",\"goal\":{\"enum\":[\"max\",\"min\","
     "\"none\",null]},\"next_kinds\":{\"type\":\"array\",\"items\":" STR "},\"next_time\":" BOOL
     ",\"question\":{\"type\":[\"object\",\"null\"],\"required\":[\"field\",\"type\",\"kind\","
     "\"choices\",\"answer\"],\"properties\":{\"field\":" STR ",\"type\":{\"enum\":[\"text\","
     "\"number\",\"choice\",\"datetime\"]},\"kind\":{\"enum\":[\"technical\",\"expertise\","
     "\"motivation\",null]},\"choices\":{\"type\":[\"array\",\"null\"],\"items\":" STR "},"
     "\"answer\":" OSTR "}},\"options\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
     "\"required\":[\"index\",\"label\",\"goto\"],\"properties\":{\"index\":" INT ",\"label\":" STR
     ",\"goto\":" STR "}}}}}"},
    {"RunState",
     "{\"type\":\"object\",\"required\":[\"id\",\"script\",\"client_id\",\"call_id\",\"rep\","
     "\"status\",\"result\",\"seq\",\"node\",\"path\",\"objections\",\"objection\",\"questions\","
     "\"price\",\"effect_line\",\"elapsed_s\",\"hold_s\",\"on_hold\",\"answers\",\"started_at\","
     "\"finished_at\"],\"properties\":{\"id\":" INT ",\"script\":{\"type\":\"object\","
     "\"required\":[\"id\",\"name\",\"version\"],\"properties\":{\"id\":" INT ",\"name\":" STR
     ",\"version\":" INT "}},\"client_id\":" INT ",\"call_id\":" OINT ",\"rep\":" OSTR
     ",\"status\":{\"enum\":[\"open\",\"finished\",\"abandoned\"]},\"result\":{\"enum\":["
     "\"max\",\"min\",\"none\",null]},\"seq\":" INT ",\"node\":{\"$ref\":\"#/components/schemas/"
     "RunNode\"},\"path\":{\"type\":\"array\",\"items\":" STR "},\"objections\":{\"type\":"
     "\"array\",\"items\":{\"type\":\"object\",\"required\":[\"id\",\"label\"],\"properties\":{"
     "\"id\":" STR ",\"label\":" STR "}}},\"objection\":{\"type\":[\"object\",\"null\"],"
     "\"required\":[\"id\",\"label\",\"line\"],\"properties\":{\"id\":" STR ",\"label\":" STR
     ",\"line\":" STR "}},\"questions\":{\"type\":\"object\",\"required\":[\"asked\",\"max\"],"
     "\"properties\":{\"asked\":" INT ",\"max\":" INT "}},\"price\":{\"type\":\"object\","
     "\"required\":[\"asks\",\"answer_on\",\"answered\"],\"properties\":{\"asks\":" INT
     ",\"answer_on\":" INT ",\"answered\":" BOOL "}},\"effect_line\":" OSTR ",\"elapsed_s\":" INT
     ",\"hold_s\":" INT ",\"on_hold\":" BOOL ",\"answers\":{\"type\":\"object\","
     "\"additionalProperties\":" STR "},\"started_at\":" TIME ",\"finished_at\":" OTIME
     ",\"logged\":{\"type\":\"object\",\"required\":[\"call_id\",\"step_id\",\"warnings\"],"
     "\"properties\":{\"call_id\":" INT ",\"step_id\":" OINT ",\"warnings\":{\"type\":\"array\","
     "\"items\":{\"$ref\":\"#/components/schemas/Violation\"}}}}}}"},
    /* qa */
    {"QaItem", "{\"type\":\"object\",\"required\":[\"id\",\"pos\",\"text\",\"weight\",\"auto\"],"
	       "\"properties\":{\"id\":" INT ",\"pos\":" INT ",\"text\":" STR ",\"weight\":" INT
	       ",\"auto\":{\"enum\":[\"needs_questions\",\"price_late\",\"next_step\",\"contacts\","
	       "null]}}}"},
    {"QaForm", "{\"type\":\"object\",\"required\":[\"id\",\"name\",\"version\",\"versions\","
	       "\"author\",\"created_at\",\"reviews\",\"items\"],\"properties\":{\"id\":" INT
	       ",\"name\":" STR ",\"version\":" INT ",\"versions\":" INT ",\"author\":" OSTR
	       ",\"created_at\":" OTIME ",\"reviews\":" INT ",\"items\":{\"type\":\"array\","
	       "\"items\":{\"$ref\":\"#/components/schemas/QaItem\"}}}}"},
    {"QaFormList", "{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{"
		   "\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/QaForm\"}}}}"},
    {"QaFormCreate",
     "{\"type\":\"object\",\"required\":[\"name\",\"items\"],\"properties\":{\"name\":" STR
     ",\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"text\"],"
     "\"properties\":{\"text\":" STR ",\"weight\":" INT ",\"auto\":" OSTR "}}}}}"},
    {"QaFormUpdate", "{\"type\":\"object\",\"properties\":{\"name\":" STR ",\"items\":{\"type\":"
		     "\"array\",\"items\":{\"type\":\"object\",\"required\":[\"text\"],"
		     "\"properties\":{\"text\":" STR ",\"weight\":" INT ",\"auto\":" OSTR "}}}}}"},
    {"QaCall",
     "{\"type\":\"object\",\"required\":[\"call\",\"client_name\",\"run\",\"next_step\","
     "\"phones\",\"prefill\"],\"properties\":{\"call\":{\"$ref\":\"#/components/schemas/Call\"},"
     "\"client_name\":" OSTR ",\"next_step\":" BOOL ",\"phones\":" INT ",\"run\":{\"type\":["
     "\"object\",\"null\"],\"required\":[\"id\",\"script\",\"version\",\"status\","
     "\"needs_questions\",\"price_asks\",\"price_answer_on\",\"price_early\",\"path\"],"
     "\"properties\":{\"id\":" INT ",\"script\":" STR ",\"version\":" INT ",\"status\":" STR
     ",\"needs_questions\":" INT ",\"price_asks\":" INT ",\"price_answer_on\":" INT
     ",\"price_early\":" BOOL ",\"path\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
     "\"required\":[\"seq\",\"action\",\"node\",\"stage\",\"detail\",\"at\"],\"properties\":{"
     "\"seq\":" INT ",\"action\":" STR ",\"node\":" OSTR ",\"stage\":" OSTR ",\"detail\":" OSTR
     ",\"at\":" TIME "}}}}},\"prefill\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
     "\"required\":[\"item_id\",\"answer\",\"why\"],\"properties\":{\"item_id\":" INT
     ",\"answer\":{\"type\":[\"boolean\",\"null\"]},\"why\":" OSTR "}}}}}"},
    {"QaReview",
     "{\"type\":\"object\",\"required\":[\"id\",\"call_id\",\"client_id\",\"client_name\","
     "\"form_id\",\"form_name\",\"version\",\"rep\",\"reviewer\",\"call_at\",\"created_at\","
     "\"score\",\"yes_weight\",\"total_weight\",\"note\"],\"properties\":{\"id\":" INT
     ",\"call_id\":" INT ",\"client_id\":" OINT ",\"client_name\":" OSTR ",\"form_id\":" INT
     ",\"form_name\":" STR ",\"version\":" INT ",\"rep\":" OSTR ",\"reviewer\":" OSTR
     ",\"call_at\":" TIME ",\"created_at\":" TIME ",\"score\":" NUM ",\"yes_weight\":" INT
     ",\"total_weight\":" INT ",\"note\":" OSTR ",\"answers\":{\"type\":\"array\",\"items\":{"
     "\"type\":\"object\",\"required\":[\"item_id\",\"text\",\"weight\",\"auto\",\"yes\","
     "\"from_data\"],\"properties\":{\"item_id\":" INT ",\"text\":" STR ",\"weight\":" INT
     ",\"auto\":" OSTR ",\"yes\":" BOOL ",\"from_data\":" BOOL "}}}}}"},
    {"QaReviewList",
     "{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{"
     "\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/QaReview\"}}}}"},
    {"QaReviewCreate",
     "{\"type\":\"object\",\"required\":[\"call_id\",\"form_id\",\"answers\"],\"properties\":{"
     "\"call_id\":" INT ",\"form_id\":" INT ",\"answers\":{\"type\":\"object\","
     "\"additionalProperties\":" BOOL "},\"note\":" STR "}}"},
    {"QaScores",
     "{\"type\":\"object\",\"required\":[\"from\",\"to\",\"weeks\",\"reps\"],\"properties\":{"
     "\"from\":" STR ",\"to\":" STR ",\"weeks\":{\"type\":\"array\",\"items\":" STR "},"
     "\"reps\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"rep\",\"name\","
     "\"score\",\"reviews\",\"weeks\",\"week_reviews\"],\"properties\":{\"rep\":" STR
     ",\"name\":" STR ",\"score\":{\"type\":[\"number\",\"null\"]},\"reviews\":" INT
     ",\"weeks\":{\"type\":\"array\",\"items\":{\"type\":[\"number\",\"null\"]}},"
     "\"week_reviews\":{\"type\":\"array\",\"items\":" INT "}}}}}}"},
    {"QaCampaignSummary",
     "{\"type\":\"object\",\"required\":[\"id\",\"name\",\"scenario\",\"author\",\"created_at\","
     "\"planned\",\"filled\",\"leaks\",\"leak_rate\"],\"properties\":{\"id\":" INT ",\"name\":" STR
     ",\"scenario\":" STR ",\"author\":" OSTR ",\"created_at\":" TIME ",\"planned\":" INT
     ",\"filled\":" INT ",\"leaks\":" INT ",\"leak_rate\":" NUM "}}"},
    {"QaCampaignList",
     "{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{\"type\":"
     "\"array\",\"items\":{\"$ref\":\"#/components/schemas/QaCampaignSummary\"}}}}"},
    {"QaCampaign",
     "{\"allOf\":[{\"$ref\":\"#/components/schemas/QaCampaignSummary\"},{\"type\":\"object\","
     "\"required\":[\"scenario_text\",\"alarm\",\"advice\",\"worst_moves\",\"leak_reps\","
     "\"moves\",\"calls\"],\"properties\":{\"scenario_text\":" OSTR ",\"alarm\":" BOOL
     ",\"advice\":" OSTR ",\"worst_moves\":{\"type\":\"array\",\"items\":" STR "},"
     "\"leak_reps\":{\"type\":\"array\",\"items\":" STR "},\"moves\":{\"type\":\"array\","
     "\"items\":{\"type\":\"object\",\"required\":[\"key\",\"label\",\"fails\"],\"properties\":{"
     "\"key\":" STR ",\"label\":" STR ",\"fails\":" INT "}}},\"calls\":{\"type\":\"array\","
     "\"items\":{\"type\":\"object\",\"required\":[\"n\",\"rep\",\"rep_name\",\"planned_at\","
     "\"filled_at\",\"leak\",\"note\",\"answers\"],\"properties\":{\"n\":" INT ",\"rep\":" STR
     ",\"rep_name\":" STR ",\"planned_at\":" TIME ",\"filled_at\":" OTIME ",\"leak\":{\"type\":["
     "\"boolean\",\"null\"]},\"note\":" OSTR ",\"answers\":{\"type\":[\"object\",\"null\"],"
     "\"additionalProperties\":" BOOL "}}}}}}]}"},
    {"QaCampaignCreate",
     "{\"type\":\"object\",\"required\":[\"name\",\"calls\"],\"properties\":{\"name\":" STR
     ",\"scenario\":" STR ",\"scenario_text\":" STR ",\"calls\":{\"type\":\"array\",\"items\":{"
     "\"type\":\"object\",\"required\":[\"rep\",\"at\"],\"properties\":{\"rep\":" STR ",\"at\":" STR
     "}}}}}"},
    {"QaCampaignFill",
     "{\"type\":\"object\",\"required\":[\"answers\"],\"properties\":{\"answers\":{\"type\":"
     "\"object\",\"additionalProperties\":" BOOL "},\"note\":" STR "}}"},
    /* reports */
    {"ReportPeriod", "{\"type\":\"object\",\"required\":[\"from\",\"to\",\"days\"],\"properties\":{"
		     "\"from\":" STR ",\"to\":" STR ",\"days\":" INT "}}"},
    {"ReportNumbers",
     "{\"type\":\"object\",\"required\":[\"incoming_calls\",\"outgoing_calls\",\"missed_calls\","
     "\"effective_calls\",\"talk_seconds\",\"offers\",\"pending\",\"sold\",\"sold_amount\","
     "\"average_check\",\"callbacks_in_time\"],\"properties\":{\"incoming_calls\":" INT
     ",\"outgoing_calls\":" INT ",\"missed_calls\":" INT ",\"answered_calls\":" INT
     ",\"answered_in_time\":" INT ",\"callbacks_in_time\":" INT ",\"effective_calls\":" INT
     ",\"max_calls\":" INT ",\"min_calls\":" INT ",\"talk_seconds\":" INT ",\"step_calls\":" INT
     ",\"meetings\":" INT ",\"offers\":" INT ",\"pending\":" INT ",\"sold\":" INT
     ",\"offers_amount\":" NUM ",\"sold_amount\":" NUM ",\"talk_minutes\":" NUM
     ",\"talk_per_call\":" NUM ",\"average_check\":" NUM ",\"answered_in_time_share\":" NUM
     ",\"callbacks_in_time_share\":" NUM ",\"max_rate\":" NUM ",\"min_rate\":" NUM
     ",\"call_to_step\":" NUM ",\"step_to_sale\":" NUM ",\"call_to_sale\":" NUM "}}"},
    {"ReportStats",
     "{\"allOf\":[{\"$ref\":\"#/components/schemas/ReportNumbers\"},{\"type\":\"object\","
     "\"required\":[\"period\",\"previous_period\",\"previous\",\"sources\",\"spend\","
     "\"cost_per_call\",\"cost_per_sale\",\"forecast\"],\"properties\":{\"period\":{"
     "\"$ref\":\"#/components/schemas/ReportPeriod\"},\"previous_period\":{\"$ref\":"
     "\"#/components/schemas/ReportPeriod\"},\"previous\":{\"$ref\":"
     "\"#/components/schemas/ReportNumbers\"},\"sources\":{\"type\":\"array\",\"items\":{"
     "\"type\":\"object\",\"required\":[\"name\",\"calls\",\"spend\",\"cost_per_call\"],"
     "\"properties\":{\"name\":" OSTR ",\"calls\":" INT ",\"sold\":" INT ",\"sold_amount\":" NUM
     ",\"spend\":" NUM ",\"cost_per_call\":" ONUM ",\"cost_per_sale\":" ONUM "}}},\"spend\":" NUM
     ",\"cost_per_call\":" ONUM ",\"cost_per_sale\":" ONUM ",\"median_cycle_days\":" NUM
     ",\"forecast\":{\"type\":\"object\",\"required\":[\"sold\",\"amount\"],\"properties\":{"
     "\"sold\":" NUM ",\"amount\":" NUM "}},\"days\":{\"description\":\"the calls chart by day, "
     "for a period of up to 92 days\",\"type\":\"array\",\"items\":{\"type\":\"object\","
     "\"required\":[\"date\",\"incoming\",\"outgoing\",\"missed\",\"effective\",\"sold\"],"
     "\"properties\":{\"date\":" STR ",\"incoming\":" INT ",\"outgoing\":" INT ",\"missed\":" INT
     ",\"effective\":" INT ",\"sold\":" INT "}}},\"months\":{"
     "\"description\":\"the calls chart by month, for a longer period (instead of days): the "
     "period's days from..to of each month\",\"type\":\"array\",\"items\":{\"type\":"
     "\"object\",\"required\":[\"month\",\"from\",\"to\",\"days\",\"incoming\",\"outgoing\","
     "\"missed\",\"effective\",\"sold\"],\"properties\":{\"month\":" STR ",\"from\":" STR
     ",\"to\":" STR ",\"days\":" INT ",\"incoming\":" INT ",\"outgoing\":" INT ",\"missed\":" INT
     ",\"effective\":" INT ",\"sold\":" INT "}}}}}]}"},
    {"ReportFunnel",
     "{\"type\":\"object\",\"required\":[\"period\",\"previous_period\",\"stages\"],"
     "\"properties\":{\"period\":{\"$ref\":\"#/components/schemas/ReportPeriod\"},"
     "\"previous_period\":{\"$ref\":\"#/components/schemas/ReportPeriod\"},\"stages\":{\"type\":"
     "\"array\",\"items\":{\"type\":\"object\",\"required\":[\"key\",\"label\",\"count\","
     "\"share\",\"previous\",\"previous_share\"],\"properties\":{\"key\":" STR ",\"label\":" STR
     ",\"count\":" INT ",\"share\":" NUM ",\"previous\":" INT ",\"previous_share\":" NUM "}}}}}"},
    {"ReportRep",
     "{\"allOf\":[{\"$ref\":\"#/components/schemas/ReportNumbers\"},{\"type\":\"object\","
     "\"required\":[\"login\",\"name\",\"conversion\",\"below\",\"qa_score\"],\"properties\":{"
     "\"login\":" STR ",\"name\":" OSTR ",\"conversion\":" NUM ",\"below\":" BOOL
     ",\"qa_score\":" ONUM "}}]}"},
    {"ReportReps",
     "{\"type\":\"object\",\"required\":[\"period\",\"allowed_conversion\",\"reps\",\"total\"],"
     "\"properties\":{\"period\":{\"$ref\":\"#/components/schemas/ReportPeriod\"},"
     "\"allowed_conversion\":" NUM ",\"reps\":{\"type\":\"array\",\"items\":{\"$ref\":"
     "\"#/components/schemas/ReportRep\"}},\"total\":{\"$ref\":"
     "\"#/components/schemas/ReportRep\"}}}"},
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
	    {503, "the telephone exchange is not connected (click-to-call)"},
	};
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		int st = errors[i].status;
		bool body = rt->flags & ROUTE_BODY;
		/* reports answer 422 for a period that is not one (error.field names it) */
		bool reports = strcmp(rt->tag, "reports") == 0;
		if (((st == 413 || st == 415 || (st == 422 && !reports)) && !body) ||
		    (st == 401 && strcmp(rt->tag, "system") == 0) ||
		    (st == 429 && strcmp(rt->pattern, "/api/v1/session") != 0) ||
		    (st == 503 && strcmp(rt->pattern, "/api/v1/calls/originate") != 0))
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
	if (rt->response && strcmp(rt->tag, "reports") == 0) { /* ?format=csv|xlsx: the exports */
		json_t *more = json_pack(
		    "{s:{s:{s:s}}, s:{s:{s:s, s:s}}}", "text/csv", "schema", "type", "string",
		    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "schema",
		    "type", "string", "format", "binary");
		json_object_update(json_object_get(ok, "content"), more);
		json_decref(more);
	}
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
