// Papers: the one list of replication targets. The CLI and the tests read it; Harness knows no paper.
import Harness
import ICLL
import InContextPretraining
import MeCo
import Rewarm
import StabilityGap
import TaskDiversity

/// Every replication target, in the order of the project's paper table. Adding a paper: one line
/// here and its module name in `papers` in Package.swift (docs/adding-a-paper.md).
public let registry = TargetRegistry([
    RewarmTarget(),
    StabilityGapTarget(),
    MeCoTarget(),
    InContextPretrainingTarget(),
    ICLLTarget(),
    TaskDiversityTarget(),
])
