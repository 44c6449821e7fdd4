import Dispatch

/// Work splitting over the machine's cores for the loops that are not BLAS calls.
///
/// A range is cut into `workers` contiguous chunks and every chunk is computed exactly as it would
/// be alone, so results are bit-identical whatever the worker count: determinism does not depend
/// on scheduling.
public enum Parallel {
    /// Worker threads for elementwise and attention loops; set with the BLAS thread count.
    nonisolated(unsafe) public static var workers = 2

    /// Calls `body(range, worker)` for each chunk of 0..<count.
    @inline(__always)
    public static func chunks(_ count: Int, minChunk: Int = 1, _ body: (Range<Int>, Int) -> Void) {
        let w = min(workers, max(1, count / max(minChunk, 1)))
        if w <= 1 { body(0..<count, 0); return }
        DispatchQueue.concurrentPerform(iterations: w) { k in
            let lo = count * k / w, hi = count * (k + 1) / w
            if lo < hi { body(lo..<hi, k) }
        }
    }
}
