/* phone.cc - the C shim over libphonenumber: telephone numbers as people write them to E.164.
 * No C++ exception leaves this file. */
#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <new>
#include <set>
#include <string>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

extern "C" {
#include "io/charset.h"
#include "io/phone.h"
}

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

/* The metadata libphonenumber is built with (its serialized PhoneMetadataCollection): exported by
 * the library, declared in a header it does not install. */
namespace i18n
{
namespace phonenumbers
{
int metadata_size();
const void *metadata_get();
} // namespace phonenumbers
} // namespace i18n

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

/* ---- The fast path ----
 * Parse spends most of its ~100-180 k instructions in ICU regular expressions that deal with
 * what people may write around a number (an extension, letters, a "tel:" URI, a second number),
 * building a matcher for each. Input of digits, spaces, dashes and brackets with at most a
 * leading "+" needs none of them: fast_parse reads it to the country code and national number
 * as Parse does, from libphonenumber's own metadata and with the same regular expression engine
 * (ICU), and lets IsValidNumber judge the result. It answers only when the reading is
 * unambiguous and the number valid; in every other case (an international prefix or the
 * country code written without "+", a national prefix with a transform rule, a national number
 * with a leading zero, a number that is not valid, fewer than 7 or more than 15 digits...) it
 * declines and normalize takes the full path, which alone writes error messages.
 * tests/unit/test_phone_fast.c and tests/fuzz/fuzz_phone.c check that both paths agree. */

/* What fast_parse needs of a region's metadata, its patterns compiled once. */
struct region_rules {
	bool usable = false; /* false: no metadata, or something fast_parse does not handle */
	int cc = 0;
	std::string cc_text;
	std::unique_ptr<icu::RegexPattern> idd; /* international_prefix; null when empty */
	std::unique_ptr<icu::RegexPattern> npp; /* national_prefix_for_parsing; null when empty */
	bool transform = false;			/* has a national_prefix_transform_rule */
	std::unique_ptr<icu::RegexPattern> general; /* general_desc's national_number_pattern */
	std::vector<int> lengths, local_lengths;    /* general_desc's possible lengths */
	/* for validity: the leading digits that pick this region among those sharing its country
	 * code (has_leading without a pattern: any), the general description and those of the
	 * number types (premium rate, toll free, ..., fixed line, mobile) */
	bool has_leading = false;
	std::unique_ptr<icu::RegexPattern> leading;
	struct desc {
		std::vector<int> lengths;
		std::unique_ptr<icu::RegexPattern> re; /* null: matches nothing */
	};
	desc general_desc;
	std::vector<desc> types;
};

/* the metadata by region, "AA".."ZZ" at (c0 - 'A') * 26 + (c1 - 'A') */
const PhoneMetadata *const *metadata_by_region()
{
	static const PhoneMetadata *table[26 * 26];
	static PhoneMetadataCollection all;
	static std::once_flag once;
	std::call_once(once, [] {
		if (!all.ParseFromArray(i18n::phonenumbers::metadata_get(),
					i18n::phonenumbers::metadata_size()))
			return;
		for (const PhoneMetadata &m : all.metadata()) {
			const std::string &id = m.id();
			if (id.size() == 2 && id[0] >= 'A' && id[0] <= 'Z' && id[1] >= 'A' &&
			    id[1] <= 'Z')
				table[(id[0] - 'A') * 26 + (id[1] - 'A')] = &m;
		}
	});
	return table;
}

std::unique_ptr<icu::RegexPattern> compile(const std::string &p, bool *ok)
{
	if (p.empty())
		return nullptr;
	UErrorCode st = U_ZERO_ERROR;
	UParseError pe;
	std::unique_ptr<icu::RegexPattern> re(
	    icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(p), 0, pe, st));
	if (U_FAILURE(st) || !re)
		*ok = false;
	return re;
}

void build_rules(const PhoneMetadata *m, region_rules *r)
{
	if (!m || !m->has_general_desc())
		return;
	bool ok = true;
	r->cc = m->country_code();
	r->cc_text = std::to_string(r->cc);
	r->idd = compile(m->international_prefix(), &ok);
	r->npp = compile(m->national_prefix_for_parsing(), &ok);
	r->transform = !m->national_prefix_transform_rule().empty();
	r->general = compile(m->general_desc().national_number_pattern(), &ok);
	for (int l : m->general_desc().possible_length())
		r->lengths.push_back(l);
	for (int l : m->general_desc().possible_length_local_only())
		r->local_lengths.push_back(l);
	r->has_leading = m->has_leading_digits();
	r->leading = compile(m->leading_digits(), &ok);
	auto desc_of = [&ok](const i18n::phonenumbers::PhoneNumberDesc &d) {
		region_rules::desc out;
		for (int l : d.possible_length())
			out.lengths.push_back(l);
		out.re = compile(d.national_number_pattern(), &ok);
		return out;
	};
	r->general_desc = desc_of(m->general_desc());
	for (const i18n::phonenumbers::PhoneNumberDesc *d :
	     {&m->premium_rate(), &m->toll_free(), &m->shared_cost(), &m->voip(),
	      &m->personal_number(), &m->pager(), &m->uan(), &m->voicemail(), &m->fixed_line(),
	      &m->mobile()})
		r->types.push_back(desc_of(*d));
	r->usable = ok && r->cc > 0 && r->general && !r->lengths.empty();
}

/* rules_of gives region's rules (built on first use, thread-safe), NULL when it has none. */
const region_rules *rules_of(const char *region)
{
	static region_rules rules[26 * 26];
	static std::once_flag once[26 * 26];
	if (!region || region[0] < 'A' || region[0] > 'Z' || region[1] < 'A' || region[1] > 'Z' ||
	    region[2])
		return nullptr;
	size_t i = (size_t)(region[0] - 'A') * 26 + (size_t)(region[1] - 'A');
	std::call_once(once[i], [i] { build_rules(metadata_by_region()[i], &rules[i]); });
	return rules[i].usable ? &rules[i] : nullptr;
}

/* matcher_for gives this thread's matcher of p, reset to s (which must outlive its use). */
icu::RegexMatcher *matcher_for(const icu::RegexPattern *p, const icu::UnicodeString &s)
{
	thread_local std::unordered_map<const icu::RegexPattern *,
					std::unique_ptr<icu::RegexMatcher>>
	    cache;
	std::unique_ptr<icu::RegexMatcher> &m = cache[p];
	if (!m) {
		UErrorCode st = U_ZERO_ERROR;
		m.reset(p->matcher(st));
		if (U_FAILURE(st))
			m.reset();
		if (!m)
			throw std::bad_alloc();
	}
	m->reset(s);
	return m.get();
}

/* full_match: the whole of digits matches p; starts_with: a prefix does (its length in *len). */
bool full_match(const icu::RegexPattern *p, const std::string &digits)
{
	icu::UnicodeString s(digits.data(), (int32_t)digits.size(), US_INV);
	UErrorCode st = U_ZERO_ERROR;
	bool r = matcher_for(p, s)->matches(st);
	return U_SUCCESS(st) && r;
}

bool starts_with(const icu::RegexPattern *p, const std::string &digits, size_t *len)
{
	icu::UnicodeString s(digits.data(), (int32_t)digits.size(), US_INV);
	UErrorCode st = U_ZERO_ERROR;
	icu::RegexMatcher *m = matcher_for(p, s);
	if (!m->lookingAt(st) || U_FAILURE(st))
		return false;
	int32_t end = m->end(st);
	if (U_FAILURE(st) || end < 0)
		return false;
	*len = (size_t)end; /* digits are one UTF-16 unit each */
	return true;
}

/* length_usable: the national number of n digits may be kept after taking off a national prefix
 * (not too short, not only possible locally, not a length the region lacks). */
bool length_usable(const region_rules &r, size_t n)
{
	for (int l : r.local_lengths)
		if ((size_t)l == n)
			return false;
	if (r.lengths[0] < 0)
		return false;
	if ((size_t)r.lengths[0] >= n)
		return (size_t)r.lengths[0] == n;
	if ((size_t)r.lengths.back() < n)
		return true; /* too long: kept, and judged invalid later */
	for (int l : r.lengths)
		if ((size_t)l == n)
			return true;
	return false;
}

/* desc_matches: nsn has one of d's lengths (any when it lists none) and matches its pattern. */
bool desc_matches(const region_rules::desc &d, const std::string &nsn)
{
	if (!d.re)
		return false;
	if (!d.lengths.empty()) {
		bool found = false;
		for (int l : d.lengths)
			found = found || (size_t)l == nsn.size();
		if (!found)
			return false;
	}
	return full_match(d.re.get(), nsn);
}

/* type_known: nsn is a number of some type in r's metadata. */
bool type_known(const region_rules &r, const std::string &nsn)
{
	if (!desc_matches(r.general_desc, nsn))
		return false;
	for (const region_rules::desc &d : r.types)
		if (desc_matches(d, nsn))
			return true;
	return false;
}

/* regions_of gives the rules of the regions of country code cc, the main one first; NULL when
 * there are none or one has no usable rules. */
const std::vector<const region_rules *> *regions_of(int cc)
{
	static std::vector<const region_rules *> lists[1000];
	static bool usable[1000];
	static std::once_flag once[1000];
	if (cc <= 0 || cc >= 1000)
		return nullptr;
	std::call_once(once[cc], [cc] {
		std::list<std::string> codes;
		PhoneNumberUtil::GetInstance()->GetRegionCodesForCountryCallingCode(cc, &codes);
		usable[cc] = !codes.empty();
		for (const std::string &c : codes) {
			const region_rules *r = rules_of(c.c_str());
			if (!r || r->cc != cc)
				usable[cc] = false;
			lists[cc].push_back(r);
		}
	});
	return usable[cc] ? &lists[cc] : nullptr;
}

/* valid_number: the number of country code cc and national number nsn (no leading zero) is
 * valid: of a known type in the region it belongs to. */
bool valid_number(int cc, const std::string &nsn)
{
	const std::vector<const region_rules *> *list = regions_of(cc);
	if (!list)
		return false;
	if (list->size() == 1)
		return type_known(*list->front(), nsn);
	/* the region: the first whose leading digits start nsn, or (for a region without leading
	 * digits) the first nsn is a number of */
	for (const region_rules *r : *list) {
		size_t len;
		if (r->has_leading) {
			if (!r->leading || starts_with(r->leading.get(), nsn, &len))
				return type_known(*r, nsn);
		} else if (type_known(*r, nsn)) {
			return true;
		}
	}
	return false;
}

/* strip_national_prefix takes off nsn's national prefix (and carrier code) where r's rules say
 * so; false when it cannot tell. */
bool strip_national_prefix(const region_rules &r, std::string *nsn)
{
	size_t len;
	if (!r.npp || !starts_with(r.npp.get(), *nsn, &len))
		return true;
	if (r.transform)
		return false;
	std::string rest = nsn->substr(len);
	/* a number that was whole before stripping and is not after keeps its prefix */
	if (full_match(r.general.get(), *nsn) && !full_match(r.general.get(), rest))
		return true;
	if (length_usable(r, rest.size()))
		*nsn = rest;
	return true;
}

/* reads_back: the E.164 of country code cc and national number nsn (valid, as fast_parse found
 * them) reads back to itself: fast_parse of it takes the rules of cc's main region, and those
 * would leave nsn as it is. False when it cannot tell (the caller parses the E.164 again). */
bool reads_back(int cc, const region_rules *r, const std::string &nsn)
{
	if (!r || r->cc != cc)
		return false;
	std::string again = nsn;
	return strip_national_prefix(*r, &again) && again == nsn;
}

/* fast_parse: true when input reads unambiguously as a valid number (in num); false when the
 * full path must decide. *stable (when not null) tells whether num's E.164 is known to read back
 * to itself (reads_back), which spares the caller a second parse. */
bool fast_parse(const char *input, const char *region, PhoneNumber *num, bool *stable = nullptr)
{
	if (stable)
		*stable = false;
	const char *p = input;
	while (*p == ' ')
		p++;
	bool plus = *p == '+';
	if (plus)
		p++;
	std::string digits;
	digits.reserve(24);
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits += *p;
		else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')')
			return false;
	}
	/* a digit must come first after the spaces and the "+" (Parse skips a leading bracket) */
	const char *first = input + strspn(input, " +");
	if (digits.size() < 7 || digits.size() > 17 || *first < '0' || *first > '9' ||
	    (plus && first != strchr(input, '+') + 1))
		return false;
	const PhoneNumberUtil *u = PhoneNumberUtil::GetInstance();
	const region_rules *r = rules_of(region);
	if (!r)
		return false;
	int cc = 0;
	std::string nsn;
	size_t len;
	if (plus) {
		if (digits[0] == '0')
			return false;
		for (size_t i = 1; i <= 3 && !cc; i++) {
			std::string home;
			u->GetRegionCodeForCountryCode(std::stoi(digits.substr(0, i)), &home);
			if (home == "ZZ")
				continue;
			if (home.size() != 2 || !(r = rules_of(home.c_str())))
				return false; /* a non-geographic code (001): the full path */
			cc = std::stoi(digits.substr(0, i));
			nsn = digits.substr(i);
		}
		if (!cc || r->cc != cc)
			return false;
	} else {
		/* an international prefix, or the country code written without "+" */
		if ((r->idd && starts_with(r->idd.get(), digits, &len)) ||
		    digits.compare(0, r->cc_text.size(), r->cc_text) == 0)
			return false;
		cc = r->cc;
		nsn = digits;
	}
	if (!strip_national_prefix(*r, &nsn))
		return false;
	/* a leading zero is kept apart from the number (Italy): the full path */
	if (nsn.size() < 2 || nsn.size() > 17 || nsn[0] == '0')
		return false;
	size_t total = r->cc_text.size() + nsn.size();
	if (total < 7 || total > 15)
		return false;
	if (!valid_number(cc, nsn))
		return false;
	num->Clear();
	num->set_country_code(cc);
	num->set_national_number(std::stoull(nsn));
	if (stable) {
		/* the E.164 is read with the rules of cc's main region: r after a "+" */
		const region_rules *home = r;
		if (!plus) {
			std::string code;
			u->GetRegionCodeForCountryCode(cc, &code);
			home = code.size() == 2 ? rules_of(code.c_str()) : nullptr;
		}
		*stable = reads_back(cc, home, nsn);
	}
	return true;
}

/* normalize does the work of phone_normalize; it may throw. */
/* fast_e164 writes num (from fast_parse) in E.164: it has no leading zero to keep apart. */
void fast_e164(const PhoneNumber &num, char out[PHONE_E164_MAX])
{
	snprintf(out, PHONE_E164_MAX, "+%d%llu", (int)num.country_code(),
		 (unsigned long long)num.national_number());
}

/* normalize_once does the work of phone_normalize (without fast_parse unless fast), one
 * parse; *stable (when not null) as fast_parse's. It may throw. */
int normalize_once(const char *input, const char *region, char out[PHONE_E164_MAX],
		   const char *field, struct nc_err *err, bool fast, bool *stable = nullptr)
{
	if (stable)
		*stable = false;
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
	if (!why && fast && fast_parse(input, region, &num, stable)) {
		fast_e164(num, out);
		return 0;
	}
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

/* REPARSE_MAX: a number is read again from its E.164 until it stays the same. A national
 * prefix removed once may leave another (Mexico's mobile "1": "+5 2119222112556" gives
 * +5219222112556, which reads as +529222112556, found by fuzz_phone): stored numbers must read
 * back to themselves, or a caller's number would not find its client. */
#define REPARSE_MAX 3

/* normalize is normalize_once until its E.164 reads back to itself. */
int normalize(const char *input, const char *region, char out[PHONE_E164_MAX], const char *field,
	      struct nc_err *err, bool fast)
{
	bool stable;
	if (normalize_once(input, region, out, field, err, fast, &stable) < 0)
		return -1;
	for (int i = 0; i < REPARSE_MAX && !stable; i++) {
		char again[PHONE_E164_MAX];
		struct nc_err ignored = {};
		if (normalize_once(out, region, again, field, &ignored, fast) < 0 ||
		    strcmp(again, out) == 0)
			break;
		memcpy(out, again, sizeof(again));
	}
	return 0;
}

} // namespace

namespace
{

int normalize_c(const char *input, const char *region, char out[PHONE_E164_MAX], const char *field,
		struct nc_err *err, bool fast)
{
	out[0] = 0;
	if (!input)
		input = "";
	try {
		return normalize(input, region, out, field, err, fast);
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

} // namespace

extern "C" int phone_normalize(const char *input, const char *region, char out[PHONE_E164_MAX],
			       const char *field, struct nc_err *err)
{
	return normalize_c(input, region, out, field, err, true);
}

extern "C" int phone_normalize_full(const char *input, const char *region, char out[PHONE_E164_MAX],
				    const char *field, struct nc_err *err)
{
	return normalize_c(input, region, out, field, err, false);
}

extern "C" bool phone_normalize_fast(const char *input, const char *region,
				     char out[PHONE_E164_MAX])
{
	out[0] = 0;
	try {
		PhoneNumber num;
		bool stable;
		if (!input || !region_known(region) || strlen(input) > input_max ||
		    !plain_text(input) || !fast_parse(input, region, &num, &stable))
			return false;
		fast_e164(num, out);
		if (stable)
			return true;
		/* as normalize: until the E.164 reads back to itself (else the full path) */
		for (int i = 0; i < REPARSE_MAX; i++) {
			char again[PHONE_E164_MAX];
			if (!fast_parse(out, region, &num)) {
				out[0] = 0;
				return false;
			}
			fast_e164(num, again);
			if (strcmp(again, out) == 0)
				return true;
			memcpy(out, again, sizeof(again));
		}
		out[0] = 0;
		return false;
	} catch (const std::bad_alloc &) {
		fprintf(stderr, "nextcall: out of memory in phone_normalize_fast\n");
		abort();
	} catch (...) {
		return false;
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
