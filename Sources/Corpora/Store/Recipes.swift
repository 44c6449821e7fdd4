import LMCore
import Foundation

/// Where the Debian files live (the root is `/` on a real machine; tests point it at samples).
public struct DebianFiles: Sendable {
    public var root: URL
    public init(root: URL = URL(fileURLWithPath: "/")) { self.root = root }
    public var dictd: URL { root.appendingPathComponent("usr/share/dictd") }
    public var fortunes: URL { root.appendingPathComponent("usr/share/games/fortunes") }
    public var wordnet: URL { root.appendingPathComponent("usr/share/wordnet") }
    public var dpkgStatus: URL { root.appendingPathComponent("var/lib/dpkg/status") }

    /// Installed version of a package from the dpkg status file (nil if unknown).
    public func installedVersion(_ package: String) -> String? {
        guard let data = FileManager.default.contents(atPath: dpkgStatus.path),
              let text = String(data: data, encoding: .utf8) else { return nil }
        for stanza in text.components(separatedBy: "\n\n") {
            var name: String?, version: String?, installed = false
            for line in stanza.split(separator: "\n") {
                if line.hasPrefix("Package: ") { name = String(line.dropFirst(9)) }
                else if line.hasPrefix("Version: ") { version = String(line.dropFirst(9)) }
                else if line.hasPrefix("Status: ") { installed = line.hasSuffix(" installed") }
            }
            if name == package && installed { return version }
        }
        return nil
    }
}

/// A Debian package a recipe reads, with the version the recipe was measured on and one file
/// whose presence shows the package is installed.
public struct PackageRequirement: Sendable, Codable, Equatable {
    public var package: String
    public var version: String
    public var probe: String   // path relative to the Debian root
}

/// Parsed sources, read once per preparation session and shared by the recipes that need them.
public final class SourceReader: @unchecked Sendable {
    public let files: DebianFiles
    private var gcide: [GCIDEEntry]?
    private var foldoc: [Dictd.Entry]?
    private let lock = NSLock()
    public private(set) var notes: [String: String] = [:]

    public init(files: DebianFiles) { self.files = files }

    public struct GCIDEEntry: Sendable {
        public var ordinal: Int
        public var raw: String
        public var bytes: [UInt8]
        public var labels: [GCIDE.LabelOccurrence]
        public var labelSet: Set<String> { Set(labels.map(\.label)) }
    }

    public func gcideEntries() throws -> [GCIDEEntry] {
        lock.lock(); defer { lock.unlock() }
        if let g = gcide { return g }
        let (entries, invalid) = try Dictd.read(directory: files.dictd, name: "gcide")
        notes["gcide"] = "\(entries.count) valid UTF-8 entries, \(invalid) invalid spans dropped"
        let g = entries.enumerated().map { i, e -> GCIDEEntry in
            let b = Array(e.text.utf8)
            return GCIDEEntry(ordinal: i, raw: e.text, bytes: b, labels: GCIDE.labelOccurrences(b))
        }
        gcide = g
        return g
    }

    public func foldocEntries() throws -> [Dictd.Entry] {
        lock.lock(); defer { lock.unlock() }
        if let f = foldoc { return f }
        let f = try Dictd.read(directory: files.dictd, name: "foldoc").entries
        foldoc = f
        return f
    }
}

/// A named corpus: how it is made from its sources. The manifest in `Datasets/` records the
/// measured result (documents, sizes, labels, checksum).
public struct Recipe: Sendable {
    public enum Kind: String, Sendable, Codable { case debian, synthetic }
    public var name: String
    public var kind: Kind
    public var summary: String
    public var packages: [PackageRequirement]
    public var rules: [String]
    public var split: String
    /// Synthetic corpora: generator name and parameters (for the manifest).
    public var generator: String? = nil
    public var parameters: [String: String]? = nil
    /// Builds the prepared bytes (canonical serialisation) and the statistics for the manifest.
    let build: @Sendable (SourceReader) throws -> PreparedOutput

    /// File name of the prepared output in the cache folder.
    public var cacheFileName: String { name.lowercased() + ".corpus" }
}

/// The result of a build: the bytes that are cached and checksummed, and what the manifest lists.
public struct PreparedOutput: Sendable {
    public var bytes: [UInt8]
    public var documents: Int
    public var textBytes: Int
    public var splitCounts: [String: Int]
    public var labelCounts: [String: Int]
    public var notes: [String: String]
}

enum Packages {
    static let gcide = PackageRequirement(package: "dict-gcide", version: "0.48.5+nmu2", probe: "usr/share/dictd/gcide.dict.dz")
    static let foldoc = PackageRequirement(package: "dict-foldoc", version: "20230119-1", probe: "usr/share/dictd/foldoc.dict.dz")
    static let jargon = PackageRequirement(package: "dict-jargon", version: "4.4.7-3.1", probe: "usr/share/dictd/jargon.dict.dz")
    static let fortunes = PackageRequirement(package: "fortunes", version: "1:1.99.1-7.3", probe: "usr/share/games/fortunes/computers")
    static let fortunesMin = PackageRequirement(package: "fortunes-min", version: "1:1.99.1-7.3", probe: "usr/share/games/fortunes/riddles")
    static let wordnet = PackageRequirement(package: "wordnet-base", version: "1:3.0-37", probe: "usr/share/wordnet/data.noun")
}

extension Recipe {
    static func real(_ name: String, summary: String, packages: [PackageRequirement], rules: [String],
                     split: SplitRule, documents: @escaping @Sendable (SourceReader) throws -> [Document]) -> Recipe {
        Recipe(name: name, kind: .debian, summary: summary, packages: packages, rules: rules,
               split: split.summary) { reader in
            let raw = try documents(reader)
            var docs = deduplicateTexts(raw)
            split.apply(&docs)
            let corpus = Corpus(name: name, documents: docs)
            var splits: [String: Int] = [:]
            for d in docs { splits[d.split.rawValue, default: 0] += 1 }
            var notes: [String: String] = [:]
            if name.hasPrefix("GCIDE") { notes["gcide"] = reader.notes["gcide"] }
            notes["documentsBeforeDedup"] = "\(raw.count)"
            notes["sources"] = "\(Set(docs.map(\.source)).count) distinct source keys"
            notes["questionLines"] = docs.contains { $0.definitionQuestion != nil } ? "\(docs.filter { $0.definitionQuestion != nil }.count)" : nil
            return PreparedOutput(bytes: CorpusFile.encode(corpus), documents: docs.count, textBytes: corpus.textBytes,
                                  splitCounts: splits, labelCounts: corpus.labelCounts, notes: notes)
        }
    }

    static let gcideCommon = [
        "dictd entries: index lines whose headword starts with 00- dropped, distinct (offset, length) spans in offset order, spans that are not valid UTF-8 dropped",
        "labels: every match of \\(([A-Z][a-z]{1,12}\\.?)\\) in the raw entry; domain labels = the 28 most frequent (Zool. Bot. Chem. Med. Anat. Law Naut. Min. Biol. Mus. Arch. Physiol. Mil. Geol. Physics Math. Astron. Geom. Mach. Her. Mining Gram. Elec. Eccl. Paleon. Mech. Surg. Print.)",
        "cleanup: bracket groups without nested brackets naming Webster, WordNet, PJC, Century Dict or RDH, and [AS] [MW] [JC], removed; whitespace runs collapsed to one space; trimmed",
        "identical cleaned texts kept once (first in source order); key = FNV-1a-64 of the cleaned text",
    ]
    static let questionRule = "definition question per entry where the question rules give one (headword [A-Za-z][A-Za-z '-]{1,29}; first definition line at bracket depth <= 0 starting upper-case or with a sense number; cleaned, leading sense number and label removed; >= 20 characters, not Syn:): Q: <headword> means? A: <first 60 characters>"

    static func gcideDocs(_ reader: SourceReader, stripLabels: Bool, select: (SourceReader.GCIDEEntry) -> Bool) throws -> [Document] {
        try reader.gcideEntries().compactMap { e -> Document? in
            guard select(e) else { return nil }
            let present = e.labelSet.intersection(GCIDE.domainLabelSet.union(GCIDE.medicalLabels))
            let labels = present.sorted()
            let stripped = stripLabels ? e.labels.filter { present.contains($0.label) } : []
            return Document(text: GCIDE.clean(e.bytes, stripping: stripped), ordinal: e.ordinal,
                            source: labels.first ?? "general", labels: labels, definitionQuestion: GCIDE.definitionQuestion(e.raw))
        }
    }

    /// The real-text recipes, in the order `list` shows them.
    public static let realText: [Recipe] = [
        .real("GCIDE-U", summary: "general English: GCIDE entries with none of the 28 domain labels and no (Pathol.)",
              packages: [Packages.gcide],
              rules: gcideCommon + [questionRule, "select: no label among the 28 domain labels and no (Pathol.)"], split: .s1) { r in
            try gcideDocs(r, stripLabels: false) { $0.labelSet.isDisjoint(with: GCIDE.domainLabelSet.union(["Pathol."])) }
        },
        .real("GCIDE-M", summary: "medical: GCIDE entries with (Med.), (Anat.), (Physiol.), (Surg.) or (Pathol.)",
              packages: [Packages.gcide],
              rules: gcideCommon + [questionRule, "select: at least one of (Med.) (Anat.) (Physiol.) (Surg.) (Pathol.)", "labels stay in the text (labels field lists them)"], split: .s1) { r in
            try gcideDocs(r, stripLabels: false) { !$0.labelSet.isDisjoint(with: GCIDE.medicalLabels) }
        },
        .real("GCIDE-N", summary: "off-target specialist: GCIDE entries with (Bot.), (Zool.) or (Chem.) and no medical label",
              packages: [Packages.gcide],
              rules: gcideCommon + [questionRule, "select: at least one of (Bot.) (Zool.) (Chem.) and none of the medical labels", "labels stay in the text (labels field lists them)"], split: .s1) { r in
            try gcideDocs(r, stripLabels: false) {
                !$0.labelSet.isDisjoint(with: GCIDE.specialistLabels) && $0.labelSet.isDisjoint(with: GCIDE.medicalLabels)
            }
        },
        .real("GCIDE-1L", summary: "single-label GCIDE: exactly one label occurrence, among the 28; label stripped from the text; 80-600 characters",
              packages: [Packages.gcide],
              rules: gcideCommon + ["select: exactly one label occurrence in the raw entry and that label among the 28", "the label occurrence is deleted from the text before whitespace collapse (source = the label)", "keep 80-600 characters after cleanup"], split: .s2) { r in
            try r.gcideEntries().compactMap { e -> Document? in
                guard e.labels.count == 1, GCIDE.domainLabelSet.contains(e.labels[0].label) else { return nil }
                let text = GCIDE.clean(e.bytes, stripping: e.labels)
                let n = text.count
                guard n >= 80 && n <= 600 else { return nil }
                return Document(text: text, ordinal: e.ordinal, source: e.labels[0].label, labels: [e.labels[0].label])
            }
        },
        .real("FOLDOC-F", summary: "computing: every FOLDOC entry, cleaned, <category> groups and {braces} kept",
              packages: [Packages.foldoc],
              rules: foldocRules + ["all entries; the text keeps its <category> group; labels = categories, source = first category (or none)"], split: .s1) { r in
            try r.foldocEntries().enumerated().map { i, e in
                let cats = FOLDOC.categories(e.text)
                return Document(text: FOLDOC.clean(e.text), ordinal: i, source: cats?.items.first ?? "none", labels: cats?.items ?? [])
            }
        },
        .real("FOLDOC-CAT", summary: "FOLDOC entries with a category; source = first category; the category group deleted from the text",
              packages: [Packages.foldoc],
              rules: foldocRules + ["entries whose first body paragraph starts with a category group; that group is deleted from the text; source = first category"], split: .s2) { r in
            try r.foldocEntries().enumerated().compactMap { i, e in
                guard let cats = FOLDOC.categories(e.text) else { return nil }
                return Document(text: FOLDOC.clean(e.text, removing: cats.range), ordinal: i, source: cats.items[0], labels: cats.items)
            }
        },
        .real("JARGON", summary: "the Jargon File 4.4.7: every entry, whitespace collapsed",
              packages: [Packages.jargon],
              rules: ["dictd entries as for GCIDE", "whitespace runs collapsed; bracketed usage notes stay", "source = jargon"], split: .s2) { r in
            try Dictd.read(directory: r.files.dictd, name: "jargon").entries.enumerated().map { i, e in
                Document(text: TextBytes.collapseWhitespace(e.text), ordinal: i, source: "jargon", labels: ["jargon"])
            }
        },
        .real("FORTUNES", summary: "fortunes + fortunes-min: every fortune of every category file, source = file name",
              packages: [Packages.fortunes, Packages.fortunesMin],
              rules: ["category files of /usr/share/games/fortunes (no *.dat, *.u8), sorted by name", "items split on lines consisting of a single %, surrounding newlines trimmed, empty items dropped; text otherwise unchanged", "source = file name (merge files with < 30 fortunes into misc-small where per-source statistics need it)"], split: .s2) { r in
            var docs: [Document] = []
            for url in try FortuneFile.categoryFiles(in: r.files.fortunes) {
                let bytes = try readBytes(url)
                guard let text = TextBytes.validString(bytes) else {
                    throw CorporaError.malformed(source: url.path, detail: "not UTF-8")
                }
                let name = url.lastPathComponent
                for item in FortuneFile.parse(text) {
                    docs.append(Document(text: item, ordinal: docs.count, source: name, labels: [name]))
                }
            }
            return docs
        },
        .real("WORDNET", summary: "WordNet 3.0 glosses: documents of 4-6 `lemma: gloss` lines from one lexicographer file",
              packages: [Packages.wordnet],
              rules: ["data.noun, data.verb, data.adj, data.adv; licence header lines (two leading spaces) skipped", "synsets grouped by lexicographer file, ordered by (file noun/verb/adj/adv, offset)", "consecutive runs cut into documents of 4-6 synsets, size uniform in {4,5,6} from RandomStream(seed: 0, stream: \"data\").child(lexfile name); a shorter last run is kept", "a document = lines `lemma: gloss`, lemma = first word with _ as space and a trailing (a)/(p)/(ip) removed", "source = lexicographer file name"], split: .s2) { r in
            wordnetDocuments(try WordNet.read(directory: r.files.wordnet))
        },
    ]

    static let foldocRules = [
        "dictd entries: index lines whose headword starts with 00- dropped, distinct spans in offset order",
        "categories: the items of ^\\s*(?:\\d+\\.\\s*)?<([a-z][a-z0-9 ,/\\-]*)> at the start of the first paragraph after the first blank line",
        "cleanup: lines that (trimmed) start with [ and end with ] and lines that are only a revision date (YYYY-MM-DD) dropped; whitespace collapsed",
    ]

    public static func wordnetDocuments(_ synsets: [WordNet.Synset]) -> [Document] {
        let fileOrder = Dictionary(uniqueKeysWithValues: WordNet.files.enumerated().map { ($1, $0) })
        let groups = Dictionary(grouping: synsets, by: \.lexFile)
        var docs: [Document] = []
        for lex in groups.keys.sorted() {
            let name = WordNet.lexFileNames[lex]
            let items = groups[lex]!.sorted { (fileOrder[$0.file]!, $0.offset) < (fileOrder[$1.file]!, $1.offset) }
            var rng = RandomStream(seed: 0, stream: "data").child(name)
            var i = 0
            while i < items.count {
                let size = 4 + rng.int(below: 3)
                let chunk = items[i..<min(i + size, items.count)]
                let text = chunk.map { "\($0.lemma): \($0.gloss)" }.joined(separator: "\n")
                docs.append(Document(text: text, ordinal: docs.count, source: name, labels: [name]))
                i += size
            }
        }
        return docs
    }
}
