import Foundation
import Testing
@testable import LMCore

/// The model at the context lengths the papers use (T = 256): causal attention means position i
/// cannot tell a long sequence from its prefix, in the forward pass and in the gradient. (The
/// reference-state and finite-difference tests run at small T.)
struct LongContextTests {
    static let config = GPTConfig(vocabSize: 50, contextLength: 256, dModel: 64, nLayers: 2, nHeads: 4, mlpHidden: 256)
    static let tokens: [Int32] = { var r = RandomStream(seed: 1, stream: "tokens"); return (0..<256).map { _ in Int32(r.int(below: 50)) } }()
    static let targets: [Int32] = { var r = RandomStream(seed: 2, stream: "targets"); return (0..<256).map { _ in Int32(r.int(below: 50)) } }()

    static func batch(_ t: Int, lossAt pos: Int? = nil) -> Batch {
        var w = [Float](repeating: pos == nil ? 1 : 0, count: t)
        if let pos { w[pos] = 1 }
        return Batch(batchSize: 1, seqLen: t, tokens: Array(tokens.prefix(t)), targets: Array(targets.prefix(t)), weights: w)
    }

    @Test func outputsOfAPrefixMatchTheFullSequence() {
        let model = GPT(Self.config, seed: 3)
        _ = model.forward(Self.batch(256))
        let full = model.outputs
        for t in [1, 63, 64, 65, 128, 129, 200] {
            _ = model.forward(Self.batch(t))
            let p = model.outputs
            let diff = (0..<(t * 50)).map { abs(p[$0] - full[$0]) }.max()!
            #expect(diff < 1e-5, "prefix \(t): max difference \(diff)")
        }
        // and a position does see its past: changing token 199 moves the logits at 200
        var changed = Self.tokens; changed[199] = (changed[199] + 1) % 50
        _ = model.forward(Batch(batchSize: 1, seqLen: 256, tokens: changed, targets: Self.targets))
        let out = model.outputs
        let moved = (200 * 50..<201 * 50).map { abs(out[$0] - full[$0]) }.max()!
        #expect(moved > 1e-5)
    }

    @Test func gradientOfOnePositionDoesNotDependOnLaterTokens() {
        let model = GPT(Self.config, seed: 3)
        func grads(_ t: Int, pos: Int) -> [Float] {
            model.parameters.zeroGrads()
            _ = model.forward(Self.batch(t, lossAt: pos))
            model.backward()
            let g = model.parameters.grads
            return Array(UnsafeBufferPointer(start: g.ptr, count: g.count))
        }
        for (t, pos) in [(256, 100), (256, 199), (130, 5)] {
            let ref = grads(pos + 1, pos: pos), g = grads(t, pos: pos)
            let scale = ref.map(abs).max()!
            let diff = zip(ref, g).map { abs($0 - $1) }.max()!
            #expect(scale > 0 && diff <= 1e-5 * max(1, scale), "T = \(t), loss at \(pos): max difference \(diff)")
        }
    }
}
