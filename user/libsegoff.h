/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * libsegoff: what segoff-nl and the tests share in userspace. The window
 * arithmetic itself is include/segoff/window.h; this wraps it for doubles.
 */
#ifndef _LIBSEGOFF_H
#define _LIBSEGOFF_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/segoff.h>
#include <segoff/params.h>
#include <segoff/window.h>

/* ---- data.c: data files ---- */

struct segoff_data {
	double *x;
	size_t n;
};

/*
 * Reads whitespace separated decimal samples. NaN, Inf and out-of-range
 * values are kept (their windows are "invalid"); anything that is not a
 * number fails with "PATH:LINE:COL: ..." in @err.
 */
int segoff_data_read(const char *path, struct segoff_data *d, char *err, size_t errlen);
void segoff_data_free(struct segoff_data *d);

/* ---- ref.c: the reference verdict ---- */

/* enum segoff_sample_err; on success *X is x scaled as the program does */
int segoff_ref_sample(double x, const struct segoff_config *c, uint32_t *X);

/*
 * The verdict for x[0..15]: SEGOFF_TAG_SPLIT, _NOSPLIT or _INVALID, with
 * the enum segoff_sample_err of the first invalid sample in *why.
 */
int segoff_ref_window(const double *x, const struct segoff_config *c, int *why);

/* ---- params.c: text <-> parameters ---- */

/* "0.1" -> 100000000 (SEGOFF_EPS_UNIT); 0 and -EINVAL on a bad string */
int segoff_parse_eps(const char *s, uint64_t *eps);

/* The one table of enum names, for every enum the tool parses or prints. */
enum segoff_enum_id {
	SEGOFF_ENUM_ENCODING,
	SEGOFF_ENUM_ARITH,
	SEGOFF_ENUM_REPLY,
	SEGOFF_ENUM_MODE,
	SEGOFF_ENUM_REASON,
	SEGOFF_ENUM_COUNT
};

struct segoff_enum {
	const char *const *names;	/* by value */
	uint32_t n;
};

extern const struct segoff_enum segoff_enums[SEGOFF_ENUM_COUNT];
int segoff_enum_parse(int e, const char *s, uint32_t *v);	/* 0 or -EINVAL */
const char *segoff_enum_name(int e, uint32_t v);		/* "unknown" if none */
/* the names joined by @sep: "fixed|double" */
const char *segoff_enum_choices(int e, const char *sep, char *buf, size_t len);

/* A parameter as the command line spells it: keyword, value, enum names. */
struct segoff_param_text {
	uint32_t attr;			/* SEGOFF_A_PARAMS_* */
	const char *key, *meta;		/* meta NULL: the enum's names */
	int names;			/* enum segoff_enum_id, or -1 */
};

extern const struct segoff_param_text segoff_param_texts[];	/* ends with key NULL */

/* a parameter by its attribute, for code that walks the table */
uint64_t segoff_param_get(const struct segoff_params *p, uint32_t attr);
void segoff_param_set(struct segoff_params *p, uint32_t attr, uint64_t v);
int segoff_param_code(uint32_t attr);	/* its enum segoff_param_err for a bad value */

int segoff_parse_encoding(const char *s, uint32_t *enc);
int segoff_parse_arith(const char *s, uint32_t *arith);
const char *segoff_encoding_name(uint32_t enc);
const char *segoff_arith_name(uint32_t arith);
const char *segoff_param_strerror(int err);	/* enum segoff_param_err */

/* ---- frame.c: the window frame on the wire ---- */

struct segoff_addr {
	uint8_t src_mac[6], dst_mac[6];
	uint16_t vlan;			/* 802.1Q VID, 0 for none */
	int ipv6;
	struct in6_addr src6, dst6;
	struct in_addr src4, dst4;
	uint8_t ip_optlen;		/* IPv4 option bytes, multiple of 4, <= 40 */
	uint16_t sport, dport;
};

#define SEGOFF_FRAME_MAX	256

/*
 * Builds a request frame for x[0..15] in @c's encoding, with @seq after
 * the samples, and returns its length. Fixed samples are scaled like the
 * reference; one that is not evaluable is sent as UINT32_MAX.
 */
size_t segoff_frame_build(uint8_t *buf, const struct segoff_addr *a, const double *x,
			  const struct segoff_config *c, uint64_t seq);

struct segoff_reply {
	uint64_t tag;
	uint64_t seq;
	int csum_ok;			/* UDP checksum verifies (or is 0 on IPv4) */
};

/* 0 if @buf is a segoff frame to @dport with a sequence number, else -1 */
int segoff_frame_parse(const uint8_t *buf, size_t len, uint16_t dport, uint32_t encoding,
		       struct segoff_reply *r);

/* The length of a stream frame of @n samples (include/uapi/linux/segoff.h). */
size_t segoff_stream_len(const struct segoff_addr *a, uint32_t n, const struct segoff_config *c);

/*
 * Builds a stream request for x[0..n-1], the samples @first.. of @series,
 * in @buf of at least segoff_stream_len() bytes; returns its length.
 */
size_t segoff_stream_build(uint8_t *buf, const struct segoff_addr *a, const double *x,
			   uint32_t n, const struct segoff_config *c, uint32_t series,
			   uint64_t first);

struct segoff_stream_reply {
	uint32_t status;		/* enum segoff_stream_status */
	uint32_t series, count;
	uint64_t first;
	uint32_t windows;		/* verdict bytes the datagram holds, at most count - 15 */
	const uint8_t *verdict;		/* into the frame: enum segoff_tag per window */
	int csum_ok;
};

/* 0 if @buf is a stream frame to @dport, else -1 */
int segoff_stream_parse(const uint8_t *buf, size_t len, uint16_t dport,
			struct segoff_stream_reply *r);

/* ---- loader.c: the XDP object ---- */

struct bpf_object;

struct segoff_obj {
	struct bpf_object *obj;		/* for maps of its own (the benchmark's) */
	int prog_fd, config_fd, counters_fd;
};

struct segoff_load_opts {
	const char *path;		/* an object file; NULL: the built-in skeleton */
	/*
	 * The program to load; NULL: the one @mode runs. Counters are an ARRAY
	 * for segoff_xdp (atomic adds), a PERCPU_ARRAY for any other.
	 */
	const char *prog;
	uint32_t mode;			/* enum segoff_mode */
	int ifindex;			/* offload: the device it is bound to */
	int verbose;			/* libbpf's log on stderr */
};

/*
 * Opens and loads the object: offload binds program and maps to @ifindex.
 * Nothing is attached. Returns 0, or -errno with a message in @err.
 */
int segoff_obj_load_opts(struct segoff_obj *o, const struct segoff_load_opts *opts, char *err,
			 size_t errlen);
/* the program @mode runs, from @path (NULL: built-in) */
int segoff_obj_load(struct segoff_obj *o, const char *path, uint32_t mode, int ifindex,
		    int verbose, char *err, size_t errlen);
void segoff_obj_close(struct segoff_obj *o);

int segoff_config_write(int config_fd, const struct segoff_config *c);
/* A live change, under the one writer's lock: never a mixture of two configs. */
int segoff_config_install(int config_fd, const struct segoff_config *c);
/* Fills in the source addresses of answers to group requests (reply tx). */
void segoff_config_port(const char *dev, struct segoff_config *c);
/* Zeroes, or reads summed over CPUs, every entry of the counters map. */
int segoff_counters_reset(int counters_fd);
int segoff_counters_read(int counters_fd, struct segoff_counters *out);

#endif /* _LIBSEGOFF_H */
