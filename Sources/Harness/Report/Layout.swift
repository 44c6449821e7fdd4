import Foundation

/// Number and cell formatting for the report's compact table: a reader compares the mean with
/// the band, so the mean carries only the digits its interval supports.
public enum ReportFormat {
    /// The longest claims-table row, in characters: long statements, notes and compound checks
    /// are cut with "…" (the claim details below the table hold them whole).
    public static let maxRowLength = 600
    /// The longest claim statement in the table.
    public static let maxStatementLength = 120

    /// "0.92 ± 0.043": the half-width to two significant digits, the mean rounded to the same
    /// decimal place (trailing zeros dropped). A half-width that is zero, or rounding noise
    /// (below 1e-9 of the largest value), prints as "± 0"; n = 1 (no interval) as the value alone.
    public static func interval(mean: Double, halfWidth: Double?, values: [Double]) -> String {
        guard mean.isFinite else { return formatNumber(mean) }
        guard let hw = halfWidth, hw.isFinite else { return formatNumber(mean) }
        let scale = values.map(abs).max() ?? abs(mean)
        if hw <= 1e-9 * scale || hw == 0 { return "\(formatNumber(mean)) ± 0" }
        let d = decimals(forHalfWidth: hw)
        if d > 6 { return "\(formatNumber(mean, digits: 3)) ± \(String(format: "%.1e", hw))" }
        return "\(rounded(mean, decimals: d, trim: true)) ± \(rounded(hw, decimals: d, trim: false))"
    }

    /// A log-scale condition: the geometric mean ×/÷ the interval's factor, the factor to two
    /// significant digits of its excess over 1 and the mean to the matching precision.
    public static func logInterval(logMean: Double, logHalfWidth: Double?, logValues: [Double]) -> String {
        let g = exp(logMean)
        guard g.isFinite, let hw = logHalfWidth, hw.isFinite else { return formatNumber(g) }
        let scale = logValues.map(abs).max() ?? abs(logMean)
        if hw <= 1e-9 * max(scale, 1) || hw == 0 { return "\(formatNumber(g)) ×/÷ 1" }
        let f = exp(hw), d = decimals(forHalfWidth: f - 1), dg = decimals(forHalfWidth: g * (f - 1))
        let factor = d > 6 ? String(format: "%.1e", f) : rounded(f, decimals: d, trim: false)
        let center = dg > 6 ? formatNumber(g, digits: 3) : rounded(g, decimals: dg, trim: true)
        return "\(center) ×/÷ \(factor)"
    }

    /// Decimal places that show `hw` to two significant digits; negative for tens, hundreds…
    /// (1234 → −2: 1200).
    static func decimals(forHalfWidth hw: Double) -> Int {
        var e = Int(floor(log10(hw)))
        let unit = pow(10, Double(e - 1))
        if (hw / unit).rounded() * unit >= pow(10, Double(e + 1)) { e += 1 }   // 0.0996 → 0.10
        return 1 - e
    }

    /// `x` at `decimals` places (negative: to tens, hundreds…), never "-0".
    static func rounded(_ x: Double, decimals: Int, trim: Bool) -> String {
        let unit = pow(10, Double(-min(decimals, 0)))
        var s = String(format: "%.\(max(decimals, 0))f", decimals < 0 ? (x / unit).rounded() * unit : x)
        if trim && s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { s.removeFirst() }
        return s
    }

    /// One condition's value as the table shows it.
    public static func ours(_ r: ConditionResult) -> String {
        let s = r.summary
        guard s.n > 0 else { return "no data" }
        let hw: Double? = s.n > 1 ? r.halfWidth : nil
        if r.condition.scale == .log && s.values.allSatisfy(\.isFinite) {
            return logInterval(logMean: s.mean, logHalfWidth: hw, logValues: s.values)
        }
        return interval(mean: s.mean, halfWidth: hw, values: s.values)
    }

    /// One condition's value with its n, scale and (inside an `any`) interval level, as the claim
    /// details show it: "0.92 ± 0.043 (n=3, 97.5% interval)".
    public static func oursWithNotes(_ r: ConditionResult) -> String {
        guard r.summary.n > 0 else { return "no data" }
        var notes = ["n=\(r.summary.n)"]
        if r.condition.scale == .log { notes.append("log scale") }
        if r.summary.n > 1 && r.alpha != 0.05 { notes.append("\(formatNumber(100 * (1 - r.alpha)))% interval") }
        return "\(ours(r)) (\(notes.joined(separator: ", ")))"
    }

    /// `s` cut to at most `limit` characters with "…", never inside an HTML tag, a backslash
    /// escape or (unbalanced) a code span.
    public static func truncated(_ s: String, _ limit: Int) -> String {
        guard s.count > limit else { return s }
        var t = String(s.prefix(max(0, limit - 2)))
        if let lt = t.lastIndex(of: "<"), t[lt...].firstIndex(of: ">") == nil { t = String(t[..<lt]) }
        if t.hasSuffix("\\") { t.removeLast() }
        while t.hasSuffix(" ") { t.removeLast() }
        if t.filter({ $0 == "`" }).count % 2 == 1 { t += "`" }
        return t + "…"
    }

    /// A Markdown table row from raw cell texts, each cut to its budget; while the row is longer
    /// than `maxRowLength` the largest budget shrinks, so every row fits.
    public static func row(_ cells: [String], budgets: [Int]) -> String {
        var budgets = budgets
        while true {
            let row = "| " + zip(cells, budgets).map { truncated(ReportWriter.cell($0), $1) }.joined(separator: " | ") + " |"
            guard row.count > maxRowLength, let i = budgets.indices.max(by: { budgets[$0] < budgets[$1] }), budgets[i] > 8 else {
                return row
            }
            budgets[i] = budgets[i] * 9 / 10
        }
    }
}
