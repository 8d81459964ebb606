// A cache prefetch hint, which Swift has no spelling for. A scan issues one
// for each row of a batch before it reads any of them, so their cache misses
// overlap instead of each load waiting on the one before. A hint never
// faults, whatever the address.
#ifndef MEMFLUX_CPREFETCH_H
#define MEMFLUX_CPREFETCH_H

static inline void memflux_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
