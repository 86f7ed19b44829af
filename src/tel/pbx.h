/* pbx.h - turns parsed AMI call events into calls: correlates channels by Linkedid and, when the
 * last channel of a call has hung up, reports direction, numbers, extensions, ring and talk time.
 * Pure code: no I/O, no globals; the caller passes the time of each event. */
#ifndef NC_PBX_H
#define NC_PBX_H

#include <stdbool.h>
#include <stddef.h>

#include "tel/ami.h"

#define PBX_MAX_CALLS 1024 /* calls in progress kept; more are ignored */
#define PBX_MAX_CHANS 32   /* channels per call kept */
#define PBX_MAX_LEGS  16   /* Dial legs per call kept */

struct pbx_ext {
	const char *ext;   /* "201" */
	const char *login; /* the rep's login */
};

struct pbx_config {
	const struct pbx_ext *exts; /* extension -> rep map */
	size_t n_exts;
	const char *const *external; /* dialplan contexts that mean "from outside" ("from-trunk") */
	size_t n_external;
};

enum pbx_dir { PBX_INTERNAL = 0, PBX_INBOUND, PBX_OUTBOUND };

struct pbx_call {
	char linkedid[48];
	enum pbx_dir dir;
	char number[64];       /* the outside number, "" when unknown */
	char rang_ext[16];     /* first rep extension dialled, "" if none */
	char answered_ext[16]; /* rep extension that answered, "" if none */
	const char *rep; /* login of answered_ext (else rang_ext), NULL if unmapped; config's */
	bool answered;	 /* inbound: a rep answered; outbound: the outside party answered */
	bool missed;	 /* inbound, dialled reps, none answered */
	char dial_status[16]; /* DialEnd status of that leg (ANSWER, BUSY, NOANSWER, CANCEL...), ""
			       */
	double ring_s;	      /* DialBegin -> DialEnd (or Hangup) of the relevant leg */
	double talk_s;	      /* BridgeEnter -> BridgeLeave/Hangup */
	int cause;	      /* hangup cause */
	char cause_txt[48];
	double start, end; /* first and last event times */
};

struct pbx_ringing {
	const char *ext;      /* the rep extension ringing */
	const char *login;    /* its rep, NULL if unmapped */
	const char *number;   /* the outside number, "" when unknown */
	const char *linkedid; /* the call key */
};

struct pbx;

/* pbx_new returns a correlator; cfg (and the strings it points to) must outlive it. on_call gets
 * each completed call, on_ringing each first ring of a rep extension on an inbound call; the
 * pointers passed are valid only during the callback. Free with pbx_free (NULL is fine): calls
 * still in progress are dropped without being reported. */
struct pbx *pbx_new(const struct pbx_config *cfg, void (*on_call)(const struct pbx_call *, void *),
		    void (*on_ringing)(const struct pbx_ringing *, void *), void *ctx);
void pbx_free(struct pbx *x);

/* pbx_feed applies one AMI message. The event time is its Timestamp: header when present, else
 * now (seconds since the epoch). Messages that are not call events are ignored. */
void pbx_feed(struct pbx *x, const struct ami_msg *m, double now);

/* After a reconnect the link re-synchronises: pbx_resync_begin, then every CoreShowChannel item
 * of a CoreShowChannels list through pbx_feed, then pbx_resync_end. A call with no channel in the
 * list ended while the link was down and is completed then (with what was seen of it); a listed
 * channel of an unknown call starts that call (it began while the link was down). */
void pbx_resync_begin(struct pbx *x);
void pbx_resync_end(struct pbx *x, double now);

/* pbx_active returns the number of calls in progress. */
size_t pbx_active(const struct pbx *x);

#endif
