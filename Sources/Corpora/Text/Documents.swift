import Foundation

/// Which part of a corpus a document belongs to. Rule S1 gives `validation`, rule S2 `heldOut`.
public enum Split: String, Sendable, Codable, CaseIterable, Comparable {
    case train, validation, heldOut
    public static func < (a: Split, b: Split) -> Bool { a.order < b.order }
    var order: Int { self == .train ? 0 : (self == .validation ? 1 : 2) }
    var code: String { self == .train ? "T" : (self == .validation ? "V" : "H") }
    init?(code: Substring) {
        switch code { case "T": self = .train; case "V": self = .validation; case "H": self = .heldOut; default: return nil }
    }
}

/// One document of a real-text corpus.
public struct Document: Sendable, Equatable {
    /// Cleaned text (what a model reads).
    public var text: String
    /// Stable key: FNV-1a-64 of the UTF-8 bytes of `text`.
    public var key: UInt64
    /// Position in source order (byte offset order of the source files), ties in the key sort.
    public var ordinal: Int
    /// Source key used as metadata (GCIDE label, FOLDOC first category, fortune file, lexfile, …).
    public var source: String
    /// Every domain label / category the document carries (never left in `text` where it is metadata).
    public var labels: [String]
    public var split: Split
    /// GCIDE only: the entry as a question ("Q: <headword> means? A: …"), if it has one.
    public var definitionQuestion: String?

    public init(text: String, ordinal: Int, source: String, labels: [String] = [], split: Split = .train, definitionQuestion: String? = nil) {
        self.text = text
        self.key = FNV1a.hash(text)
        self.ordinal = ordinal
        self.source = source
        self.labels = labels
        self.split = split
        self.definitionQuestion = definitionQuestion
    }
}

/// The split rules, as pure functions of the document keys (never of reading order).
public enum SplitRule: String, Sendable, Codable {
    /// Sorted hash with a minimum: the first max(⌈0.05·n⌉, 200) documents in key order (never more
    /// than half) are `validation`.
    case s1 = "S1"
    /// Hash threshold: `key mod 10000 < 500` is `heldOut` (5% of every source in expectation).
    case s2 = "S2"

    public var summary: String {
        switch self {
        case .s1: return "S1: sort by FNV-1a-64 key (ties by source order); the first max(ceil(0.05 n), 200) documents (at most n/2) are validation, the rest train"
        case .s2: return "S2: a document is held out iff FNV-1a-64 key mod 10000 < 500, else train"
        }
    }

    public static func s1ValidationCount(_ n: Int) -> Int {
        min(max((n * 5 + 99) / 100, 200), n / 2)
    }

    /// Assign splits in place. Documents keep their order.
    public func apply(_ docs: inout [Document]) {
        switch self {
        case .s2:
            for i in docs.indices { docs[i].split = docs[i].key % 10_000 < 500 ? .heldOut : .train }
        case .s1:
            let order = docs.indices.sorted { (docs[$0].key, docs[$0].ordinal) < (docs[$1].key, docs[$1].ordinal) }
            let v = SplitRule.s1ValidationCount(docs.count)
            for (rank, i) in order.enumerated() { docs[i].split = rank < v ? .validation : .train }
        }
    }
}

/// Documents with identical cleaned text are kept once, the first in source order.
public func deduplicateTexts(_ docs: [Document]) -> [Document] {
    var seen = Set<String>()
    var out: [Document] = []
    out.reserveCapacity(docs.count)
    for d in docs.sorted(by: { $0.ordinal < $1.ordinal }) where seen.insert(d.text).inserted { out.append(d) }
    return out
}

/// A prepared real-text corpus.
public struct Corpus: Sendable {
    public var name: String
    /// All documents in source order.
    public var documents: [Document]

    public init(name: String, documents: [Document]) {
        self.name = name
        self.documents = documents
    }

    public func documents(in split: Split) -> [Document] { documents.filter { $0.split == split } }
    public var train: [Document] { documents(in: .train) }
    /// Evaluation documents in key order (ties by source order): `validation` (S1) or `heldOut` (S2).
    public var evaluation: [Document] {
        documents.filter { $0.split != .train }.sorted { ($0.key, $0.ordinal) < ($1.key, $1.ordinal) }
    }
    public var textBytes: Int { documents.reduce(0) { $0 + $1.text.utf8.count } }

    /// Documents per source key (sorted by key).
    public var sourceCounts: [(String, Int)] {
        Dictionary(grouping: documents, by: \.source).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
    }

    /// Documents carrying each label at least once.
    public var labelCounts: [String: Int] {
        var c: [String: Int] = [:]
        for d in documents { for l in Set(d.labels) { c[l, default: 0] += 1 } }
        return c
    }

    /// Quiz lines (GCIDE) of the documents of one split, in key order (ties by source order):
    /// training streams use `.train`, evaluation items `.validation`.
    public func definitionQuestions(_ split: Split) -> [String] {
        documents.filter { $0.split == split && $0.definitionQuestion != nil }
            .sorted { ($0.key, $0.ordinal) < ($1.key, $1.ordinal) }.map { $0.definitionQuestion! }
    }

    /// Source keys with fewer than `minimum` documents replaced by `other` (fortunes: `misc-small`).
    public func mergingSmallSources(minimum: Int = 30, into other: String = "misc-small") -> Corpus {
        var counts: [String: Int] = [:]
        for d in documents { counts[d.source, default: 0] += 1 }
        var c = self
        for i in c.documents.indices where counts[c.documents[i].source, default: 0] < minimum { c.documents[i].source = other }
        return c
    }
}
