import Testing
import Foundation
@testable import Corpora

@Suite struct TextRuleTests {
    @Test func labelOccurrencesFollowTheRegex() {
        let s = "X \\x\\, n. (Zool.) (Law) (Physics) (A) (Abcdefghijklmn) (zool.) (Med.)."
        #expect(GCIDE.labelOccurrences(s).map(\.label) == ["Zool.", "Law", "Physics", "Med."])
    }

    @Test func cleanupDropsProvenanceKeepsUsage() {
        let raw = "Word \\Word\\, n. [AS. word.]\n   A thing. [Obs.]\n   [1913 Webster]\n   [WordNet 1.5 +PJC] [AS] [MW]\n   more"
        #expect(GCIDE.clean(raw) == "Word \\Word\\, n. [AS. word.] A thing. [Obs.] more")
    }

    @Test func whitespaceCollapseIncludesUnicodeSpaces() {
        #expect(TextBytes.collapseWhitespace("  a\u{A0}\u{A0} b\n\tc\u{2009}d\u{3000} ") == "a b c d")
    }

    @Test func labelsAreStrippedFromSingleLabelBodies() throws {
        let (store, _) = try Samples.store()
        try store.prepare("GCIDE-1L", record: true)
        let c = try store.corpus("GCIDE-1L")
        #expect(!c.documents.isEmpty)
        for d in c.documents {
            #expect(d.labels.count == 1 && d.source == d.labels[0])
            #expect(!d.text.contains("(\(d.source))"))
            #expect(GCIDE.labelOccurrences(d.text).isEmpty)
            #expect(!d.text.contains("Webster") && !d.text.contains("PJC"))
            #expect((80...600).contains(d.text.count))
        }
        // Marrowache carries two label occurrences and Lanternal none; the other five qualify.
        #expect(Set(c.documents.map(\.source)) == ["Chem.", "Naut.", "Bot.", "Med.", "Zool."])
    }

    @Test func namedGCIDESubsets() throws {
        let (store, _) = try Samples.store()
        for n in ["GCIDE-U", "GCIDE-M", "GCIDE-N"] { try store.prepare(n, record: true) }
        let u = try store.corpus("GCIDE-U"), m = try store.corpus("GCIDE-M"), n = try store.corpus("GCIDE-N")
        // Lanternal and its identical copy: kept once.
        #expect(u.documents.filter { $0.text.hasPrefix("Lanternal") }.count == 1)
        #expect(u.documents.allSatisfy { $0.labels.isEmpty })
        #expect(Set(m.documents.map { String($0.text.prefix(8)) }) == ["Achefold", "Marrowac"])
        #expect(Set(n.documents.map { String($0.text.prefix(8)) }) == ["Glimmerf", "Pebblewo", "Saltquil"])
        #expect(m.labelCounts["Med."] == 2 && m.labelCounts["Anat."] == 1)
    }

    @Test func quizLines() throws {
        let entries = try Samples.gcideEntries()
        func quiz(_ hw: String) -> String? { GCIDE.definitionQuestion(entries.first { $0.raw.hasPrefix(hw + " ") }!.raw) }
        #expect(quiz("Glimmerfin") == "Q: Glimmerfin means? A: A small invented fish whose fins shine faintly in shallow wa")
        // Etymology in brackets on the first line, label, then the definition.
        #expect(quiz("Achefold") == "Q: Achefold means? A: A made-up complaint of the joints, marked by stiffness in co")
        // Sense number removed.
        #expect(quiz("Tidewright") == "Q: Tidewright means? A: One who keeps the tables of the tides for a harbour; a tide ")
        #expect(GCIDE.questionHeadword("X \\x\\, n.") == nil)                 // too short
        #expect(GCIDE.questionHeadword("Well-being \\Well\"-be`ing\\, n.") == "Well-being")
        #expect(GCIDE.questionHeadword("C3PO \\c\\, n.") == nil)
        #expect(GCIDE.firstDefinition("W \\w\\, n.\n   Syn: a, b, c, d, e, f, g, h.") == nil)
    }

    @Test func foldocCategoriesAndCleanup() throws {
        let entries = try Dictd.read(directory: Samples.debian.dictd, name: "foldoc").entries
        #expect(entries.count == 3)
        let q = try #require(entries.first { $0.text.hasPrefix("quuxcode") })
        let cats = try #require(FOLDOC.categories(q.text))
        #expect(cats.items == ["language", "programming"])
        #expect(FOLDOC.clean(q.text) == "quuxcode <language, programming> An invented {programming language} used only in this sample to test the reader.")
        #expect(FOLDOC.clean(q.text, removing: cats.range) == "quuxcode An invented {programming language} used only in this sample to test the reader.")
        let z = try #require(entries.first { $0.text.hasPrefix("zapnet") })
        #expect(FOLDOC.categories(z.text)?.items == ["networking"])     // after a sense number
        #expect(!FOLDOC.clean(z.text).contains("[Details?]") && !FOLDOC.clean(z.text).contains("1999"))
        #expect(FOLDOC.categories(entries.first { $0.text.hasPrefix("Blorp") }!.text) == nil)
    }

    @Test func foldocAndOtherCorporaFromSamples() throws {
        let (store, _) = try Samples.store()
        for n in ["FOLDOC-F", "FOLDOC-CAT", "JARGON", "FORTUNES", "WORDNET"] { try store.prepare(n, record: true) }
        #expect(try store.corpus("FOLDOC-F").documents.count == 3)
        let cat = try store.corpus("FOLDOC-CAT")
        #expect(cat.documents.map(\.source).sorted() == ["language", "networking"])
        #expect(cat.documents.allSatisfy { !$0.text.contains("<") })
        let j = try store.corpus("JARGON")
        #expect(j.documents.map(\.text).contains("frobnitzle n. [invented] A made-up gadget that does nothing, slowly. Compare \u{201C}widget\u{201D}."))
        let f = try store.corpus("FORTUNES")
        #expect(f.documents.count == 5 && Set(f.documents.map(\.source)) == ["computers", "riddles"])
        #expect(f.mergingSmallSources(minimum: 3).documents.filter { $0.source == "misc-small" }.count == 2)
    }
}
