// Tests for Sources/MemFluxSQL/Functions: each scalar function's results and
// error texts, checked against PostgreSQL.

import Testing
