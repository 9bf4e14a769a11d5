/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A minimal JSON writer for segoff-nl -j: nesting and commas are tracked
 * here so that commands only name their fields. A top-level value ends
 * with a newline and a flush, which gives `monitor` one object per line.
 */
#ifndef _SEGOFF_JSON_H
#define _SEGOFF_JSON_H

#include <stdint.h>

/* @key is NULL inside arrays and at the top level */
void json_obj_open(const char *key);
void json_obj_close(void);
void json_arr_open(const char *key);
void json_arr_close(void);
void json_u64(const char *key, uint64_t v);
void json_str(const char *key, const char *s);

#endif /* _SEGOFF_JSON_H */
