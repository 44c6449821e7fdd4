import Foundation
import Testing
@testable import Harness

/// A metrics bug is an error naming the paper, tier, seed and metric, never a silent NO DATA.
@Suite struct MetricFailures {
    func evaluationError(_ fault: FakeTarget.MetricsFault) throws -> String {
        var target = makeTarget(in: tempDir())
        let store = try ResultsStore(path: tempDir().appendingPathComponent("r.sqlite").path)
        _ = try Runner(target: target, store: store, options: quietOptions(seeds: 1)).run()
        target.metricsFault = fault
        do { _ = try Evaluation.evaluate(target, tier: .default, store: store) } catch { return "\(error)" }
        return "no error"
    }

    @Test func aThrowingMetricNamesPaperSeedAndMetric() throws {
        #expect(try evaluationError(.throwing)
            == "fake default seed 1: metric gap: tuned's final loss is zero; fix the paper's metric code (no verdict was written)")
    }

    @Test func anUndeclaredMetricNameIsAnError() throws {
        #expect(try evaluationError(.undeclared)
            == "fake default seed 1: metric gpa: computed but not declared in metricNames; fix the paper's metric code (no verdict was written)")
    }
}
