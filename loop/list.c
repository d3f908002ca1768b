/*
 * list.c -- the intrusive doubly linked lists that hold the scheduler's
 * queues. A node whose `next` is NULL is on no list, so removing twice is
 * harmless.
 */
#include "loop_internal.h"

void lullu_list_init(lullu_link *head) { head->prev = head->next = head; }

int lullu_list_empty(const lullu_link *head) { return head->next == head; }

int lullu_list_linked(const lullu_link *n) { return n->next != NULL; }

void lullu_list_push(lullu_link *head, lullu_link *n) {
  n->prev = head->prev;
  n->next = head;
  head->prev->next = n;
  head->prev = n;
}

void lullu_list_remove(lullu_link *n) {
  if (!n->next)
    return;
  n->prev->next = n->next;
  n->next->prev = n->prev;
  n->prev = n->next = NULL;
}

lullu_link *lullu_list_pop(lullu_link *head) {
  if (lullu_list_empty(head))
    return NULL;
  lullu_link *n = head->next;
  lullu_list_remove(n);
  return n;
}
