import Testing
import Foundation
@testable import Corpora

@Suite struct StoreTests {
    @Test func prepareIsIdempotentAndDetectsTampering() throws {
        let (store, _) = try Samples.store()
        #expect(try store.prepare("GCIDE-M", record: true) == .recorded(changed: true))
        #expect(try store.prepare("GCIDE-M") == .upToDate)
        #expect(try store.prepare("gcide-m") == .upToDate)            // names are case-insensitive
        let url = store.cacheURL(try store.recipe("GCIDE-M"))
        // Tamper with one byte of the cache: loading is a clear error, preparing rebuilds.
        var bytes = try readBytes(url)
        bytes[bytes.count / 2] ^= 0x20
        try Data(bytes).write(to: url)
        let fresh = DatasetStore(manifests: store.manifests, cache: store.cache, debian: store.debian, recipes: store.recipes)
        #expect(throws: CorporaError.self) { try fresh.corpus("GCIDE-M") }
        do { _ = try fresh.corpus("GCIDE-M") } catch let e as CorporaError {
            guard case .tamperedCache = e else { Issue.record("wrong error \(e)"); return }
            #expect(e.description.contains("was modified"))
        }
        #expect(try { if case .tampered = try fresh.cacheState("GCIDE-M") { return true }; return false }())
        if case .rebuiltAfterTampering = try fresh.prepare("GCIDE-M") {} else { Issue.record("tampering not reported") }
        #expect(try fresh.cacheState("GCIDE-M") == .valid)
        #expect(try fresh.corpus("GCIDE-M").documents.count == 2)
    }

    @Test func corpusPreparesOnFirstUse() throws {
        let (store, _) = try Samples.store()
        try store.prepare("JARGON", record: true)
        try FileManager.default.removeItem(at: store.cacheURL(try store.recipe("JARGON")))
        #expect(try store.corpus("JARGON").documents.count == 2)
        #expect(try store.cacheState("JARGON") == .valid)
    }

    @Test func checksumMismatchIsAnError() throws {
        let (store, _) = try Samples.store()
        try store.prepare("FORTUNES", record: true)
        var m = try store.manifest("FORTUNES")
        m.sha256 = String(repeating: "0", count: 64)
        try m.write(store.manifestURL(try store.recipe("FORTUNES")))
        do { try store.prepare("FORTUNES", force: true); Issue.record("no error") } catch let e as CorporaError {
            guard case .checksumMismatch = e else { Issue.record("wrong error \(e)"); return }
            #expect(e.description.contains("manifest records 0000000000000000"))
        }
    }

    @Test func missingPackageNamesTheInstallCommand() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("corpora-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let store = DatasetStore(manifests: tmp, cache: tmp, debian: DebianFiles(root: tmp), recipes: Recipe.realText)
        do { try store.prepare("GCIDE-U", record: true); Issue.record("no error") } catch let e as CorporaError {
            #expect(e == .missingPackage(package: "dict-gcide", path: "/usr/share/dictd/gcide.dict.dz", corpus: "GCIDE-U"))
            #expect(e.description.contains("apt-get install -y dict-gcide"))
            #expect(!e.description.contains("\n"))
        }
    }

    @Test func packageVersionIsChecked() throws {
        let (store, _) = try Samples.store()
        try store.prepare("JARGON", record: true)
        #expect(Samples.debian.installedVersion("dict-jargon") == "4.4.7-3.1")
        var m = try store.manifest("JARGON")
        m.packages[0].version = "9.9"
        try m.write(store.manifestURL(try store.recipe("JARGON")))
        #expect(throws: CorporaError.packageVersion(package: "dict-jargon", installed: "4.4.7-3.1", recorded: "9.9", corpus: "JARGON")) {
            try store.prepare("JARGON", force: true)
        }
    }

    @Test func unknownCorpus() throws {
        let (store, _) = try Samples.store()
        #expect(throws: CorporaError.self) { try store.prepare("NOPE") }
    }

    @Test func corpusFileRoundTrip() throws {
        var docs = [Document(text: "a\tb\nc", ordinal: 0, source: "x", labels: ["l1", "l2"], definitionQuestion: "Q: a means? A: b"),
                    Document(text: "", ordinal: 1, source: "y", labels: [], split: .validation),
                    Document(text: "ünïcödé", ordinal: 2, source: "operating system", labels: ["z"], split: .heldOut)]
        docs[0].split = .train
        let c = Corpus(name: "T", documents: docs)
        let back = try CorpusFile.decode(CorpusFile.encode(c))
        #expect(back.documents == docs && back.name == "T")
        var bad = CorpusFile.encode(c); bad.removeLast(3)
        #expect(throws: CorporaError.self) { try CorpusFile.decode(bad) }
    }

    /// On a machine with the Debian packages, the repository's manifests must match what this
    /// code prepares (GCIDE-M and JARGON: the quick ones; `replicate datasets prepare` does all).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/dictd/gcide.dict.dz")
                   && FileManager.default.fileExists(atPath: "/usr/share/dictd/jargon.dict.dz")))
    func realPackagesMatchManifests() throws {
        let repo = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("corpora-real-\(UUID().uuidString)")
        let store = DatasetStore(manifests: repo.appendingPathComponent("Datasets"), cache: tmp)
        for name in ["GCIDE-M", "JARGON"] {
            #expect(try store.prepare(name) == .built)
            let c = try store.corpus(name)
            #expect(c.documents.count == (try store.manifest(name)).documents)
        }
        let m = try store.corpus("GCIDE-M")
        #expect(m.documents.count == 5174 && m.textBytes == 2_012_500)
        #expect(m.documents(in: .validation).count == 259)
        try? FileManager.default.removeItem(at: tmp)
    }
}
