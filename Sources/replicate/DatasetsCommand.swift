import ArgumentParser
import Corpora
import Foundation
import Harness

/// `replicate datasets list|prepare [NAME]`: the corpora of `Datasets/` and their prepared cache.
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "List and prepare the corpora (recipes in Datasets/, prepared into .cache/datasets/).",
        subcommands: [List.self, Prepare.self])

    struct Options: ParsableArguments {
        @Option(help: "Cache folder for prepared corpora (default: <repo>/.cache/datasets; env REPLICATE_DATASETS_CACHE).")
        var cache: String?
    }

    static func store(_ o: Options) throws -> DatasetStore {
        let s = try DatasetStore.standard()
        guard let c = o.cache else { return s }
        return DatasetStore(manifests: s.manifests, cache: URL(fileURLWithPath: c), debian: s.debian)
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each corpus with its size, documents, labels, checksum and cache state.")
        @OptionGroup var options: Options
        @Flag(help: "Print every label count (default: the 8 largest).") var allLabels = false

        func run() throws {
            let store = try DatasetsCommand.store(options)
            for name in store.names {
                guard let m = try? store.manifest(name) else { print("\(name): no manifest"); continue }
                let state: String
                switch try store.cacheState(name) {
                case .missing: state = "not prepared"
                case .valid: state = "prepared"
                case .tampered: state = "CACHE MODIFIED"
                }
                print("\(m.name) [\(m.kind.rawValue)] \(m.summary)")
                let splits = m.splitCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("  \(m.documents) documents (\(splits)), \(m.textBytes) text bytes, \(m.fileBytes) bytes prepared, sha256 \(m.sha256) — \(state)")
                let labels = m.labelCounts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                if !labels.isEmpty {
                    let shown = allLabels ? labels : Array(labels.prefix(8))
                    let more = labels.count > shown.count ? ", … (\(labels.count) labels)" : ""
                    print("  labels: " + shown.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + more)
                }
            }
        }
    }

    struct Prepare: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Build all corpora, or one, into the cache; checked against the manifests.")
        @OptionGroup var options: Options
        @Argument(help: "A corpus name (default: all).") var name: String?
        @Flag(help: "Rebuild even if the cache is up to date.") var force = false
        @Flag(help: "Record the manifests from this machine's build instead of checking against them.") var record = false

        func run() throws {
            let store = try DatasetsCommand.store(options)
            let names = try name.map { [try store.recipe($0).name] } ?? store.names
            var failures = 0
            for n in names {
                let t0 = Date()
                do {
                    let outcome = try store.prepare(n, force: force, record: record)
                    let dt = outcome == .upToDate ? "" : String(format: " (%.1f s)", Date().timeIntervalSince(t0))
                    print("\(n): \(outcome)\(dt)")
                } catch {
                    failures += 1
                    say("error: \(n): " + userMessage(error))
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
