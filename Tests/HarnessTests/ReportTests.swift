import Foundation
import Testing
@testable import Harness

/// The whole pipeline on the fake target: run → store → verdicts → report.
@Test func pipelineVerdictsAndByteIdenticalReports() throws {
    let dir = tempDir()
    let target = makeTarget(in: dir)
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    _ = try Runner(target: target, store: store, options: quietOptions(seeds: 3)).run()

    let e = try Evaluation.evaluate(target, tier: .default, store: store)
    #expect(e.seedList == [1, 2, 3])
    #expect(e.claims.map(\.claim.id) == ["F1", "F2", "F3"])
    #expect(e.claims[0].verdict == .pass)
    #expect(e.claims[0].seedsPassing == 3)
    #expect(e.claims[1].verdict == .pass)     // via the nested 'all'
    #expect(e.claims[2].verdict == .fail && !e.claims[2].gated)
    #expect(e.gatedFailures.isEmpty && e.gatedMissing.isEmpty)
    #expect(e.table.contains("F1  PASS (3/3 seeds pass)  [robust]"))

    // Smoke tier, one seed: n=1 and only the smoke claims.
    _ = try Runner(target: target, store: store, options: quietOptions(.smoke, seeds: 1)).run()
    let smoke = try Evaluation.evaluate(target, tier: .smoke, store: store)
    #expect(smoke.claims.map(\.claim.id) == ["F1"])
    #expect(smoke.claims[0].label == "PASS (n=1)")

    let reports1 = dir.appendingPathComponent("Reports1"), reports2 = dir.appendingPathComponent("elsewhere/Reports2")
    let registry = TargetRegistry([target])
    for out in [reports1, reports2, reports1] {
        try ReportWriter.write(target, tier: .default, store: store, to: out)
        try ReportWriter.writeIndex(registry, tier: .default, store: store, to: out)
    }
    let files = try FileManager.default.subpathsOfDirectory(atPath: reports1.path).sorted()
    #expect(files == ["README.md", "fake", "fake/README.md", "fake/data", "fake/data/measurements.csv", "fake/data/runs.csv",
                      "fake/data/series.csv", "fake/loss.dat", "fake/loss.gp", "fake/loss.png", "fake/loss.svg"])
    for f in files where f.contains(".") {
        let a = try Data(contentsOf: reports1.appendingPathComponent(f))
        let b = try Data(contentsOf: reports2.appendingPathComponent(f))
        #expect(a == b, "\(f) differs between regenerations")
        #expect(!a.isEmpty)
    }
    let readme = try String(contentsOf: reports1.appendingPathComponent("fake/README.md"), encoding: .utf8)
    #expect(readme.contains("| F1 | C1: Continuing from the base run lowers the loss further. | 0.2 (Fig. 1) |"))
    #expect(readme.hasPrefix("# A fake paper\n\n> **Tier `default`, n = 3 seeds**"))
    #expect(readme.contains("- **Passes if:** `solo_final` or (`tuned_final` and `gap`); "))
    #expect(readme.contains("| base | 1, 2, 3 | 3/3 complete |"))
    #expect(readme.contains("make replicate PAPER=fake TIER=default\n"))   // the registered seeds need no SEEDS=
    #expect(readme.contains("Registered seeds for this tier: 3 (seeds 1–3)"))
    #expect(!readme.contains("Not the registered seeds"))
    #expect(readme.contains("| **PASS (3/3 seeds pass)** | PASS |"))
    #expect(readme.contains("| cpu") == false)
    let index = try String(contentsOf: reports1.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(index.contains("| fake | 3 | 2 | 0 | 0 | 0 | 1 | [fake](fake/README.md) |"))
}

@Test func gnuplotScriptNamesTerminalsAndRelativeOutputs() {
    let f = Figure(name: "x", title: "T \"q\"", xLabel: "step", yLabel: "loss", logX: true,
                   series: [FigureSeries(label: "a", points: [FigurePoint(x: 1, y: 2, error: 0.1)])])
    let s = Gnuplot.script(f)
    #expect(s.contains("set terminal pngcairo"))
    #expect(s.contains("set output 'x.png'"))
    #expect(s.contains("set terminal svg"))
    #expect(s.contains("set output 'x.svg'"))
    #expect(s.contains("yerrorlines"))
    #expect(s.contains("set title \"T \\\"q\\\"\""))
    #expect(Gnuplot.data(f) == "# T \"q\"\n# index 0: a\n1.0 2.0 0.1\n")
}

@Test func seriesStylesPickTheirGnuplotStyle() throws {
    let f = Figure(name: "styles", title: "styles", xLabel: "j", yLabel: "w", xRange: 0.5...3.5,
                   series: [FigureSeries(label: "row", points: [FigurePoint(x: 0, y: 0.2), FigurePoint(x: 1, y: 0.8)], style: .impulses),
                            FigureSeries(label: "marks", points: [FigurePoint(x: 1, y: 0.8)], style: .points),
                            FigureSeries(label: "marks ± e", points: [FigurePoint(x: 1, y: 0.8, error: 0.1)], style: .points),
                            FigureSeries(label: "curve", points: [FigurePoint(x: 1, y: 0.5)])])
    let s = Gnuplot.script(f)
    #expect(s.contains("index 0 using 1:2 with impulses lw 2 lc 1 title \"row\""))
    #expect(s.contains("index 1 using 1:2 with points lc 2 pt 2 title \"marks\""))
    #expect(s.contains("index 2 using 1:2:3 with yerrorbars lc 3 pt 3 title \"marks ± e\""))
    #expect(s.contains("index 3 using 1:2 with linespoints lc 4 pt 4 title \"curve\""))
    #expect(s.contains("set xrange [0.5:3.5]"))
    #expect(!Gnuplot.script(Figure(name: "auto", title: "", xLabel: "", yLabel: "", series: [])).contains("set xrange"))
    // gnuplot accepts every style (draws PNG and SVG without an error).
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("styles-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try Gnuplot.draw(f, in: dir)
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("styles.png").path))
}
