// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * up IF [config PATH], down IF: the boot-time side of attach and detach
 * (segoff@.service). up reads IF's attach parameters from a file,
 * /etc/segoff/IF.conf by default, checks all of them and only then runs
 * attach with them, so a file with an error changes nothing. Errors name
 * the file, the line and the key, as a compiler does.
 *
 * The format, one setting a line:
 *     # a comment (only at the start of a line)
 *     mode = offload
 *     eps = 0.05
 * Keys: mode and obj as attach takes them, and every parameter of
 * segoff_param_texts (eps, scale, encoding, port, arith, ...), spelled as
 * on the command line. Each at most once; blank lines ignored.
 */
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "tool.h"

#define CONF_DIR "/etc/segoff"

/*
 * The keys: attach's own, then one per parameter of segoff_param_texts,
 * so that a parameter added there is a key here too. Index K_PARAMS + i
 * is segoff_param_texts[i].
 */
enum { K_MODE, K_OBJ, K_PARAMS, MAX_KEYS = K_PARAMS + 32 };

static const char *key_name(int k)
{
	if (k == K_MODE)
		return "mode";
	if (k == K_OBJ)
		return "obj";
	return segoff_param_texts[k - K_PARAMS].key;
}

/* every key, for the message about an unknown one */
static const char *key_list(char *buf, size_t len)
{
	size_t n = 0;
	int k;

	buf[0] = '\0';
	for (k = 0; key_name(k) && n < len; k++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", k ? ", " : "", key_name(k));
	return buf;
}

/* the key of a parameter, by its attribute; -1 if it has none */
static int param_key(uint32_t attr)
{
	int k;

	for (k = K_PARAMS; key_name(k); k++)
		if (segoff_param_texts[k - K_PARAMS].attr == attr)
			return k;
	return -1;
}

struct conf {
	const char *path;
	char *val[MAX_KEYS];		/* NULL: not in the file */
	unsigned int line[MAX_KEYS];
	uint32_t mode;
	struct segoff_params p;
};

static int conf_error(const struct conf *c, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int conf_error(const struct conf *c, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (line)
		fprintf(stderr, "%s:%u: ", c->path, line);
	else
		fprintf(stderr, "%s: ", c->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static int parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static const char *check_eps(struct conf *c, const char *v)
{
	uint64_t eps;

	switch (segoff_parse_eps(v, &eps)) {
	case 0:
		c->p.eps = eps;
		return NULL;
	case -ERANGE:
		return segoff_param_strerror(SEGOFF_PARAM_EPS_RANGE);
	case -EDOM:
		return "more than 9 decimals (eps resolves 1e-9)";
	default:
		return "not a decimal number";
	}
}

/* One value on its own; NULL, or why it is refused. */
static const char *check_value(struct conf *c, int k, const char *v)
{
	const struct segoff_param_text *t;
	uint32_t u;

	if (k == K_MODE)
		return segoff_enum_parse(SEGOFF_ENUM_MODE, v, &c->mode) ?
			"must be offload, native or generic" : NULL;
	if (k == K_OBJ) {
		if (v[0] != '/')
			return "must be an absolute path";
		return access(v, R_OK) ? strerror(errno) : NULL;
	}
	t = &segoff_param_texts[k - K_PARAMS];
	if (t->attr == SEGOFF_A_PARAMS_EPS)
		return check_eps(c, v);
	if (t->names >= 0) {
		if (segoff_enum_parse(t->names, v, &u))
			return segoff_param_strerror(segoff_param_code(t->attr));
	} else if (parse_u32(v, &u)) {
		return "not a whole number";
	}
	/* numbers only need to fit: the merge checks their ranges */
	segoff_param_set(&c->p, t->attr, u);
	return NULL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	*e = '\0';
	return s;
}

/* One line, "key = value"; -1 after printing. */
static int conf_line(struct conf *c, unsigned int n, char *line)
{
	char *key, *val, *eq, keys[256];
	const char *why;
	int k;

	key = trim(line);
	if (!*key || *key == '#')
		return 0;
	eq = strchr(key, '=');
	if (!eq)
		return conf_error(c, n, "expected `key = value', got `%s'", key);
	*eq = '\0';
	key = trim(key);
	val = trim(eq + 1);
	for (k = 0; key_name(k) && strcmp(key, key_name(k)); k++)
		;
	if (!key_name(k))
		return conf_error(c, n, "unknown key `%s' (%s)", key, key_list(keys, sizeof(keys)));
	if (c->val[k])
		return conf_error(c, n, "%s: given twice, first on line %u", key, c->line[k]);
	if (!*val)
		return conf_error(c, n, "%s: no value", key);
	why = check_value(c, k, val);
	if (why)
		return conf_error(c, n, "%s: `%s': %s", key, val, why);
	c->val[k] = strdup(val);
	if (!c->val[k])
		return conf_error(c, n, "%s", strerror(ENOMEM));
	c->line[k] = n;
	return 0;
}

/*
 * The key a whole-set error of segoff_params_merge() is about: the
 * parameter whose code it is, or for a scale out of range or an eps the
 * scale does not resolve, whichever of the two the file gave.
 */
static int culprit(const struct conf *c, int err)
{
	int k, scale = param_key(SEGOFF_A_PARAMS_SCALE), eps = param_key(SEGOFF_A_PARAMS_EPS);

	if (err == SEGOFF_PARAM_SCALE_RANGE)
		return c->val[scale] ? scale : param_key(SEGOFF_A_PARAMS_ARITH);
	if (err == SEGOFF_PARAM_EPS_SMALL || err == SEGOFF_PARAM_EPS_INEXACT)
		return c->val[eps] ? eps : scale;
	for (k = K_PARAMS; key_name(k); k++)
		if (segoff_param_code(segoff_param_texts[k - K_PARAMS].attr) == err)
			return k;
	return -1;
}

/* Reads and checks the whole file; -1 after printing. */
static int conf_read(struct conf *c)
{
	struct segoff_params p;
	struct segoff_config cfg;
	unsigned int n = 0;
	uint32_t given = 0;
	size_t cap = 0;
	char *line = NULL;
	int k, err = 0;
	FILE *f;

	segoff_params_default(&c->p);
	c->mode = SEGOFF_MODE_NATIVE;
	f = fopen(c->path, "r");
	if (!f) {
		fprintf(stderr, "Unable to read %s: %s\n", c->path, strerror(errno));
		return -1;
	}
	while (!err && getline(&line, &cap, f) >= 0)
		err = conf_line(c, ++n, line);
	if (!err && ferror(f))
		err = conf_error(c, 0, "%s", strerror(errno));
	free(line);
	fclose(f);
	if (err)
		return -1;

	/* the set as the module will take it: given over the defaults */
	for (k = K_PARAMS; key_name(k); k++)
		if (c->val[k])
			given |= SEGOFF_PARAM_F(segoff_param_texts[k - K_PARAMS].attr);
	segoff_params_default(&p);
	err = segoff_params_merge(&p, &c->p, given, &cfg);
	if (err) {
		k = culprit(c, err);
		if (k < 0 || !c->val[k])	/* the defaults' doing: name the file only */
			return conf_error(c, 0, "%s", segoff_param_strerror(err));
		return conf_error(c, c->line[k], "%s: %s", key_name(k), segoff_param_strerror(err));
	}
	return 0;
}

static void conf_free(struct conf *c)
{
	int k;

	for (k = 0; k < MAX_KEYS; k++)
		free(c->val[k]);
}

static int up_usage(FILE *f, const char *name, int ret)
{
	fprintf(f, "Usage: %s %s IF [config PATH]\n"
		"  PATH defaults to " CONF_DIR "/IF.conf\n", prog_name, name);
	return ret;
}

int up_main(int argc, char **argv)
{
	char *av[3 + 2 * MAX_KEYS + 1], path[sizeof(CONF_DIR) + IF_NAMESIZE + 8];
	struct conf c = { 0 };
	const char *dev;
	int ac = 0, k, ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")))
		return up_usage(stdout, argv[0], 0);
	if ((argc != 2 && argc != 4) || (argc == 4 && strcmp(argv[2], "config")))
		return up_usage(stderr, argv[0], 1);
	dev = argv[1];
	if (strlen(dev) >= IF_NAMESIZE || strchr(dev, '/')) {
		fprintf(stderr, "%s: `%s' is not an interface name\n", prog_name, dev);
		return 1;
	}
	if (argc == 4) {
		c.path = argv[3];
	} else {
		snprintf(path, sizeof(path), CONF_DIR "/%s.conf", dev);
		c.path = path;
	}
	if (conf_read(&c)) {
		conf_free(&c);
		return 1;
	}
	/* attach with exactly what the file says; it fills in the rest */
	av[ac++] = "attach";
	av[ac++] = "dev";
	av[ac++] = (char *)dev;
	for (k = 0; key_name(k); k++) {
		if (c.val[k]) {
			av[ac++] = (char *)key_name(k);
			av[ac++] = c.val[k];
		}
	}
	av[ac] = NULL;
	ret = attach_main(ac, av);
	conf_free(&c);
	return ret;
}

/* Nothing bound is what down wants: no device, no module or no binding is success. */
int down_main(int argc, char **argv)
{
	char *av[] = { "detach", "dev", NULL, NULL };
	struct client_bindings bs;
	int err;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
		printf("Usage: %s %s IF\n", prog_name, argv[0]);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "Usage: %s %s IF\n", prog_name, argv[0]);
		return 1;
	}
	if (!if_nametoindex(argv[1])) {
		fprintf(stderr, "%s: no device %s, nothing to detach\n", prog_name, argv[1]);
		return 0;
	}
	err = client_dev_get(argv[1], &bs);
	client_bindings_free(&bs);
	if (err && err != -ENOENT)
		client_perror("get the binding of", argv[1]);
	client_close();
	if (err == -ENOENT) {
		fprintf(stderr, "%s: dev %s has no segoff binding, nothing to detach\n", prog_name,
			argv[1]);
		return 0;
	}
	if (err)
		return 1;
	av[2] = argv[1];
	return detach_main(3, av);
}
