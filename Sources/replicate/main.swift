// The `replicate` command line: run, report, verify, merge and export replications.
// One struct per subcommand, one file each; the targets come from Registry.swift.
import ArgumentParser
import Foundation
import Harness
import Papers

struct Replicate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicate",
        abstract: "Replicate language-model pretraining papers in miniature and check their claims.",
        // `datasets` (DatasetsCommand.swift) belongs to the Corpora owner.
        subcommands: [List.self, Run.self, Report.self, Verify.self, Power.self, Merge.self, Export.self, Compare.self, Slurm.self, DatasetsCommand.self])
}

/// Which run matrix: the paper, its tier and its seeds (`run` and `slurm`).
struct MatrixOptions: ParsableArguments {
    @Argument(help: "Paper key (see `replicate list`).")
    var paper: String
    @Option(help: "smoke, default or extended.")
    var tier: String = "default"
    @Option(parsing: .unconditional,
            help: "Seed count n (seeds 1…n) or a list like 1,2,5; seeds are ≥ 1 (default: the seeds the paper's claims file registers for the tier).")
    var seeds: String?

    /// The target, the tier it implements, and the seeds: given, or the registered ones.
    func resolve() throws -> (target: any ReplicationTarget, tier: Tier, seeds: [Int]) {
        let target = try registry.target(paper)
        let tier = try TargetRegistry.tier(self.tier, of: target)
        return (target, tier, try RunPlan.seeds(target, tier: tier, override: seeds))
    }
}

/// Options shared by the subcommands that read or write the results store.
struct StoreOptions: ParsableArguments {
    @Option(help: "Results database (SQLite).")
    var db: String = ".replicate/results.sqlite"
}

/// Print any error as one `error:` line on stderr and exit non-zero.
func failing(_ body: () throws -> Void) throws {
    do { try body() } catch let e as ExitCode { throw e } catch {
        say("error: " + userMessage(error))
        throw ExitCode(1)
    }
}

func say(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// Held so the signal sources stay alive for the whole process.
nonisolated(unsafe) var interruptSources: [DispatchSourceSignal] = []

/// On Ctrl-C (SIGINT) or SIGTERM: run `cleanup`, print one line saying how to resume, exit 130.
func resumableOnInterrupt(quiet: Bool = false, cleanup: @escaping () -> Void) {
    let command = (["replicate"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    for sig in [SIGINT, SIGTERM] {
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
        source.setEventHandler {
            // Fold the store into one file if it is idle; a write in progress may not hold us up.
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread { cleanup(); done.signal() }
            _ = done.wait(timeout: .now() + 2)
            let newline = isatty(STDERR_FILENO) == 1 ? "\n" : ""   // end a progress line first
            if !quiet { say(newline + "interrupted: finished runs are stored; run the same command again to resume from the last checkpoint: \(command)") }
            _exit(130)
        }
        source.resume()
        interruptSources.append(source)
    }
}

// Parse errors and run errors alike print one `error:` line (ArgumentParser's own say `Error:`
// followed by the usage); --help and --version print as usual.
do {
    var command = try Replicate.parseAsRoot()
    try command.run()
} catch let e as ExitCode {
    exit(e.rawValue)
} catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
    let code = Replicate.exitCode(for: error)
    if code == .success { Replicate.exit(withError: error) }
    let message = Replicate.message(for: error).split(separator: "\n").joined(separator: " ")
    let names = Replicate.configuration.subcommands.map { $0._commandName }
    let sub = CommandLine.arguments.dropFirst().first { names.contains($0) } ?? ""
    if !message.isEmpty { say("error: \(message); see 'replicate \(sub.isEmpty ? "" : sub + " ")--help'") }
    exit(code.rawValue)
} catch {
    say("error: " + userMessage(error))
    exit(1)
}
