// The `replicate` command line: run, report, verify, merge and export replications.
// One struct per subcommand, one file each; the targets come from Registry.swift.
import ArgumentParser
import Foundation
import Harness

struct Replicate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicate",
        abstract: "Replicate language-model pretraining papers in miniature and check their claims.",
        // `datasets` (DatasetsCommand.swift) belongs to the Corpora owner.
        subcommands: [List.self, Run.self, Report.self, Verify.self, Merge.self, Export.self, Slurm.self, DatasetsCommand.self])
}

/// Which run matrix: the paper, its tier and the seeds (`run` and `slurm`).
struct MatrixOptions: ParsableArguments {
    @Argument(help: "Paper key (see `replicate list`).")
    var paper: String
    @Option(help: "smoke, default or extended.")
    var tier: String = "default"
    @Option(help: "Seed count n (seeds 1…n) or a list like 1,2,5.")
    var seeds: String = "3"
}

/// Options shared by the subcommands that read or write the results store.
struct StoreOptions: ParsableArguments {
    @Option(help: "Results database (SQLite).")
    var db: String = ".replicate/results.sqlite"
}

/// Print a harness error as one line and exit non-zero.
func failing(_ body: () throws -> Void) throws {
    do { try body() } catch let e as HarnessError {
        FileHandle.standardError.write(Data("error: \(e.description)\n".utf8))
        throw ExitCode(1)
    }
}

func say(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

Replicate.main()
