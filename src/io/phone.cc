/* phone.cc - the C shim over libphonenumber: telephone numbers as people write them to E.164.
 * No C++ exception leaves this file. */
#include <phonenumbers/phonenumberutil.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <set>
#include <string>

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
	if (e164.size() >= PHONE_E164_MAX)
		return nc_error_field(err, NC_EINVAL, field, "%s: phone number \"%s\" is too long",
				      f, quoted(input).c_str());
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
