import Foundation

/// GCIDE rules: subject labels ("domain tags"), provenance cleanup, the named subsets, definition questions.
public enum GCIDE {
    /// The 28 most frequent subject labels, used as domains (most frequent first).
    public static let domainLabels: [String] = [
        "Zool.", "Bot.", "Chem.", "Med.", "Anat.", "Law", "Naut.", "Min.", "Biol.", "Mus.", "Arch.",
        "Physiol.", "Mil.", "Geol.", "Physics", "Math.", "Astron.", "Geom.", "Mach.", "Her.", "Mining",
        "Gram.", "Elec.", "Eccl.", "Paleon.", "Mech.", "Surg.", "Print.",
    ]
    public static let domainLabelSet = Set(domainLabels)
    /// The medical group (GCIDE-M).
    public static let medicalLabels: Set<String> = ["Med.", "Anat.", "Physiol.", "Surg.", "Pathol."]
    /// The off-target specialist group (GCIDE-N), used only when no medical label is present.
    public static let specialistLabels: Set<String> = ["Bot.", "Zool.", "Chem."]

    public struct LabelOccurrence: Equatable, Sendable {
        public var range: Range<Int>   // byte range of `(Tag)` including the parentheses
        public var label: String       // the tag without parentheses, e.g. "Zool."
    }

    /// Every match of `\(([A-Z][a-z]{1,12}\.?)\)`, left to right, non-overlapping.
    public static func labelOccurrences(_ b: [UInt8]) -> [LabelOccurrence] {
        var out: [LabelOccurrence] = []
        var i = 0
        let n = b.count
        while i < n {
            guard b[i] == UInt8(ascii: "("), i + 1 < n, TextBytes.isUpper(b[i + 1]) else { i += 1; continue }
            var j = i + 2
            while j < n && TextBytes.isLower(b[j]) { j += 1 }
            let lowers = j - (i + 2)
            guard lowers >= 1 && lowers <= 12 else { i += 1; continue }
            if j < n && b[j] == UInt8(ascii: ".") { j += 1 }
            guard j < n && b[j] == UInt8(ascii: ")") else { i += 1; continue }
            out.append(LabelOccurrence(range: i..<(j + 1), label: TextBytes.string(Array(b[(i + 1)..<j]))))
            i = j + 1
        }
        return out
    }

    public static func labelOccurrences(_ s: String) -> [LabelOccurrence] { labelOccurrences(Array(s.utf8)) }

    /// Byte ranges of provenance groups: bracket groups (no nested brackets) naming Webster,
    /// WordNet, PJC, Century Dict or RDH, and the exact groups [AS], [MW], [JC].
    public static func provenanceGroups(_ b: [UInt8]) -> [Range<Int>] {
        TextBytes.bracketGroups(b).filter { isProvenance(b[$0]) }
    }

    static let provenanceWords = ["Webster", "WordNet", "PJC", "Century Dict", "RDH"]
    static let provenanceExact: Set<String> = ["[AS]", "[MW]", "[JC]"]

    static func isProvenance(_ group: ArraySlice<UInt8>) -> Bool {
        if provenanceExact.contains(TextBytes.string(Array(group))) { return true }
        return provenanceWords.contains { TextBytes.contains(group, $0) }
    }

    /// Cleanup rules 1–3: provenance groups removed, optionally the given label occurrences
    /// deleted, whitespace collapsed.
    public static func clean(_ b: [UInt8], stripping labels: [LabelOccurrence] = []) -> String {
        let ranges = provenanceGroups(b) + labels.map(\.range)
        return TextBytes.string(TextBytes.collapseWhitespace(TextBytes.removing(ranges, from: b)))
    }

    public static func clean(_ s: String, stripLabels: Bool = false) -> String {
        let b = Array(s.utf8)
        return clean(b, stripping: stripLabels ? labelOccurrences(b) : [])
    }

    // MARK: definition questions

    /// The headword of a raw entry as a definition question needs it, or nil if it does not qualify.
    public static func questionHeadword(_ raw: String) -> String? {
        let first = raw.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let hw: Substring
        if let r = first.range(of: " \\") { hw = first[..<r.lowerBound] }
        else if let c = first.firstIndex(of: ",") { hw = first[..<c] }
        else { hw = first[...] }
        let b = Array(hw.utf8)
        guard b.count >= 2, b.count <= 30, TextBytes.isUpper(b[0]) || TextBytes.isLower(b[0]) else { return nil }
        for c in b.dropFirst() {
            guard TextBytes.isUpper(c) || TextBytes.isLower(c) || c == 0x20 || c == UInt8(ascii: "'") || c == UInt8(ascii: "-") else { return nil }
        }
        return String(hw)
    }

    /// The cleaned first definition of a raw entry (question rules 2–3), or nil.
    public static func firstDefinition(_ raw: String) -> String? {
        let lines = TextBytes.lines(Array(raw.utf8))
        guard lines.count >= 2 else { return nil }
        func depthDelta(_ l: ArraySlice<UInt8>) -> Int {
            l.reduce(0) { $0 + ($1 == UInt8(ascii: "[") ? 1 : ($1 == UInt8(ascii: "]") ? -1 : 0)) }
        }
        var depth = depthDelta(lines[0])
        var start: Int? = nil
        for i in 1..<lines.count {
            let l = lines[i]
            let body = l.drop { TextBytes.isSpace($0) }
            if depth <= 0, let c = body.first {
                var startsSense = false
                if TextBytes.isDigit(c) {
                    let rest = body.drop { TextBytes.isDigit($0) }
                    startsSense = rest.count >= 2 && rest[rest.startIndex] == UInt8(ascii: ".") && rest[rest.startIndex + 1] == 0x20
                }
                let trimmed = Array(body.reversed().drop { TextBytes.isSpace($0) }.reversed())
                let isGroup = trimmed.first == UInt8(ascii: "[") && trimmed.last == UInt8(ascii: "]")
                    && isProvenance(trimmed[...])
                if (TextBytes.isUpper(c) || startsSense) && !isGroup { start = i; break }
            }
            depth += depthDelta(l)
        }
        guard let s = start else { return nil }
        let tail = Array(lines[s...].joined(separator: [0x0A]))
        var text = Array(clean(tail).utf8)
        // A leading sense number `\d+\.\s*`.
        var k = 0
        while k < text.count && TextBytes.isDigit(text[k]) { k += 1 }
        if k > 0 && k < text.count && text[k] == UInt8(ascii: ".") {
            k += 1
            while k < text.count && TextBytes.isSpace(text[k]) { k += 1 }
            text.removeFirst(k)
        }
        // A leading label `\([A-Z][a-z]+\.?\)\s*`.
        if text.first == UInt8(ascii: "("), text.count > 2, TextBytes.isUpper(text[1]) {
            var j = 2
            while j < text.count && TextBytes.isLower(text[j]) { j += 1 }
            if j > 2 {
                if j < text.count && text[j] == UInt8(ascii: ".") { j += 1 }
                if j < text.count && text[j] == UInt8(ascii: ")") {
                    j += 1
                    while j < text.count && TextBytes.isSpace(text[j]) { j += 1 }
                    text.removeFirst(j)
                }
            }
        }
        let result = TextBytes.string(text)
        if result.count < 20 || result.hasPrefix("Syn:") { return nil }
        return result
    }

    /// `Q: <headword> means? A: <first 60 characters of the first definition>`, or nil.
    public static func definitionQuestion(_ raw: String) -> String? {
        guard let hw = questionHeadword(raw), let def = firstDefinition(raw) else { return nil }
        return "Q: \(hw) means? A: \(String(def.prefix(60)))"
    }
}

/// FOLDOC rules: categories of the first body paragraph, cleanup.
public enum FOLDOC {
    /// Categories and the byte range of the `<...>` group in the raw entry, per
    /// `^\s*(?:\d+\.\s*)?<([a-z][a-z0-9 ,/\-]*)>` on the text after the first blank line.
    public static func categories(_ raw: String) -> (items: [String], range: Range<Int>)? {
        let b = Array(raw.utf8)
        // First blank line: "\n" followed by optional spaces/tabs and "\n".
        var i = 0, bodyStart: Int? = nil
        while i < b.count {
            if b[i] == 0x0A {
                var j = i + 1
                while j < b.count && (b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0D) { j += 1 }
                if j < b.count && b[j] == 0x0A { bodyStart = j + 1; break }
            }
            i += 1
        }
        guard var p = bodyStart else { return nil }
        while p < b.count && TextBytes.isSpace(b[p]) { p += 1 }
        var q = p
        while q < b.count && TextBytes.isDigit(b[q]) { q += 1 }
        if q > p {
            guard q < b.count && b[q] == UInt8(ascii: ".") else { return nil }
            q += 1
            while q < b.count && TextBytes.isSpace(b[q]) { q += 1 }
            p = q
        }
        guard p + 1 < b.count, b[p] == UInt8(ascii: "<"), TextBytes.isLower(b[p + 1]) else { return nil }
        var e = p + 2
        while e < b.count {
            let c = b[e]
            if TextBytes.isLower(c) || TextBytes.isDigit(c) || c == 0x20 || c == UInt8(ascii: ",")
                || c == UInt8(ascii: "/") || c == UInt8(ascii: "-") { e += 1 } else { break }
        }
        guard e < b.count, b[e] == UInt8(ascii: ">") else { return nil }
        let inner = TextBytes.string(Array(b[(p + 1)..<e]))
        let items = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { return nil }
        return (items, p..<(e + 1))
    }

    /// Cleanup: lines that are only a bracket group or only a revision date `(YYYY-MM-DD)` are
    /// dropped; optionally a byte range (the category group) is deleted; whitespace collapsed.
    public static func clean(_ raw: String, removing range: Range<Int>? = nil) -> String {
        var b = Array(raw.utf8)
        if let r = range { b.removeSubrange(r) }
        var kept: [UInt8] = []
        kept.reserveCapacity(b.count)
        for line in TextBytes.lines(b) {
            let t = Array(line.drop { TextBytes.isSpace($0) }.reversed().drop { TextBytes.isSpace($0) }.reversed())
            if isBracketOnly(t) || isRevisionDate(t) { continue }
            kept.append(contentsOf: line); kept.append(0x0A)
        }
        return TextBytes.string(TextBytes.collapseWhitespace(kept))
    }

    static func isBracketOnly(_ t: [UInt8]) -> Bool {
        // A line that starts with `[` and ends with `]` (e.g. `[{Jargon File}]`, `[Details?]`,
        // `[See {X}] [Y]`): editorial or source notes, not body text.
        t.count >= 2 && t.first == UInt8(ascii: "[") && t.last == UInt8(ascii: "]")
    }

    static func isRevisionDate(_ t: [UInt8]) -> Bool {
        guard t.count == 12, t[0] == UInt8(ascii: "("), t[11] == UInt8(ascii: ")"), t[5] == UInt8(ascii: "-"), t[8] == UInt8(ascii: "-") else { return false }
        return [1, 2, 3, 4, 6, 7, 9, 10].allSatisfy { TextBytes.isDigit(t[$0]) }
    }
}
