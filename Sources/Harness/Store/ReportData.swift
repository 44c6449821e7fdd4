import Foundation

/// A report's results as committed data: `Reports/<paper>/data/{runs,measurements,series}.csv`
/// hold exactly the runs the report judged (format: Reports/DATA.md), so a clone without the
/// results store rebuilds the same report (`replicate report --from-data`) and `replicate
/// compare` can set one result against another. Rows are sorted and numbers are Swift's
/// shortest round-trip decimal, so a store → CSV → store round trip is exact.
public enum ReportData {
    public static let runsFile = "runs.csv", measurementsFile = "measurements.csv", seriesFile = "series.csv"
    static let runsHeader = ["paper", "tier", "seed", "arm", "fingerprint", "status", "threads", "blas_core", "cpu", "swift", "os",
                             "code_version", "started", "finished", "wall_seconds", "config"]
    static let measurementsHeader = ["seed", "arm", "name", "value"]
    static let seriesHeader = ["seed", "arm", "name", "step", "value"]

    /// Write the three files into `directory` (created if missing). `runs` are one (paper, tier)'s
    /// judged runs: one per (seed, arm), which is what keys the measurement and series rows.
    public static func write(_ runs: [RunResult], to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let sorted = runs.sorted { ($0.seed, $0.arm, $0.fingerprint) < ($1.seed, $1.arm, $1.fingerprint) }
        var r = line(runsHeader), m = line(measurementsHeader), s = line(seriesHeader)
        for run in sorted {
            let e = run.environment
            r += line([run.paper, run.tier.rawValue, String(run.seed), run.arm, run.fingerprint, run.status, String(e.threads),
                       e.blasCore, e.cpu, e.swift, e.os, run.codeVersion, run.started, run.finished, number(run.wallSeconds),
                       run.configJSON])
            for (name, v) in run.measurements.sorted(by: { $0.key < $1.key }) {
                m += line([String(run.seed), run.arm, name, number(v)])
            }
            for (name, points) in run.series.sorted(by: { $0.key < $1.key }) {
                for p in points.sorted(by: { $0.step < $1.step }) {
                    s += line([String(run.seed), run.arm, name, String(p.step), number(p.value)])
                }
            }
        }
        for (file, text) in [(runsFile, r), (measurementsFile, m), (seriesFile, s)] {
            try text.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
    }

    /// The runs of a data folder, as `write` was given them.
    public static func read(_ directory: URL) throws -> [RunResult] {
        func table(_ file: String, _ header: [String]) throws -> [(line: Int, fields: [String])] {
            let url = directory.appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw HarnessError.usage("\(url.path): cannot read the file (a report data folder holds \(runsFile), \(measurementsFile), \(seriesFile))")
            }
            let rows = try parseCSV(text, file: url.path)
            guard rows.first?.fields == header else {
                throw HarnessError.usage("\(url.path): the header is not '\(header.joined(separator: ","))'")
            }
            for row in rows.dropFirst() where row.fields.count != header.count {
                throw HarnessError.usage("\(url.path):\(row.line): \(row.fields.count) fields, expected \(header.count)")
            }
            return Array(rows.dropFirst())
        }
        func bad(_ file: String, _ line: Int, _ what: String) -> HarnessError {
            .usage("\(directory.appendingPathComponent(file).path):\(line): \(what)")
        }
        struct Key: Hashable { let seed: Int; let arm: String }
        var measurements: [Key: [String: Double]] = [:]
        for (n, f) in try table(measurementsFile, measurementsHeader) {
            guard let seed = Int(f[0]), let v = Double(f[3]) else { throw bad(measurementsFile, n, "seed or value is not a number") }
            measurements[Key(seed: seed, arm: f[1]), default: [:]][f[2]] = v
        }
        var series: [Key: [String: [SeriesPoint]]] = [:]
        for (n, f) in try table(seriesFile, seriesHeader) {
            guard let seed = Int(f[0]), let step = Int(f[3]), let v = Double(f[4]) else {
                throw bad(seriesFile, n, "seed, step or value is not a number")
            }
            series[Key(seed: seed, arm: f[1]), default: [:]][f[2], default: []].append(SeriesPoint(step: step, value: v))
        }
        return try table(runsFile, runsHeader).map { n, f in
            guard let tier = Tier(rawValue: f[1]) else { throw bad(runsFile, n, "unknown tier '\(f[1])'") }
            guard let seed = Int(f[2]), let threads = Int(f[6]), let wall = Double(f[14]) else {
                throw bad(runsFile, n, "seed, threads or wall_seconds is not a number")
            }
            let key = Key(seed: seed, arm: f[3])
            return RunResult(fingerprint: f[4], paper: f[0], arm: f[3], tier: tier, seed: seed, configJSON: f[15],
                             codeVersion: f[11], environment: RunEnvironment(cpu: f[8], blasCore: f[7], threads: threads, swift: f[9], os: f[10]),
                             status: f[5], started: f[12], finished: f[13], wallSeconds: wall,
                             measurements: measurements[key] ?? [:], series: series[key] ?? [:])
        }
    }

    /// The data folders at `path`: the folder itself when it holds runs.csv, else every
    /// `<path>/<paper>/data` and `<path>/<paper>/<tier>/data` that does (a Reports folder), sorted.
    public static func folders(at path: URL) -> [URL] {
        let fm = FileManager.default
        if fm.fileExists(atPath: path.appendingPathComponent(runsFile).path) { return [path] }
        let names = (try? fm.contentsOfDirectory(atPath: path.path)) ?? []
        // A paper's default-tier data sits in `<paper>/data`, another tier's in `<paper>/<tier>/data`.
        let tiers = [""] + Tier.allCases.filter { $0 != .default }.map(\.rawValue)
        return names.sorted().flatMap { name in
            tiers.map { t in (t.isEmpty ? path.appendingPathComponent(name) : path.appendingPathComponent(name).appendingPathComponent(t))
                .appendingPathComponent("data") }
        }.filter { fm.fileExists(atPath: $0.appendingPathComponent(runsFile).path) }
    }

    /// Run `body` on a throwaway results store holding `runs` (a temporary SQLite file, removed after).
    public static func withStore<T>(_ runs: [RunResult], _ body: (ResultsStore) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try ResultsStore(path: dir.appendingPathComponent("results.sqlite").path)
        defer { try? store.close() }
        _ = try store.insertNew(runs)
        return try body(store)
    }

    /// Swift's shortest decimal that reads back as the same Double ("0.1", "1e-05", "nan").
    static func number(_ x: Double) -> String { "\(x)" }

    static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }

    /// Quoted when it holds a comma, a quote or a line break of any kind ("\r\n" is one Character).
    static func field(_ s: String) -> String {
        s.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// RFC 4180: fields in double quotes may hold commas, newlines and doubled quotes.
    static func parseCSV(_ text: String, file: String) throws -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = [], field = "", quoted = false, atFieldStart = true
        var line = 1, rowLine = 1
        var chars = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? { if let p = pending { pending = nil; return p }; return chars.next() }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let d = next() {
                        if d == "\"" { field.append("\"") } else { quoted = false; pending = d }
                    } else { quoted = false }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atFieldStart: quoted = true; atFieldStart = false
            case ",": fields.append(field); field = ""; atFieldStart = true
            case "\n", "\r\n":
                fields.append(field); rows.append((rowLine, fields))
                fields = []; field = ""; atFieldStart = true; line += 1; rowLine = line
            default: field.append(c); atFieldStart = false
            }
        }
        if quoted { throw HarnessError.usage("\(file):\(rowLine): a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); rows.append((rowLine, fields)) }
        return rows
    }
}
