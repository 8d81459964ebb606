// A cache prefetch hint, which Swift has no spelling for. A scan issues one
// for each row of a batch before it reads any of them, so their cache misses
// overlap instead of each load waiting on the one before. A hint never
// faults, whatever the address.
#ifndef MEMFLUX_CPREFETCH_H
#define MEMFLUX_CPREFETCH_H

static inline void memflux_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/// Every cache line from `first` through `last` (the addresses of the first and last bytes wanted).
static inline void memflux_prefetch_span(const void *first, const void *last) {
    for (const char *line = (const char *)first; line < (const char *)last; line += 64) { __builtin_prefetch(line, 0, 3); }
    __builtin_prefetch(last, 0, 3);
}

#endif
