import Foundation
import Testing
@testable import LMCore

/// The llm.c-style reference-state test: a PyTorch script (Fixtures/gen_reference.py, float64)
/// computed logits, loss, every parameter gradient and 10 AdamW steps for three tiny GPTs; the
/// float32 Swift core must reproduce them. The fixture is committed, so no PyTorch is needed.
struct ReferenceStateTests {
    struct Fixture: Decodable { let torch: String; let cases: [Case] }
    struct Case: Decodable {
        struct Config: Decodable {
            let vocabSize, inputDim, outputDim, contextLength, dModel, nLayers, nHeads, mlpHidden: Int
            let norm: String; let bias: Bool; let tied: Bool
        }
        struct Tensor: Decodable { let name: String; let shape: [Int]?; let data: [Double] }
        struct Optim: Decodable { let lr, beta1, beta2, eps, weightDecay, clip: Double }
        let name: String, config: Config, batch: Int, seqLen: Int
        let tokens: [Int32]?, inputs: [Float]?, targets: [Int32]?, targetValues: [Float]?
        let weights: [Float], positions: [Int32]?, documents: [Int32]?
        let params: [Tensor], outputs: [Double], loss: Double, grads: [Tensor]
        let optimizer: Optim, stepLosses: [Double]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/gpt_reference.json")
        let data = try! Data(contentsOf: url)
        return try! JSONDecoder().decode(Fixture.self, from: data)
    }()

    static func setUp(_ c: Case) -> (GPT, Batch) {
        let k = c.config
        let cfg = GPTConfig(vocabSize: k.vocabSize, inputDim: k.inputDim, outputDim: k.outputDim, contextLength: k.contextLength,
                            dModel: k.dModel, nLayers: k.nLayers, nHeads: k.nHeads, mlpHidden: k.mlpHidden,
                            norm: k.norm == "rmsnorm" ? .rmsNorm : .layerNorm, bias: k.bias, tiedEmbeddings: k.tied)
        let model = GPT(cfg)
        let p = model.parameters
        // Same names, same order, same shapes as the PyTorch module: the layouts are identical.
        #expect(p.entries.map(\.name) == c.params.map(\.name), "\(c.name): parameter order differs from the reference")
        for (e, t) in zip(p.entries, c.params) {
            #expect(t.shape == nil || t.shape! == e.shape, "\(c.name): \(e.name) shape \(e.shape) vs \(t.shape ?? [])")
            #expect(t.data.count == e.count)
            for i in 0..<min(e.count, t.data.count) { p.values[e.offset + i] = Float(t.data[i]) }
        }
        let batch = Batch(batchSize: c.batch, seqLen: c.seqLen, tokens: c.tokens, targets: c.targets, inputs: c.inputs,
                          targetValues: c.targetValues, weights: c.weights, positions: c.positions, documents: c.documents)
        return (model, batch)
    }

    static var caseNames: [String] { fixture.cases.map(\.name) }

    @Test(arguments: caseNames) func forwardAndGradients(name: String) throws {
        let c = try #require(Self.fixture.cases.first { $0.name == name })
        let (model, batch) = Self.setUp(c)
        model.parameters.zeroGrads()
        let loss = model.forward(batch)
        model.backward()
        #expect(abs(Double(loss) - c.loss) <= 2e-6 * max(1, abs(c.loss)), "\(name): loss \(loss) vs \(c.loss)")
        let out = model.outputs
        #expect(out.count == c.outputs.count)
        let outErr = zip(out, c.outputs).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(outErr < 1e-5, "\(name): max output error \(outErr)")
        let p = model.parameters
        for g in c.grads {
            let e = try #require(p.entry(g.name))
            let scale = g.data.map(abs).max() ?? 0
            var err = 0.0
            for i in 0..<e.count { err = max(err, abs(Double(p.grads[e.offset + i]) - g.data[i])) }
            #expect(err <= 1e-4 * max(scale, 1e-3), "\(name): gradient of \(g.name) off by \(err) (scale \(scale))")
        }
    }

    @Test(arguments: caseNames) func tenAdamWSteps(name: String) throws {
        let c = try #require(Self.fixture.cases.first { $0.name == name })
        let (model, batch) = Self.setUp(c)
        let o = c.optimizer
        let opt = AdamW(model.parameters, config: .init(beta1: Float(o.beta1), beta2: Float(o.beta2), eps: Float(o.eps),
                                                         weightDecay: Float(o.weightDecay), clip: Float(o.clip)))
        for (k, ref) in c.stepLosses.enumerated() {
            model.parameters.zeroGrads()
            let loss = model.forward(batch)
            #expect(abs(Double(loss) - ref) <= 2e-5 * max(1, abs(ref)), "\(name): step \(k) loss \(loss) vs \(ref)")
            model.backward()
            opt.step(lr: Float(o.lr))
        }
    }
}
