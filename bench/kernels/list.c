/*
 * list.c -- linked lists and pointer chasing: nodes scattered over a pool
 * in a random order, so every step of a walk is a dependent load from an
 * unpredictable address. Each round walks the list summing its values,
 * reverses it in place, unlinks every node whose value is divisible by 7
 * and links fresh ones back in at pseudo-random places, the work of an
 * allocator's free list, a scheduler's queue or an interpreter's heap.
 * run(n) does n rounds and returns a checksum of the sums and the final
 * list.
 */
#include "kernel.h"

#define LIST_NODES 65536

struct node {
  struct node *next;
  uint32_t value;
};

static struct node pool[LIST_NODES];
static uint32_t order[LIST_NODES];

/* Links the pool in a random permutation (Fisher-Yates over `order`). */
static struct node *build(uint32_t *seed) {
  for (uint32_t i = 0; i < LIST_NODES; i++)
    order[i] = i;
  for (uint32_t i = LIST_NODES - 1; i > 0; i--) {
    uint32_t j = rng_next(seed) % (i + 1);
    uint32_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  for (uint32_t i = 0; i < LIST_NODES; i++) {
    struct node *p = &pool[order[i]];
    p->value = rng_next(seed);
    p->next = i + 1 < LIST_NODES ? &pool[order[i + 1]] : NULL;
  }
  return &pool[order[0]];
}

static struct node *reverse(struct node *head) {
  struct node *prev = NULL;
  while (head != NULL) {
    struct node *next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  return prev;
}

/* Unlinks nodes whose value is divisible by 7 onto a free list; returns
 * the free list. */
static struct node *prune(struct node **headp) {
  struct node *freed = NULL;
  struct node **link = headp;
  while (*link != NULL) {
    struct node *p = *link;
    if (p->value % 7u == 0) {
      *link = p->next;
      p->next = freed;
      freed = p;
    } else {
      link = &p->next;
    }
  }
  return freed;
}

/* Gives each freed node a new value and inserts it after a node a few
 * steps into the list, chosen by the value. */
static void reinsert(struct node *head, struct node *freed, uint32_t *seed) {
  while (freed != NULL) {
    struct node *p = freed;
    freed = freed->next;
    p->value = rng_next(seed);
    struct node *at = head;
    for (uint32_t steps = p->value & 63u; steps > 0 && at->next; steps--)
      at = at->next;
    p->next = at->next;
    at->next = p;
  }
}

uint32_t run(uint32_t n) {
  uint32_t seed = 0x1b873593u;
  struct node *head = build(&seed);
  uint32_t h = 0x811c9dc5u;
  for (uint32_t round = 0; round < n; round++) {
    uint32_t sum = 0, count = 0;
    for (struct node *p = head; p != NULL; p = p->next) {
      sum += p->value ^ count;
      count++;
    }
    h = mix32(mix32(h, sum), count);
    head = reverse(head);
    struct node *freed = prune(&head);
    reinsert(head, freed, &seed);
  }
  for (struct node *p = head; p != NULL; p = p->next)
    h = mix32(h, p->value);
  return h;
}
