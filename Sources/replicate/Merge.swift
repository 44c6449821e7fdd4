import ArgumentParser
import Foundation
import Harness

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join shard databases into one; runs already present (same fingerprint) are skipped.")

    @Argument(help: "Output database (created if missing).")
    var output: String
    @Argument(help: "Input databases (each one whole .sqlite file; a -wal file beside it is read too).")
    var inputs: [String]

    func run() throws {
        try failing {
            // Every input is read in full before the output is touched; the output is
            // written beside it and renamed into place only when complete.
            let counts = try ResultsStore.merge(inputs, into: output)
            for (path, r) in zip(inputs, counts) {
                say("\(path): \(r.copied) runs copied, \(r.skipped) already present")
            }
        }
    }
}
