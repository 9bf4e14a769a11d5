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
 * Keys: mode and obj as attach takes them, and the parameters (eps,
 * scale, encoding, port, arith). Each at most once; blank lines ignored.
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

enum conf_key { K_MODE, K_OBJ, K_EPS, K_SCALE, K_ENCODING, K_PORT, K_ARITH, N_KEYS };

static const char *const key_names[N_KEYS] = {
	[K_MODE] = "mode", [K_OBJ] = "obj", [K_EPS] = "eps", [K_SCALE] = "scale",
	[K_ENCODING] = "encoding", [K_PORT] = "port", [K_ARITH] = "arith",
};

/* the parameters' bits in segoff_params_merge()'s "given" mask; 0: not a parameter */
static const uint32_t key_param[N_KEYS] = {
	[K_EPS] = SEGOFF_PARAM_F(SEGOFF_A_PARAMS_EPS),
	[K_SCALE] = SEGOFF_PARAM_F(SEGOFF_A_PARAMS_SCALE),
	[K_ENCODING] = SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ENCODING),
	[K_PORT] = SEGOFF_PARAM_F(SEGOFF_A_PARAMS_PORT),
	[K_ARITH] = SEGOFF_PARAM_F(SEGOFF_A_PARAMS_ARITH),
};

struct conf {
	const char *path;
	char *val[N_KEYS];		/* NULL: not in the file */
	unsigned int line[N_KEYS];
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

/* One value on its own; NULL, or why it is refused. */
static const char *check_value(struct conf *c, enum conf_key k, const char *v)
{
	uint64_t eps;

	switch (k) {
	case K_MODE:
		return segoff_enum_parse(SEGOFF_ENUM_MODE, v, &c->mode) ?
			"must be offload, native or generic" : NULL;
	case K_OBJ:
		if (v[0] != '/')
			return "must be an absolute path";
		return access(v, R_OK) ? strerror(errno) : NULL;
	case K_EPS:
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
	case K_SCALE:
		return parse_u32(v, &c->p.scale) ? "not a whole number" : NULL;
	case K_PORT:
		return parse_u32(v, &c->p.port) ? "not a whole number" : NULL;
	case K_ENCODING:
		return segoff_parse_encoding(v, &c->p.encoding) ?
			segoff_param_strerror(SEGOFF_PARAM_ENCODING) : NULL;
	default:
		return segoff_parse_arith(v, &c->p.arith) ?
			segoff_param_strerror(SEGOFF_PARAM_ARITH) : NULL;
	}
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
	char *key, *val, *eq;
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
	for (k = 0; k < N_KEYS && strcmp(key, key_names[k]); k++)
		;
	if (k == N_KEYS)
		return conf_error(c, n, "unknown key `%s' (mode, obj, eps, scale, encoding, port, "
				  "arith)", key);
	if (c->val[k])
		return conf_error(c, n, "%s: given twice, first on line %u", key, c->line[k]);
	if (!*val)
		return conf_error(c, n, "%s: no value", key);
	why = check_value(c, (enum conf_key)k, val);
	if (why)
		return conf_error(c, n, "%s: `%s': %s", key, val, why);
	c->val[k] = strdup(val);
	if (!c->val[k])
		return conf_error(c, n, "%s", strerror(ENOMEM));
	c->line[k] = n;
	return 0;
}

/* The key a whole-set error of segoff_config_make() is about. */
static enum conf_key culprit(const struct conf *c, int err)
{
	switch (err) {
	case SEGOFF_PARAM_EPS_RANGE:
		return K_EPS;
	case SEGOFF_PARAM_SCALE_RANGE:
		return c->val[K_SCALE] ? K_SCALE : K_ARITH;
	case SEGOFF_PARAM_EPS_SMALL:
	case SEGOFF_PARAM_EPS_INEXACT:
		return c->val[K_EPS] ? K_EPS : K_SCALE;
	case SEGOFF_PARAM_ENCODING:
		return K_ENCODING;
	case SEGOFF_PARAM_PORT:
		return K_PORT;
	default:
		return K_ARITH;
	}
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
	enum conf_key k;
	int err = 0;
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
	for (k = 0; k < N_KEYS; k++)
		if (c->val[k])
			given |= key_param[k];
	segoff_params_default(&p);
	err = segoff_params_merge(&p, &c->p, given, &cfg);
	if (err) {
		k = culprit(c, err);
		return conf_error(c, c->line[k], "%s: %s", key_names[k], segoff_param_strerror(err));
	}
	return 0;
}

static void conf_free(struct conf *c)
{
	int k;

	for (k = 0; k < N_KEYS; k++)
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
	char *av[3 + 2 * N_KEYS + 1], path[sizeof(CONF_DIR) + IF_NAMESIZE + 8];
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
	for (k = 0; k < N_KEYS; k++) {
		if (c.val[k]) {
			av[ac++] = (char *)key_names[k];
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
