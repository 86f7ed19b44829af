/* pbx.c - AMI call events to calls (see pbx.h). A call is keyed by Linkedid and completes when
 * the last channel seen for it hangs up: event order is not causal across Asterisk subsystems
 * (PROTOCOL.md pitfall 1), so no single event ends a call. */
#include "tel/pbx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xmalloc.h"

struct chan {
	char uid[48];
	bool live;
};

struct leg {
	char uid[48];  /* the Dest channel's Uniqueid */
	char from[48]; /* the calling channel's Uniqueid, "" for an Originate's first leg */
	char ext[16];  /* rep extension dialled, "" for an outside or trunk leg */
	bool outside;  /* dialled an outside number (not a rep, not an external context) */
	bool ended, answer;
	char status[16]; /* DialEnd's DialStatus, "" when none came */
	double begin, end;
};

struct call {
	char linkedid[48];
	struct chan ch[PBX_MAX_CHANS];
	size_t nch;
	struct leg legs[PBX_MAX_LEGS];
	size_t nlegs;
	bool inbound, any_hangup;
	char number[64];
	char notified[4][16]; /* extensions already announced as ringing */
	size_t nnotified;
	double start, last, talk_start, talk_end;
	int cause;
	char cause_txt[48];
	bool listed; /* seen in the CoreShowChannels list of a resync */
};

struct pbx {
	const struct pbx_config *cfg;
	void (*on_call)(const struct pbx_call *, void *);
	void (*on_ringing)(const struct pbx_ringing *, void *);
	void *ctx;
	struct call *calls[PBX_MAX_CALLS];
	size_t n;
	char done[64][48]; /* recently completed Linkedids: late events for them are ignored */
	size_t ndone;
	bool resyncing;
};

/* copy is a bounded, always NUL-terminated string copy; NULL and "<unknown>" give "". */
static void copy(char *dst, size_t size, const char *s)
{
	size_t n = 0;
	if (s && strcmp(s, "<unknown>") != 0)
		while (n < size - 1 && s[n])
			n++;
	memcpy(dst, s ? s : "", n);
	dst[n] = '\0';
}

struct pbx *pbx_new(const struct pbx_config *cfg, void (*on_call)(const struct pbx_call *, void *),
		    void (*on_ringing)(const struct pbx_ringing *, void *), void *ctx)
{
	struct pbx *x = xcalloc(1, sizeof(*x));
	x->cfg = cfg;
	x->on_call = on_call;
	x->on_ringing = on_ringing;
	x->ctx = ctx;
	return x;
}

void pbx_free(struct pbx *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->n; i++)
		free(x->calls[i]);
	free(x);
}

size_t pbx_active(const struct pbx *x)
{
	return x->n;
}

static const char *rep_login(const struct pbx *x, const char *ext)
{
	for (size_t i = 0; ext && *ext && i < x->cfg->n_exts; i++)
		if (strcmp(x->cfg->exts[i].ext, ext) == 0)
			return x->cfg->exts[i].login;
	return NULL;
}

static bool external_ctx(const struct pbx *x, const char *ctx)
{
	for (size_t i = 0; ctx && i < x->cfg->n_external; i++)
		if (strcmp(x->cfg->external[i], ctx) == 0)
			return true;
	return false;
}

/* chan_ext extracts the device or extension from a channel name: "Local/201@phones-0001;1",
 * "PJSIP/201-00000001" and "SIP/201-0a" all give "201". */
static void chan_ext(char *out, size_t size, const char *chan)
{
	const char *s = chan ? strchr(chan, '/') : NULL;
	size_t n = 0;
	if (s) {
		s++;
		n = strcspn(s, "@-;/");
		if (n >= size)
			n = 0;
		memcpy(out, s, n);
	}
	out[n] = '\0';
}

static struct call *find_call(struct pbx *x, const char *linkedid, size_t *idx)
{
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->calls[i]->linkedid, linkedid) == 0) {
			if (idx)
				*idx = i;
			return x->calls[i];
		}
	return NULL;
}

static struct call *new_call(struct pbx *x, const char *linkedid, double t)
{
	if (x->n >= PBX_MAX_CALLS || strlen(linkedid) >= sizeof(x->calls[0]->linkedid))
		return NULL;
	struct call *c = xcalloc(1, sizeof(*c));
	copy(c->linkedid, sizeof(c->linkedid), linkedid);
	c->start = c->last = t;
	c->talk_start = c->talk_end = -1;
	x->calls[x->n++] = c;
	return c;
}

/* chan_seen marks uid as a live channel of c, once. */
static struct chan *chan_seen(struct call *c, const char *uid)
{
	if (!uid || !*uid)
		return NULL;
	for (size_t i = 0; i < c->nch; i++)
		if (strcmp(c->ch[i].uid, uid) == 0)
			return &c->ch[i];
	if (c->nch >= PBX_MAX_CHANS)
		return NULL;
	struct chan *ch = &c->ch[c->nch++];
	copy(ch->uid, sizeof(ch->uid), uid);
	ch->live = true;
	return ch;
}

static struct leg *find_leg(struct call *c, const char *uid)
{
	for (size_t i = 0; uid && i < c->nlegs; i++)
		if (strcmp(c->legs[i].uid, uid) == 0)
			return &c->legs[i];
	return NULL;
}

static bool is_done(const struct pbx *x, const char *linkedid)
{
	for (size_t i = 0; i < 64 && i < x->ndone; i++)
		if (strcmp(x->done[i], linkedid) == 0)
			return true;
	return false;
}

static void notify(struct pbx *x, struct call *c, const char *ext)
{
	const char *login = rep_login(x, ext);
	if (!login || !c->inbound)
		return;
	for (size_t i = 0; i < c->nnotified; i++)
		if (strcmp(c->notified[i], ext) == 0)
			return;
	if (c->nnotified >= sizeof(c->notified) / sizeof(c->notified[0]))
		return;
	copy(c->notified[c->nnotified++], sizeof(c->notified[0]), ext);
	struct pbx_ringing r = {
	    .ext = ext, .login = login, .number = c->number, .linkedid = c->linkedid};
	if (x->on_ringing)
		x->on_ringing(&r, x->ctx);
}

/* dial_begin opens a leg; the outside number of an inbound call is the caller block's
 * CallerIDNum, else the Dest ConnectedLineNum (pitfall 3). */
static void dial_begin(struct pbx *x, struct call *c, const struct ami_msg *m, double t)
{
	const char *uid = ami_get(m, "DestUniqueid");
	char ext[16];
	if (!uid || find_leg(c, uid) || c->nlegs >= PBX_MAX_LEGS)
		return;
	struct leg *l = &c->legs[c->nlegs++];
	memset(l, 0, sizeof(*l));
	copy(l->uid, sizeof(l->uid), uid);
	copy(l->from, sizeof(l->from), ami_get(m, "Uniqueid"));
	l->begin = t;
	chan_ext(ext, sizeof(ext), ami_get(m, "DestChannel"));
	if (!rep_login(x, ext)) {
		const char *ds = ami_get(m, "DialString");
		size_t n = ds ? strcspn(ds, "@") : 0;
		copy(ext, n < sizeof(ext) ? n + 1 : 1, ds);
	}
	if (rep_login(x, ext))
		copy(l->ext, sizeof(l->ext), ext);
	else if (l->from[0] && !external_ctx(x, ami_get(m, "DestContext")))
		l->outside = true;
	if (c->number[0])
		return;
	if (c->inbound && l->ext[0]) {
		copy(c->number, sizeof(c->number), ami_get(m, "CallerIDNum"));
		if (!c->number[0])
			copy(c->number, sizeof(c->number), ami_get(m, "DestConnectedLineNum"));
	} else if (!c->inbound && l->outside) {
		const char *ds = ami_get(m, "DialString");
		const char *s = ds ? strrchr(ds, '/') : NULL;
		s = s ? s + 1 : ds;
		size_t n = s ? strcspn(s, "@") : 0;
		copy(c->number, n < sizeof(c->number) ? n + 1 : 1, s);
	}
}

static void hangup(struct pbx *x, struct call *c, const struct ami_msg *m, double t)
{
	const char *uid = ami_get(m, "Uniqueid");
	struct chan *ch = chan_seen(c, uid);
	const char *cs = ami_get(m, "Cause");
	char *end;
	long cause = cs ? strtol(cs, &end, 10) : 0;
	(void)x;
	if (ch)
		ch->live = false;
	c->any_hangup = true;
	/* 0 (unknown) and 26 (answered elsewhere) say nothing about how the call ended. */
	if (cs && *end == '\0' && cause != 0 && cause != 26 && c->cause == 0) {
		c->cause = (int)cause;
		copy(c->cause_txt, sizeof(c->cause_txt), ami_get(m, "Cause-txt"));
	}
	for (size_t i = 0; uid && i < c->nlegs; i++) {
		struct leg *l = &c->legs[i];
		if (!l->ended && (strcmp(l->uid, uid) == 0 || strcmp(l->from, uid) == 0)) {
			l->ended = true; /* a dial with no DialEnd (pitfall 2) */
			l->end = t;
		}
	}
	if (c->talk_start >= 0 && c->talk_end < 0)
		c->talk_end = t;
}

static bool call_idle(const struct call *c)
{
	if (!c->any_hangup)
		return false;
	for (size_t i = 0; i < c->nch; i++)
		if (c->ch[i].live)
			return false;
	return true;
}

/* summarise fills out from c; see struct pbx_call for the meaning of each field. */
static void summarise(const struct pbx *x, const struct call *c, struct pbx_call *out)
{
	const struct leg *rang = NULL, *ans = NULL, *oring = NULL, *oans = NULL, *lastend = NULL;
	double first = 0, last = 0;
	bool outbound = false;

	memset(out, 0, sizeof(*out));
	copy(out->linkedid, sizeof(out->linkedid), c->linkedid);
	copy(out->number, sizeof(out->number), c->number);
	for (size_t i = 0; i < c->nlegs; i++) {
		const struct leg *l = &c->legs[i];
		double e = l->ended ? l->end : c->last;
		if (l->ext[0]) {
			if (!rang || l->begin < first)
				first = l->begin;
			if (!rang || e >= last) {
				last = e;
				lastend = l;
			}
			if (!rang)
				rang = l;
			if (l->answer && !ans)
				ans = l;
			if (!l->from[0])
				outbound = true; /* an Originate rang the rep first */
		} else if (l->outside) {
			outbound = true;
			if (!oring)
				oring = l;
			if (l->answer && !oans)
				oans = l;
		}
	}
	out->dir = c->inbound ? PBX_INBOUND : outbound ? PBX_OUTBOUND : PBX_INTERNAL;
	if (rang)
		copy(out->rang_ext, sizeof(out->rang_ext), rang->ext);
	if (ans)
		copy(out->answered_ext, sizeof(out->answered_ext), ans->ext);
	out->rep = rep_login(x, ans ? ans->ext : rang ? rang->ext : NULL);
	if (out->dir == PBX_OUTBOUND && oring) {
		const struct leg *l = oans ? oans : oring;
		out->answered = oans != NULL;
		out->ring_s = (l->ended ? l->end : c->last) - l->begin;
		copy(out->dial_status, sizeof(out->dial_status), l->status);
	} else {
		const struct leg *l = ans ? ans : lastend;
		if (l)
			copy(out->dial_status, sizeof(out->dial_status), l->status);
		out->answered = ans != NULL;
		if (ans)
			out->ring_s = ans->end - ans->begin;
		else if (rang)
			out->ring_s = last - first;
	}
	out->missed = out->dir == PBX_INBOUND && rang && !ans;
	if (c->talk_start >= 0)
		out->talk_s = (c->talk_end >= 0 ? c->talk_end : c->last) - c->talk_start;
	out->cause = c->cause;
	copy(out->cause_txt, sizeof(out->cause_txt), c->cause_txt);
	out->start = c->start;
	out->end = c->last;
}

static void complete(struct pbx *x, size_t idx)
{
	struct call *c = x->calls[idx];
	struct pbx_call pc;
	summarise(x, c, &pc);
	copy(x->done[x->ndone % 64], sizeof(x->done[0]), c->linkedid);
	x->ndone++;
	x->calls[idx] = x->calls[--x->n];
	if (x->on_call)
		x->on_call(&pc, x->ctx);
	free(c);
}

static double event_time(const struct ami_msg *m, double now)
{
	const char *ts = ami_get(m, "Timestamp");
	char *end;
	if (!ts || !*ts)
		return now;
	double t = strtod(ts, &end);
	return (*end == '\0' && t > 0 && t < 1e11) ? t : now;
}

/* touch records the channels an event names and whether one is from an external context. */
static void touch(struct pbx *x, struct call *c, const struct ami_msg *m)
{
	struct chan *ch = chan_seen(c, ami_get(m, "Uniqueid"));
	(void)ch;
	if (ami_get(m, "DestUniqueid"))
		chan_seen(c, ami_get(m, "DestUniqueid"));
	if (external_ctx(x, ami_get(m, "Context")) && ami_get(m, "Channel")) {
		c->inbound = true;
		/* the trunk side's caller ID is the customer (pitfall 3) */
		if (!c->number[0])
			copy(c->number, sizeof(c->number), ami_get(m, "CallerIDNum"));
	}
}

/* duration parses CoreShowChannel's "HH:MM:SS" (0 when malformed). */
static double duration(const char *d)
{
	int h, m, sec;
	char extra;
	if (!d || sscanf(d, "%d:%d:%d%c", &h, &m, &sec, &extra) != 3 || h < 0 || m < 0 || sec < 0 ||
	    h > 1000)
		return 0;
	return h * 3600.0 + m * 60.0 + sec;
}

/* listed takes one CoreShowChannel item of a resync: the channel is alive. For a call that began
 * while the link was down, a rep's channel becomes a leg (answered when it is up and bridged),
 * and its start is the oldest channel's start. */
static void listed(struct pbx *x, struct call *c, const struct ami_msg *m, double now)
{
	if (!x->resyncing)
		return;
	c->listed = true;
	struct chan *ch = chan_seen(c, ami_get(m, "Uniqueid"));
	if (ch)
		ch->live = true;
	double start = now - duration(ami_get(m, "Duration"));
	if (start < c->start)
		c->start = start;
	char ext[16];
	chan_ext(ext, sizeof(ext), ami_get(m, "Channel"));
	const char *uid = ami_get(m, "Uniqueid");
	const char *bridge = ami_get(m, "BridgeId");
	bool bridged = bridge && *bridge;
	if (rep_login(x, ext) && uid && !find_leg(c, uid) && c->nlegs < PBX_MAX_LEGS) {
		struct leg *l = &c->legs[c->nlegs++];
		memset(l, 0, sizeof(*l));
		copy(l->uid, sizeof(l->uid), uid);
		copy(l->from, sizeof(l->from), "resync");
		copy(l->ext, sizeof(l->ext), ext);
		l->begin = start;
		const char *st = ami_get(m, "ChannelStateDesc");
		if (bridged || (st && strcasecmp(st, "Up") == 0)) {
			l->ended = l->answer = true;
			l->end = start;
			copy(l->status, sizeof(l->status), "ANSWER");
		}
	}
	if (bridged && c->talk_start < 0)
		c->talk_start = start;
}

void pbx_resync_begin(struct pbx *x)
{
	x->resyncing = true;
	for (size_t i = 0; i < x->n; i++)
		x->calls[i]->listed = false;
}

void pbx_resync_end(struct pbx *x, double now)
{
	x->resyncing = false;
	for (size_t i = 0; i < x->n;) {
		struct call *c = x->calls[i];
		if (c->listed) {
			i++;
			continue;
		}
		/* it ended while the link was down: its channels are gone */
		for (size_t k = 0; k < c->nch; k++)
			c->ch[k].live = false;
		if (c->talk_start >= 0 && c->talk_end < 0)
			c->talk_end = c->last;
		(void)now;
		complete(x, i); /* moves the last call into slot i */
	}
}

void pbx_feed(struct pbx *x, const struct ami_msg *m, double now)
{
	const char *linkedid = ami_get(m, "Linkedid");
	const char *ev = m->name;
	size_t idx = 0;
	char ext[16];

	if (!m->is_event)
		return;
	if (!linkedid)
		linkedid = ami_get(m, "DestLinkedid");
	if (!linkedid || !*linkedid || is_done(x, linkedid))
		return;
	if (!x->resyncing && strcasecmp(ev, "CoreShowChannel") == 0)
		return; /* a list item outside a resync (another session's list) */
	double t = event_time(m, now);
	struct call *c = find_call(x, linkedid, &idx);
	if (!c) {
		if (strcasecmp(ev, "Hangup") == 0)
			return;
		c = new_call(x, linkedid, t);
		if (!c)
			return;
		idx = x->n - 1;
	}
	if (t > c->last)
		c->last = t;
	if (strcasecmp(ev, "Hangup") != 0)
		touch(x, c, m);
	if (strcasecmp(ev, "CoreShowChannel") == 0) {
		listed(x, c, m, now);
	} else if (strcasecmp(ev, "DialBegin") == 0) {
		dial_begin(x, c, m, t);
	} else if (strcasecmp(ev, "DialState") == 0) {
		const char *st = ami_get(m, "DialStatus");
		struct leg *l = find_leg(c, ami_get(m, "DestUniqueid"));
		if (l && l->ext[0] && st && strcasecmp(st, "RINGING") == 0)
			notify(x, c, l->ext);
	} else if (strcasecmp(ev, "DialEnd") == 0) {
		const char *st = ami_get(m, "DialStatus");
		struct leg *l = find_leg(c, ami_get(m, "DestUniqueid"));
		if (l && !l->ended) {
			l->ended = true;
			l->end = t;
			l->answer = st && strcasecmp(st, "ANSWER") == 0;
			copy(l->status, sizeof(l->status), st);
		}
	} else if (strcasecmp(ev, "Newstate") == 0) {
		const char *desc = ami_get(m, "ChannelStateDesc");
		chan_ext(ext, sizeof(ext), ami_get(m, "Channel"));
		if (desc && strcasecmp(desc, "Ringing") == 0)
			notify(x, c, ext);
	} else if (strcasecmp(ev, "BridgeEnter") == 0) {
		const char *nc = ami_get(m, "BridgeNumChannels");
		char *end;
		long k = nc ? strtol(nc, &end, 10) : 0;
		if (k >= 2 && c->talk_start < 0)
			c->talk_start = t;
	} else if (strcasecmp(ev, "BridgeLeave") == 0) {
		if (c->talk_start >= 0 && c->talk_end < 0)
			c->talk_end = t;
	} else if (strcasecmp(ev, "Hangup") == 0) {
		hangup(x, c, m, t);
		if (call_idle(c))
			complete(x, idx);
	}
}
