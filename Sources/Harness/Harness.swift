// Harness: targets, claims, runner, results store, verdicts, reports.
import Foundation
