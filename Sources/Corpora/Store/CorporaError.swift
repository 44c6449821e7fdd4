/// Every failure of data preparation is one of these: a one-line message that says what to do.
public enum CorporaError: Error, CustomStringConvertible, Equatable {
    /// A Debian package's file is missing.
    case missingPackage(package: String, path: String, corpus: String)
    /// The installed package version differs from the one the recipe was recorded with.
    case packageVersion(package: String, installed: String, recorded: String, corpus: String)
    /// A freshly prepared corpus does not match its manifest.
    case checksumMismatch(corpus: String, expected: String, actual: String, hint: String)
    /// A cached file does not match its manifest (edited, truncated or corrupt).
    case tamperedCache(corpus: String, path: String, expected: String, actual: String)
    case unreadable(String)
    case malformed(source: String, detail: String)
    case unknownCorpus(String, known: [String])
    case noManifest(corpus: String, path: String)
    case repositoryNotFound(String)

    public var description: String {
        switch self {
        case let .missingPackage(package, path, corpus):
            return "corpus \(corpus) needs \(path) from Debian package \(package), which is not installed: run `apt-get install -y \(package)` (or `make setup`)"
        case let .packageVersion(package, installed, recorded, corpus):
            return "corpus \(corpus) was recorded with \(package) \(recorded) but \(installed) is installed: install \(package)=\(recorded), or re-record with `replicate datasets prepare \(corpus) --record` and review the manifest diff"
        case let .checksumMismatch(corpus, expected, actual, hint):
            return "corpus \(corpus): prepared output has sha256 \(actual.prefix(16))… but the manifest records \(expected.prefix(16))… (\(hint))"
        case let .tamperedCache(corpus, path, expected, actual):
            return "corpus \(corpus): cache file \(path) was modified or is corrupt (sha256 \(actual.prefix(16))…, manifest \(expected.prefix(16))…): delete it or run `replicate datasets prepare \(corpus) --force`"
        case let .unreadable(path):
            return "cannot read \(path)"
        case let .malformed(source, detail):
            return "\(source): malformed input: \(detail)"
        case let .unknownCorpus(name, known):
            return "unknown corpus \(name); known: \(known.joined(separator: ", "))"
        case let .noManifest(corpus, path):
            return "corpus \(corpus) has no manifest at \(path): run `replicate datasets prepare \(corpus) --record` to record one"
        case let .repositoryNotFound(from):
            return "cannot find the repository root (a folder with Package.swift and Datasets/) above \(from); set REPLICATE_ROOT"
        }
    }
}
