/* svg.h - charts drawn by the server as SVG (no JavaScript): readable at a glance, labelled, with
 * every text escaped. Written into a buf, to be put inline in a page or served as image/svg+xml. */
#ifndef NC_IO_SVG_H
#define NC_IO_SVG_H

#include "util/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct chart_series {
	const char *name;
	const double *values; /* npoints values */
};
struct chart {
	const char *title;   /* shown at the top; also the accessible name */
	const char **labels; /* npoints labels (x axis or bar names) */
	size_t npoints;
	const struct chart_series *series;
	size_t nseries;
	bool percent; /* values are shares 0..1, shown as % */
	double mark;  /* a horizontal reference line (e.g. the allowed level), < 0 none */
	const char *mark_label;
	int width, height;	/* 0: defaults (640 x 280) */
	const char *empty_text; /* shown when there is nothing to draw; NULL: "No data" */
};
/* svg_bars: vertical bars per label (grouped when several series), values on the bars. */
void svg_bars(const struct chart *c, struct buf *out);
/* svg_lines: one line per series over the labels (calls per day). */
void svg_lines(const struct chart *c, struct buf *out);
/* svg_funnel: horizontal bars narrowing stage by stage, each with its count and the share of the
 * stage before. */
void svg_funnel(const struct chart *c, struct buf *out);

#endif
