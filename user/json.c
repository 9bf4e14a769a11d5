// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"

#define JSON_DEPTH 16	/* far deeper than any segoff-nl output */

static int depth;
static int has_items[JSON_DEPTH];

static void put_string(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void begin_value(const char *key)
{
	if (depth && has_items[depth - 1]++)
		putchar(',');
	if (key) {
		put_string(key);
		putchar(':');
	}
}

static void open_nest(const char *key, char c)
{
	if (depth == JSON_DEPTH)
		abort();	/* a programming error, not an input error */
	begin_value(key);
	putchar(c);
	has_items[depth++] = 0;
}

static void close_nest(char c)
{
	putchar(c);
	if (!--depth) {
		putchar('\n');
		fflush(stdout);
	}
}

void json_obj_open(const char *key)
{
	open_nest(key, '{');
}

void json_obj_close(void)
{
	close_nest('}');
}

void json_arr_open(const char *key)
{
	open_nest(key, '[');
}

void json_arr_close(void)
{
	close_nest(']');
}

void json_u64(const char *key, uint64_t v)
{
	begin_value(key);
	printf("%" PRIu64, v);
}

void json_str(const char *key, const char *s)
{
	begin_value(key);
	put_string(s);
}
