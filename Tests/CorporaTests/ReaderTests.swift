import Testing
import Foundation
@testable import Corpora
import LMCore

@Suite struct ReaderTests {
    @Test func dictdBase64() {
        #expect(Dictd.base64Value("5I") == 3656)
        #expect(Dictd.base64Value("Fz") == 371)
        #expect(Dictd.base64Value("A") == 0)
        #expect(Dictd.base64Value("/") == 63)
        #expect(Dictd.base64Value("B+") == 126)
        #expect(Dictd.base64Value("*") == nil)
    }

    @Test func gzipInflatesSampleAndRejectsGarbage() throws {
        let bytes = try Gzip.decompress(contentsOf: Samples.root.appendingPathComponent("usr/share/dictd/jargon.dict.dz"))
        let s = String(decoding: bytes, as: UTF8.self)
        #expect(s.hasPrefix("Sample lexicon\n"))
        #expect(s.contains("frobnitzle"))
        #expect(throws: (any Error).self) { try Gzip.decompress([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]) }
    }

    @Test func dictdEntriesAreDistinctSpansInOffsetOrder() throws {
        let (entries, invalid) = try Dictd.read(directory: Samples.debian.dictd, name: "gcide")
        #expect(invalid == 1)                                   // Brokenbyte
        #expect(!entries.contains { $0.headwords.contains { $0.hasPrefix("00-") } })
        #expect(entries.map(\.offset) == entries.map(\.offset).sorted())
        #expect(Set(entries.map { "\($0.offset)+\($0.length)" }).count == entries.count)
        let pebble = try #require(entries.first { $0.headwords.contains("Pebblewort") })
        #expect(Set(pebble.headwords) == ["Pebblewort", "Pebble wort"])
        #expect(entries.count == 8)
        #expect(entries[0].text.hasPrefix("Glimmerfin \\Glim"))
    }

    @Test func dictdIndexErrorsAreClear() {
        #expect(throws: CorporaError.self) { try Dictd.parseIndex(Array("word\tA\n".utf8)) }
    }

    @Test func fortunesSplitOnPercentLines() throws {
        let files = try FortuneFile.categoryFiles(in: Samples.debian.fortunes).map(\.lastPathComponent)
        #expect(files == ["computers", "riddles"])             // *.dat and *.u8 ignored
        let text = try String(contentsOf: Samples.debian.fortunes.appendingPathComponent("computers"), encoding: .utf8)
        let items = FortuneFile.parse(text)
        #expect(items.count == 3)                               // the empty item is dropped
        #expect(items[2] == "There are two kinds of disks: those that failed\nand those that will.")
        #expect(FortuneFile.parse("a\n%\n\n%\nb") == ["a", "b"])
    }

    @Test func wordnetSynsetsAndLemmas() throws {
        let synsets = try WordNet.read(directory: Samples.debian.wordnet)
        #expect(synsets.count == 10)                            // header lines skipped
        let beetle = try #require(synsets.first { $0.offset == 2137 })
        #expect(beetle.words == ["pebble_beetle", "stone_beetle"])
        #expect(beetle.lemma == "pebble beetle")
        #expect(beetle.lexFileName == "noun.animal")
        #expect(beetle.gloss == "an invented beetle that lives under pebbles")
        #expect(synsets.first { $0.words == ["glimmery(a)"] }?.lemma == "glimmery")
        #expect(synsets.first { $0.words == ["dim(p)"] }?.lemma == "dim")
        #expect(WordNet.lexFileNames.count == 45 && WordNet.lexFileNames[44] == "adj.ppl")
        #expect(throws: CorporaError.self) { try WordNet.parse("00001740 05 n 03 one 0 000 | short", file: "noun") }
    }

    @Test func wordnetDocumentsGroupByLexfile() throws {
        let docs = Recipe.wordnetDocuments(try WordNet.read(directory: Samples.debian.wordnet))
        // noun.animal has 5 synsets: one document of 4-6 (or 4 + 1), all from one lexfile.
        let animal = docs.filter { $0.source == "noun.animal" }
        #expect(animal.map { $0.text.split(separator: "\n").count }.reduce(0, +) == 5)
        #expect(animal[0].text.hasPrefix("glimmerfin: an invented fish with shining fins\npebble beetle: "))
        #expect(Set(docs.map(\.source)) == ["adj.all", "adv.all", "noun.animal", "noun.artifact", "verb.body"])
        #expect(Recipe.wordnetDocuments(try WordNet.read(directory: Samples.debian.wordnet)) == docs)
    }

    @Test func hashes() {
        #expect(FNV1a.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var s = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { s.update(chunk) }
        #expect(s.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Split updates give the same digest as one update.
        var t = SHA256(); t.update(Array("ab".utf8)); t.update(Array("c".utf8))
        #expect(t.finalize() == SHA256.hex(Array("abc".utf8)))
    }
}
