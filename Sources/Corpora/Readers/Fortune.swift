import Foundation

/// fortune(6) files: items separated by lines consisting of a single `%`.
public enum FortuneFile {
    /// Items of one file: split on `%` lines, surrounding newlines trimmed, empty items dropped.
    public static func parse(_ text: String) -> [String] {
        var items: [String] = []
        var current: [Substring] = []
        func flush() {
            var s = current.joined(separator: "\n")
            while s.hasPrefix("\n") { s.removeFirst() }
            while s.hasSuffix("\n") { s.removeLast() }
            if !s.isEmpty { items.append(s) }
            current.removeAll()
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let l = line.hasSuffix("\r") ? line.dropLast() : line
            if l == "%" { flush() } else { current.append(l) }
        }
        flush()
        return items
    }

    /// The category files of a fortunes folder (no extension; `*.dat`, `*.u8` and dot files ignored),
    /// sorted by name.
    public static func categoryFiles(in directory: URL) throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { !$0.hasPrefix(".") && !$0.contains(".") }
            .sorted()
            .map { directory.appendingPathComponent($0) }
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0.path, isDirectory: &d) && !d.boolValue }
    }
}
