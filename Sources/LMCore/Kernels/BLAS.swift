import COpenBLAS
import Foundation

/// The BLAS backend: OpenBLAS with a fixed thread count, recorded in every run.
///
/// OpenBLAS reads `OPENBLAS_CORETYPE` when the library loads; the Makefile and the CLI set it
/// (see `BLAS.defaultCoreType`) before the process starts, so it cannot be changed from here.
public enum BLAS {
    /// The kernel family measured fastest on this project's machines (see README, "Speed").
    public static let defaultCoreType = "SkylakeX"

    /// Fix the number of BLAS threads (deterministic results need a fixed count).
    public static func setThreads(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
    }

    public static var threads: Int { Int(openblas_get_num_threads()) }

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
