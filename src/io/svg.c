/* svg.c - the server's charts as SVG: bars, lines and a funnel with axes, ticks, a legend, value
 * labels and a reference line. Only presentation attributes (no style attributes or elements), so
 * a page with a strict Content-Security-Policy shows them inline; every text is escaped; elements
 * are closed explicitly (no "/>"), so the chart is both valid XML and valid inline HTML. */
#include "io/svg.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEF_W	     640
#define DEF_H	     280
#define MIN_W	     200
#define MIN_H	     120
#define MAX_SIDE     4000
#define LINE_LABELS  31 /* up to this many points, every point's value is written */
#define LINE_MARKERS 62 /* up to this many points, every point gets a marker with a tooltip */

static const char *const colors[] = {"#2b6cb0", "#2f855a", "#c53030",
				     "#b7791f", "#6b46c1", "#2c7a7b"};
#define NCOLORS	   (sizeof(colors) / sizeof(colors[0]))
#define MARK_COLOR "#9b2c2c"
#define GRID_COLOR "#e2e8f0"
#define AXIS_COLOR "#4a5568"

/* The drawing area of a chart and its vertical scale. */
struct frame {
	double w, h;
	double left, right, top, bottom; /* the plot area */
	double lo, hi, step;		 /* the value axis: lo..hi, ticks every step */
};

/* ---- text ---- */

/* esc appends s escaped for SVG text and attributes: & < > " ' as entities, invalid UTF-8 as
 * U+FFFD, control characters (which XML cannot hold) as spaces; at most max characters, the cut
 * marked with an ellipsis (max 0: no limit). */
static void esc(struct buf *out, const char *s, size_t max)
{
	size_t chars = 0;
	if (!s)
		return;
	for (const char *p = s; *p;) {
		size_t n = strlen(p), k = 1;
		unsigned char c = (unsigned char)*p;
		if (max && chars == max) {
			buf_adds(out, "\xE2\x80\xA6");
			return;
		}
		if (c >= 0x80) {
			k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			if (k > n || !utf8_valid(p, k)) {
				buf_adds(out, "\xEF\xBF\xBD");
				p++, chars++;
				continue;
			}
			buf_add(out, p, k);
		} else if (c == '&') {
			buf_adds(out, "&amp;");
		} else if (c == '<') {
			buf_adds(out, "&lt;");
		} else if (c == '>') {
			buf_adds(out, "&gt;");
		} else if (c == '"') {
			buf_adds(out, "&quot;");
		} else if (c == '\'') {
			buf_adds(out, "&#39;");
		} else if (c < 0x20 || c == 0x7F) {
			buf_addc(out, ' ');
		} else {
			buf_addc(out, (char)c);
		}
		p += k, chars++;
	}
}

/* value_str formats v as the chart shows it: a share as "15.2%", a number without decimals when
 * whole, else with one. */
static void value_str(char *dst, size_t n, double v, bool percent)
{
	if (!isfinite(v))
		snprintf(dst, n, "-");
	else if (percent)
		snprintf(dst, n, "%.1f%%", v * 100);
	else if (fabs(v - round(v)) < 0.05)
		snprintf(dst, n, "%.0f", round(v));
	else
		snprintf(dst, n, "%.1f", v);
}

/* tick_str formats an axis tick: like value_str, without a useless ".0". */
static void tick_str(char *dst, size_t n, double v, bool percent)
{
	value_str(dst, n, v, percent);
	char *dot = strstr(dst, ".0");
	if (dot && (dot[2] == 0 || dot[2] == '%'))
		memmove(dot, dot + 2, strlen(dot + 2) + 1);
}

static void text(struct buf *out, double x, double y, const char *anchor, int size,
		 const char *fill, const char *s, size_t max)
{
	buf_printf(out,
		   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"%s\">",
		   x, y, anchor, size, fill);
	esc(out, s, max);
	buf_adds(out, "</text>");
}

/* ---- frame ---- */

static double val(const struct chart *c, size_t s, size_t i)
{
	double v = c->series[s].values ? c->series[s].values[i] : 0;
	return isfinite(v) ? v : 0;
}

static bool empty(const struct chart *c)
{
	return c->npoints == 0 || c->nseries == 0 || !c->series;
}

/* begin opens the svg element with its accessible name and title, and sizes the frame. */
static void begin(const struct chart *c, struct frame *f, struct buf *out)
{
	int w = c->width > 0 ? c->width : DEF_W, h = c->height > 0 ? c->height : DEF_H;
	w = w < MIN_W ? MIN_W : w > MAX_SIDE ? MAX_SIDE : w;
	h = h < MIN_H ? MIN_H : h > MAX_SIDE ? MAX_SIDE : h;
	f->w = w, f->h = h;
	f->left = 56, f->right = w - 20;
	f->top = c->nseries > 1 ? 56 : 40;
	f->bottom = h - 34;
	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\" "
		   "aria-label=\"",
		   w, h, w, h);
	esc(out, c->title ? c->title : "", 0);
	buf_adds(out, "\"><title>");
	esc(out, c->title ? c->title : "", 0);
	buf_printf(out, "</title><rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"></rect>", w, h);
	if (c->title)
		text(out, w / 2.0, 22, "middle", 15, "#1a202c", c->title, 90);
}

static void finish(const struct chart *c, const struct frame *f, struct buf *out)
{
	if (empty(c))
		text(out, f->w / 2, f->h / 2, "middle", 13, AXIS_COLOR,
		     c->empty_text ? c->empty_text : "No data", 80);
	buf_adds(out, "</svg>");
}

/* legend writes a swatch and the name of each series in one row under the title. */
static void legend(const struct chart *c, const struct frame *f, struct buf *out)
{
	if (c->nseries < 2)
		return;
	double x = f->left;
	for (size_t s = 0; s < c->nseries; s++) {
		const char *name = c->series[s].name ? c->series[s].name : "";
		buf_printf(
		    out, "<rect x=\"%.1f\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"></rect>",
		    x, colors[s % NCOLORS]);
		text(out, x + 16, 42, "start", 12, "#1a202c", name, 24);
		size_t len = 0;
		for (const char *p = name; *p; p++)
			len += ((unsigned char)*p & 0xC0) != 0x80;
		x += 16 + 7.0 * (double)(len > 24 ? 25 : len) + 18;
	}
}

/* scale sets the value axis from the data (and the mark) with round ticks: 1, 2 or 5 times a
 * power of ten, whole numbers unless the values are shares. */
static void scale(const struct chart *c, struct frame *f)
{
	double lo = 0, hi = 0;
	for (size_t s = 0; s < c->nseries; s++)
		for (size_t i = 0; i < c->npoints; i++) {
			double v = val(c, s, i);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	if (c->mark >= 0 && isfinite(c->mark) && c->mark > hi)
		hi = c->mark;
	if (hi - lo <= 0)
		hi = lo + (c->percent ? 0.1 : 1);
	double raw = (hi - lo) / 5, mag = pow(10, floor(log10(raw))), norm = raw / mag;
	double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
	if (!c->percent && step < 1)
		step = 1;
	if (c->percent && step < 0.001)
		step = 0.001;
	f->step = step;
	f->lo = floor(lo / step) * step;
	f->hi = ceil(hi / step) * step;
}

static double y_of(const struct frame *f, double v)
{
	return f->bottom - (v - f->lo) / (f->hi - f->lo) * (f->bottom - f->top);
}

/* axes writes the grid, the value ticks and both axes. */
static void axes(const struct chart *c, const struct frame *f, struct buf *out)
{
	char s[32];
	int nticks = (int)llround((f->hi - f->lo) / f->step);
	for (int k = 0; k <= nticks; k++) {
		double v = f->lo + k * f->step, y = y_of(f, v);
		buf_printf(
		    out,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"></line>",
		    f->left, y, f->right, y, GRID_COLOR);
		buf_printf(
		    out,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"></line>",
		    f->left - 4, y, f->left, y, AXIS_COLOR);
		tick_str(s, sizeof(s), v, c->percent);
		text(out, f->left - 7, y + 4, "end", 11, AXIS_COLOR, s, 0);
	}
	buf_printf(out, "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"%s\"></path>",
		   f->left, f->top, f->bottom, f->right, AXIS_COLOR);
}

/* x_labels writes the labels under the axis, every k-th when they would overlap. */
static void x_labels(const struct chart *c, const struct frame *f, const double *xs, double slot,
		     struct buf *out)
{
	size_t maxlen = 0;
	for (size_t i = 0; i < c->npoints; i++) {
		size_t len = c->labels && c->labels[i] ? strlen(c->labels[i]) : 0;
		maxlen = len > maxlen ? len : maxlen;
	}
	double need = 6.5 * (double)(maxlen > 16 ? 16 : maxlen) + 8;
	size_t every = 1;
	while (every < c->npoints && need > slot * (double)every)
		every++;
	for (size_t i = 0; i < c->npoints; i += every) {
		if (!c->labels || !c->labels[i])
			continue;
		buf_printf(
		    out,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"></line>",
		    xs[i], f->bottom, xs[i], f->bottom + 4, AXIS_COLOR);
		text(out, xs[i], f->bottom + 17, "middle", 11, AXIS_COLOR, c->labels[i], 16);
	}
}

/* mark writes the reference line with its label at the right end. */
static void mark(const struct chart *c, const struct frame *f, struct buf *out)
{
	if (!(c->mark >= 0) || !isfinite(c->mark))
		return;
	char v[32], label[160];
	double y = y_of(f, c->mark);
	value_str(v, sizeof(v), c->mark, c->percent);
	snprintf(label, sizeof(label), "%.120s %s", c->mark_label ? c->mark_label : "", v);
	buf_printf(out,
		   "<line class=\"mark\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		   "stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"6 4\"></line>",
		   f->left, y, f->right, y, MARK_COLOR);
	text(out, f->right, y - 5, "end", 11, MARK_COLOR, c->mark_label ? label : v, 0);
}

/* tip writes a tooltip: "label, series: value". */
static void tip(const struct chart *c, size_t s, size_t i, struct buf *out)
{
	char v[32];
	value_str(v, sizeof(v), val(c, s, i), c->percent);
	buf_adds(out, "<title>");
	esc(out, c->labels && c->labels[i] ? c->labels[i] : "", 0);
	if (c->nseries > 1 && c->series[s].name) {
		buf_adds(out, ", ");
		esc(out, c->series[s].name, 0);
	}
	buf_printf(out, ": %s</title>", v);
}

/* ---- the charts ---- */

void svg_bars(const struct chart *c, struct buf *out)
{
	struct frame f;
	begin(c, &f, out);
	if (empty(c))
		goto done;
	legend(c, &f, out);
	scale(c, &f);
	axes(c, &f, out);
	double slot = (f.right - f.left) / (double)c->npoints;
	double bw = slot * 0.8 / (double)c->nseries;
	double *xs = xcalloc(c->npoints, sizeof(*xs));
	for (size_t i = 0; i < c->npoints; i++) {
		xs[i] = f.left + slot * ((double)i + 0.5);
		for (size_t s = 0; s < c->nseries; s++) {
			double v = val(c, s, i), x = xs[i] - slot * 0.4 + bw * (double)s;
			double y0 = y_of(&f, 0), y1 = y_of(&f, v);
			double top = y1 < y0 ? y1 : y0, hgt = fabs(y0 - y1);
			buf_printf(out,
				   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				   "fill=\"%s\">",
				   x, top, bw > 1 ? bw - 1 : bw, hgt, colors[s % NCOLORS]);
			tip(c, s, i, out);
			buf_adds(out, "</rect>");
			if (bw >= 22) {
				char vs[32];
				value_str(vs, sizeof(vs), v, c->percent);
				text(out, x + bw / 2, top - 4, "middle", 10, "#1a202c", vs, 0);
			}
		}
	}
	x_labels(c, &f, xs, slot, out);
	free(xs);
	mark(c, &f, out);
done:
	finish(c, &f, out);
}

void svg_lines(const struct chart *c, struct buf *out)
{
	struct frame f;
	begin(c, &f, out);
	if (empty(c))
		goto done;
	legend(c, &f, out);
	scale(c, &f);
	axes(c, &f, out);
	double *xs = xcalloc(c->npoints, sizeof(*xs));
	double slot =
	    c->npoints > 1 ? (f.right - f.left) / (double)(c->npoints - 1) : f.right - f.left;
	for (size_t i = 0; i < c->npoints; i++)
		xs[i] = c->npoints > 1 ? f.left + slot * (double)i : (f.left + f.right) / 2;
	for (size_t s = 0; s < c->nseries; s++) {
		const char *color = colors[s % NCOLORS];
		size_t top = 0;
		buf_printf(out,
			   "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
			   "stroke-linejoin=\"round\" points=\"",
			   color);
		for (size_t i = 0; i < c->npoints; i++) {
			buf_printf(out, "%s%.1f,%.1f", i ? " " : "", xs[i], y_of(&f, val(c, s, i)));
			top = val(c, s, i) > val(c, s, top) ? i : top;
		}
		buf_adds(out, "\"></polyline>");
		for (size_t i = 0; i < c->npoints; i++) {
			double y = y_of(&f, val(c, s, i));
			bool label = c->npoints <= LINE_LABELS || i == top;
			if (c->npoints <= LINE_MARKERS || label) {
				buf_printf(out,
					   "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">",
					   xs[i], y, color);
				tip(c, s, i, out);
				buf_adds(out, "</circle>");
			}
			if (label) {
				char vs[32];
				value_str(vs, sizeof(vs), val(c, s, i), c->percent);
				text(out, xs[i], y - 6, "middle", 10, color, vs, 0);
			}
		}
	}
	x_labels(c, &f, xs, slot, out);
	free(xs);
	mark(c, &f, out);
done:
	finish(c, &f, out);
}

void svg_funnel(const struct chart *c, struct buf *out)
{
	struct frame f;
	begin(c, &f, out);
	if (empty(c))
		goto done;
	double label_w = f.w * 0.28 > 170 ? 170 : f.w * 0.28, text_w = 110;
	double left = 12 + label_w, right = f.w - text_w, mid = (left + right) / 2;
	double top = 40, row = (f.h - top - 10) / (double)c->npoints;
	double bh = row * 0.72 > 40 ? 40 : row * 0.72, maxv = 0;
	for (size_t i = 0; i < c->npoints; i++)
		maxv = val(c, 0, i) > maxv ? val(c, 0, i) : maxv;
	for (size_t i = 0; i < c->npoints; i++) {
		double v = val(c, 0, i), w = maxv > 0 ? (right - left) * v / maxv : 0;
		double y = top + row * (double)i + (row - bh) / 2, ty = y + bh / 2 + 4;
		if (v > 0 && w < 2)
			w = 2;
		buf_printf(
		    out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
		    mid - w / 2, y, w, bh, colors[0]);
		tip(c, 0, i, out);
		buf_adds(out, "</rect>");
		text(out, 12, ty, "start", 12, "#1a202c",
		     c->labels && c->labels[i] ? c->labels[i] : "", (size_t)(label_w / 7));
		char vs[32], line[80];
		value_str(vs, sizeof(vs), v, c->percent);
		if (i > 0 && val(c, 0, i - 1) > 0)
			snprintf(line, sizeof(line), "%s \xC2\xB7 %.1f%%", vs,
				 100 * v / val(c, 0, i - 1));
		else
			snprintf(line, sizeof(line), "%s", vs);
		text(out, mid + w / 2 + 6, ty, "start", 12, "#1a202c", line, 0);
	}
done:
	finish(c, &f, out);
}
