import Foundation

/// The prepared-cache format of a real-text corpus ("corpora-v1"): a header line, then per
/// document one tab-separated header line
/// `split key ordinal source labels questionBytes textBytes` followed by the question bytes, the text
/// bytes and a newline. Length-prefixed, so texts may contain anything; byte-exact, so the
/// SHA-256 of the file is the corpus fingerprint.
public enum CorpusFile {
    public static let magic = "corpora-v1"

    public static func encode(_ corpus: Corpus) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(corpus.textBytes + corpus.documents.count * 48)
        out += Array("\(magic)\t\(corpus.name)\t\(corpus.documents.count)\n".utf8)
        for d in corpus.documents {
            precondition(!d.source.contains("\t") && !d.source.contains("\n") && !d.labels.contains { $0.contains(",") || $0.contains("\t") })
            let question = Array((d.definitionQuestion ?? "").utf8)
            let text = Array(d.text.utf8)
            let keyHex = String(d.key, radix: 16)
            let header = "\(d.split.code)\t\(keyHex)\t\(d.ordinal)\t\(d.source)\t\(d.labels.joined(separator: ","))\t\(d.definitionQuestion == nil ? "-" : String(question.count))\t\(text.count)\n"
            out += Array(header.utf8)
            out += question
            out += text
            out.append(0x0A)
        }
        return out
    }

    public static func decode(_ bytes: [UInt8], source: String = "corpus file") throws -> Corpus {
        var p = 0
        func line() throws -> Substring {
            guard let nl = bytes[p...].firstIndex(of: 0x0A) else { throw CorporaError.malformed(source: source, detail: "truncated at byte \(p)") }
            let s = TextBytes.string(Array(bytes[p..<nl]))
            p = nl + 1
            return s[...]
        }
        func take(_ n: Int) throws -> String {
            guard p + n <= bytes.count else { throw CorporaError.malformed(source: source, detail: "truncated at byte \(p)") }
            guard let s = TextBytes.validString(bytes[p..<(p + n)]) else { throw CorporaError.malformed(source: source, detail: "invalid UTF-8 at byte \(p)") }
            p += n
            return s
        }
        let head = try line().split(separator: "\t", omittingEmptySubsequences: false)
        guard head.count == 3, head[0] == magic, let count = Int(head[2]) else {
            throw CorporaError.malformed(source: source, detail: "not a \(magic) file")
        }
        var docs: [Document] = []
        docs.reserveCapacity(count)
        for _ in 0..<count {
            let f = try line().split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 7, let split = Split(code: f[0]), let key = UInt64(f[1], radix: 16), let ordinal = Int(f[2]),
                  let textLen = Int(f[6]) else {
                throw CorporaError.malformed(source: source, detail: "bad document header before byte \(p)")
            }
            let question: String? = f[5] == "-" ? nil : try take(Int(f[5]) ?? -1)
            let text = try take(textLen)
            guard p < bytes.count, bytes[p] == 0x0A else { throw CorporaError.malformed(source: source, detail: "missing record end at byte \(p)") }
            p += 1
            var d = Document(text: text, ordinal: ordinal, source: String(f[3]),
                             labels: f[4].isEmpty ? [] : f[4].split(separator: ",").map(String.init), split: split, definitionQuestion: question)
            guard d.key == key else { throw CorporaError.malformed(source: source, detail: "document \(ordinal): key does not match its text") }
            d.key = key
            docs.append(d)
        }
        guard p == bytes.count else { throw CorporaError.malformed(source: source, detail: "trailing bytes") }
        return Corpus(name: String(head[1]), documents: docs)
    }
}
