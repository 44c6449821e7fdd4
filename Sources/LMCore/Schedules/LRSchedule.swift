import Foundation

/// Learning-rate schedules as composable values: η(t) for a step index t counted from 0.
///
/// A schedule is a list of phases, each lasting a number of steps and running one shape from a
/// start to an end value; composing phases gives warmup + cosine, triangle, re-warming from a
/// checkpoint, and the infinite / WSD schedules (warmup, cooldown, constant, anneal).
public struct LRSchedule: Codable, Hashable, Sendable {
    public enum Shape: String, Codable, Sendable {
        /// η = start for the whole phase.
        case constant
        /// η = start + (end − start)·(i+1)/n: reaches `end` on the phase's last step (warmup from 0 never uses lr 0).
        case linear
        /// Linear from start on the first step to end after the last: start + (end − start)·i/n.
        case linearDecay
        /// Half-cosine from start (i = 0) toward end (reached at i = n).
        case cosine
        /// Geometric from start on the first step toward end after the last: start·(end/start)^(i/n)
        /// (the exponential anneal of infinite schedules; start and end must be > 0).
        case exponential
    }

    public struct Phase: Codable, Hashable, Sendable {
        public var steps: Int
        public var shape: Shape
        public var start: Float
        public var end: Float
        public init(_ shape: Shape, steps: Int, from start: Float, to end: Float) {
            self.steps = steps; self.shape = shape; self.start = start; self.end = end
        }
    }

    public var phases: [Phase]
    /// Value after the last phase ends.
    public var after: Float

    public init(phases: [Phase], after: Float? = nil) {
        self.phases = phases
        self.after = after ?? phases.last.map { $0.end } ?? 0
    }

    public var totalSteps: Int { phases.reduce(0) { $0 + $1.steps } }

    public func callAsFunction(_ step: Int) -> Float { value(at: step) }

    public func value(at step: Int) -> Float {
        var s = step
        for ph in phases {
            if s < ph.steps { return LRSchedule.eval(ph, s) }
            s -= ph.steps
        }
        return after
    }

    static func eval(_ ph: Phase, _ i: Int) -> Float {
        let n = Float(max(ph.steps, 1))
        switch ph.shape {
        case .constant: return ph.start
        case .linear: return ph.start + (ph.end - ph.start) * Float(i + 1) / n
        case .linearDecay: return ph.start + (ph.end - ph.start) * Float(i) / n
        case .cosine: return ph.end + 0.5 * (ph.start - ph.end) * (1 + Float(cos(Double.pi * Double(i) / Double(n))))
        case .exponential: return Float(Double(ph.start) * pow(Double(ph.end) / Double(ph.start), Double(i) / Double(n)))
        }
    }

    // MARK: common shapes

    public static func constant(_ lr: Float, steps: Int) -> LRSchedule {
        LRSchedule(phases: [Phase(.constant, steps: steps, from: lr, to: lr)])
    }

    /// Linear warmup over `warmup` steps to `peak` (η = peak·(t+1)/W), then cosine to `floor` at `total`.
    public static func warmupCosine(peak: Float, floor: Float, warmup: Int, total: Int) -> LRSchedule {
        var ph: [Phase] = []
        if warmup > 0 { ph.append(Phase(.linear, steps: warmup, from: 0, to: peak)) }
        ph.append(Phase(.cosine, steps: total - warmup, from: peak, to: floor))
        return LRSchedule(phases: ph, after: floor)
    }

    /// The triangle of Raventós et al.: linear 0 → peak over the first half, linear peak → 0 over the second.
    public static func triangle(peak: Float, total: Int, warmupFraction: Double = 0.5) -> LRSchedule {
        let w = Int((Double(total) * warmupFraction).rounded())
        return LRSchedule(phases: [Phase(.linear, steps: w, from: 0, to: peak),
                                   Phase(.linearDecay, steps: total - w, from: peak, to: 0)], after: 0)
    }

    /// Infinite schedule (Ibrahim et al. 2024): warmup to `peak`, cooldown (cosine) to `constant`,
    /// a constant plateau, then a fast anneal to `floor` (linear, or `.exponential` as in Singh et
    /// al. 2025). Phases of length 0 are dropped.
    public static func infinite(peak: Float, constant: Float, floor: Float,
                                warmup: Int, cooldown: Int, plateau: Int, anneal: Int,
                                annealShape: Shape = .linearDecay) -> LRSchedule {
        var ph: [Phase] = []
        if warmup > 0 { ph.append(Phase(.linear, steps: warmup, from: 0, to: peak)) }
        if cooldown > 0 { ph.append(Phase(.cosine, steps: cooldown, from: peak, to: constant)) }
        if plateau > 0 { ph.append(Phase(.constant, steps: plateau, from: constant, to: constant)) }
        if anneal > 0 { ph.append(Phase(annealShape, steps: anneal, from: constant, to: floor)) }
        return LRSchedule(phases: ph, after: anneal > 0 ? floor : constant)
    }

    /// Warmup–stable–decay: warmup, constant at peak, linear decay to floor over the last steps.
    public static func wsd(peak: Float, floor: Float, warmup: Int, stable: Int, decay: Int) -> LRSchedule {
        infinite(peak: peak, constant: peak, floor: floor, warmup: warmup, cooldown: 0, plateau: stable, anneal: decay)
    }
}
