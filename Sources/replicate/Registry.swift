import Harness
import TaskDiversity
import Rewarm

/// Every replication target the CLI knows. Harness itself knows no paper; add a target here
/// (and its module to the `replicate` dependencies in Package.swift).
let registry = TargetRegistry([
    TaskDiversityTarget(),
    RewarmTarget(),
])
