import COpenBLAS
import Foundation

/// The BLAS backend: OpenBLAS with a fixed thread count, recorded in every run.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` when the library loads, so the kernel is chosen before the
/// process starts (the Makefile does so for the main jobs only; tests keep the environment's) and
/// `coreName` records what was picked.
public enum BLAS {
    /// OpenBLAS itself always runs single-threaded: the core splits every large sgemm over its own
    /// workers (`Parallel`), so concurrent calls are safe and the split (hence every bit of the
    /// result) depends only on the worker count.
    static let singleThreaded: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// Fix the run's thread count: the workers that share sgemms, attention and elementwise loops.
    public static func configure(threads n: Int) {
        _ = singleThreaded
        Parallel.workers = max(1, n)
    }

    /// The run's thread count (recorded with every run).
    public static var threads: Int { Parallel.workers }

    /// The kernel family OpenBLAS picked at load time (e.g. "Haswell", "SkylakeX").
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    public static var configDescription: String {
        guard let p = openblas_get_config() else { return "unknown" }
        return String(cString: p)
    }
}
