import Foundation

/// One point of a logged series (loss against step, accuracy against step, …).
public struct SeriesPoint: Sendable, Equatable, Codable {
    public let step: Int
    public let value: Double
    public init(step: Int, value: Double) { self.step = step; self.value = value }
}

/// A finished run as stored: identity, provenance and every number it recorded.
public struct RunResult: Sendable, Equatable {
    public let fingerprint: String
    public let paper: String
    public let arm: String
    public let tier: Tier
    public let seed: Int
    public let configJSON: String
    public let codeVersion: String
    public let environment: RunEnvironment
    public let status: String
    public let started: String
    public let finished: String
    public let wallSeconds: Double
    public let measurements: [String: Double]
    /// Name → points sorted by step.
    public let series: [String: [SeriesPoint]]

    /// Public so that targets can test their claim metrics on synthetic runs.
    public init(fingerprint: String, paper: String, arm: String, tier: Tier, seed: Int, configJSON: String,
                codeVersion: String, environment: RunEnvironment, status: String, started: String, finished: String,
                wallSeconds: Double, measurements: [String: Double], series: [String: [SeriesPoint]]) {
        self.fingerprint = fingerprint; self.paper = paper; self.arm = arm; self.tier = tier; self.seed = seed
        self.configJSON = configJSON; self.codeVersion = codeVersion; self.environment = environment
        self.status = status; self.started = started; self.finished = finished; self.wallSeconds = wallSeconds
        self.measurements = measurements; self.series = series
    }
}

/// The stored runs of one seed, by arm: what `metrics(for:tier:)` reads.
public struct SeedResults: Sendable {
    public let seed: Int
    public let runs: [String: RunResult]

    public init(seed: Int, runs: [String: RunResult]) { self.seed = seed; self.runs = runs }

    public func has(_ arm: String) -> Bool { runs[arm] != nil }

    public func measurement(_ name: String, arm: String) throws -> Double {
        guard let v = runs[arm]?.measurements[name] else {
            throw HarnessError.missingResult("measurement '\(name)' of arm '\(arm)', seed \(seed)")
        }
        return v
    }

    public func series(_ name: String, arm: String) throws -> [SeriesPoint] {
        guard let s = runs[arm]?.series[name] else {
            throw HarnessError.missingResult("series '\(name)' of arm '\(arm)', seed \(seed)")
        }
        return s
    }
}

/// Everything a report needs for one (paper, tier): seeds' runs and their claim metrics.
public struct TierResults: Sendable {
    public let paper: String
    public let tier: Tier
    public let seeds: [SeedResults]
    /// seed → metric → value, as computed by the target.
    public let metrics: [Int: [String: Double]]

    /// Mean over seeds of a series of one arm, at the steps every seed has, with the 95% CI
    /// half-width as error (nil for one seed). Handy for loss-curve figures.
    public func meanSeries(_ name: String, arm: String) -> [FigurePoint] {
        let curves = seeds.compactMap { $0.runs[arm]?.series[name] }
        guard let first = curves.first else { return [] }
        let maps = curves.map { Dictionary($0.map { ($0.step, $0.value) }, uniquingKeysWith: { _, b in b }) }
        return first.map(\.step).compactMap { step -> FigurePoint? in
            let vs = maps.compactMap { $0[step] }
            guard vs.count == maps.count else { return nil }
            let s = SampleSummary(vs)
            return FigurePoint(x: Double(step), y: s.mean, error: s.n > 1 ? s.halfWidth : nil)
        }
    }
}

/// A figure the report draws with gnuplot (PNG and SVG, data beside them).
public struct Figure: Sendable, Equatable {
    /// File stem: letters, digits, '-', '_' (e.g. "loss-curves").
    public var name: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var logY: Bool
    /// Fixed x-axis range (nil = gnuplot's autoscale), e.g. to keep points off the frame.
    public var xRange: ClosedRange<Double>?
    public var series: [FigureSeries]
    /// Horizontal reference lines (a baseline, a band edge), with labels.
    public var referenceLines: [ReferenceLine]
    /// One sentence under the figure in the report: what to look for. It may name claim IDs but
    /// never their outcome ("passes", "FAIL", …): the report adds each named claim's verdict
    /// under the figure, so a caption cannot contradict the table.
    public var caption: String
    /// Claims the figure bears on besides those its caption names; their verdicts are listed under it.
    public var claims: [String]

    public init(name: String, title: String, xLabel: String, yLabel: String, logX: Bool = false, logY: Bool = false,
                xRange: ClosedRange<Double>? = nil, series: [FigureSeries], referenceLines: [ReferenceLine] = [],
                caption: String = "", claims: [String] = []) {
        self.name = name; self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.logX = logX; self.logY = logY; self.xRange = xRange; self.series = series; self.referenceLines = referenceLines
        self.caption = caption; self.claims = claims
    }

    /// The IDs among `ids` that `text` names as whole words (an ID's characters are letters,
    /// digits, '-' and '_', so "A1" is not found in "A13" or "A1-smoke"), in the order of `ids`.
    /// IDs without a letter ("1") are never looked for: they would match any number.
    public static func claimIDs(in text: String, among ids: [String]) -> [String] {
        func isIDCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "-" || c == "_" }
        return ids.filter { id in
            guard id.contains(where: \.isLetter) else { return false }
            var search = text.startIndex..<text.endIndex
            while let r = text.range(of: id, range: search) {
                let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
                let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
                if !(before.map(isIDCharacter) ?? false) && !(after.map(isIDCharacter) ?? false) { return true }
                search = r.upperBound..<text.endIndex
            }
            return false
        }
    }

    /// Words by which a caption would state a claim's outcome.
    static let outcomeWords = ["passes", "passed", "fails", "failed", "holds", "held", "replicates", "replicated",
                               "reproduces", "reproduced", "confirms", "confirmed", "refutes", "refuted", "verified"]
    static let verdictWords = ["PASS", "FAIL", "INCONCLUSIVE", "NO DATA"]

    /// Why `caption` may contradict the verdicts, or nil: it names one of `ids` and also states an
    /// outcome (an outcome word, any case, or a verdict in capitals).
    public static func outcomeProblem(in caption: String, claimIDs ids: [String]) -> String? {
        let named = claimIDs(in: caption, among: ids)
        guard !named.isEmpty else { return nil }
        let words = caption.split(whereSeparator: { !$0.isLetter }).map(String.init)
        let stated = words.filter { outcomeWords.contains($0.lowercased()) || verdictWords.contains($0) }
            + verdictWords.filter { $0.contains(" ") && caption.contains($0) }
        guard let word = stated.first else { return nil }
        return "caption names \(named.joined(separator: ", ")) and states an outcome ('\(word)'): the report lists the verdicts under the figure"
    }
}

public struct FigureSeries: Sendable, Equatable {
    /// How a series is drawn: connected points (the default), bare points, or vertical impulses
    /// from zero (a distribution over positions, e.g. one row of an attention map).
    public enum Style: String, Sendable, Equatable { case linespoints, points, impulses }
    public var label: String
    public var points: [FigurePoint]
    public var style: Style
    public init(label: String, points: [FigurePoint], style: Style = .linespoints) {
        self.label = label; self.points = points; self.style = style
    }
}

public struct FigurePoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var error: Double?
    public init(x: Double, y: Double, error: Double? = nil) { self.x = x; self.y = y; self.error = error }
}

public struct ReferenceLine: Sendable, Equatable {
    public var y: Double
    public var label: String
    public init(y: Double, label: String) { self.y = y; self.label = label }
}
