import Harness
import ICLL
import InContextPretraining
import MeCo
import Rewarm
import StabilityGap
import TaskDiversity

/// Every replication target the CLI knows, in the order of the project's paper table. Harness
/// itself knows no paper; add a target here (and its module to the `replicate` dependencies in
/// Package.swift).
let registry = TargetRegistry([
    RewarmTarget(),
    StabilityGapTarget(),
    MeCoTarget(),
    InContextPretrainingTarget(),
    ICLLTarget(),
    TaskDiversityTarget(),
])
