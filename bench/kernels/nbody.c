/*
 * nbody.c -- a gravitational n-body simulation: f64 arithmetic, sqrt and
 * divides over a small array of structs. Eight bodies start from generated
 * positions and velocities (total momentum removed) and advance by
 * symplectic Euler steps with a softened potential, so close encounters
 * stay finite. run(n) takes n steps and returns a checksum of the final
 * energy and positions, bit for bit.
 */
#include "kernel.h"

#define BODIES 8
#define DT 0.001
/* Softening length squared: keeps 1/r^3 bounded when two bodies pass
 * close, which a generated start cannot rule out. */
#define SOFT2 0.01

struct body {
  double x, y, z;
  double vx, vy, vz;
  double mass;
};

static struct body bodies[BODIES];

/* A generated double in [-1, 1). */
static double unit(uint32_t *seed) {
  return (double)(rng_next(seed) >> 8) / 8388608.0 - 1.0;
}

static void start(void) {
  uint32_t seed = 0x1b873593u;
  double px = 0.0, py = 0.0, pz = 0.0, total = 0.0;
  for (int i = 0; i < BODIES; i++) {
    struct body *b = &bodies[i];
    b->x = 4.0 * unit(&seed);
    b->y = 4.0 * unit(&seed);
    b->z = 0.5 * unit(&seed);
    b->vx = 0.3 * unit(&seed);
    b->vy = 0.3 * unit(&seed);
    b->vz = 0.05 * unit(&seed);
    b->mass = i == 0 ? 20.0 : 0.5 + 0.25 * (unit(&seed) + 1.0);
    px += b->vx * b->mass;
    py += b->vy * b->mass;
    pz += b->vz * b->mass;
    total += b->mass;
  }
  /* Move to the centre-of-momentum frame so the system does not drift. */
  for (int i = 0; i < BODIES; i++) {
    bodies[i].vx -= px / total;
    bodies[i].vy -= py / total;
    bodies[i].vz -= pz / total;
  }
}

static void step(void) {
  for (int i = 0; i < BODIES; i++) {
    struct body *bi = &bodies[i];
    for (int j = i + 1; j < BODIES; j++) {
      struct body *bj = &bodies[j];
      double dx = bi->x - bj->x;
      double dy = bi->y - bj->y;
      double dz = bi->z - bj->z;
      double d2 = dx * dx + dy * dy + dz * dz + SOFT2;
      double mag = DT / (d2 * __builtin_sqrt(d2));
      bi->vx -= dx * bj->mass * mag;
      bi->vy -= dy * bj->mass * mag;
      bi->vz -= dz * bj->mass * mag;
      bj->vx += dx * bi->mass * mag;
      bj->vy += dy * bi->mass * mag;
      bj->vz += dz * bi->mass * mag;
    }
  }
  for (int i = 0; i < BODIES; i++) {
    bodies[i].x += DT * bodies[i].vx;
    bodies[i].y += DT * bodies[i].vy;
    bodies[i].z += DT * bodies[i].vz;
  }
}

/* Kinetic plus (softened) potential energy: nearly conserved, so a wrong
 * step shows as a different value, not just different bits. */
static double energy(void) {
  double e = 0.0;
  for (int i = 0; i < BODIES; i++) {
    const struct body *bi = &bodies[i];
    e += 0.5 * bi->mass * (bi->vx * bi->vx + bi->vy * bi->vy + bi->vz * bi->vz);
    for (int j = i + 1; j < BODIES; j++) {
      const struct body *bj = &bodies[j];
      double dx = bi->x - bj->x;
      double dy = bi->y - bj->y;
      double dz = bi->z - bj->z;
      e -= bi->mass * bj->mass /
           __builtin_sqrt(dx * dx + dy * dy + dz * dz + SOFT2);
    }
  }
  return e;
}

uint32_t run(uint32_t n) {
  start();
  for (uint32_t s = 0; s < n; s++)
    step();
  uint32_t h = mix_double(2166136261u, energy());
  for (int i = 0; i < BODIES; i++) {
    h = mix_double(h, bodies[i].x);
    h = mix_double(h, bodies[i].y);
    h = mix_double(h, bodies[i].z);
  }
  return h;
}
