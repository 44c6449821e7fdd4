import Foundation
import Harness
import LMCore
import Testing
@testable import TaskDiversity

/// The closed forms on cases with known answers, and the smoke gate: the smoke tier run end to
/// end through the harness, whose gated claims (R0 on reduced Monte-Carlo size, S1) must hold.
struct EstimatorTests {
    @Test func ridgeMatchesADirectSolve() {
        let task = RegressionTask(dims: 3, points: 6, noiseVariance: 0.3)
        let set = RegressionSet(task: task, count: 5, pool: nil, rng: RandomStream(seed: 1, stream: "t"))
        let pred = Estimators.ridge(set)
        for s in 0..<set.count {
            #expect(pred[s * 6] == 0)
            // position 3 uses pairs 0..2: solve (XᵀX + λI) w = Xᵀy by Gaussian elimination in Double
            var a = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 3)
            for i in 0..<3 { a[i][i] = 0.3 }
            for p in 0..<3 {
                let x = (0..<3).map { Double(set.x[(s * 6 + p) * 3 + $0]) }, y = Double(set.y[s * 6 + p])
                for i in 0..<3 { for j in 0..<3 { a[i][j] += x[i] * x[j] }; a[i][3] += x[i] * y }
            }
            for c in 0..<3 { for r in (c + 1)..<3 { let f = a[r][c] / a[c][c]; for k in c...3 { a[r][k] -= f * a[c][k] } } }
            var w = [0.0, 0, 0]
            for i in stride(from: 2, through: 0, by: -1) {
                var v = a[i][3]
                for j in (i + 1)..<3 { v -= a[i][j] * w[j] }
                w[i] = v / a[i][i]
            }
            let x3 = (0..<3).map { Double(set.x[(s * 6 + 3) * 3 + $0]) }
            #expect(abs(pred[s * 6 + 3] - zip(w, x3).map(*).reduce(0, +)) < 1e-9)
        }
    }

    @Test func dmmseWithOneTaskIsThatTask() {
        let task = RegressionTask(dims: 4, points: 8, noiseVariance: 0.125)
        let pool = TaskPool(size: 1, task: task, rng: RandomStream(seed: 2, stream: "pool"))
        let set = RegressionSet(task: task, count: 20, pool: pool, rng: RandomStream(seed: 2, stream: "data"))
        let pred = Estimators.dmmse(set, pool: pool)
        #expect(Estimators.delta(pred, set.clean.map(Double.init), points: 8, dims: 4) < 1e-10)
    }

    @Test func dmmseIdentifiesThePoolMemberAsEvidenceGrows() {
        let task = RegressionTask(dims: 4, points: 8, noiseVariance: 0.125)
        let pool = TaskPool(size: 4, task: task, rng: RandomStream(seed: 3, stream: "pool"))
        let set = RegressionSet(task: task, count: 200, pool: pool, rng: RandomStream(seed: 3, stream: "data"))
        let err = Estimators.perPosition(Estimators.dmmse(set, pool: pool), set.clean.map(Double.init), points: 8, dims: 4)
        #expect(err[0] > 0.1 && err[7] < 0.01 * err[0])
    }

    /// The one-pass update (running maximum, constant exp below the clamp) gives the same bits
    /// as the plain two-pass form: a max pass, then exp on every lane.
    @Test func posteriorUpdateMatchesTheTwoPassFormBitForBit() {
        func twoPass(_ alpha: inout [Float], _ row: [Float], y: Float, c: Float) -> Double {
            var mx = -Float.infinity
            for a in alpha { mx = max(mx, a) }
            var z = 0.0, pred = 0.0, i = 0
            while i + 8 <= alpha.count {
                let a = SIMD8<Float>(alpha[i..<(i + 8)]), p = SIMD8<Float>(row[i..<(i + 8)])
                let e = FastMath.exp(a - SIMD8(repeating: mx))
                z += Double(e.sum()); pred += Double((e * p).sum())
                for l in 0..<8 { let r = y - row[i + l]; alpha[i + l] -= r * r * c }
                i += 8
            }
            while i < alpha.count {
                let e = FastMath.exp(alpha[i] - mx)
                z += Double(e); pred += Double(e * row[i])
                let r = y - row[i]; alpha[i] -= r * r * c
                i += 1
            }
            return pred / z
        }
        var rng = RandomStream(seed: 5, stream: "posterior")
        for m in [1, 3, 8, 13, 64, 1000] {
            var reference = [Float](repeating: 0, count: m), fused = reference
            var maxAlpha: Float = 0
            for _ in 0..<24 {   // enough positions for most lanes to fall below exp's clamp
                var row = (0..<m).map { _ in (rng.uniform() * 12 - 6) }
                let y = (rng.uniform() * 12 - 6), c: Float = 4
                let want = twoPass(&reference, row, y: y, c: c)
                let got = fused.withUnsafeMutableBufferPointer { al in
                    row.withUnsafeMutableBufferPointer { r in
                        Estimators.posteriorMeanAndUpdate(alpha: al.baseAddress!, projections: r.baseAddress!, m: m,
                                                          y: y, inv2s2: c, maxAlpha: &maxAlpha)
                    }
                }
                #expect(got.bitPattern == want.bitPattern, "m = \(m)")
                #expect(fused.map(\.bitPattern) == reference.map(\.bitPattern))
                #expect(maxAlpha == reference.max()!)
            }
            // The constant branch was exercised: most lanes ended below exp's clamp.
            let top = reference.max()!
            #expect(m < 8 || reference.filter { $0 - top < FastMath.expClampLow }.count > m / 2)
        }
    }

    @Test func tokenisationReadsPredictionsAtXTokens() {
        let task = RegressionTask(dims: 2, points: 3, noiseVariance: 0.1)
        let set = RegressionSet(task: task, count: 2, pool: nil, rng: RandomStream(seed: 4, stream: "t"))
        let b = set.batch(0..<2)
        #expect(b.seqLen == 6 && b.inputs!.count == 2 * 6 * 3)
        #expect(b.weights == [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
        #expect(b.inputs![0] == 0 && b.inputs![1] == set.x[0] && b.inputs![3] == set.y[0] && b.inputs![4] == 0)
        #expect(b.targetValues![2] == set.y[1])
    }

    @Test func spearmanRanks() {
        #expect(Statistics.spearman([1, 2, 3, 4], [10, 8, 3, 1]) == -1)
        #expect(abs(Statistics.spearman([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-12)
    }
}
