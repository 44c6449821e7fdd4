import Foundation

/// WordNet 3.0 database files (`data.noun`, `data.verb`, `data.adj`, `data.adv`; wndb(5WN)).
public enum WordNet {
    public struct Synset: Equatable, Sendable {
        public var file: String          // noun, verb, adj, adv
        public var offset: Int
        public var lexFile: Int
        public var words: [String]
        public var gloss: String
        public var lexFileName: String { WordNet.lexFileNames[lexFile] }
        /// First word, `_` as space, a trailing adjective marker such as `(a)`, `(p)`, `(ip)` removed.
        public var lemma: String {
            var w = words.first ?? ""
            if w.hasSuffix(")"), let open = w.lastIndex(of: "(") {
                let marker = w[w.index(after: open)..<w.index(before: w.endIndex)]
                if ["a", "p", "ip"].contains(marker) { w = String(w[..<open]) }
            }
            return w.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// The 45 lexicographer files of WordNet 3.0 (lexnames(5WN)), indexed by `lex_filenum`.
    public static let lexFileNames: [String] = [
        "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
        "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event",
        "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object",
        "noun.person", "noun.phenomenon", "noun.plant", "noun.possession", "noun.process",
        "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
        "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition",
        "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
        "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl",
    ]

    public static let files = ["noun", "verb", "adj", "adv"]

    /// Parse one data file; licence header lines (starting with two spaces) are skipped.
    public static func parse(_ text: String, file: String) throws -> [Synset] {
        var out: [Synset] = []
        var lineNo = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            lineNo += 1
            if line.hasPrefix("  ") { continue }
            let bar = line.firstIndex(of: "|")
            let head = bar.map { line[..<$0] } ?? line[...]
            let gloss = bar.map { line[line.index(after: $0)...].trimmingCharacters(in: .whitespaces) } ?? ""
            let f = head.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count >= 5, let offset = Int(f[0]), let lex = Int(f[1]), lex >= 0, lex < lexFileNames.count,
                  let wCount = Int(f[3], radix: 16), f.count >= 4 + 2 * wCount else {
                throw CorporaError.malformed(source: "data.\(file)", detail: "line \(lineNo) is not a synset line")
            }
            let words = (0..<wCount).map { String(f[4 + 2 * $0]) }
            out.append(Synset(file: file, offset: offset, lexFile: lex, words: words, gloss: gloss))
        }
        return out
    }

    public static func read(directory: URL) throws -> [Synset] {
        var all: [Synset] = []
        for f in files {
            let bytes = try readBytes(directory.appendingPathComponent("data.\(f)"))
            guard let text = TextBytes.validString(bytes) else {
                throw CorporaError.malformed(source: "data.\(f)", detail: "not UTF-8")
            }
            all += try parse(text, file: f)
        }
        return all
    }
}
