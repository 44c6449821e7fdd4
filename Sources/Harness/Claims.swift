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

/// The scale a condition is judged on. `log`: the interval of the mean of ln(metric) against
/// ln(band edges), for right-skewed positive metrics such as ratios.
public enum Scale: String, Sendable {
    case linear, log
}

/// One metric against one band.
public struct Condition: Sendable, Equatable {
    public let metric: String
    public let band: Band
    public let direction: Direction?
    public let scale: Scale

    public init(metric: String, band: Band, direction: Direction?, scale: Scale = .linear) {
        self.metric = metric; self.band = band; self.direction = direction; self.scale = scale
    }

    /// The band on the judged scale.
    public var judgedBand: Band {
        scale == .log ? Band(min: band.min.map { Foundation.log($0) }, max: band.max.map { Foundation.log($0) }) : band
    }

    /// Per-seed values on the judged scale (a non-positive value on the log scale is not finite: FAIL).
    public func judged(_ values: [Double]) -> [Double] {
        scale == .log ? values.map { $0 > 0 ? Foundation.log($0) : -.infinity } : values
    }
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

    /// Each leaf's test level, in file order: an `any` of k branches judges each branch at α/k,
    /// so that "some branch passes" keeps the claim's chance of a false PASS at α.
    public func levels(_ alpha: Double = 0.05) -> [Double] {
        switch self {
        case .condition: return [alpha]
        case let .all(cs): return cs.flatMap { $0.levels(alpha) }
        case let .any(cs): return cs.flatMap { $0.levels(alpha / Double(cs.count)) }
        }
    }

    /// Fold the tree, visiting leaves in file order.
    func fold<T>(leaf: (Condition) -> T, all: ([T]) -> T, any: ([T]) -> T) -> T {
        switch self {
        case let .condition(c): return leaf(c)
        case let .all(cs): return all(cs.map { $0.fold(leaf: leaf, all: all, any: any) })
        case let .any(cs): return any(cs.map { $0.fold(leaf: leaf, all: all, any: any) })
        }
    }

    var containsAny: Bool { fold(leaf: { _ in false }, all: { $0.contains(true) }, any: { _ in true }) }
}

/// What a claim's band means. `equivalence`: "does not matter", each gated metric a signed
/// per-seed difference (or log-ratio) between arms, band [−margin, margin]; `non-inferiority`:
/// "no worse than", band ≤ margin. Several pairs: the claim passes when every pair passes.
public enum ClaimKind: String, Sendable, CaseIterable {
    case effect, equivalence
    case nonInferiority = "non-inferiority"
}

/// One row of a claims file.
public struct Claim: Sendable, Equatable {
    public let id: String
    /// The paper claim it tests (e.g. "P2-C1"), if the paper's analysis names one.
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
    public let kind: ClaimKind
    /// δ of an equivalence or non-inferiority claim.
    public let margin: Double?
    /// A check of the code itself (schedules, masks, estimators): it must PASS wherever it gates.
    public let mechanics: Bool
    /// The verdict each gated tier is expected to give (the committed report's); see `expected(in:)`.
    public let expect: [Tier: Verdict]
    /// Why the expectation is not PASS (one line).
    public let expectReason: String?
    /// Tiers in which a claim that gates elsewhere is only reported (`report_only: [default]`).
    public let reportOnlyTiers: Set<Tier>
    /// The positive control this claim depends on: it gates only where that claim PASSes in the
    /// same evaluation, and is reported (not gated) with the reason otherwise.
    public let control: String?

    public init(id: String, claimRef: String?, statement: String, paperNumber: String, source: String?,
                tiers: [Tier], transfer: Transfer, reportOnly: Bool, check: Check, note: String?,
                kind: ClaimKind = .effect, margin: Double? = nil, mechanics: Bool = false,
                expect: [Tier: Verdict] = [:], expectReason: String? = nil,
                reportOnlyTiers: Set<Tier> = [], control: String? = nil) {
        self.id = id; self.claimRef = claimRef; self.statement = statement; self.paperNumber = paperNumber
        self.source = source; self.tiers = tiers; self.transfer = transfer; self.reportOnly = reportOnly
        self.check = check; self.note = note; self.kind = kind; self.margin = margin; self.mechanics = mechanics
        self.expect = expect; self.expectReason = expectReason
        self.reportOnlyTiers = reportOnlyTiers; self.control = control
    }

    public func gates(in tier: Tier) -> Bool { !reportOnly && !reportOnlyTiers.contains(tier) && tiers.contains(tier) }

    /// The verdict `replicate verify` expects in `tier`: PASS for a mechanics claim, the declared
    /// one otherwise (PASS if none was declared); nil where the claim does not gate.
    public func expected(in tier: Tier) -> Verdict? {
        guard gates(in: tier) else { return nil }
        return mechanics ? .pass : expect[tier] ?? .pass
    }
}

/// The seeds a claims file registers per tier, chosen in advance by a power analysis: a run
/// without `--seeds` uses them, and a report on any other set says so.
public struct SeedRegistration: Sendable, Equatable {
    public let byTier: [Tier: [Int]]

    public init(_ byTier: [Tier: [Int]]) { self.byTier = byTier }

    public func seeds(for tier: Tier) -> [Int] { byTier[tier] ?? [1] }

    /// "6 (seeds 1–6)", "12 (seeds 101–112)", "3 (seeds 1, 4, 9)".
    public func text(for tier: Tier) -> String { "\(seeds(for: tier).count) (seeds \(seedListText(seeds(for: tier))))" }
}

/// "1–6" for a run of consecutive seeds, "1, 4, 9" otherwise.
public func seedListText(_ seeds: [Int]) -> String {
    guard let first = seeds.first, let last = seeds.last else { return "none" }
    if seeds.count > 2, seeds == Array(first...last) { return "\(first)–\(last)" }
    return seeds.map(String.init).joined(separator: ", ")
}

/// A parsed, validated claims file.
public struct ClaimsFile: Sendable {
    public let paper: String
    public let claims: [Claim]
    public let seeds: SeedRegistration
    /// The power analysis the registered seed counts came from (one or two lines).
    public let seedAnalysis: String?

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
        let seeds = try parseSeeds(top["seeds"], bad: bad)
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
            var reportOnlyTiers: Set<Tier> = []
            switch c["report_only"] {
            case nil: break
            case let b as Bool: reportOnly = b
            case let list as [Any]:
                for item in list {
                    guard let s = scalarString(item), let t = Tier(rawValue: s), tiers.contains(t) else {
                        throw bad(id, "report_only: '\(scalarString(item) ?? "?")' is not one of the claim's tiers (\(tiers.map(\.rawValue).joined(separator: ", ")))")
                    }
                    reportOnlyTiers.insert(t)
                }
            default: throw bad(id, "report_only must be true, false or a list of tiers ([default])")
            }
            var mechanics = false
            if let r = c["mechanics"] {
                guard let b = r as? Bool else { throw bad(id, "mechanics must be true or false") }
                mechanics = b
            }
            let kindName = scalarString(c["kind"]) ?? ClaimKind.effect.rawValue
            guard let kind = ClaimKind(rawValue: kindName) else {
                throw bad(id, "unknown kind '\(kindName)'; valid: \(ClaimKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var margin: Double?
            if let m = c["margin"] {
                guard let d = (m as? Double) ?? (m as? Int).map(Double.init), d > 0 else { throw bad(id, "margin must be a positive number") }
                margin = d
            }
            var marginBand: Band?
            switch (kind, margin) {
            case (.effect, nil): break
            case (.effect, _?): throw bad(id, "'margin' belongs to a claim of kind equivalence or non-inferiority")
            case (_, nil): throw bad(id, "a claim of kind \(kind.rawValue) needs 'margin' (δ)")
            case let (.equivalence, d?): marginBand = Band(min: -d, max: d)
            case let (.nonInferiority, d?): marginBand = Band(max: d)
            }
            guard let conds = c["conditions"] as? [Any], !conds.isEmpty else { throw bad(id, "missing field 'conditions' (a non-empty list)") }
            let combine = scalarString(c["combine"]) ?? "all"
            let check = try parseGroup(combine, conds, claim: id, known: known, marginBand: marginBand, bad: bad)
            if kind != .effect && check.containsAny {
                throw bad(id, "a claim of kind \(kind.rawValue) passes when every pair passes: use 'all', not 'any'")
            }
            let gatedTiers = reportOnly ? [] : tiers.filter { !reportOnlyTiers.contains($0) }
            let (expect, reason) = try parseExpect(c, claim: id, gated: gatedTiers, mechanics: mechanics, bad: bad)
            claims.append(Claim(id: id, claimRef: scalarString(c["claim"]), statement: statement, paperNumber: paperNumber,
                                source: scalarString(c["source"]), tiers: tiers, transfer: transfer,
                                reportOnly: reportOnly, check: check, note: scalarString(c["note"]),
                                kind: kind, margin: margin, mechanics: mechanics, expect: expect, expectReason: reason,
                                reportOnlyTiers: reportOnlyTiers, control: scalarString(c["control"])))
        }
        let byID = Dictionary(claims.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for c in claims {
            guard let name = c.control else { continue }
            guard let control = byID[name], name != c.id else {
                throw bad(c.id, "control '\(name)' is not a claim of this file: name the positive-control claim's id")
            }
            if control.control != nil { throw bad(c.id, "control '\(name)' itself depends on a control: a positive control must stand alone") }
            for t in c.tiers where c.gates(in: t) && !control.gates(in: t) {
                throw bad(c.id, "control '\(name)' does not gate in tier '\(t.rawValue)', where this claim gates: gate the control there too")
            }
        }
        return ClaimsFile(paper: key, claims: claims, seeds: seeds, seedAnalysis: scalarString(top["seed_analysis"]))
    }

    /// `seeds: {smoke: 1, default: 6, extended: 12}`; a tier's value is a count n (seeds 1…n), a
    /// list of seeds, or a range "101-112" (fresh seeds).
    private static func parseSeeds(_ value: Any?, bad: (String?, String) -> HarnessError) throws -> SeedRegistration {
        let usage = "({smoke: 1, default: N, extended: M}: the pre-registered seed count per tier)"
        guard let map = value as? [String: Any] else { throw bad(nil, "missing field 'seeds' \(usage)") }
        for k in map.keys where Tier(rawValue: k) == nil { throw bad(nil, "seeds: unknown tier '\(k)' \(usage)") }
        var byTier: [Tier: [Int]] = [:]
        for tier in Tier.allCases {
            let what = "seeds.\(tier.rawValue)"
            var list: [Int]
            switch map[tier.rawValue] {
            case nil: throw bad(nil, "\(what) is missing \(usage)")
            case let n as Int: list = n >= 1 ? Array(1...n) : []
            case let items as [Any]: list = items.compactMap { $0 as? Int }; if list.count != items.count { list = [] }
            case let s as String:
                let ends = s.split(whereSeparator: { "-…".contains($0) }).compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                list = ends.count == 2 && ends[0] <= ends[1] ? Array(ends[0]...ends[1]) : []
            default: list = []
            }
            guard !list.isEmpty, list.allSatisfy({ $0 >= 1 }), Set(list).count == list.count else {
                throw bad(nil, "\(what) must be a count (6), a list of distinct positive seeds ([1, 2, 5]) or a range (\"101-112\")")
            }
            byTier[tier] = list.sorted()
        }
        return SeedRegistration(byTier)
    }

    /// `expect: PASS` (every tier the claim gates in) or `expect: {smoke: PASS, default: FAIL}`,
    /// plus `expect_reason` when some expectation is not PASS. Required on every gated claim but
    /// the mechanics ones, which must PASS.
    private static func parseExpect(_ c: [String: Any], claim: String, gated: [Tier], mechanics: Bool,
                                    bad: (String?, String) -> HarnessError) throws -> ([Tier: Verdict], String?) {
        let valid = "PASS, FAIL or INCONCLUSIVE"
        func verdict(_ v: Any?) throws -> Verdict {
            guard let s = scalarString(v), let x = Verdict(rawValue: s), x != .noData else {
                throw bad(claim, "expect must be \(valid), not '\(scalarString(v) ?? "\(v ?? "")")'")
            }
            return x
        }
        var expect: [Tier: Verdict] = [:]
        switch c["expect"] {
        case nil:
            if !gated.isEmpty && !mechanics {
                throw bad(claim, "missing field 'expect' (\(valid): the verdict of the committed report)")
            }
        case let map as [String: Any]:
            for (k, v) in map {
                guard let t = Tier(rawValue: k), gated.contains(t) else { throw bad(claim, "expect: the claim does not gate in tier '\(k)'") }
                expect[t] = try verdict(v)
            }
            if let t = gated.first(where: { expect[$0] == nil }) { throw bad(claim, "expect: no verdict for tier '\(t.rawValue)'") }
        case let v:
            let x = try verdict(v)
            if gated.isEmpty { throw bad(claim, "a report-only claim has no 'expect'") }
            for t in gated { expect[t] = x }
        }
        if mechanics && expect.values.contains(where: { $0 != .pass }) {
            throw bad(claim, "a mechanics claim must PASS: drop its 'expect'")
        }
        let reason = scalarString(c["expect_reason"])
        if expect.values.contains(where: { $0 != .pass }) && reason == nil {
            throw bad(claim, "missing field 'expect_reason' (one line: why the expected verdict is not PASS)")
        }
        return (expect, reason)
    }

    private static func parseGroup(_ combine: String, _ items: [Any], claim: String, known: Set<String>, marginBand: Band?,
                                   bad: (String?, String) -> HarnessError) throws -> Check {
        let parts = try items.map { try parseCheck($0, claim: claim, known: known, marginBand: marginBand, bad: bad) }
        switch combine {
        case "all": return parts.count == 1 ? parts[0] : .all(parts)
        case "any": return parts.count == 1 ? parts[0] : .any(parts)
        default: throw bad(claim, "combine must be 'all' or 'any', not '\(combine)'")
        }
    }

    /// `marginBand`: the band every leaf of an equivalence or non-inferiority claim takes.
    private static func parseCheck(_ item: Any, claim: String, known: Set<String>, marginBand: Band?,
                                   bad: (String?, String) -> HarnessError) throws -> Check {
        guard let m = item as? [String: Any] else { throw bad(claim, "a condition must be a mapping") }
        for group in ["all", "any"] {
            if let sub = m[group] {
                guard let list = sub as? [Any], !list.isEmpty else { throw bad(claim, "'\(group)' needs a non-empty list") }
                return try parseGroup(group, list, claim: claim, known: known, marginBand: marginBand, bad: bad)
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
        var band = Band(min: try number("min"), max: try number("max"))
        if let marginBand {
            if band.min != nil || band.max != nil { throw bad(claim, "\(metric): the band comes from the claim's 'margin'; drop 'min'/'max'") }
            band = marginBand
        }
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
        let scaleName = scalarString(m["scale"]) ?? Scale.linear.rawValue
        guard let scale = Scale(rawValue: scaleName) else { throw bad(claim, "\(metric): scale must be 'linear' or 'log'") }
        if scale == .log {
            if marginBand != nil { throw bad(claim, "\(metric): an equivalence metric is a signed difference or log-ratio already; drop 'scale: log'") }
            if band.edges.contains(where: { $0 <= 0 }) { throw bad(claim, "\(metric): scale log needs positive band edges") }
        }
        return .condition(Condition(metric: metric, band: band, direction: direction, scale: scale))
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
