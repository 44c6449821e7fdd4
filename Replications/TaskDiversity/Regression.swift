import Foundation
import LMCore

/// In-context linear regression (Raventós et al. §2): y = wᵀx + ε with x ~ N(0, I_D),
/// w ~ N(0, τ²I_D) from a finite pool of M tasks (or fresh per sequence when M = ∞), ε ~ N(0, σ²).
public struct RegressionTask: Codable, Hashable, Sendable {
    /// `n_dims`
    public var dims: Int
    /// `n_points`: (x, y) pairs per sequence
    public var points: Int
    /// σ² of the label noise
    public var noiseVariance: Double
    /// τ, the task scale (1 in the paper)
    public var taskScale: Double = 1

    public init(dims: Int, points: Int, noiseVariance: Double, taskScale: Double = 1) {
        self.dims = dims; self.points = points; self.noiseVariance = noiseVariance; self.taskScale = taskScale
    }

    /// The miniature: D = 4, K = 2D, σ² = D/32 (the paper's SNR and K/D ratio).
    public static let miniature = RegressionTask(dims: 4, points: 8, noiseVariance: 0.125)
    /// The paper's own setting: D = 8, K = 16, σ² = 0.25.
    public static let paper = RegressionTask(dims: 8, points: 16, noiseVariance: 0.25)

    /// Ridge's λ = σ²/τ², which makes it the posterior mean under the Gaussian task prior.
    public var ridgeLambda: Double { noiseVariance / (taskScale * taskScale) }
}

/// The finite task pool, drawn once per (seed, M) from its own stream.
public struct TaskPool: Sendable {
    public let dims: Int
    /// M × D, row-major
    public let tasks: [Float]
    public var count: Int { tasks.count / dims }

    public init(size: Int, task: RegressionTask, rng: RandomStream) {
        var r = rng
        dims = task.dims
        let s = Float(task.taskScale)
        tasks = (0..<(size * task.dims)).map { _ in r.normal() * s }
    }
}

/// A set of regression sequences: what the Transformer and the closed forms are evaluated on.
public struct RegressionSet: Sendable {
    public let task: RegressionTask
    public let count: Int
    /// n × K × D
    public let x: [Float]
    /// n × D: each sequence's task vector
    public let w: [Float]
    /// n × K noisy labels
    public let y: [Float]
    /// n × K noiseless targets wᵀx
    public let clean: [Float]

    /// `count` sequences; tasks uniform over `pool`, or fresh from the prior when `pool` is nil.
    public init(task: RegressionTask, count: Int, pool: TaskPool?, rng: RandomStream) {
        var r = rng
        let d = task.dims, k = task.points
        self.task = task
        self.count = count
        var x = [Float](repeating: 0, count: count * k * d), w = [Float](repeating: 0, count: count * d)
        var y = [Float](repeating: 0, count: count * k), clean = [Float](repeating: 0, count: count * k)
        let sigma = Float(task.noiseVariance.squareRoot()), tau = Float(task.taskScale)
        for s in 0..<count {
            if let pool {
                let i = r.int(below: pool.count)
                for j in 0..<d { w[s * d + j] = pool.tasks[i * d + j] }
            } else {
                for j in 0..<d { w[s * d + j] = r.normal() * tau }
            }
            for p in 0..<k {
                var dot: Float = 0
                for j in 0..<d {
                    let v = r.normal()
                    x[(s * k + p) * d + j] = v
                    dot += v * w[s * d + j]
                }
                clean[s * k + p] = dot
                y[s * k + p] = dot + sigma * r.normal()
            }
        }
        self.x = x; self.w = w; self.y = y; self.clean = clean
    }

    /// The paper's tokenisation (`to_seq`): 2K tokens of width D+1, x-token = [0, x],
    /// y-token = [y, 0_D]; the prediction of y_k is read at the x_k token, so only those
    /// positions carry loss.
    public func batch(_ range: Range<Int>) -> Batch {
        let d = task.dims, k = task.points, width = d + 1, t = 2 * k
        let n = range.count
        var inputs = [Float](repeating: 0, count: n * t * width)
        var targets = [Float](repeating: 0, count: n * t)
        var weights = [Float](repeating: 0, count: n * t)
        for (b, s) in range.enumerated() {
            for p in 0..<k {
                let xt = (b * t + 2 * p) * width, yt = (b * t + 2 * p + 1) * width
                for j in 0..<d { inputs[xt + 1 + j] = x[(s * k + p) * d + j] }
                inputs[yt] = y[s * k + p]
                targets[b * t + 2 * p] = y[s * k + p]
                weights[b * t + 2 * p] = 1
            }
        }
        return Batch(batchSize: n, seqLen: t, inputs: inputs, targetValues: targets, weights: weights)
    }
}
