// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Data files: decimal samples separated by any whitespace. Line structure
 * carries no meaning, but it is tracked so that an error points at the
 * offending token. Values the program cannot evaluate (NaN, Inf, negative,
 * too large) are still numbers here: their windows get the "invalid"
 * verdict, which is exactly what the data path must be shown to do.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libsegoff.h"

#define TOKEN_SHOWN 32	/* longest part of a bad token quoted in the error */

static void bad_token(const char *path, size_t line, size_t col, const char *tok, size_t len,
		      char *err, size_t errlen)
{
	char shown[TOKEN_SHOWN + 4];
	size_t i, n = len > TOKEN_SHOWN ? TOKEN_SHOWN : len;

	for (i = 0; i < n; i++)
		shown[i] = isprint((unsigned char)tok[i]) ? tok[i] : '?';
	strcpy(shown + n, len > n ? "..." : "");
	snprintf(err, errlen, "%s:%zu:%zu: '%s' is not a number", path, line, col, shown);
}

static int push(struct segoff_data *d, size_t *cap, double v)
{
	double *x;

	if (d->n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		x = realloc(d->x, *cap * sizeof(*x));
		if (!x)
			return -ENOMEM;
		d->x = x;
	}
	d->x[d->n++] = v;
	return 0;
}

/* One line, tokens split in place; a NUL byte belongs to a token, so it can never parse. */
static int read_line(const char *path, char *buf, size_t len, size_t lineno,
		     struct segoff_data *d, size_t *cap, char *err, size_t errlen)
{
	size_t i = 0, start;
	char *end;
	double v;

	while (i < len) {
		if (isspace((unsigned char)buf[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && !isspace((unsigned char)buf[i]))
			i++;
		buf[i] = '\0';	/* getline leaves room for the terminator */
		v = strtod(buf + start, &end);
		/* strtod() also reads C's hexadecimal floats: not decimal data */
		if (end != buf + i || strpbrk(buf + start, "xX")) {
			bad_token(path, lineno, start + 1, buf + start, i - start, err, errlen);
			return -EINVAL;
		}
		if (push(d, cap, v)) {
			snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
			return -ENOMEM;
		}
		i++;
	}
	return 0;
}

int segoff_data_read(const char *path, struct segoff_data *d, char *err, size_t errlen)
{
	size_t cap = 0, bufcap = 0, lineno = 0;
	char *buf = NULL;
	ssize_t len;
	FILE *f;
	int ret = 0;

	d->x = NULL;
	d->n = 0;
	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	errno = 0;
	while ((len = getline(&buf, &bufcap, f)) >= 0) {
		ret = read_line(path, buf, (size_t)len, ++lineno, d, &cap, err, errlen);
		if (ret)
			break;
		errno = 0;
	}
	/* getline() returns -1 on errors as well as at the end: tell them apart */
	if (!ret && ferror(f)) {
		ret = errno ? -errno : -EIO;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	}
	free(buf);
	fclose(f);
	if (ret)
		segoff_data_free(d);
	return ret;
}

void segoff_data_free(struct segoff_data *d)
{
	free(d->x);
	d->x = NULL;
	d->n = 0;
}
