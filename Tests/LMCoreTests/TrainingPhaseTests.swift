import Foundation
import Testing
@testable import LMCore

/// The exponential anneal shape and `TrainingPhase` (start from a checkpoint, optimizer reset or
/// kept, named validation sets, snapshots).
struct TrainingPhaseTests {
    @Test func exponentialAnneal() {
        let s = LRSchedule.infinite(peak: 1, constant: 0.5, floor: 0.05, warmup: 0, cooldown: 0, plateau: 3, anneal: 4,
                                    annealShape: .exponential)
        #expect(s(2) == 0.5 && s(3) == 0.5)
        #expect(abs(Double(s(5)) - 0.5 * pow(0.1, 0.5)) < 1e-7)
        #expect(s(7) == 0.05)
    }

    func tinyModel() -> GPT { GPT(GPTConfig(vocabSize: 16, contextLength: 8, dModel: 16, nLayers: 1, nHeads: 2), seed: 3) }

    func batch(_ step: Int) -> Batch {
        var r = RandomStream(seed: 9, stream: "b").child(step)
        let t = (0..<32).map { _ in Int32(r.int(below: 16)) }
        return Batch(batchSize: 4, seqLen: 8, tokens: t, targets: t.map { ($0 + 1) % 16 })
    }

    @Test func phaseStartsFromASnapshotWithResetOrKeptState() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("phase-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let val = [batch(1000)]
        let ck = dir.appendingPathComponent("ck-5.ckpt")
        let first = tinyModel(), opt = AdamW(first.parameters)
        let log = try TrainingPhase(label: "up", steps: 10, schedule: .constant(1e-2, steps: 10), start: .fresh,
                                    evalSteps: [0, 10], validation: [("v", val)], snapshots: [5: ck]).run(model: first, optimizer: opt, batch: batch)
        #expect(log.series["val/v"]?.map(\.step) == [0, 10])
        #expect(log.values("val/v")[1] < log.values("val/v")[0])
        for handover in [TrainingPhase.OptimizerHandover.reset, .keep] {
            let m = tinyModel(), o = AdamW(m.parameters)
            let l = try TrainingPhase(label: "cont", steps: 2, schedule: .constant(1e-2, steps: 2),
                                      start: .checkpoint(ck, optimizer: handover), evalSteps: [0], validation: [("v", val)])
                .run(model: m, optimizer: o, batch: batch)
            let norm = l.values("switch/moment_norm")[0], t = l.values("switch/optimizer_step")[0]
            #expect(handover == .reset ? (norm == 0 && t == 0) : (norm > 0 && t == 5))
        }
    }

    @Test func probesAreRecordedAtTheEvaluationSteps() throws {
        let m = tinyModel(), o = AdamW(m.parameters)
        var phase = TrainingPhase(label: "probe", steps: 4, schedule: .constant(1e-2, steps: 4), start: .fresh,
                                  evalSteps: [0, 2, 4], validation: [("v", [batch(1000)])])
        var calls: [Int] = []
        phase.probes = { step in calls.append(step); return ["probe/step": Double(step)] }
        let log = try phase.run(model: m, optimizer: o, batch: batch)
        #expect(calls == [0, 2, 4])
        #expect(log.series["probe/step"]?.map(\.step) == [0, 2, 4] && log.values("probe/step") == [0, 2, 4])
    }
}
