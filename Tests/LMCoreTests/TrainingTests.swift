import Foundation
import Testing
@testable import LMCore

/// Determinism and resume: same seed → bit-identical runs; killed and resumed → bit-identical to
/// a run never interrupted. Also the optimizer, schedules, RNG and checkpoint contracts.
struct TrainingTests {
    static let config = GPTConfig(vocabSize: 17, contextLength: 12, dModel: 16, nLayers: 2, nHeads: 2, mlpHidden: 32)

    /// A batch that is a pure function of the step: a noisy copy task on a counter-based stream.
    static func batch(_ step: Int, seed: UInt64 = 9) -> Batch {
        var r = RandomStream(seed: seed, stream: "data").child(step)
        let b = 4, t = 12
        var tok = [Int32](), tgt = [Int32]()
        for _ in 0..<(b * t) { tok.append(Int32(r.int(below: 17))) }
        for i in 0..<(b * t) { tgt.append((tok[i] + 1) % 17) }
        return Batch(batchSize: b, seqLen: t, tokens: tok, targets: tgt)
    }

    static func train(steps: Int, seed: UInt64, checkpoint: URL? = nil, stopAfter: Int? = nil, every: Int = 0) throws -> (GPT, Trainer) {
        let model = GPT(config, seed: seed)
        let opt = AdamW(model.parameters, config: .init(weightDecay: 0.1))
        let trainer = Trainer(model: model, optimizer: opt, schedule: .warmupCosine(peak: 1e-2, floor: 3e-4, warmup: 5, total: steps),
                              totalSteps: steps)
        trainer.checkpointURL = checkpoint
        trainer.checkpointEvery = every
        trainer.configHash = "test-\(seed)"
        trainer.stopAfter = stopAfter
        trainer.evalSteps = [0, 10, steps]
        try trainer.resumeIfPossible()
        try trainer.run(batch: { batch($0) }, evaluate: { _ in ["val_loss": Trainer.evaluate(model, batches: [batch(-1)])] })
        return (model, trainer)
    }

    @Test func sameSeedIsBitIdentical() throws {
        let (a, ta) = try Self.train(steps: 30, seed: 1)
        let (b, tb) = try Self.train(steps: 30, seed: 1)
        #expect(a.parameters.values.array == b.parameters.values.array)
        #expect(ta.log == tb.log)
        let (c, _) = try Self.train(steps: 30, seed: 2)
        #expect(a.parameters.values.array != c.parameters.values.array)
        // and it learns something
        let losses = ta.log.values("train_loss")
        #expect(losses.last! < losses.first! - 0.3)
    }

    @Test func resumeAfterKillIsBitIdentical() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmcore-resume-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("run.ckpt")
        let (ref, tref) = try Self.train(steps: 40, seed: 5)
        // "killed" after 23 steps; the last checkpoint is at step 20
        let (_, t1) = try Self.train(steps: 40, seed: 5, checkpoint: url, stopAfter: 23, every: 10)
        #expect(t1.step == 23)
        let (resumed, t2) = try Self.train(steps: 40, seed: 5, checkpoint: url, every: 10)
        #expect(resumed.parameters.values.array == ref.parameters.values.array)
        #expect(t2.log == tref.log)
        #expect(t2.step == 40)
    }

    @Test func corruptedCheckpointIsAClearError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmcore-ck-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("run.ckpt")
        _ = try Self.train(steps: 12, seed: 3, checkpoint: url, stopAfter: 11, every: 10)
        var data = try Data(contentsOf: url)
        data[data.count / 2] ^= 0xFF
        try data.write(to: url)
        #expect(throws: CheckpointError.self) { _ = try Checkpoint.read(from: url) }
        do { _ = try Checkpoint.read(from: url) } catch { #expect("\(error)".contains("checksum")) }
        // a checkpoint of another configuration is refused
        let model = GPT(Self.config, seed: 3)
        let t = Trainer(model: model, optimizer: AdamW(model.parameters), schedule: .constant(1e-3, steps: 5), totalSteps: 5)
        _ = try Self.train(steps: 12, seed: 3, checkpoint: dir.appendingPathComponent("ok.ckpt"), stopAfter: 11, every: 10)
        t.checkpointURL = dir.appendingPathComponent("ok.ckpt")
        t.configHash = "other"
        #expect(throws: CheckpointError.self) { try t.resumeIfPossible() }
    }

    @Test func divergenceStopsWithTheStep() throws {
        let model = GPT(Self.config, seed: 1)
        let t = Trainer(model: model, optimizer: AdamW(model.parameters, config: .init(clip: nil)),
                        schedule: .constant(1e9, steps: 50), totalSteps: 50)
        do {
            try t.run(batch: { Self.batch($0) })
            Issue.record("a learning rate of 1e9 should diverge")
        } catch let e as TrainingError {
            #expect("\(e)".contains("diverged at step"))
        }
    }

    @Test func adamWResetAndDecayOnMatricesOnly() {
        let p = ParameterSet()
        p.declare("w", [2, 2]); p.declare("b", [2])
        p.seal()
        for i in 0..<6 { p.values[i] = 1 }
        let opt = AdamW(p, config: .init(weightDecay: 0.5, clip: nil))
        opt.step(lr: 0.1)   // zero gradient: only decay acts
        #expect(p.values[0] == 0.95)
        #expect(p.values[4] == 1)
        for i in 0..<6 { p.grads[i] = 1 }
        opt.step(lr: 0.1)
        #expect(opt.t == 2)
        opt.reset()
        #expect(opt.t == 0 && opt.m.array.allSatisfy { $0 == 0 } && opt.v.array.allSatisfy { $0 == 0 })
        // the first step after a reset moves every coordinate by lr (bias-corrected Adam)
        let before = p.values[4]
        opt.step(lr: 0.1)
        #expect(abs((before - p.values[4]) - 0.1) < 1e-5)
    }

    @Test func clippingBoundsTheUpdateNorm() {
        let p = ParameterSet(); p.declare("w", [4]); p.seal()
        for i in 0..<4 { p.grads[i] = 10 }
        let opt = AdamW(p, config: .init(weightDecay: 0, clip: 1))
        let norm = opt.step(lr: 0.01)
        #expect(abs(norm - 20) < 1e-4)
    }

    @Test func schedules() {
        let wc = LRSchedule.warmupCosine(peak: 1, floor: 0.1, warmup: 4, total: 104)
        #expect(wc(0) == 0.25 && wc(3) == 1)
        #expect(abs(wc(4) - 1) < 1e-6)
        #expect(abs(wc(54) - 0.55) < 1e-5)          // halfway through the cosine
        #expect(abs(wc(104) - 0.1) < 1e-6)
        let tri = LRSchedule.triangle(peak: 1e-3, total: 4000)
        #expect(abs(tri(1999) - 1e-3) < 1e-9 && tri(0) > 0 && abs(tri(2000) - 1e-3) < 1e-9 && tri(3999) < 1e-6 && tri(4000) == 0)
        let inf = LRSchedule.infinite(peak: 1, constant: 0.5, floor: 0, warmup: 2, cooldown: 10, plateau: 5, anneal: 4)
        #expect(inf(1) == 1 && abs(inf(12) - 0.5) < 1e-6 && inf(16) == 0.5 && inf(20) < 0.5 && inf(21) == 0)
        #expect(inf.totalSteps == 21)
        let wsd = LRSchedule.wsd(peak: 2, floor: 0.2, warmup: 1, stable: 3, decay: 2)
        #expect(wsd(0) == 2 && wsd(3) == 2 && wsd(4) == 2 && abs(wsd(5) - 1.1) < 1e-6 && abs(wsd(6) - 0.2) < 1e-6)
        #expect(LRSchedule.constant(0.3, steps: 5)(2) == 0.3)
    }

    @Test func randomStreams() throws {
        var a = RandomStream(seed: 1, stream: "data"), b = RandomStream(seed: 1, stream: "data")
        var c = RandomStream(seed: 1, stream: "init")
        let xa = (0..<100).map { _ in a.nextUInt32() }
        #expect(xa == (0..<100).map { _ in b.nextUInt32() })
        #expect(xa != (0..<100).map { _ in c.nextUInt32() })
        // named children do not depend on how much the parent was used
        #expect(RandomStream(seed: 1, stream: "data").child("x") == a.child("x"))
        // uniform statistics and normal moments
        var r = RandomStream(seed: 42, stream: "stats")
        let u = (0..<20000).map { _ in Double(r.uniform()) }
        #expect(abs(u.reduce(0, +) / 20000 - 0.5) < 0.01)
        let z = (0..<20000).map { _ in r.normalDouble() }
        let mean = z.reduce(0, +) / 20000
        let variance = z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20000
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(r.int(below: 7)) })
        // state survives a Codable round trip mid-block
        _ = r.nextUInt32()
        let copy = try JSONDecoder().decode(RandomStream.self, from: JSONEncoder().encode(r))
        var r2 = copy
        #expect((0..<10).map { _ in r.nextUInt32() } == (0..<10).map { _ in r2.nextUInt32() })
    }
}
