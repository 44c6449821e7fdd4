import Foundation

/// Flat exports of stored runs for other tools (pandas, R, spreadsheets).
public enum ResultsExport {
    /// Long format: one row per measurement or series point, run identity repeated.
    public static func csv(_ runs: [RunResult]) -> String {
        var out = "fingerprint,paper,arm,tier,seed,code_version,kind,name,step,value\n"
        for r in runs {
            let head = [r.fingerprint, r.paper, r.arm, r.tier.rawValue, String(r.seed), r.codeVersion].map(field).joined(separator: ",")
            for (name, v) in r.measurements.sorted(by: { $0.key < $1.key }) {
                out += "\(head),measurement,\(field(name)),,\(v)\n"
            }
            for (name, points) in r.series.sorted(by: { $0.key < $1.key }) {
                for p in points { out += "\(head),series,\(field(name)),\(p.step),\(p.value)\n" }
            }
        }
        return out
    }

    /// One object per run with its configuration, environment, measurements and series.
    public static func json(_ runs: [RunResult]) -> String {
        struct Point: Encodable { let step: Int; let value: Double }
        struct Item: Encodable {
            let fingerprint, paper, arm, tier: String
            let seed: Int
            let config: String
            let codeVersion: String
            let environment: RunEnvironment
            let status, started, finished: String
            let wallSeconds: Double
            let measurements: [String: Double]
            let series: [String: [Point]]
        }
        let items = runs.map { r in
            Item(fingerprint: r.fingerprint, paper: r.paper, arm: r.arm, tier: r.tier.rawValue, seed: r.seed,
                 config: r.configJSON, codeVersion: r.codeVersion, environment: r.environment, status: r.status,
                 started: r.started, finished: r.finished, wallSeconds: r.wallSeconds, measurements: r.measurements,
                 series: r.series.mapValues { $0.map { Point(step: $0.step, value: $0.value) } })
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? e.encode(items)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
    }

    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
