import ArgumentParser
import Foundation
import Harness

struct Power: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cost to verdict: per claim condition, the chance of PASS at the registered seeds and n80.",
        discussion: """
            Reads the stored runs of a tier and treats each condition's per-seed values as normal \
            with their mean and sd: d is the mean's distance to the nearest band edge in sds \
            (positive inside the band), P(PASS) the chance the 95% interval lands inside the band \
            at the registered seed count (noncentral t; both edges for a two-edged band), n80 the \
            smallest n ≤ 100 with at least 80% chance of PASS. Each claim's line combines its \
            conditions as independent and says where more seeds would take it.
            """)

    @OptionGroup var paper: StoredPaper

    func run() throws {
        try failing { print(try paper.evaluate().powerTable) }
    }
}
