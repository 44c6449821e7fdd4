import Foundation
import Yams

/// How likely a paper's finding is to show up at tiny scale (see the paper briefs).
public enum Transfer: String, Sendable, CaseIterable {
    case robust, likely, uncertain
    case doesNotTransfer = "does-not-transfer"
}

/// Which way is better for a metric; informational (the band decides), checked against the band.
public enum Direction: String, Sendable {
    case higher, lower
}

/// Closed interval [min, max]; either end may be open-ended.
public struct Band: Sendable, Equatable {
    public let min: Double?
    public let max: Double?

    public init(min: Double? = nil, max: Double? = nil) { self.min = min; self.max = max }

    public func contains(_ x: Double) -> Bool {
        x.isFinite && (min.map { x >= $0 } ?? true) && (max.map { x <= $0 } ?? true)
    }

    /// Band edges, for "how far is the mean from deciding".
    var edges: [Double] { [min, max].compactMap { $0 } }

    public var text: String {
        switch (min, max) {
        case let (lo?, hi?): return "∈ [\(formatNumber(lo)), \(formatNumber(hi))]"
        case let (lo?, nil): return "≥ \(formatNumber(lo))"
        case let (nil, hi?): return "≤ \(formatNumber(hi))"
        default: return "any"
        }
    }
}

/// One metric against one band.
public struct Condition: Sendable, Equatable {
    public let metric: String
    public let band: Band
    public let direction: Direction?
}

/// A check: one condition, or several combined with `all` (every one holds) or `any` (some
/// one holds). Nesting expresses "there is an M with A and B": any of (all of A_M, B_M).
public indirect enum Check: Sendable, Equatable {
    case condition(Condition)
    case all([Check])
    case any([Check])

    /// The leaf conditions in file order.
    public var conditions: [Condition] {
        switch self {
        case let .condition(c): return [c]
        case let .all(cs), let .any(cs): return cs.flatMap(\.conditions)
        }
    }
}

/// One row of a claims file.
public struct Claim: Sendable, Equatable {
    public let id: String
    /// The paper claim it tests (e.g. "P2-C1"), if the brief names one.
    public let claimRef: String?
    public let statement: String
    /// The paper's number and where it is (figure/table).
    public let paperNumber: String
    public let source: String?
    /// Tiers in which the claim is evaluated (and gates, unless report-only).
    public let tiers: [Tier]
    public let transfer: Transfer
    public let reportOnly: Bool
    public let check: Check
    /// Free text: calibration evidence, why a band moved.
    public let note: String?

    public func gates(in tier: Tier) -> Bool { !reportOnly && tiers.contains(tier) }
}

/// A parsed, validated claims file.
public struct ClaimsFile: Sendable {
    public let paper: String
    public let claims: [Claim]

    /// Parse and validate. Every problem is a one-line `HarnessError.malformedClaims`
    /// naming the file, the claim and the problem.
    public static func load(_ url: URL, metricNames: [String], paper: String? = nil) throws -> ClaimsFile {
        let name = url.lastPathComponent
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw HarnessError.malformedClaims(file: url.path, claim: nil, problem: "cannot read the file")
        }
        return try parse(text, file: name, metricNames: metricNames, paper: paper)
    }

    public static func parse(_ text: String, file: String, metricNames: [String], paper: String? = nil) throws -> ClaimsFile {
        func bad(_ claim: String?, _ problem: String) -> HarnessError {
            .malformedClaims(file: file, claim: claim, problem: problem)
        }
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            let first = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            throw bad(nil, "invalid YAML: \(first)")
        }
        guard let top = root as? [String: Any] else { throw bad(nil, "top level must be a mapping with 'paper' and 'claims'") }
        guard let key = top["paper"] as? String else { throw bad(nil, "missing field 'paper'") }
        if let paper, paper != key { throw bad(nil, "paper is '\(key)' but the target is '\(paper)'") }
        guard let list = top["claims"] as? [Any] else { throw bad(nil, "missing field 'claims' (a list)") }
        let known = Set(metricNames)
        var seen = Set<String>()
        var claims: [Claim] = []
        for (i, item) in list.enumerated() {
            guard let c = item as? [String: Any] else { throw bad("#\(i + 1)", "a claim must be a mapping") }
            guard let id = scalarString(c["id"]) else { throw bad("#\(i + 1)", "missing field 'id'") }
            guard seen.insert(id).inserted else { throw bad(id, "duplicate id") }
            func string(_ k: String) throws -> String {
                guard let s = scalarString(c[k]) else { throw bad(id, "missing field '\(k)'") }
                return s
            }
            let statement = try string("statement")
            let paperNumber = try string("paper_number")
            guard let tierNames = c["tiers"] as? [Any], !tierNames.isEmpty else { throw bad(id, "missing field 'tiers' (a non-empty list)") }
            let tiers = try tierNames.map { t -> Tier in
                guard let s = scalarString(t), let tier = Tier(rawValue: s) else {
                    throw bad(id, "unknown tier '\(scalarString(t) ?? "\(t)")'; valid tiers: \(Tier.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return tier
            }
            let transferName = try string("transfer")
            guard let transfer = Transfer(rawValue: transferName) else {
                throw bad(id, "unknown transfer '\(transferName)'; valid: \(Transfer.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var reportOnly = false
            if let r = c["report_only"] {
                guard let b = r as? Bool else { throw bad(id, "report_only must be true or false") }
                reportOnly = b
            }
            guard let conds = c["conditions"] as? [Any], !conds.isEmpty else { throw bad(id, "missing field 'conditions' (a non-empty list)") }
            let combine = scalarString(c["combine"]) ?? "all"
            let check = try parseGroup(combine, conds, claim: id, known: known, bad: bad)
            claims.append(Claim(id: id, claimRef: scalarString(c["claim"]), statement: statement, paperNumber: paperNumber,
                                source: scalarString(c["source"]), tiers: tiers, transfer: transfer,
                                reportOnly: reportOnly, check: check, note: scalarString(c["note"])))
        }
        return ClaimsFile(paper: key, claims: claims)
    }

    private static func parseGroup(_ combine: String, _ items: [Any], claim: String, known: Set<String>,
                                   bad: (String?, String) -> HarnessError) throws -> Check {
        let parts = try items.map { try parseCheck($0, claim: claim, known: known, bad: bad) }
        switch combine {
        case "all": return parts.count == 1 ? parts[0] : .all(parts)
        case "any": return parts.count == 1 ? parts[0] : .any(parts)
        default: throw bad(claim, "combine must be 'all' or 'any', not '\(combine)'")
        }
    }

    private static func parseCheck(_ item: Any, claim: String, known: Set<String>,
                                   bad: (String?, String) -> HarnessError) throws -> Check {
        guard let m = item as? [String: Any] else { throw bad(claim, "a condition must be a mapping") }
        for group in ["all", "any"] {
            if let sub = m[group] {
                guard let list = sub as? [Any], !list.isEmpty else { throw bad(claim, "'\(group)' needs a non-empty list") }
                return try parseGroup(group, list, claim: claim, known: known, bad: bad)
            }
        }
        guard let metric = scalarString(m["metric"]) else { throw bad(claim, "a condition needs 'metric' (or a nested 'all'/'any')") }
        guard known.contains(metric) else {
            throw bad(claim, "unknown metric '\(metric)'; the target computes: \(known.sorted().joined(separator: ", "))")
        }
        func number(_ k: String) throws -> Double? {
            guard let v = m[k] else { return nil }
            if let d = v as? Double { return d }
            if let i = v as? Int { return Double(i) }
            throw bad(claim, "\(metric): '\(k)' must be a number")
        }
        let band = Band(min: try number("min"), max: try number("max"))
        if band.min == nil && band.max == nil { throw bad(claim, "\(metric): band needs 'min' and/or 'max'") }
        if let lo = band.min, let hi = band.max, lo > hi { throw bad(claim, "\(metric): band has min \(formatNumber(lo)) > max \(formatNumber(hi))") }
        var direction: Direction?
        if let d = scalarString(m["direction"]) {
            guard let dir = Direction(rawValue: d) else { throw bad(claim, "\(metric): direction must be 'higher' or 'lower'") }
            if (dir == .higher && band.min == nil) || (dir == .lower && band.max == nil) {
                throw bad(claim, "\(metric): direction '\(d)' contradicts a band without \(dir == .higher ? "'min'" : "'max'")")
            }
            direction = dir
        }
        return .condition(Condition(metric: metric, band: band, direction: direction))
    }
}

/// YAML scalars arrive as String, Int, Double or Bool; ids like `1` or `R1` are both fine.
private func scalarString(_ v: Any?) -> String? {
    switch v {
    case let s as String: return s
    case let i as Int: return String(i)
    case let d as Double: return formatNumber(d)
    default: return nil
    }
}

/// Numbers in reports and bands: up to 4 significant digits, no locale, no exponent for
/// everyday magnitudes. Deterministic, so reports are byte-identical.
public func formatNumber(_ x: Double, digits: Int = 4) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "∞" : "-∞" }
    if x == 0 { return "0" }
    let mag = abs(x)
    if mag >= 1e6 || mag < 1e-4 { return String(format: "%.\(digits - 1)e", x) }
    let decimals = max(0, digits - 1 - Int(floor(log10(mag))))
    var s = String(format: "%.\(decimals)f", x)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    return s
}
