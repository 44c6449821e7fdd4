import Foundation

/// A corpus manifest (`Datasets/<name>.json`): the recipe in words plus what preparing it measured.
public struct Manifest: Codable, Equatable, Sendable {
    public var name: String
    public var kind: Recipe.Kind
    public var summary: String
    /// Debian packages with the versions the recipe was recorded on (empty for synthetic corpora).
    public var packages: [PackageRequirement]
    /// Synthetic corpora: the generator and its parameters.
    public var generator: String?
    public var parameters: [String: String]?
    public var rules: [String]
    public var split: String
    public var format: String
    /// Measured on the recording machine.
    public var documents: Int
    public var textBytes: Int
    public var fileBytes: Int
    public var splitCounts: [String: Int]
    public var labelCounts: [String: Int]
    public var notes: [String: String]
    /// SHA-256 of the prepared cache file.
    public var sha256: String

    public static func load(_ url: URL) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw CorporaError.unreadable(url.path) }
        do { return try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw CorporaError.malformed(source: url.path, detail: "\(error)")
        }
    }

    public func write(_ url: URL) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try enc.encode(self)
        data.append(0x0A)
        try data.write(to: url, options: .atomic)
    }
}
