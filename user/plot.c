// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * plot OUT.svg for segment and inject: the series with its cuts, drawn by
 * gnuplot. The data go to gnuplot inline (datablocks) through a pipe, so
 * no temporary data file is left behind; the picture is written next to
 * OUT and renamed over it only once gnuplot succeeded, so a failed plot
 * never leaves half a file.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tool.h"

/* A gnuplot single-quoted string: only the quote itself is special, doubled. */
static void gp_str(FILE *gp, const char *s)
{
	fputc('\'', gp);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', gp);
		if (*s != '\n')
			fputc(*s, gp);
	}
	fputc('\'', gp);
}

/*
 * One kind of window as vertical lines across the plot, where the cut
 * of window i would be (between samples i+7 and i+8); none: no block.
 */
static size_t gp_windows(FILE *gp, const char *block, const struct tool_cuts *cuts, uint8_t tag)
{
	size_t i, n = 0;

	for (i = 0; i < cuts->windows; i++) {
		if (cuts->tag[i] != tag)
			continue;
		if (!n++)
			fprintf(gp, "$%s << EOD\n", block);
		fprintf(gp, "%.1f\n", i + SEGOFF_HALF - 0.5);
	}
	if (n)
		fprintf(gp, "EOD\n");
	return n;
}

static void gp_script(FILE *gp, const struct tool_cuts *cuts, const double *x, size_t n,
		      const char *source, const char *out)
{
	char title[512], eps[TOOL_EPS_STRLEN];
	static const struct {
		uint8_t tag;
		const char *block, *what, *style;
	} kinds[] = {
		{ SEGOFF_TAG_SPLIT, "cuts", "cuts", "lc rgb '#c0d62728' lw 0.6" },
		{ SEGOFF_TAG_INVALID, "invalid", "invalid windows", "lc rgb '#7f7f7f' lw 1.5" },
		{ 0, "lost", "windows without a verdict", "lc rgb '#ff7f0e' lw 1.5" },
	};
	double lo = INFINITY, hi = -INFINITY, pad;
	size_t i, k, count[3];
	const char *sep = "";

	fprintf(gp, "$series << EOD\n");
	for (i = 0; i < n; i++) {
		if (isfinite(x[i])) {
			fprintf(gp, "%zu %.17g\n", i, x[i]);
			lo = fmin(lo, x[i]);
			hi = fmax(hi, x[i]);
		} else {
			fprintf(gp, "%zu NaN\n", i);
		}
	}
	fprintf(gp, "EOD\n");
	if (lo > hi) {		/* nothing finite to draw */
		lo = 0;
		hi = 1;
	} else {		/* a margin, so that the extremes do not touch the frame */
		pad = lo == hi ? 0.5 : (hi - lo) * 0.03;
		lo -= pad;
		hi += pad;
	}
	for (k = 0; k < 3; k++)
		count[k] = gp_windows(gp, kinds[k].block, cuts, kinds[k].tag);

	fprintf(gp, "set terminal svg size 1200,450 fixed noenhanced background rgb 'white' "
		"font 'sans,12'\n");
	fprintf(gp, "set output ");
	gp_str(gp, out);
	snprintf(title, sizeof(title), "%s: %zu cuts in %zu windows (eps %s, scale %u, arith %s)",
		 source, tool_cuts_count(cuts, SEGOFF_TAG_SPLIT), cuts->windows,
		 tool_eps_str(cuts->p->eps, eps), cuts->p->scale, segoff_arith_name(cuts->p->arith));
	fprintf(gp, "\nset title ");
	gp_str(gp, title);
	fprintf(gp, "\nset xlabel 'sample'\nset ylabel 'value'\nset key top left opaque\n"
		"set xrange [0:%zu]\nset yrange [%.17g:%.17g]\nset grid ytics lc rgb '#e0e0e0'\n",
		n ? n - 1 : 0, lo, hi);
	fprintf(gp, "plot ");
	for (k = 0; k < 3; k++) {
		if (!count[k])
			continue;
		fprintf(gp, "%s$%s using 1:(%.17g):(0):(%.17g) with vectors nohead %s "
			"title '%s (%zu)'", sep, kinds[k].block, lo, hi - lo, kinds[k].style,
			kinds[k].what, count[k]);
		sep = ", ";
	}
	fprintf(gp, "%s$series using 1:2 with lines lc rgb '#1f3f8f' lw 1 title 'samples (%zu)'\n",
		sep, n);
	fprintf(gp, "set output\n");
}

int tool_cuts_plot(const struct tool_cuts *cuts, const double *x, size_t n, const char *source,
		   const char *out)
{
	void (*old)(int);
	char *tmp;
	FILE *gp;
	int st, e;

	if (asprintf(&tmp, "%s.tmp%ld", out, (long)getpid()) < 0) {
		fprintf(stderr, "Unable to plot %s: %s\n", out, strerror(ENOMEM));
		return -1;
	}
	/* gnuplot's own messages reach stderr; a gnuplot that dies must not kill us */
	old = signal(SIGPIPE, SIG_IGN);
	gp = popen("exec gnuplot", "w");
	if (!gp) {
		e = errno;
		signal(SIGPIPE, old);
		fprintf(stderr, "Unable to run gnuplot: %s\n", strerror(e));
		free(tmp);
		return -1;
	}
	gp_script(gp, cuts, x, n, source, tmp);
	st = pclose(gp);
	signal(SIGPIPE, old);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 127)
			fprintf(stderr, "Unable to plot %s: gnuplot not found (apt-get install "
				"gnuplot-nox)\n", out);
		else
			fprintf(stderr, "Unable to plot %s: gnuplot failed\n", out);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (rename(tmp, out)) {
		e = errno;
		fprintf(stderr, "Unable to plot %s: %s\n", out, strerror(e));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}
