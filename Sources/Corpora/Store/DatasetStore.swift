import LMCore
import Foundation

/// The one entry point for prepared corpora: `try DatasetStore.standard().corpus("GCIDE-U")`
/// prepares the corpus on first use (from the Debian files, checked against its manifest) and
/// loads it from the cache afterwards (checked against the manifest's checksum every time).
public final class DatasetStore: @unchecked Sendable {
    /// Folder with the manifests (`<repo>/Datasets`).
    public let manifests: URL
    /// Cache folder for prepared outputs (`<repo>/.cache/datasets` unless overridden).
    public let cache: URL
    public let debian: DebianFiles
    public let recipes: [Recipe]
    private let lock = NSLock()
    private var loaded: [String: Corpus] = [:]
    private var reader: SourceReader?

    public init(manifests: URL, cache: URL, debian: DebianFiles = DebianFiles(), recipes: [Recipe] = Recipe.all) {
        self.manifests = manifests
        self.cache = cache
        self.debian = debian
        self.recipes = recipes
    }

    /// The repository's store. Environment overrides: `REPLICATE_ROOT` (repository root),
    /// `REPLICATE_DATASETS_CACHE` (cache folder), `REPLICATE_DEBIAN_ROOT` (where `/usr/share/...` lives).
    public static func standard() throws -> DatasetStore {
        let env = ProcessInfo.processInfo.environment
        let root = try repositoryRoot(env: env)
        let cache = env["REPLICATE_DATASETS_CACHE"].map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent(".cache/datasets")
        let debian = DebianFiles(root: URL(fileURLWithPath: env["REPLICATE_DEBIAN_ROOT"] ?? "/"))
        return DatasetStore(manifests: root.appendingPathComponent("Datasets"), cache: cache, debian: debian)
    }

    static func repositoryRoot(env: [String: String]) throws -> URL {
        if let r = env["REPLICATE_ROOT"] { return URL(fileURLWithPath: r) }
        let fm = FileManager.default
        var dir = URL(fileURLWithPath: fm.currentDirectoryPath)
        while true {
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
               fm.fileExists(atPath: dir.appendingPathComponent("Datasets").path) { return dir }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { throw CorporaError.repositoryNotFound(fm.currentDirectoryPath) }
            dir = parent
        }
    }

    public var names: [String] { recipes.map(\.name) }

    public func recipe(_ name: String) throws -> Recipe {
        guard let r = recipes.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw CorporaError.unknownCorpus(name, known: names)
        }
        return r
    }

    public func manifestURL(_ r: Recipe) -> URL { manifests.appendingPathComponent("\(r.name).json") }
    public func cacheURL(_ r: Recipe) -> URL { cache.appendingPathComponent(r.cacheFileName) }

    public func manifest(_ name: String) throws -> Manifest {
        let r = try recipe(name)
        let url = manifestURL(r)
        guard FileManager.default.fileExists(atPath: url.path) else { throw CorporaError.noManifest(corpus: r.name, path: url.path) }
        return try Manifest.load(url)
    }

    public enum Outcome: Equatable, Sendable, CustomStringConvertible {
        case upToDate
        case built
        case rebuiltAfterTampering(actual: String)
        case recorded(changed: Bool)
        public var description: String {
            switch self {
            case .upToDate: return "up to date"
            case .built: return "built"
            case let .rebuiltAfterTampering(actual): return "cache file was modified (sha256 \(actual.prefix(16))…); rebuilt"
            case let .recorded(changed): return changed ? "built; manifest recorded (changed)" : "built; manifest recorded (unchanged)"
            }
        }
    }

    /// State of the cache file against the manifest, without building.
    public enum CacheState: Equatable, Sendable { case missing, valid, tampered(actual: String) }

    public func cacheState(_ name: String) throws -> CacheState {
        let r = try recipe(name)
        let m = try manifest(r.name)
        let url = cacheURL(r)
        guard let data = FileManager.default.contents(atPath: url.path) else { return .missing }
        let sha = SHA256.hex([UInt8](data))
        return sha == m.sha256 ? .valid : .tampered(actual: sha)
    }

    /// Prepare one corpus. A valid cache file is left alone ("up to date"); a modified one is
    /// reported and rebuilt; `force` rebuilds anyway; `record` (re)writes the manifest from what
    /// this machine builds instead of checking against it.
    @discardableResult
    public func prepare(_ name: String, force: Bool = false, record: Bool = false) throws -> Outcome {
        let r = try recipe(name)
        let fm = FileManager.default
        var tamperedSha: String? = nil
        if !record {
            let m = try manifest(r.name)
            if let data = fm.contents(atPath: cacheURL(r).path) {
                let sha = SHA256.hex([UInt8](data))
                if sha == m.sha256 && !force { return .upToDate }
                if sha != m.sha256 { tamperedSha = sha }
            }
        }
        for p in r.packages where !fm.fileExists(atPath: debian.root.appendingPathComponent(p.probe).path) {
            throw CorporaError.missingPackage(package: p.package, path: "/" + p.probe, corpus: r.name)
        }
        let old = try? manifest(r.name)
        if !record, let m = old {
            for p in m.packages {
                if let v = debian.installedVersion(p.package), v != p.version {
                    throw CorporaError.packageVersion(package: p.package, installed: v, recorded: p.version, corpus: r.name)
                }
            }
        }
        let out = try r.build(sourceReader())
        let sha = SHA256.hex(out.bytes)
        if !record, let m = old, m.sha256 != sha {
            let rejected = cacheURL(r).appendingPathExtension("rejected")
            try? fm.createDirectory(at: cache, withIntermediateDirectories: true)
            try? Data(out.bytes).write(to: rejected)
            throw CorporaError.checksumMismatch(corpus: r.name, expected: m.sha256, actual: sha,
                                                hint: "output kept at \(rejected.path); if the recipe changed on purpose, re-record with --record")
        }
        try fm.createDirectory(at: cache, withIntermediateDirectories: true)
        try Data(out.bytes).write(to: cacheURL(r), options: .atomic)
        lock.lock(); loaded[r.name] = nil; lock.unlock()
        if record {
            var packages = r.packages
            for i in packages.indices { if let v = debian.installedVersion(packages[i].package) { packages[i].version = v } }
            let m = Manifest(name: r.name, kind: r.kind, summary: r.summary, packages: packages,
                             generator: r.generator, parameters: r.parameters, rules: r.rules, split: r.split,
                             format: r.kind == .debian ? CorpusFile.magic : "token-sequences-v1",
                             documents: out.documents, textBytes: out.textBytes, fileBytes: out.bytes.count,
                             splitCounts: out.splitCounts, labelCounts: out.labelCounts, notes: out.notes, sha256: sha)
            try fm.createDirectory(at: manifests, withIntermediateDirectories: true)
            try m.write(manifestURL(r))
            return .recorded(changed: old != m)
        }
        if let t = tamperedSha { return .rebuiltAfterTampering(actual: t) }
        return .built
    }

    /// A real-text corpus, prepared on first use. A cache file that does not match the manifest
    /// is an error (`CorporaError.tamperedCache`), never silently used.
    public func corpus(_ name: String) throws -> Corpus {
        let r = try recipe(name)
        lock.lock()
        if let c = loaded[r.name] { lock.unlock(); return c }
        lock.unlock()
        let m = try manifest(r.name)
        let url = cacheURL(r)
        if !FileManager.default.fileExists(atPath: url.path) { try prepare(r.name) }
        let bytes = try readBytes(url)
        let sha = SHA256.hex(bytes)
        guard sha == m.sha256 else {
            throw CorporaError.tamperedCache(corpus: r.name, path: url.path, expected: m.sha256, actual: sha)
        }
        guard r.kind == .debian else {
            throw CorporaError.malformed(source: r.name, detail: "a synthetic corpus: call its generator (see the manifest)")
        }
        let c = try CorpusFile.decode(bytes, source: url.path)
        lock.lock(); loaded[r.name] = c; lock.unlock()
        return c
    }

    private func sourceReader() -> SourceReader {
        lock.lock(); defer { lock.unlock() }
        if let r = reader { return r }
        let r = SourceReader(files: debian)
        reader = r
        return r
    }
}

extension Recipe {
    /// Every recipe: real text first, then the synthetic corpora.
    public static var all: [Recipe] { realText + synthetic }
}
