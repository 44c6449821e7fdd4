import Foundation

/// The dictd database format: a text index (`headword TAB offset TAB length`, base-64 numbers)
/// and a dictzip'ed dictionary whose decompressed bytes the offsets index.
public enum Dictd {
    public struct IndexLine: Equatable, Sendable {
        public var headword: String
        public var offset: Int
        public var length: Int
    }

    /// One dictionary entry: a distinct (offset, length) span with the headwords that point to it.
    public struct Entry: Equatable, Sendable {
        public var offset: Int
        public var length: Int
        public var headwords: [String]
        public var text: String
    }

    /// Value of one dictd base-64 number (alphabet A–Z a–z 0–9 + /, most significant digit first).
    public static func base64Value<S: StringProtocol>(_ s: S) -> Int? {
        var v = 0
        if s.isEmpty { return nil }
        for b in s.utf8 {
            let d: Int
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): d = Int(b) - 65
            case UInt8(ascii: "a")...UInt8(ascii: "z"): d = Int(b) - 97 + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = Int(b) - 48 + 52
            case UInt8(ascii: "+"): d = 62
            case UInt8(ascii: "/"): d = 63
            default: return nil
            }
            v = v * 64 + d
        }
        return v
    }

    public static func parseIndex(_ bytes: [UInt8], source: String = "index") throws -> [IndexLine] {
        guard let text = TextBytes.validString(bytes) else {
            throw CorporaError.malformed(source: source, detail: "index is not UTF-8")
        }
        var lines: [IndexLine] = []
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            lineNo += 1
            let fields = raw.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, let off = base64Value(fields[fields.count - 2]),
                  let len = base64Value(fields[fields.count - 1]) else {
                throw CorporaError.malformed(source: source, detail: "line \(lineNo) is not `headword TAB offset TAB length`")
            }
            lines.append(IndexLine(headword: fields[0..<(fields.count - 2)].joined(separator: "\t"), offset: off, length: len))
        }
        return lines
    }

    /// Entries of a database: metadata headwords (`00-…`) dropped, spans de-duplicated, in offset
    /// order; spans that are not valid UTF-8 are dropped and counted.
    public static func entries(index: [IndexLine], dictionary: [UInt8], source: String = "dict")
        throws -> (entries: [Entry], invalidUTF8: Int)
    {
        struct Span: Hashable { var offset: Int; var length: Int }
        var headwords: [Span: [String]] = [:]
        for line in index where !line.headword.hasPrefix("00-") {
            headwords[Span(offset: line.offset, length: line.length), default: []].append(line.headword)
        }
        let spans = headwords.keys.sorted { ($0.offset, $0.length) < ($1.offset, $1.length) }
        var out: [Entry] = []
        out.reserveCapacity(spans.count)
        var invalid = 0
        for s in spans {
            guard s.offset >= 0, s.length >= 0, s.offset + s.length <= dictionary.count else {
                throw CorporaError.malformed(source: source, detail: "span \(s.offset)+\(s.length) lies outside the \(dictionary.count)-byte dictionary")
            }
            guard let text = TextBytes.validString(dictionary[s.offset..<(s.offset + s.length)]) else {
                invalid += 1; continue
            }
            out.append(Entry(offset: s.offset, length: s.length, headwords: headwords[s]!, text: text))
        }
        return (out, invalid)
    }

    /// Read `<name>.index` and `<name>.dict.dz` (or an uncompressed `<name>.dict`) from a folder.
    public static func read(directory: URL, name: String) throws -> (entries: [Entry], invalidUTF8: Int) {
        let index = try parseIndex(try readBytes(directory.appendingPathComponent("\(name).index")), source: "\(name).index")
        let dz = directory.appendingPathComponent("\(name).dict.dz")
        let dict: [UInt8]
        if FileManager.default.fileExists(atPath: dz.path) {
            dict = try Gzip.decompress(contentsOf: dz)
        } else {
            dict = try readBytes(directory.appendingPathComponent("\(name).dict"))
        }
        return try entries(index: index, dictionary: dict, source: "\(name).dict")
    }
}
