import Foundation

// Cost to verdict: the chance that the verdict rule (95% t-interval against a band) gives PASS
// or FAIL at n seeds, if the per-seed values were normal with the observed mean and sd. The
// interval's end is x̄ ± t·s/√n with x̄ and s independent, so every probability here is an
// expectation over the sample sd's distribution (s/σ ~ √(χ²_ν/ν)) of normal probabilities of x̄;
// the noncentral t distribution function is the one-edged case.

/// Standard normal distribution function.
func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.squareRoot()) }

/// E[g(u)] for u = s/σ ~ √(χ²_ν/ν), by Simpson's rule over [lower, min(upper, cap)], which holds
/// all but ~1e-20 of the mass; `cap` cuts the range where g is known to be 0 beyond it. g is a
/// normal distribution function of a·u + b: `slope` = |a| sets the grid (≥ 40 points per 1/|a|).
func expectationOverSampleSD(df: Int, slope: Double, cap: Double = .infinity, _ g: (Double) -> Double) -> Double {
    precondition(df >= 1)
    let nu = Double(df), spread = 14 / (2 * nu).squareRoot()
    let lower = Swift.max(0, 1 - spread), upper = Swift.min(1 + spread, cap)
    guard upper > lower else { return 0 }
    // log density of u: ln 2 + (ν/2) ln ν + (ν−1) ln u − ν u²/2 − (ν/2) ln 2 − lnΓ(ν/2)
    let logC = log(2.0) + nu / 2 * log(nu) - nu / 2 * log(2.0) - lgamma(nu / 2)
    func density(_ u: Double) -> Double {
        u <= 0 ? (df == 1 ? exp(logC) : 0) : exp(logC + (nu - 1) * log(u) - nu * u * u / 2)
    }
    let steps = 2 * Int(Swift.max(1000, Swift.min(1e6, (upper - lower) * slope * 20)).rounded(.up))
    let h = (upper - lower) / Double(steps)
    var sum = 0.0
    for i in 0...steps {
        let u = lower + Double(i) * h
        let w: Double = i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2)
        sum += w * g(u) * density(u)
    }
    return sum * h / 3
}

/// P(T ≤ t) for T noncentral t with `df` degrees of freedom and noncentrality `noncentrality`:
/// T = (Z + δ)/u, so P(T ≤ t) = E[Φ(t·u − δ)].
public func noncentralTCDF(_ t: Double, df: Int, noncentrality: Double) -> Double {
    expectationOverSampleSD(df: df, slope: abs(t)) { u in normalCDF(t * u - noncentrality) }
}

/// Student's t quantile: Newton's method on the distribution function inside a bracket that
/// bisection keeps (the tails of small df are too heavy for Newton alone).
public func tQuantile(_ p: Double, df: Int) -> Double {
    precondition(p > 0 && p < 1 && df >= 1)
    if p < 0.5 { return -tQuantile(1 - p, df: df) }
    let nu = Double(df)
    let logNorm = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * log(nu * Double.pi)
    func excess(_ x: Double) -> Double { noncentralTCDF(x, df: df, noncentrality: 0) - p }
    var lo = 0.0, hi = 1.0
    while excess(hi) < 0 { lo = hi; hi *= 2 }
    var x = (lo + hi) / 2
    for _ in 0..<200 {
        let f = excess(x)
        if f < 0 { lo = x } else { hi = x }
        let pdf = exp(logNorm - (nu + 1) / 2 * log1p(x * x / nu))
        var next = x - f / pdf
        if !(next > lo && next < hi) { next = (lo + hi) / 2 }
        if abs(next - x) < 1e-12 * Swift.max(1, x) { return next }
        x = next
    }
    return x
}

/// The critical value of a two-sided interval at level `alpha`: the table value at the usual 5%
/// (so reports stay as they were), the exact quantile at the smaller levels of `any` branches
/// (remembered: a power search asks for the same few levels at every n).
public func criticalT(alpha: Double, df: Int) -> Double {
    alpha == 0.05 ? tQuantile975(df: df) : QuantileMemo.shared.value(p: 1 - alpha / 2, df: df)
}

private final class QuantileMemo: @unchecked Sendable {
    static let shared = QuantileMemo()
    private let lock = NSLock()
    private var known: [String: Double] = [:]

    func value(p: Double, df: Int) -> Double {
        let key = "\(p.bitPattern)/\(df)"
        if let q = lock.withLock({ known[key] }) { return q }
        let q = tQuantile(p, df: df)
        lock.withLock { known[key] = q }
        return q
    }
}

/// The chances of each verdict for one condition at n seeds, values on the judged scale.
public struct VerdictChances: Sendable, Equatable {
    public let pass: Double
    public let fail: Double

    public init(pass: Double, fail: Double) { self.pass = pass; self.fail = fail }

    /// `band` and `mean`/`sd` on the scale the verdict is judged on (ln for `scale: log`).
    public static func of(band: Band, mean: Double, sd: Double, n: Int, alpha: Double) -> VerdictChances {
        precondition(n >= 1)
        let lo = band.min ?? -.infinity, hi = band.max ?? .infinity
        guard sd > 0 else {
            let inside = band.contains(mean)
            return VerdictChances(pass: inside ? 1 : 0, fail: inside ? 0 : 1)
        }
        // Distances to the edges in sds (positive inside): dl from `min`, du to `max`.
        let dl = (mean - lo) / sd, du = (hi - mean) / sd
        if n == 1 {   // the point decides
            let pass = normalCDF(du) - normalCDF(-dl)
            return VerdictChances(pass: pass, fail: 1 - pass)
        }
        let rn = Double(n).squareRoot(), tc = criticalT(alpha: alpha, df: n - 1)
        // Inside: x̄ ∈ [lo + tc·s/√n, hi − tc·s/√n], empty once tc·u exceeds √n(dl + du)/2.
        let cap = dl.isFinite && du.isFinite ? rn * (dl + du) / (2 * tc) : .infinity
        let pass = expectationOverSampleSD(df: n - 1, slope: tc, cap: cap) { u in
            Swift.max(0, normalCDF(rn * du - tc * u) - normalCDF(-rn * dl + tc * u))
        }
        // Wholly above hi or wholly below lo (disjoint events).
        let fail = expectationOverSampleSD(df: n - 1, slope: tc) { u in
            normalCDF(-rn * du - tc * u) + normalCDF(-rn * dl - tc * u)
        }
        return VerdictChances(pass: pass, fail: fail)
    }
}

/// Where more seeds would take an undecided claim.
public enum Heading: Sendable, Equatable {
    /// Smallest n with at least 80% chance of PASS.
    case towardPass(n80: Int)
    /// Smallest n with at least 80% chance of FAIL.
    case towardFail(n80: Int)
    /// Neither reaches 80% for any n up to the cap.
    case onTheEdge(cap: Int)

    public var text: String {
        switch self {
        case let .towardPass(n): return "toward PASS: n80 = \(n)"
        case let .towardFail(n): return "toward FAIL: n80 = \(n)"
        case let .onTheEdge(cap): return "on the edge: no n ≤ \(cap) decides"
        }
    }
}

public enum PowerAnalysis {
    /// Largest seed count the analysis considers.
    public static let cap = 100
    public static let target = 0.8

    /// Smallest n in 2…cap whose chance reaches 80%, if any.
    public static func n80(_ chance: (Int) -> Double) -> Int? {
        (2...cap).first { chance($0) >= target }
    }

    /// The heading from the chances of PASS and of FAIL as functions of n.
    public static func heading(pass: (Int) -> Double, fail: (Int) -> Double) -> Heading {
        let p = n80(pass), f = n80(fail)
        if let p, f.map({ p <= $0 }) ?? true { return .towardPass(n80: p) }
        if let f { return .towardFail(n80: f) }
        return .onTheEdge(cap: cap)
    }
}

extension Evaluation {
    /// `replicate power`: per condition n, mean, sd, d, P(PASS) at the registered n and n80; per
    /// claim the combined chance and its heading. Log-scale conditions are shown on ln(metric).
    public var powerTable: String {
        let n = registeredSeeds.count
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
        func num(_ x: Double?) -> String { x.map { formatNumber($0) } ?? "–" }
        var lines = ["\(target.key) tier=\(tier.rawValue) seeds \(seedListText(seedList)); registered \(n) (seeds \(seedListText(registeredSeeds)))"]
        lines.append(pad("claim", 10) + pad("condition", 34) + pad("n", 4) + pad("mean", 12) + pad("sd", 12)
                     + pad("d", 9) + pad("P(PASS)@\(n)", 12) + "n80")
        for c in claims {
            for (i, r) in c.conditions.enumerated() {
                let name = r.condition.scale == .log ? "ln \(r.condition.metric)" : r.condition.metric
                let spread = r.summary.n >= 2 && r.summary.values.allSatisfy(\.isFinite)
                let p = r.chances(at: n)?.pass
                let n80 = spread ? PowerAnalysis.n80 { r.chances(at: $0)!.pass }.map(String.init) ?? "> \(PowerAnalysis.cap)" : "–"
                lines.append(pad(i == 0 ? c.claim.id : "", 10) + pad(name, 34) + pad("\(r.summary.n)", 4)
                             + pad(r.summary.n > 0 ? formatNumber(r.summary.mean) : "–", 12) + pad(spread ? formatNumber(r.summary.sd) : "–", 12)
                             + pad(num(r.standardisedDistance), 9) + pad(p.map { String(format: "%.3f", $0) } ?? "–", 12) + n80)
            }
            var summary = "  → \(c.verdict.rawValue)" + (c.gated ? "" : " (report only)")
            if let p = c.chances(at: n) {
                summary += c.conditions.count > 1 ? String(format: "; claim P(PASS)@%d %.3f (conditions independent)", n, p.pass)
                                                  : String(format: "; P(PASS)@%d %.3f", n, p.pass)
                summary += "; " + PowerAnalysis.heading(pass: { c.chances(at: $0)!.pass }, fail: { c.chances(at: $0)!.fail }).text
            } else {
                summary += "; no spread to go on (fewer than 2 seeds)"
            }
            lines.append(pad("", 10) + summary)
        }
        return lines.joined(separator: "\n")
    }
}
