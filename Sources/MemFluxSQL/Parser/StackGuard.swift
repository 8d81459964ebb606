// StackGuard: the parser recurses once per nesting level, and a level can
// take kilobytes of stack (several frames; far more in a debug build), so
// 1000 levels do not fit every thread: Swift concurrency's threads have 512 KB
// on Darwin. The parser therefore watches its own stack use. On the caller's
// thread it allows itself `callerBudget` bytes; a statement that needs more
// (rare: dozens of nested calls or subqueries) is parsed again from the start
// on a thread of its own with `largeStackSize` bytes, where the 1000-level
// limit is what stops it. Only if even that stack runs short is the answer
// "stack depth limit exceeded" for lack of stack. A new thread each time
// costs a few hundred microseconds (its stack pages are fresh), paid only by
// statements nested far deeper than applications write them.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum StackGuard {
    /// Stack the parser may use on the caller's thread before moving to a thread of its own.
    static let callerBudget: UInt = 192 * 1024
    /// The stack of that thread (reserved address space; only the pages touched are used).
    static let largeStackSize = 32 << 20
    /// What the parser leaves unused at the bottom of that stack.
    static let largeStackMargin: UInt = 1 << 20

    /// An address in the caller's frame: the stack pointer, near enough.
    @inline(__always)
    static func currentAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    private final class ResultBox<Value>: @unchecked Sendable {
        var value: Value?
    }

    private final class Job: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread with a `largeStackSize` stack and waits for it; nil if no such thread
    /// could be made. `body` learns the lowest stack address it may use.
    static func onLargeStack<T>(_ body: @escaping (_ limit: UInt) -> T) -> T? {
        let box = ResultBox<T>()
        let job = Job {
            let top = currentAddress()
            box.value = body(top - UInt(largeStackSize) + largeStackMargin)
        }
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_setstacksize(&attributes, largeStackSize) == 0 else { return nil }
        let context = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        #if canImport(Darwin)
        let created = pthread_create(&thread, &attributes, { context in
            Unmanaged<Job>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context)
        #else
        let created = pthread_create(&thread, &attributes, { context in
            Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        #endif
        guard created == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            return nil
        }
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
        return box.value
    }
}
