/* SPDX-License-Identifier: MIT */
/* Intrusive circular doubly linked lists. */
#ifndef RIFT_LIST_H
#define RIFT_LIST_H

#include <rift/types.h>

struct list {
	struct list *next;
	struct list *prev;
};

#define LIST_INIT(name) { &(name), &(name) }

static inline void list_init(struct list *l)
{
	l->next = l;
	l->prev = l;
}

static inline bool list_empty(const struct list *l)
{
	return l->next == l;
}

static inline void list_add_tail(struct list *head, struct list *n)
{
	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
}

static inline void list_del(struct list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n;
	n->prev = n;
}

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

#define list_first(head, type, member) \
	(list_empty(head) ? NULL : container_of((head)->next, type, member))

#endif
