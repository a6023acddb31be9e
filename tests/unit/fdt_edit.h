/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the host tests that build and edit device trees with
 * libfdt (test_dt.c, test_sysdesc.c). The including file includes
 * tests/unit/test.h and declares the writable tree first:
 *   static char tree[SIZE] __attribute__((aligned(8)));
 * A helper that meets a libfdt error stops the test program: a broken
 * fixture is a bug in the test, not a result.
 */
#ifndef RIFT_TEST_FDT_EDIT_H
#define RIFT_TEST_FDT_EDIT_H

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void die(const char *what, const char *detail)
{
	printf("FAIL %s.%s: test setup: %s: %s\n", test_suite, test_current,
	       what, detail);
	exit(1);
}

static void *load_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f) {
		die("cannot open", path);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || n <= 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		die("cannot read", path);
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static void check(int e, const char *what)
{
	if (e < 0) {
		die(what, fdt_strerror(e));
	}
}

static int node(const char *path)
{
	int n = fdt_path_offset(tree, path);

	if (n < 0) {
		die(path, fdt_strerror(n));
	}
	return n;
}

static void set_raw(const char *path, const char *prop, const void *v,
		    int len)
{
	check(fdt_setprop(tree, node(path), prop, v, len), prop);
}

static void set_str(const char *path, const char *prop, const char *s)
{
	check(fdt_setprop_string(tree, node(path), prop, s), prop);
}

static void del(const char *path, const char *prop)
{
	check(fdt_delprop(tree, node(path), prop), prop);
}

static void del_node(const char *path)
{
	check(fdt_del_node(tree, node(path)), path);
}

static void add_node(const char *parent, const char *name)
{
	check(fdt_add_subnode(tree, node(parent), name), name);
}

/** Offset (in the blob) of the first token @tag in tree[]'s struct block. */
static int first_tag(uint32_t tag)
{
	int off = 0, next;

	for (;;) {
		uint32_t t = fdt_next_tag(tree, off, &next);

		if (t == tag) {
			return fdt_off_dt_struct(tree) + off;
		}
		if (t == FDT_END || next < 0) {
			die("first_tag", "not found");
		}
		off = next;
	}
}

static void hang_alarm(int sig)
{
	static const char msg[] = "FAIL %s.libfdt_161_traps: hangs in "
				  "libfdt\n";

	(void)sig;
	printf(msg, test_suite);
	fflush(stdout);
	_exit(1);
}

#endif
