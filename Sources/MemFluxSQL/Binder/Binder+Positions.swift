// Where in the statement a binding error is. PostgreSQL points its type,
// operator and function errors at the construct that failed (`function
// lower(integer) does not exist`, `invalid input syntax for type integer`,
// `CASE types ... cannot be matched`); the value layer (SQLCast,
// SQLArithmetic, the function resolvers) knows no statement, so the binder
// gives the error the position of the expression it was binding.

import MemFluxCore

extension Binder {
    /// `body`'s result; an error it throws without a position gets `position`.
    func withPosition<T>(_ position: Int, _ body: () throws(MemFluxError) -> T) throws(MemFluxError) -> T {
        do {
            return try body()
        } catch {
            guard error.position == nil else { throw error }
            throw MemFluxError(error.code, error.message, position: position)
        }
    }
}
