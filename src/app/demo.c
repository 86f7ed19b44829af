/* demo.c - the demo team of "Потолки Люкс", stretch ceilings in Moscow: users, catalogs and 320
 * clients with two months of calls, next steps and deals, drawn from a fixed seed relative to
 * the clock. Every demo user's password is DEMO_PASSWORD ("demo1234"). */
#include "app/app.h"
#include "app/internal.h"
#include "util/embed.h"
#include "util/time.h"

#include <assert.h>
#include <sodium.h>
#include <string.h>

#define DEMO_PASSWORD "demo1234"
#define DEMO_TZ	      "Europe/Moscow"
#define DEMO_SEED     0x9e3779b97f4a7c15ULL
#define NCLIENTS      320
#define NREPS	      3
#define FIRST_REP     2 /* demo_users[FIRST_REP...] are the reps */
#define DAY	      86400
#define HOUR	      3600
#define WORK_FROM     (9 * 60) /* working hours, minutes of the local day */
#define WORK_TO	      (20 * 60)
#define MAX_CONTACTS  6	 /* contacts that reached a client */
#define MAX_EVENTS    16 /* with the missed calls between them */
#define NELEM(a)      (sizeof(a) / sizeof((a)[0]))
#define PICK(d, a)    ((a)[rnd((d), (int)NELEM(a))])
#define MIN(a, b)     ((a) < (b) ? (a) : (b))
#define MAX(a, b)     ((a) > (b) ? (a) : (b))

enum { SEG_PRIVATE, SEG_DESIGN, SEG_BUILD, NSEGS };
enum { SRC_DIRECT, SRC_AVITO, SRC_SITE, SRC_REFERRAL, SRC_2GIS, NSRCS };
enum fate { FATE_NEVER, FATE_FUTURE, FATE_WON, FATE_OFFER, FATE_PLAIN, NFATES, FATE_LEAD };
/* when a client's last next step is due; NOSTEP: it was cancelled, leaving none */
enum bucket { B_NONE, B_FUTURE, B_TODAY_EARLY, B_TODAY_LATE, B_OVERDUE, B_NOSTEP };

static const struct {
	const char *login, *name;
	enum role role;
	const char *locale, *ext;
} demo_users[] = {
    {"admin", "Администратор", ROLE_ADMIN, "ru", NULL},
    {"elena", "Елена Смирнова", ROLE_HEAD, "ru", NULL},
    {"anna", "Анна Кузнецова", ROLE_REP, "ru", "201"},
    {"oleg", "Олег Петров", ROLE_REP, "ru", "202"},
    {"mike", "Mike Johnson", ROLE_REP, "en", "203"},
};
#define NUSERS ((int)NELEM(demo_users))

static const struct segment_rec demo_segments[NSEGS] = {
    {0, "Частные клиенты", 3, 7}, {0, "Дизайнеры и прорабы", 14, 30}, {0, "Застройщики", 30, 45}};
static const char *const demo_sources[NSRCS] = {"Яндекс.Директ", "Авито", "Сайт", "Рекомендации",
						"2ГИС"};
static const int spend_rub[NSRCS][2] = {
    {180000, 260000}, {60000, 90000}, {25000, 40000}, {0, 0}, {15000, 22000}};
static const int seg_weight[NSEGS] = {65, 22, 13};
static const int fate_weight[NFATES] = {5, 27, 21, 28, 19};
static const int src_weight[NSEGS][NSRCS] = {
    {35, 25, 15, 15, 10}, {20, 5, 20, 40, 15}, {20, 5, 15, 40, 20}};
static const int deal_rub[NSEGS][2] = {{25000, 120000}, {60000, 250000}, {150000, 350000}};

static const char *const male_first[] = {"Александр", "Дмитрий", "Сергей", "Андрей",  "Алексей",
					 "Максим",    "Иван",	 "Михаил", "Николай", "Павел"};
static const char *const female_first[] = {"Анна",    "Мария", "Елена",	   "Ольга", "Наталья",
					   "Татьяна", "Ирина", "Светлана", "Юлия",  "Дарья"};
/* male forms: a woman's takes "а" */
static const char *const surnames[] = {
    "Иванов",  "Смирнов",  "Кузнецов", "Попов",	   "Васильев", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов",  "Волков",   "Алексеев", "Лебедев",  "Семёнов", "Егоров",   "Павлов",
    "Козлов",  "Степанов", "Николаев", "Орлов",	   "Андреев",  "Макаров", "Никитин",  "Захаров",
    "Зайцев",  "Борисов",  "Романов",  "Фролов",   "Гусев",    "Медведев"};
static const char *const initials[] = {"А", "В", "Д", "И", "М", "Н", "О", "П", "С", "Ю"};
static const char *const firm_a[] = {"Гранд", "Северный", "Новый", "Эталон", "Монолит", "Вектор"};
static const char *const firm_b[] = {"Строй", "Квартал", "Девелопмент", "Инвест", "Групп"};

/* the purpose of the contact that fulfils a next step, by enum step_kind */
static const char *const purposes[STEP__COUNT][5] = {
    {"Показать образцы полотен в шоуруме и подобрать фактуру",
     "Встреча в студии дизайнера: подобрать потолки под проект",
     "Встреча на объекте: обсудить объём работ по этажам"},
    {"Бесплатный замер и расчёт сметы на месте", "Замер всех комнат и выбор светильников",
     "Повторный замер после выравнивания стен"},
    {"Записать на бесплатный замер", "Согласовать смету после замера", "Уточнить дату монтажа",
     "Договориться о встрече в шоуруме", "Предложить скидку 10% на монтаж в будние дни"},
    {"Перезвонить по пропущенному звонку: назвать цену и записать на замер",
     "Перезвонить с расчётом стоимости, как обещали"},
    {"Обсудить коммерческое предложение по смете", "Разобрать КП: полотна, профиль и светильники"},
    {"Выставить счёт на предоплату и забронировать дату монтажа"},
    {"Узнать решение по смете и забронировать дату монтажа"},
};
static const char *const inbound_questions[] = {
    "Клиент спрашивает цену натяжного потолка в гостиной 18 м²",
    "Клиент спрашивает, делаем ли тканевые потолки",
    "Можно ли смонтировать потолок на кухне до выходных",
    "Интересует двухуровневый потолок с подсветкой в спальне",
    "Нужна цена на потолки во всю квартиру после ремонта"};
static const char *const first_out[NSEGS] = {
    "Записать на бесплатный замер по рекомендации знакомых",
    "Предложить дизайнеру партнёрские цены на потолки для его объектов",
    "Предложить застройщику потолки под ключ для сдаваемого дома"};
static const char *const refusals[] = {
    "дорого, сравнивает с конкурентами",   "ремонт отложили до весны",
    "не закончили черновую отделку",	   "решили сначала поменять окна",
    "прораб советует гипсокартон",	   "ждут одобрения ипотеки",
    "заказчик дизайнера заморозил проект", "застройщик перенёс сдачу дома"};

struct plan {
	int rep, seg, src; /* rep -1: an unassigned lead */
	enum fate fate;
	enum bucket bucket;
	bool decision_passed, cadence_over;
};

struct demo {
	struct app *app;
	uint64_t seed;
	int64_t now, win, today; /* win: the oldest contact; today: local midnight */
	int now_min, ty, tm, td;
	const char *hash;
	int64_t user_id[NUSERS], seg_id[NSEGS], src_id[NSRCS];
	struct plan plan[NCLIENTS];
	long ncalls, nsteps, ndeals;
};

/* One client's history, built before it is written. Client, rep and phone of the calls are set
 * when written; the call_id of steps and of the deal is an index into ev until then. */
struct story {
	const struct plan *p;
	int n;				    /* contacts that reached the client */
	int64_t t[MAX_CONTACTS];	    /* their times, oldest first */
	enum step_kind kinds[MAX_CONTACTS]; /* kinds[j]: the step planned at contact j */
	int reached[MAX_CONTACTS];	    /* their index in ev */
	int64_t final_due;
	bool auto_final, has_deal;
	struct call_rec ev[MAX_EVENTS];
	struct step_rec st[MAX_EVENTS];
	int nev, nst, pending; /* pending: the step the next contact fulfils, -1 none */
	struct deal_rec deal;
	struct client_rec cl;
};

/* ---- randomness (splitmix64) and time ---- */

static uint64_t rng_next(struct demo *d)
{
	uint64_t z = (d->seed += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rnd(struct demo *d, int n)
{
	return (int)(rng_next(d) % (uint64_t)n);
}

static int between(struct demo *d, int lo, int hi)
{
	return lo + rnd(d, hi - lo + 1);
}

static bool chance(struct demo *d, int pct)
{
	return rnd(d, 100) < pct;
}

static int weighted(struct demo *d, const int *w, int n)
{
	int sum = 0, i;
	for (i = 0; i < n; i++)
		sum += w[i];
	int r = rnd(d, sum);
	for (i = 0; r >= w[i]; i++)
		r -= w[i];
	return i;
}

static int64_t local_at(const struct demo *d, int dayoff, int minute)
{
	return time_local_to_utc(DEMO_TZ, d->ty, d->tm, d->td + dayoff, minute / 60, minute % 60,
				 0);
}

static int day_of(const struct demo *d, int64_t t)
{
	int64_t x = t - d->today;
	return (int)(x >= 0 ? x / DAY : -((-x + DAY - 1) / DAY));
}

/* slot gives a minute of the day from lo to hi on a five-minute boundary. */
static int slot(struct demo *d, int lo, int hi)
{
	lo = (lo + 4) / 5;
	hi /= 5;
	return 5 * (hi > lo ? between(d, lo, hi) : lo);
}

/* pick_between gives a moment in working hours within [lo, hi], or hi when none was found. */
static int64_t pick_between(struct demo *d, int64_t lo, int64_t hi)
{
	for (int i = 0; i < 24 && lo <= hi; i++) {
		int64_t t = local_at(d, between(d, day_of(d, lo), day_of(d, hi)),
				     between(d, WORK_FROM, WORK_TO - 1)) +
			    rnd(d, 60);
		if (t >= lo && t <= hi)
			return t;
	}
	return hi;
}

/* ---- the team and its catalogs ---- */

static int put_users(struct demo *d, struct nc_err *err)
{
	for (int i = 0; i < NUSERS; i++) {
		struct user_rec u = {.login = demo_users[i].login,
				     .name = demo_users[i].name,
				     .role = demo_users[i].role,
				     .timezone = DEMO_TZ,
				     .locale = demo_users[i].locale,
				     .extension = demo_users[i].ext,
				     .password_hash = d->hash,
				     .active = true,
				     .created_at = d->now - 90 * DAY};
		if (store_user_insert(d->app->db, &u, &d->user_id[i], err) < 0)
			return -1;
	}
	return 0;
}

/* put_catalogs stores the settings, segments, sources and the ad spend of the last 3 months. */
static int put_catalogs(struct demo *d, struct nc_err *err)
{
	struct db *db = d->app->db;
	if (store_setting_put(db, "team.name", "Потолки Люкс", d->now, err) < 0 ||
	    store_setting_put(db, "team.timezone", DEMO_TZ, d->now, err) < 0 ||
	    store_setting_put(db, "phone.region", "RU", d->now, err) < 0 ||
	    store_setting_put(db, "goals.default_max",
			      "Замер или встреча в конкретные дату и время", d->now, err) < 0 ||
	    store_setting_put(db, "goals.default_min",
			      "Обмен контактами и звонок в конкретное время", d->now, err) < 0)
		return -1;
	for (int i = 0; i < NSEGS; i++)
		if (store_segment_insert(db, &demo_segments[i], &d->seg_id[i], err) < 0)
			return -1;
	for (int i = 0; i < NSRCS; i++) {
		if (store_source_insert(db, demo_sources[i], &d->src_id[i], err) < 0)
			return -1;
		for (int back = 0; back < 3; back++) {
			int y = d->tm - back < 1 ? d->ty - 1 : d->ty,
			    m = (d->tm - back + 11) % 12 + 1;
			int64_t rub = 1000 * (int64_t)between(d, spend_rub[i][0] / 1000,
							      spend_rub[i][1] / 1000);
			if (store_spend_set(db, d->src_id[i],
					    arena_printf(d->app->a, "%04d-%02d", y, m), rub * 100,
					    err) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- who the clients are and where their plans stand ---- */

static void plan_client(struct demo *d, struct plan *p)
{
	p->rep = chance(d, 6) ? -1 : rnd(d, NREPS);
	p->seg = weighted(d, seg_weight, NSEGS);
	p->src = weighted(d, src_weight[p->seg], NSRCS);
	if (p->rep < 0) {
		p->fate = FATE_LEAD;
		if (p->src == SRC_REFERRAL)
			p->src = SRC_SITE;
		return;
	}
	p->fate = (enum fate)weighted(d, fate_weight, NFATES);
	p->bucket = p->fate == FATE_NEVER ? B_NONE : B_FUTURE;
	if (p->fate != FATE_NEVER && p->fate != FATE_WON && chance(d, 3))
		p->bucket = B_NOSTEP;
}

/* assign_buckets gives each rep 4-8 steps due today, 3-6 overdue ones, one decision whose time
 * has passed (anna) and one step beyond the segment's cadence (oleg, mike). */
static void assign_buckets(struct demo *d)
{
	int idx[NCLIENTS];
	for (int rep = 0; rep < NREPS; rep++) {
		int m = 0;
		for (int i = 0; i < NCLIENTS; i++)
			if (d->plan[i].rep == rep && d->plan[i].bucket == B_FUTURE)
				idx[m++] = i;
		for (int i = m - 1; i > 0; i--) {
			int j = rnd(d, i + 1), x = idx[i];
			idx[i] = idx[j], idx[j] = x;
		}
		int ntoday = between(d, 4, 8), nover = between(d, 3, 6), k = 0;
		assert(m > ntoday + nover);
		for (; k < ntoday; k++)
			d->plan[idx[k]].bucket = k % 3 == 0 ? B_TODAY_EARLY : B_TODAY_LATE;
		for (; k < ntoday + nover; k++)
			d->plan[idx[k]].bucket = B_OVERDUE;
		if (rep == 0) {
			d->plan[idx[ntoday]].decision_passed = true;
			d->plan[idx[ntoday]].fate = FATE_OFFER;
		} else {
			d->plan[idx[k]].cadence_over = true;
		}
	}
}

/* person_name gives client i a name no other client has: i walks the combinations of sex, first
 * name and surname by a prime step that does not divide their count. */
static const char *person_name(struct demo *d, int i, const char **first)
{
	_Static_assert(NELEM(male_first) == NELEM(female_first), "as many names for both sexes");
	int nf = (int)NELEM(male_first), all = 2 * nf * (int)NELEM(surnames);
	assert(NCLIENTS <= all && all % 1291 != 0);
	int x = (i * 1291 + 17) % all;
	bool female = x % 2;
	*first = female ? female_first[x / 2 % nf] : male_first[x / 2 % nf];
	return arena_printf(d->app->a, "%s %s%s", *first, surnames[x / (2 * nf)],
			    female ? "а" : "");
}

static const char *company_name(struct demo *d, int seg, const char *first, const char *name)
{
	if (seg == SEG_BUILD)
		return arena_printf(d->app->a, "ООО «%s %s»", PICK(d, firm_a), PICK(d, firm_b));
	if (seg != SEG_DESIGN || chance(d, 40))
		return NULL;
	/* "ИП Соколова А. В.": a Cyrillic letter takes two bytes */
	return arena_printf(d->app->a, "ИП %s %.2s. %s.", strchr(name, ' ') + 1, first,
			    PICK(d, initials));
}

/* add_phone gives client i's k-th mobile: i*2+k through a bijection of 10^9, so never twice. */
static void add_phone(struct demo *d, int i, int k, struct client_rec *c, const char **raw)
{
	uint64_t v = ((uint64_t)(i * 2 + k) * 387420489ULL + 246813579ULL) % 1000000000ULL;
	unsigned a = (unsigned)(v / 10000000), b = (unsigned)(v / 10000 % 1000),
		 e = (unsigned)(v / 100 % 100), f = (unsigned)(v % 100);
	c->phones[c->nphones] = arena_printf(d->app->a, "+79%09llu", (unsigned long long)v);
	raw[c->nphones++] = arena_printf(
	    d->app->a, chance(d, 70) ? "8 (9%02u) %03u-%02u-%02u" : "+7 9%02u %03u-%02u-%02u", a, b,
	    e, f);
}

/* ---- a client's history: first when, then what ---- */

static const char *purpose_of(struct demo *d, enum step_kind k)
{
	int n = 0;
	while (n < 5 && purposes[k][n])
		n++;
	return purposes[k][rnd(d, n)];
}

static enum step_kind final_kind(struct demo *d, const struct plan *p, int64_t due)
{
	static const enum step_kind offer[] = {STEP_OFFER, STEP_INVOICE, STEP_CALL, STEP_MEETING};
	static const enum step_kind future[] = {STEP_CALL, STEP_CALL, STEP_MEETING, STEP_OFFER};
	static const enum step_kind plain[] = {STEP_VISIT, STEP_VISIT, STEP_MEETING, STEP_CALL};
	if (p->decision_passed)
		return STEP_DECISION;
	switch (p->fate) {
	case FATE_WON:
		return chance(d, 70) ? STEP_VISIT : STEP_CALL;
	case FATE_OFFER:
		/* a decision within 72 h of a contact that is already past */
		if (!p->cadence_over && due > d->now && due < d->now + 66 * HOUR && chance(d, 60))
			return STEP_DECISION;
		return PICK(d, offer);
	case FATE_FUTURE:
		return PICK(d, future);
	default:
		return PICK(d, plain);
	}
}

/* final_due gives when the client's last planned step is due, by its bucket. */
static int64_t final_due(struct demo *d, const struct plan *p)
{
	int early = MIN(d->now_min, WORK_TO) - 15, late = MAX(d->now_min + 15, WORK_FROM);
	int any = slot(d, WORK_FROM, WORK_TO - 15), max = demo_segments[p->seg].max_days;
	switch (p->bucket) {
	case B_TODAY_EARLY:
	case B_TODAY_LATE:
		/* before now when asked and the day allows, or when nothing is left after now */
		if ((p->bucket == B_TODAY_EARLY && early >= WORK_FROM) || late > WORK_TO - 15)
			return local_at(d, 0, slot(d, WORK_FROM, early));
		return local_at(d, 0, slot(d, late, WORK_TO - 15));
	case B_OVERDUE:
		return local_at(d, -between(d, 1, p->decision_passed ? 1 : 5), any);
	default:
		return local_at(
		    d, p->cadence_over ? between(d, 2, 3) : between(d, 1, MIN(20, max - 1)), any);
	}
}

/* last_contact gives when the client was last reached: before the final step is due, within the
 * segment's cadence (outside it for cadence_over), within 72 h for a decision. */
static int64_t last_contact(struct demo *d, struct story *s, enum step_kind final)
{
	const struct plan *p = s->p;
	int64_t cad = (int64_t)demo_segments[p->seg].max_days * DAY, due = s->final_due;
	int64_t lo, hi = MIN(d->now, due) - 2 * HOUR;
	if (p->fate == FATE_NEVER || p->bucket == B_NOSTEP)
		return pick_between(d, d->win + 10 * DAY, d->now - 3 * DAY);
	if (p->cadence_over) {
		lo = due - cad - 5 * DAY;
		hi = MIN(hi, due - cad - DAY);
	} else {
		lo = due - (final == STEP_DECISION ? 70 * HOUR : cad - 600);
	}
	if (s->auto_final)
		hi = MIN(hi, due - 2 * DAY - HOUR);
	return pick_between(d, MAX(lo, d->win + DAY), hi);
}

/* middle_kind gives the step between contacts next-1 and next, gap seconds apart. */
static enum step_kind middle_kind(struct demo *d, const struct story *s, int next, int64_t gap)
{
	static const enum step_kind later[] = {STEP_CALL,    STEP_CALL,	    STEP_OFFER,
					       STEP_INVOICE, STEP_DECISION, STEP_VISIT};
	static const enum step_kind second[] = {STEP_VISIT, STEP_VISIT, STEP_VISIT, STEP_MEETING,
						STEP_CALL};
	if (s->p->fate == FATE_NEVER && next == s->n - 1)
		return STEP_CALL;
	if (next == 1)
		return PICK(d, second);
	enum step_kind k = PICK(d, later);
	if (k == STEP_DECISION && gap > 70 * HOUR)
		k = STEP_CALL;
	if (k == STEP_INVOICE && s->p->fate != FATE_OFFER && s->p->fate != FATE_WON)
		k = STEP_CALL;
	return k;
}

/* plan_times fixes the final step and the times of the contacts that reached the client, going
 * back from the last one while the two months and the cadence allow. */
static void plan_times(struct demo *d, struct story *s)
{
	const struct plan *p = s->p;
	int64_t tmp[MAX_CONTACTS], cad = (int64_t)demo_segments[p->seg].max_days * DAY;
	enum step_kind fk = STEP_CALL;
	if (p->bucket != B_NONE && p->bucket != B_NOSTEP) {
		s->final_due = final_due(d, p);
		fk = final_kind(d, p, s->final_due);
		s->auto_final = fk == STEP_CALL && !p->cadence_over && chance(d, 20) &&
				s->final_due - 2 * DAY < d->now - 600;
	}
	/* a sale or a "never" follows at least one earlier contact */
	int want = between(d, p->fate == FATE_NEVER || p->fate == FATE_WON ? 2 : 1, MAX_CONTACTS);
	int n = 1;
	tmp[0] = last_contact(d, s, fk);
	for (; n < want; n++) {
		int64_t hi = tmp[n - 1] - 3 * HOUR;
		int64_t lo = MAX(d->win + HOUR, tmp[n - 1] - MIN(cad, 10 * DAY));
		if (lo > hi)
			break;
		tmp[n] = pick_between(d, lo, hi);
	}
	s->n = n;
	for (int j = 0; j < n; j++)
		s->t[j] = tmp[n - 1 - j];
	for (int j = 0; j + 1 < n; j++)
		s->kinds[j] = middle_kind(d, s, j + 1, s->t[j + 1] - s->t[j]);
	s->kinds[n - 1] = fk;
}

static struct call_rec *add_event(struct demo *d, struct story *s, int64_t at,
				  enum contact_kind kind, int dir, bool missed)
{
	assert(s->nev < MAX_EVENTS);
	struct call_rec *e = &s->ev[s->nev++];
	*e = (struct call_rec){.kind = kind,
			       .direction = kind == CONTACT_CALL ? dir : -1,
			       .started_at = at,
			       .missed = missed,
			       .result = -1,
			       .outcome = missed ? "missed" : "next_step",
			       .logged = true};
	if (missed)
		e->ring_s = between(d, 15, 30);
	else if (kind == CONTACT_CALL)
		e->ring_s = between(d, 2, 20), e->talk_s = between(d, 60, 900);
	else
		e->talk_s = between(d, 20, 60) * 60;
	if (!missed) {
		e->answered_at = at + e->ring_s;
		e->ended_at = e->answered_at + e->talk_s;
	}
	e->created_at = at + e->ring_s + e->talk_s;
	return e;
}

/* set_goals gives an outbound call or a meeting about a step of kind k its two goals. */
static void set_goals(struct call_rec *e, enum step_kind k)
{
	static const char *const goals[3][2] = {
	    {"Замер в конкретное время", "Контакты и звонок в конкретное время"},
	    {"Договор и дата монтажа", "Следующая встреча в конкретное время"},
	    {"Предоплата и дата монтажа", "Звонок с решением в конкретное время"}};
	int row = e->kind == CONTACT_MEETING ? 1 : k >= STEP_OFFER ? 2 : 0;
	e->goal_max = goals[row][0];
	e->goal_min = goals[row][1];
}

/* add_step plans a step at the last event; it stays pending until the next contact closes it. */
static int add_step(struct story *s, enum step_kind kind, bool autop)
{
	assert(s->nst < MAX_EVENTS);
	s->st[s->nst] = (struct step_rec){.call_id = s->nev - 1,
					  .kind = kind,
					  .status = STEP_PLANNED,
					  .auto_planned = autop,
					  .created_at = s->ev[s->nev - 1].created_at};
	s->pending = s->nst;
	return s->nst++;
}

static void close_pending(struct story *s, int64_t due, enum step_status st, int64_t at)
{
	if (s->pending < 0)
		return;
	s->st[s->pending].due_at = due;
	s->st[s->pending].status = st;
	s->st[s->pending].closed_at = at;
	s->pending = -1;
}

/* missed_out adds an outbound call at m that nobody answered: the pending call step is missed
 * and a retry is planned automatically. */
static int missed_out(struct demo *d, struct story *s, int64_t m)
{
	close_pending(s, m - m % 300, STEP_MISSED, m);
	struct call_rec *e = add_event(d, s, m, CONTACT_CALL, DIR_OUT, true);
	e->purpose = purpose_of(d, STEP_CALL);
	set_goals(e, STEP_CALL);
	return add_step(s, STEP_CALL, true);
}

/* attempt opens contact j: after a missed inbound call and its callback, after a missed outbound
 * call and its retry, or right at the time of the step it fulfils. */
static struct call_rec *attempt(struct demo *d, struct story *s, int j)
{
	int64_t t = s->t[j];
	enum step_kind k = j ? s->kinds[j - 1] : STEP_CALL;
	bool in = j == 0 && s->p->src != SRC_REFERRAL, callback = in && chance(d, 20);
	if (callback) {
		int64_t m = t - between(d, 16, 22) * 60;
		add_event(d, s, m, CONTACT_CALL, DIR_IN, true);
		add_step(s, STEP_CALLBACK, true);
		close_pending(s, m + 900, STEP_DONE, t);
		in = false, k = STEP_CALLBACK;
	} else if (j > 0 && k == STEP_CALL && t - 2 * DAY - 600 > s->t[j - 1] + 3 * HOUR &&
		   chance(d, 25)) {
		missed_out(d, s, t - 2 * DAY - between(d, 1, 10) * 60);
	}
	bool never = j == s->n - 1 && s->p->fate == FATE_NEVER;
	close_pending(s, t - t % 300, never ? STEP_CANCELLED : STEP_DONE, t);
	bool meeting = k == STEP_MEETING || k == STEP_VISIT;
	struct call_rec *e = add_event(d, s, t, meeting ? CONTACT_MEETING : CONTACT_CALL,
				       in ? DIR_IN : DIR_OUT, false);
	if (in) {
		e->purpose = PICK(d, inbound_questions);
		return e;
	}
	e->purpose = j || callback ? purpose_of(d, k) : first_out[s->p->seg];
	set_goals(e, k);
	return e;
}

/* finish ends contact j with its outcome and plans the step after it. */
static void finish(struct demo *d, struct story *s, int j, struct call_rec *e)
{
	const struct plan *p = s->p;
	bool last = j == s->n - 1;
	e->result = s->kinds[j] == STEP_CALL ? RESULT_MIN : RESULT_MAX;
	if (last && p->fate == FATE_NEVER) {
		bool firm = p->seg != SEG_PRIVATE;
		e->outcome = "never";
		e->result = RESULT_NONE;
		s->cl.never_reason = firm ? "closed" : "gone";
		s->cl.never_note = firm ? "компания ликвидирована" : "переехал в другой город";
		return;
	}
	if (last && p->fate == FATE_WON)
		e->outcome = "sale", e->result = RESULT_MAX;
	if (last && p->fate == FATE_FUTURE) {
		e->outcome = "refused";
		e->result = RESULT_NONE;
		e->refusal_reason = s->cl.refusal_reason = PICK(d, refusals);
	}
	int x = add_step(s, s->kinds[j], false);
	if (!last)
		return;
	if (p->bucket == B_NOSTEP) {
		/* the rep cancelled it instead of agreeing on the next contact */
		int64_t due = pick_between(d, e->started_at + 20 * HOUR, e->started_at + 48 * HOUR);
		s->st[x].cancel_reason = "клиент попросил перезвонить позже, дату не назвал";
		close_pending(s, due - due % 300, STEP_CANCELLED, due + 1800);
		return;
	}
	if (s->auto_final)
		x = missed_out(d, s, s->final_due - 2 * DAY + rnd(d, 50));
	s->st[x].due_at = s->final_due;
	s->st[x].note = purpose_of(d, s->st[x].kind);
}

/* plan_deal: a sale (offered a contact before), an offer or pending purchase made at the last
 * contact, or an offer lost when the client refused. */
static void plan_deal(struct demo *d, struct story *s)
{
	const struct plan *p = s->p;
	int n = s->n, prev = s->reached[MAX(n - 2, 0)], last = s->reached[n - 1];
	int rub = 500 * between(d, deal_rub[p->seg][0] / 500, deal_rub[p->seg][1] / 500);
	struct deal_rec *x = &s->deal;
	*x = (struct deal_rec){.amount = (int64_t)rub * 100, .updated_at = s->t[n - 1]};
	if (p->fate == FATE_WON) {
		x->call_id = prev, x->stage = DEAL_WON, x->closed_at = s->t[n - 1];
	} else if (p->fate == FATE_OFFER) {
		enum step_kind k = s->kinds[n - 1];
		x->call_id = last;
		x->stage = k == STEP_INVOICE || k == STEP_DECISION ? DEAL_PENDING : DEAL_OFFER;
	} else if (p->fate == FATE_FUTURE && n >= 2 && chance(d, 40)) {
		x->call_id = prev, x->stage = DEAL_LOST, x->closed_at = s->t[n - 1];
	} else {
		return;
	}
	x->created_at = s->ev[x->call_id].started_at;
	s->has_deal = true;
}

static void build_story(struct demo *d, int i, struct story *s, const char **raw)
{
	const struct plan *p = &d->plan[i];
	struct client_rec *c = &s->cl;
	const char *first;
	memset(s, 0, sizeof(*s));
	s->p = p;
	s->pending = -1;
	c->name = person_name(d, i, &first);
	c->company = company_name(d, p->seg, first, c->name);
	c->phones = ARENA_ARRAY(d->app->a, const char *, 2);
	add_phone(d, i, 0, c, raw);
	if (chance(d, 12))
		add_phone(d, i, 1, c, raw);
	c->owner_id = p->rep >= 0 ? d->user_id[FIRST_REP + p->rep] : 0;
	c->segment_id = d->seg_id[p->seg];
	c->source_id = d->src_id[p->src];
	if (p->fate == FATE_LEAD) {
		/* an inbound call nobody answered: the callback is still to be made */
		int64_t m = pick_between(d, d->now - 3 * DAY, d->now - 1200);
		add_event(d, s, m, CONTACT_CALL, DIR_IN, true);
		s->st[add_step(s, STEP_CALLBACK, true)].due_at = m + 900;
	} else {
		plan_times(d, s);
		for (int j = 0; j < s->n; j++) {
			struct call_rec *e = attempt(d, s, j);
			s->reached[j] = s->nev - 1;
			finish(d, s, j, e);
		}
		plan_deal(d, s);
		c->last_contact_at = s->t[s->n - 1];
	}
	c->category = p->fate == FATE_NEVER    ? CAT_NEVER
		      : p->fate == FATE_FUTURE ? CAT_FUTURE
					       : CAT_NOW;
	c->created_at = s->ev[0].started_at;
	c->category_at = c->category == CAT_NOW ? c->created_at : c->last_contact_at;
	for (int k = 0; k < s->nev; k++)
		c->updated_at = MAX(c->updated_at, s->ev[k].created_at);
	for (int k = 0; k < s->nst; k++)
		c->updated_at = MAX(c->updated_at, s->st[k].closed_at);
}

/* ---- writing ---- */

static int write_story(struct demo *d, struct story *s, const char **raw, struct nc_err *err)
{
	struct db *db = d->app->db;
	const struct client_rec *c = &s->cl;
	int64_t cid, ids[MAX_EVENTS], id;
	if (store_client_insert(db, c, app_client_search_text(d->app, c), &cid, err) < 0)
		return -1;
	for (size_t k = 0; k < c->nphones; k++)
		if (store_phone_insert(db, cid, c->phones[k], raw[k], err) < 0)
			return -1;
	for (int k = 0; k < s->nev; k++) {
		struct call_rec *e = &s->ev[k];
		e->client_id = cid;
		e->rep_id = c->owner_id;
		e->phone = e->kind == CONTACT_CALL ? c->phones[0] : NULL;
		if (store_call_insert(db, e, &ids[k], err) < 0)
			return -1;
	}
	for (int k = 0; k < s->nst; k++) {
		struct step_rec *x = &s->st[k];
		assert(x->due_at > x->created_at && (x->status == STEP_PLANNED) == !x->closed_at);
		x->client_id = cid;
		x->rep_id = c->owner_id;
		x->call_id = ids[x->call_id];
		if (store_step_insert(db, x, &id, err) < 0)
			return -1;
	}
	d->ncalls += s->nev, d->nsteps += s->nst, d->ndeals += s->has_deal;
	if (!s->has_deal)
		return 0;
	s->deal.client_id = cid;
	s->deal.rep_id = c->owner_id;
	s->deal.call_id = ids[s->deal.call_id];
	return store_deal_insert(db, &s->deal, &id, err);
}

static int put_clients(struct demo *d, struct nc_err *err)
{
	struct story *s = ARENA_NEW(d->app->a, struct story);
	const char *raw[2];
	for (int i = 0; i < NCLIENTS; i++)
		plan_client(d, &d->plan[i]);
	assign_buckets(d);
	for (int i = 0; i < NCLIENTS; i++) {
		build_story(d, i, s, raw);
		if (write_story(d, s, raw, err) < 0)
			return -1;
	}
	return 0;
}

/* put_scripts gives the demo team the example call scripts (examples/scripts, compiled in): the
 * method's inbound call in Russian, the outbound call to a "future" client and the mystery
 * shopper's scenario, so the script panel can be tried at once. */
static int put_scripts(struct app *app, struct nc_err *err)
{
	for (const struct embedded_file *f = embedded_demo_scripts; f->name; f++) {
		struct script_findings fs = {0};
		struct script_rec rec;
		if (app_script_add(app, f->data, f->len, &rec, &fs, err) < 0)
			return -1;
	}
	return 0;
}

int app_demo(struct app *app, struct nc_err *err)
{
	struct demo *d = ARENA_NEW(app->a, struct demo);
	struct user_rec *users;
	size_t nusers;
	char hash[crypto_pwhash_STRBYTES];
	struct nc_tm tm;
	time_local_parts(DEMO_TZ, app->now, &tm);
	*d = (struct demo){.app = app,
			   .seed = DEMO_SEED,
			   .now = app->now,
			   .win = app->now - 60 * DAY,
			   .now_min = tm.hour * 60 + tm.min,
			   .ty = tm.year,
			   .tm = tm.month,
			   .td = tm.day};
	d->today = local_at(d, 0, 0);
	if (sodium_init() < 0)
		return nc_error(err, NC_EIO, "libsodium failed to start");
	/* one hash for every demo user: argon2id is slow on purpose */
	if (crypto_pwhash_str_alg(
		hash, DEMO_PASSWORD, strlen(DEMO_PASSWORD), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return nc_error(err, NC_EIO, "password hashing ran out of memory");
	d->hash = hash;
	if (db_begin(app->db, err) < 0)
		return -1;
	if (store_user_list(app->db, app->a, &users, &nusers, err) < 0)
		goto fail;
	if (nusers > 0) {
		nc_error(err, NC_ECONFLICT,
			 "database already has users: demo data goes only into a new database");
		goto fail;
	}
	if (put_users(d, err) < 0 || put_catalogs(d, err) < 0 || put_clients(d, err) < 0 ||
	    store_audit(app->db, app->now, actor_login(app), "demo.load", "team", 0,
			arena_printf(app->a, "%d clients, %ld calls, %ld next steps, %ld deals",
				     NCLIENTS, d->ncalls, d->nsteps, d->ndeals),
			err) < 0 ||
	    app_report_sync(app, err) < 0) /* the report rollups in the team's zone */
		goto fail;
	if (db_commit(app->db, err) < 0)
		return -1;
	return put_scripts(app, err);
fail:
	db_rollback(app->db);
	return -1;
}
