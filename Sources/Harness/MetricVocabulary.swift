import Foundation

/// A scalar one arm recorded (`RunContext.measure`), named by arm and measurement.
public struct Measured: Sendable, Hashable {
    public let arm: String
    public let name: String
    public init(_ arm: String, _ name: String) { self.arm = arm; self.name = name }

    /// Its value in one seed's runs; nil when the arm did not run or did not record it.
    public func value(_ seed: SeedResults) -> Double? { seed.runs[arm]?.measurements[name] }
}

/// One named metric of a paper and how a seed's runs give it: nil when its runs are missing,
/// a throw (best a `MetricError`) when they are there but the value cannot be computed.
public struct Metric: Sendable {
    public let name: String
    let compute: @Sendable (SeedResults, Tier) throws -> Double?

    public init(_ name: String, _ compute: @escaping @Sendable (SeedResults, Tier) throws -> Double?) {
        self.name = name
        self.compute = compute
    }

    /// Any function of the seed's runs (the tier is not needed).
    public init(_ name: String, _ compute: @escaping @Sendable (SeedResults) throws -> Double?) {
        self.init(name) { seed, _ in try compute(seed) }
    }

    /// A measurement as it is.
    public static func value(_ name: String, _ m: Measured, scale: Double? = nil) -> Metric {
        Metric(name) { s in
            guard let v = m.value(s) else { return nil }
            return scale.map { v * $0 } ?? v
        }
    }

    /// a / b.
    public static func ratio(_ name: String, _ a: Measured, _ b: Measured) -> Metric {
        pair(name, a, b) { $0 / $1 }
    }

    /// ln(a / b): the signed log-ratio an equivalence or non-inferiority test reads.
    public static func logRatio(_ name: String, _ a: Measured, _ b: Measured) -> Metric {
        pair(name, a, b) { log($0 / $1) }
    }

    /// (a − b) · scale (scale 100 turns fractions into points).
    public static func difference(_ name: String, _ a: Measured, _ b: Measured, scale: Double? = nil) -> Metric {
        pair(name, a, b) { x, y in scale.map { (x - y) * $0 } ?? x - y }
    }

    /// |a − b| / b: how far a lies from b, relative to b.
    public static func relativeDistance(_ name: String, _ a: Measured, from b: Measured) -> Metric {
        pair(name, a, b) { abs($0 - $1) / $1 }
    }

    /// Only in `tiers` (nil elsewhere): a metric whose claim exists in those tiers alone.
    public func only(in tiers: Tier...) -> Metric {
        let inner = compute
        return Metric(name) { s, t in tiers.contains(t) ? try inner(s, t) : nil }
    }

    static func pair(_ name: String, _ a: Measured, _ b: Measured, _ f: @escaping @Sendable (Double, Double) -> Double) -> Metric {
        Metric(name) { s in
            guard let x = a.value(s), let y = b.value(s) else { return nil }
            return f(x, y)
        }
    }
}

/// Every metric a paper's claims may read, each named once beside how it is computed: the claims
/// file is checked against `names` when it loads, and `values` can produce no other name.
public struct MetricVocabulary: Sendable {
    public let metrics: [Metric]

    public init(_ metrics: [Metric]) {
        var seen: Set<String> = []
        for m in metrics { precondition(seen.insert(m.name).inserted, "metric \(m.name) is declared twice") }
        self.metrics = metrics
    }

    public var names: [String] { metrics.map(\.name) }

    /// The metrics one seed's runs give; a failing metric throws `MetricError` with its name.
    public func values(_ seed: SeedResults, tier: Tier) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for m in metrics {
            do {
                if let v = try m.compute(seed, tier) { out[m.name] = v }
            } catch let e as MetricError {
                throw e
            } catch {
                throw MetricError(m.name, "\(error)")
            }
        }
        return out
    }
}
