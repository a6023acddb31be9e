/* SPDX-License-Identifier: MIT */
/*
 * Who the console's clients are (their names by badge, from the table the
 * supervisor gives every domain: rift/caps.h), and the console's arguments:
 * who has the input focus at start and who may move it (the console
 * domain's `args` in the system description); see con.h.
 */
#include <stdio.h>
#include <string.h>

#include "con.h"

/**
 * Characters allowed in a client name: those of system description nodes,
 * and ':' of a second end ("domain:name").
 */
static bool args_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == ',' || c == '+' || c == '@' || c == ':';
}

uint32_t con_args_badge(const struct con_state *s, const char *name,
			size_t len)
{
	for (uint32_t b = 1; b <= CON_MAX_CLIENTS; b++) {
		const char *n = s->clients[b].name;

		if (n[0] != '\0' && strlen(n) == len &&
		    memcmp(n, name, len) == 0) {
			return b;
		}
	}
	return 0;
}

/** The value of "key=value" in @arg if the key is @key, else NULL. */
static const char *args_value(const char *arg, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(arg, key, n) == 0 && arg[n] == '=') {
		return arg + n + 1;
	}
	return NULL;
}

/** Checks one name of @len bytes; writes why not into @err. */
static int args_check_name(const char *name, size_t len, char *err,
			   size_t err_size)
{
	if (len == 0 || len >= CON_NAME_MAX) {
		snprintf(err, err_size, "client name '%.*s': must have 1 to %d "
			 "characters", (int)len, name, CON_NAME_MAX - 1);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (!args_name_char(name[i])) {
			snprintf(err, err_size, "client name '%.*s': bad "
				 "character", (int)len, name);
			return -1;
		}
	}
	return 0;
}

int con_args_client(struct con_state *s, uint32_t badge, const char *name,
		    char *err, size_t err_size)
{
	size_t len = strlen(name);

	if (args_check_name(name, len, err, err_size)) {
		return -1;
	}
	if (badge == 0 || badge > CON_MAX_CLIENTS) {
		snprintf(err, err_size, "client '%s': badge %u outside [1, %d]",
			 name, badge, CON_MAX_CLIENTS);
		return -1;
	}
	if (con_args_badge(s, name, len) != 0 || s->clients[badge].name[0]) {
		snprintf(err, err_size, "client '%s' (badge %u) named twice",
			 name, badge);
		return -1;
	}
	memcpy(s->clients[badge].name, name, len + 1);
	if (badge > s->client_count) {
		s->client_count = badge;
	}
	return 0;
}

/** Resolves a name given to @key; writes why not into @err. */
static uint32_t args_lookup(const struct con_state *s, const char *key,
			    const char *name, size_t len, char *err,
			    size_t err_size)
{
	uint32_t b = con_args_badge(s, name, len);

	if (b == 0) {
		snprintf(err, err_size, "%s: '%.*s' is not a client of the "
			 "console channel", key, (int)len, name);
	}
	return b;
}

/** focus-admin=a,b: clients that may call set_focus. */
static int args_admins(struct con_state *s, const char *list, char *err,
		       size_t err_size)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t b = args_lookup(s, "focus-admin", p, len, err,
					 err_size);

		if (b == 0) {
			return -1;
		}
		s->clients[b].focus_admin = true;
		if (p[len] == '\0') {
			return 0;
		}
		p += len + 1;
	}
}

/** Handles one option. */
static int args_option(struct con_state *s, const char *arg, char *err,
		       size_t err_size)
{
	const char *v;

	if (args_value(arg, "clients") != NULL) {
		snprintf(err, err_size, "'clients=' is gone: the console learns "
			 "its clients' names from the supervisor (the console "
			 "channel's clients in the system description)");
		return -1;
	}
	v = args_value(arg, "focus");
	if (v != NULL) {
		s->focus = args_lookup(s, "focus", v, strlen(v), err,
				       err_size);
		return s->focus == 0 ? -1 : 0;
	}
	v = args_value(arg, "focus-admin");
	if (v != NULL) {
		return args_admins(s, v, err, err_size);
	}
	snprintf(err, err_size, "unknown argument '%s' (expected focus= or "
		 "focus-admin=)", arg);
	return -1;
}

int con_args_parse(struct con_state *s, int argc, char *const argv[],
		   char *err, size_t err_size)
{
	for (int i = 1; i < argc; i++) {
		if (args_option(s, argv[i], err, err_size)) {
			return -1;
		}
	}
	return 0;
}
