import ArgumentParser
import Foundation
import Harness

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Join shard databases into one; runs already present (same fingerprint) are skipped.")

    @Argument(help: "Output database (created if missing).")
    var output: String
    @Argument(help: "Input databases.")
    var inputs: [String]

    func run() throws {
        try failing {
            // Open every input first, so a bad one is refused before the output is touched.
            let sources = try inputs.map { try ResultsStore(path: $0, readOnly: true) }
            let out = try ResultsStore(path: output)
            for (path, s) in zip(inputs, sources) {
                let r = try out.merge(from: s)
                say("\(path): \(r.copied) runs copied, \(r.skipped) already present")
            }
            try out.close()
        }
    }
}
