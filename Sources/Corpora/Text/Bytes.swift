import Foundation

/// Byte-level text helpers: the rules work on UTF-8 bytes (ASCII markup), never on locale-dependent APIs.
public enum TextBytes {
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C
    }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// Byte length of the whitespace character starting at `i` (0 if none): ASCII whitespace
    /// (space, \t \n \v \f \r, and the separators 0x1C-0x1F) and the Unicode white-space
    /// characters U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    @inline(__always) static func whitespaceLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let c = b[i]
        if c < 0x80 { return (c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) ? 1 : 0 }
        if c == 0xC2, i + 1 < b.count { return (b[i + 1] == 0x85 || b[i + 1] == 0xA0) ? 2 : 0 }
        if c == 0xE1, i + 2 < b.count { return (b[i + 1] == 0x9A && b[i + 2] == 0x80) ? 3 : 0 }
        if c == 0xE2, i + 2 < b.count {
            let c1 = b[i + 1], c2 = b[i + 2]
            if c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF) { return 3 }
            if c1 == 0x81 && c2 == 0x9F { return 3 }
            return 0
        }
        if c == 0xE3, i + 2 < b.count { return (b[i + 1] == 0x80 && b[i + 2] == 0x80) ? 3 : 0 }
        return 0
    }

    /// Collapse every run of white space (ASCII and Unicode, including newlines) to one space and trim.
    public static func collapseWhitespace(_ b: [UInt8]) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(b.count)
        b.withUnsafeBufferPointer { p in
            var pendingSpace = false
            var i = 0
            while i < p.count {
                let w = whitespaceLength(p, i)
                if w > 0 { pendingSpace = !out.isEmpty; i += w; continue }
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(p[i]); i += 1
            }
        }
        return out
    }

    public static func collapseWhitespace(_ s: String) -> String {
        string(collapseWhitespace(Array(s.utf8)))
    }

    /// Remove the given half-open byte ranges (sorted or not, possibly overlapping).
    public static func removing(_ ranges: [Range<Int>], from b: [UInt8]) -> [UInt8] {
        if ranges.isEmpty { return b }
        var drop = [Bool](repeating: false, count: b.count)
        for r in ranges { for i in r where i < b.count { drop[i] = true } }
        var out = [UInt8](); out.reserveCapacity(b.count)
        for i in 0..<b.count where !drop[i] { out.append(b[i]) }
        return out
    }

    /// Bytes known to be UTF-8 (built from a String by removing ASCII-delimited ranges) as a String.
    public static func string(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    /// Bytes as a String only if they are valid UTF-8.
    public static func validString<C: Collection>(_ b: C) -> String? where C.Element == UInt8 {
        if #available(macOS 15, *) { return String(validating: b, as: UTF8.self) }
        return String(data: Data(b), encoding: .utf8)
    }

    /// Lines of a byte buffer (split on `\n`, the newline not included).
    public static func lines(_ b: [UInt8]) -> [ArraySlice<UInt8>] {
        b.split(separator: 0x0A, omittingEmptySubsequences: false)
    }

    /// Ranges of bracket groups `[...]` that contain no nested `[`, found left to right.
    public static func bracketGroups(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var open: Int? = nil
        for i in 0..<b.count {
            if b[i] == UInt8(ascii: "[") { open = i }
            else if b[i] == UInt8(ascii: "]"), let o = open { out.append(o..<(i + 1)); open = nil }
        }
        return out
    }

    public static func contains(_ hay: ArraySlice<UInt8>, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        if n.isEmpty || hay.count < n.count { return n.isEmpty }
        var i = hay.startIndex
        while i + n.count <= hay.endIndex {
            if hay[i] == n[0] && hay[i..<(i + n.count)].elementsEqual(n) { return true }
            i += 1
        }
        return false
    }
}
