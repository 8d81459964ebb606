// memflux.h's functions are written in Swift (Sources/MemFluxCABI) and exported
// with C names; this target carries the header, so Swift sees its types and
// C programs include it. A C target needs one translation unit: this one.
#include "memflux.h"
