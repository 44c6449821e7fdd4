import Dispatch
import Foundation

/// Work splitting over the machine's cores for the loops that are not BLAS calls.
///
/// A range is cut into `workers` contiguous chunks and every chunk is computed exactly as it would
/// be alone, so results are bit-identical whatever the worker count: determinism does not depend
/// on scheduling.
public enum Parallel {
    /// The count for threads that never set one.
    public static let defaultWorkers = 2
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// Worker threads for elementwise and attention loops; set with the BLAS thread count.
    ///
    /// Per thread: a run configures the thread it trains on, so two runs in one process (tests
    /// run side by side) never see each other's count, and scratch sized by it stays in bounds.
    public static var workers: Int {
        get { pthread_getspecific(key).map { Int(bitPattern: $0) } ?? defaultWorkers }
        set { pthread_setspecific(key, UnsafeRawPointer(bitPattern: max(1, newValue))) }
    }

    /// Calls `body(range, worker)` for each chunk of 0..<count.
    @inline(__always)
    public static func chunks(_ count: Int, minChunk: Int = 1, _ body: (Range<Int>, Int) -> Void) {
        let configured = workers
        let w = min(configured, max(1, count / max(minChunk, 1)))
        if w <= 1 { body(0..<count, 0); return }
        DispatchQueue.concurrentPerform(iterations: w) { k in
            // A pool thread works for this run meanwhile: nested calls see the run's count.
            let previous = pthread_getspecific(key)
            pthread_setspecific(key, UnsafeRawPointer(bitPattern: configured))
            defer { pthread_setspecific(key, previous) }
            let lo = count * k / w, hi = count * (k + 1) / w
            if lo < hi { body(lo..<hi, k) }
        }
    }
}
