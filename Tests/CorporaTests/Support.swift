import Foundation
@testable import Corpora

enum Samples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples")
    static var debian: DebianFiles { DebianFiles(root: root) }

    /// A store over the samples with fresh temporary manifest and cache folders.
    static func store(recipes: [Recipe] = Recipe.realText) throws -> (DatasetStore, URL) {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("corpora-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let s = DatasetStore(manifests: tmp.appendingPathComponent("Datasets"), cache: tmp.appendingPathComponent("cache"),
                             debian: debian, recipes: recipes)
        return (s, tmp)
    }

    static func gcideEntries() throws -> [SourceReader.GCIDEEntry] { try SourceReader(files: debian).gcideEntries() }
}

func text(_ e: SourceReader.GCIDEEntry) -> String { e.raw }
