/* phone.cc - the C shim over libphonenumber: telephone numbers as people write them to E.164.
 * No C++ exception leaves this file. */
#include <phonenumbers/phonenumberutil.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <new>
#include <set>
#include <string>
#include <functional>
#include <thread>
#include <unordered_map>
#include <vector>

extern "C" {
#include "io/charset.h"
#include "io/phone.h"
}

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace
{

const size_t input_max = 64;

/* field_or gives the name errors are reported under. */
const char *field_or(const char *field)
{
	return field && *field ? field : "phone";
}

/* quoted copies s for an error message: valid UTF-8, control characters as '?', at most
 * input_max bytes then "...". */
std::string quoted(const char *s)
{
	size_t n = strlen(s);
	struct buf b;
	buf_init(&b, 0);
	charset_to_utf8(CHARSET_UTF8, s, n < input_max ? n : input_max, &b);
	std::string out(b.data, b.len);
	buf_release(&b);
	for (char &c : out)
		if ((unsigned char)c < 0x20 || c == 0x7f)
			c = '?';
	if (n > input_max)
		out += "...";
	return out;
}

/* plain_text says whether s is valid UTF-8 without control characters. */
bool plain_text(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	/* charset_to_utf8 would change nothing in valid UTF-8 */
	return charset_detect(s, n) == CHARSET_UTF8 && (n < 3 || memcmp(s, "\xEF\xBB\xBF", 3) != 0);
}

const std::set<std::string> &regions()
{
	/* built once; C++11 makes the initialisation of a local static thread-safe */
	static const std::set<std::string> set = [] {
		std::set<std::string> r;
		PhoneNumberUtil::GetInstance()->GetSupportedRegions(&r);
		return r;
	}();
	return set;
}

bool region_known(const char *region)
{
	return region && strlen(region) == 2 && regions().count(region) > 0;
}

const char *parse_reason(PhoneNumberUtil::ErrorType e)
{
	switch (e) {
	case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
		return "unknown country code";
	case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
	case PhoneNumberUtil::TOO_SHORT_NSN:
		return "too short";
	case PhoneNumberUtil::TOO_LONG_NSN:
		return "too long";
	default:
		return "not a phone number";
	}
}

const char *length_reason(PhoneNumberUtil::ValidationResult v)
{
	switch (v) {
	case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
		return "area code missing";
	case PhoneNumberUtil::INVALID_COUNTRY_CODE:
		return "unknown country code";
	case PhoneNumberUtil::TOO_SHORT:
		return "too short";
	case PhoneNumberUtil::TOO_LONG:
		return "too long";
	case PhoneNumberUtil::INVALID_LENGTH:
		return "wrong number of digits";
	default:
		return "no such number range";
	}
}

/* parse_valid parses s with region and returns NULL when it gives a valid number without
 * extension, else the reason it does not. */
const char *parse_valid(const std::string &s, const char *region, PhoneNumber *num)
{
	const PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
	PhoneNumberUtil::ErrorType e = u->Parse(s, region, num);
	if (e != PhoneNumberUtil::NO_PARSING_ERROR)
		return parse_reason(e);
	if (!u->IsValidNumber(*num))
		return length_reason(u->IsPossibleNumberWithReason(*num));
	/* E.164 has no room for an extension and dropping it would lose it silently */
	if (num->has_extension())
		return "extensions are not supported";
	return NULL;
}

/* normalize does the work of phone_normalize; it may throw. */
int normalize(const char *input, const char *region, char out[PHONE_E164_MAX], const char *field,
	      struct nc_err *err)
{
	const char *f = field_or(field);
	if (!region_known(region))
		return nc_error_field(err, NC_EINVAL, field, "%s: unknown region \"%s\"", f,
				      quoted(region ? region : "").c_str());
	const char *why = NULL;
	if (strlen(input) > input_max)
		why = "longer than 64 bytes";
	else if (!plain_text(input))
		why = "control character or invalid UTF-8";
	PhoneNumber num;
	if (!why) {
		std::string s(input);
		why = parse_valid(s, region, &num);
		/* "00" starts an international number almost everywhere, even where the
		 * official prefix differs (RU: 810, US: 011): a fallback */
		size_t lead = s.find_first_not_of(" \t");
		if (why && lead != std::string::npos && s.compare(lead, 2, "00") == 0 &&
		    !parse_valid("+" + s.substr(lead + 2), region, &num))
			why = NULL;
	}
	if (why)
		return nc_error_field(err, NC_EINVAL, field,
				      "%s: invalid phone number \"%s\" for region %s (%s)", f,
				      quoted(input).c_str(), region, why);
	std::string e164;
	PhoneNumberUtil::GetInstance()->Format(num, PhoneNumberUtil::E164, &e164);
	/* E.164 allows 15 digits, and no country's whole numbers have fewer than 7;
	 * libphonenumber holds some German ranges valid outside both ("01684" in DE) */
	size_t digits = e164.size() - 1;
	if (digits < 7 || digits > 15)
		return nc_error_field(err, NC_EINVAL, field,
				      "%s: invalid phone number \"%s\" for region %s (%s)", f,
				      quoted(input).c_str(), region,
				      digits < 7 ? "too short" : "more than 15 digits");
	memcpy(out, e164.c_str(), e164.size() + 1);
	return 0;
}

} // namespace

extern "C" int phone_normalize(const char *input, const char *region, char out[PHONE_E164_MAX],
			       const char *field, struct nc_err *err)
{
	out[0] = 0;
	if (!input)
		input = "";
	try {
		return normalize(input, region, out, field, err);
	} catch (const std::bad_alloc &) {
		/* as xmalloc does: out of memory is not an error we report */
		fprintf(stderr, "nextcall: out of memory in phone_normalize\n");
		abort();
	} catch (...) {
		out[0] = 0;
		return nc_error_field(err, NC_EINVAL, field, "%s: cannot parse phone number",
				      field_or(field));
	}
}

extern "C" bool phone_region_valid(const char *region)
{
	try {
		return region_known(region);
	} catch (const std::bad_alloc &) {
		fprintf(stderr, "nextcall: out of memory in phone_region_valid\n");
		abort();
	} catch (...) {
		return false;
	}
}

/* One distinct input of a batch and phone_normalize's answer for it. */
struct phone_entry {
	std::string input;
	bool done = false;
	int rc = 0;
	char e164[PHONE_E164_MAX] = "";
	enum nc_code code = NC_EINVAL;
	std::string msg; /* the message on failure */
};

struct phone_batch {
	std::string region, field;
	std::unordered_map<std::string, size_t> index; /* input -> entries */
	std::vector<phone_entry> entries;
	size_t pending = 0;		  /* entries from here on were added since the last run */
	std::vector<std::thread> running; /* started by phone_batch_start */
	std::vector<std::function<void()>> left; /* work no thread could be started for */
};

namespace
{

void fill_entry(const phone_batch *b, phone_entry *e)
{
	struct nc_err err;
	err.msg[0] = 0;
	e->rc =
	    phone_normalize(e->input.c_str(), b->region.c_str(), e->e164, b->field.c_str(), &err);
	if (e->rc < 0) {
		e->code = err.code;
		e->msg = err.msg;
	}
	e->done = true;
}

/* answer gives e's result as phone_normalize gave it. */
int answer(const phone_batch *b, const phone_entry *e, char out[PHONE_E164_MAX], struct nc_err *err)
{
	if (e->rc == 0) {
		memcpy(out, e->e164, PHONE_E164_MAX);
		return 0;
	}
	out[0] = 0;
	return nc_error_field(err, e->code, b->field.c_str(), "%s", e->msg.c_str());
}

size_t entry_of(phone_batch *b, const char *input)
{
	std::string key(input ? input : "");
	auto it = b->index.find(key);
	if (it != b->index.end())
		return it->second;
	b->entries.emplace_back();
	b->entries.back().input = key;
	b->index.emplace(std::move(key), b->entries.size() - 1);
	return b->entries.size() - 1;
}

} // namespace

extern "C" struct phone_batch *phone_batch_new(const char *region, const char *field)
{
	try {
		phone_batch *b = new phone_batch;
		b->region = region ? region : "";
		b->field = field ? field : "";
		return b;
	} catch (...) {
		fprintf(stderr, "nextcall: out of memory in phone_batch_new\n");
		abort();
	}
}

extern "C" void phone_batch_free(struct phone_batch *b)
{
	if (b)
		phone_batch_wait(b);
	delete b;
}

extern "C" void phone_batch_add(struct phone_batch *b, const char *input)
{
	try {
		entry_of(b, input);
	} catch (...) {
		fprintf(stderr, "nextcall: out of memory in phone_batch_add\n");
		abort();
	}
}

namespace
{

/* launch normalizes the entries added since the last launch on nthreads threads, the calling
 * one among them when caller_works (it then returns when its share is done), and leaves the
 * threads in b->running for phone_batch_wait. */
void launch(phone_batch *b, size_t nthreads, bool caller_works)
{
	size_t from = b->pending, n = b->entries.size() - from;
	b->pending = b->entries.size();
	if (n < 256) { /* starting threads would not pay */
		nthreads = 1;
		caller_works = true;
	}
	/* share t takes every nthreads-th entry: the slots are disjoint, and the vector does not
	 * grow before phone_batch_wait */
	auto work = [b, from, n, nthreads](size_t t) {
		for (size_t i = t; i < n; i += nthreads)
			if (!b->entries[from + i].done)
				fill_entry(b, &b->entries[from + i]);
	};
	size_t t = caller_works ? 1 : 0;
	try {
		for (; t < nthreads; t++)
			b->running.emplace_back(work, t);
	} catch (...) {
		/* no more threads: phone_batch_wait does the rest */
		for (; t < nthreads; t++)
			b->left.emplace_back([work, t] { work(t); });
	}
	if (caller_works)
		work(0);
}

size_t cpus()
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 4 ? 4 : (size_t)n;
}

} // namespace

extern "C" void phone_batch_run(struct phone_batch *b)
{
	try {
		launch(b, cpus(), true);
	} catch (...) {
		fprintf(stderr, "nextcall: out of memory in phone_batch_run\n");
		abort();
	}
	phone_batch_wait(b);
}

extern "C" void phone_batch_start(struct phone_batch *b)
{
	size_t n = cpus();
	try {
		launch(b, n > 1 ? n - 1 : 1, n == 1);
	} catch (...) {
		fprintf(stderr, "nextcall: out of memory in phone_batch_start\n");
		abort();
	}
}

extern "C" void phone_batch_wait(struct phone_batch *b)
{
	for (auto &t : b->running)
		t.join();
	b->running.clear();
	for (auto &f : b->left)
		f();
	b->left.clear();
}

extern "C" int phone_batch_get(struct phone_batch *b, const char *input, char out[PHONE_E164_MAX],
			       struct nc_err *err)
{
	try {
		phone_entry *e = &b->entries[entry_of(b, input)];
		if (!e->done)
			fill_entry(b, e);
		return answer(b, e, out, err);
	} catch (const std::bad_alloc &) {
		fprintf(stderr, "nextcall: out of memory in phone_batch_get\n");
		abort();
	}
}
