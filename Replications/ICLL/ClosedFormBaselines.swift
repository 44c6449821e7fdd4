import Corpora
import Foundation
import Harness

/// Checks I0 and I0b: the in-context n-gram reference lines, before any training. I0 on the 200
/// miniature test instances (the same ones the models are scored on); I0b on 150 instances of
/// the paper-scale generator, where Figure 1's reference lines were recomputed (README).
struct BaselineConfig: Codable {
    var miniature: RegBench.Parameters
    var paperScale: RegBench.Parameters
    var orders: [Int]

    static func `for`(_ tier: Tier) -> BaselineConfig {
        var paper = RegBench.Parameters.paper
        paper.trainInstances = 0
        paper.testInstances = 150
        return BaselineConfig(miniature: .miniature, paperScale: paper, orders: [1, 2, 3, 4])
    }
}

enum ClosedFormBaselines {
    static func run(_ cfg: BaselineConfig, context: RunContext) throws {
        for (prefix, params) in [("", cfg.miniature), ("paper_", cfg.paperScale)] {
            let corpus = ICLLData.corpus(params)
            for n in cfg.orders {
                let s = BaselineScores.score(corpus.test, automata: corpus.automata, order: n, parameters: params)
                context.measure("\(prefix)acc_\(n)gram", s.accuracy)
                context.measure("\(prefix)tvd_\(n)gram", s.tvd)
                // Instance-level spread of the accuracy (quoted for the 3-gram in README).
                let per = corpus.test.map { BaselineScores.score([$0], automata: corpus.automata, order: n, parameters: params).accuracy }
                let mean = per.reduce(0, +) / Double(per.count)
                let sd = (per.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(per.count - 1)).squareRoot()
                context.measure("\(prefix)acc_\(n)gram_instance_sd", sd)
            }
            let lengths = corpus.test.map { Double($0.tokens.count) }
            context.measure("\(prefix)mean_instance_tokens", lengths.reduce(0, +) / Double(lengths.count))
            context.measure("\(prefix)max_instance_tokens", lengths.max() ?? 0)
        }
    }
}
