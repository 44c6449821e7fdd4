import Foundation

/// Draws a `Figure` with gnuplot: writes `<name>.dat` and `<name>.gp` beside the images, then
/// runs gnuplot once for `<name>.png` (pngcairo) and `<name>.svg`. Terminals and outputs are
/// always named, so gnuplot never opens a window. Paths in the script are relative, so the
/// files do not depend on where the report folder lives.
public enum Gnuplot {
    public static func draw(_ figure: Figure, in directory: URL) throws {
        guard figure.name.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
            throw HarnessError.gnuplot("figure name '\(figure.name)' must use letters, digits, '-' or '_'")
        }
        try data(figure).write(to: directory.appendingPathComponent("\(figure.name).dat"), atomically: true, encoding: .utf8)
        try script(figure).write(to: directory.appendingPathComponent("\(figure.name).gp"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gnuplot", "\(figure.name).gp"]
        p.currentDirectoryURL = directory
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { throw HarnessError.gnuplot("cannot start gnuplot (install gnuplot-nox): \(error)") }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let line = message.split(separator: "\n").last.map(String.init) ?? "exit \(p.terminationStatus)"
            throw HarnessError.gnuplot(p.terminationStatus == 127 ? "not found (install gnuplot-nox)" : "\(figure.name).gp: \(line)")
        }
    }

    /// One data block per series (gnuplot `index`): x y [error].
    static func data(_ f: Figure) -> String {
        var out = "# \(f.title)\n"
        for (i, s) in f.series.enumerated() {
            if i > 0 { out += "\n\n" }
            out += "# index \(i): \(s.label)\n"
            for p in s.points {
                out += "\(num(p.x)) \(num(p.y))" + (p.error.map { " \(num($0))" } ?? "") + "\n"
            }
        }
        return out
    }

    static func script(_ f: Figure) -> String {
        var plots: [String] = []
        for (i, s) in f.series.enumerated() where !s.points.isEmpty {
            let withErrors = s.points.allSatisfy { $0.error != nil }
            let how: String
            switch s.style {
            case .linespoints: how = withErrors ? ":3 with yerrorlines" : " with linespoints"
            case .points: how = withErrors ? ":3 with yerrorbars" : " with points"
            case .impulses: how = " with impulses lw 2"
            }
            plots.append("'\(f.name).dat' index \(i) using 1:2\(how) "
                         + "lc \(i + 1)\(s.style == .impulses ? "" : " pt \(i % 7 + 1)") title \(quote(s.label))")
        }
        for r in f.referenceLines {
            plots.append("\(num(r.y)) with lines dt 2 lc rgb 'gray40' title \(quote(r.label))")
        }
        if plots.isEmpty { plots.append("NaN notitle") }
        var lines = [
            "# Drawn by the replicate harness; run `gnuplot \(f.name).gp` in this folder to redraw.",
            "set encoding utf8",
            "set termoption noenhanced",
            "set title \(quote(f.title))",
            "set xlabel \(quote(f.xLabel))",
            "set ylabel \(quote(f.yLabel))",
            "set grid",
            "set key outside right top",
        ]
        if f.logX { lines.append("set logscale x") }
        if f.logY { lines.append("set logscale y") }
        if let r = f.xRange { lines.append("set xrange [\(num(r.lowerBound)):\(num(r.upperBound))]") }
        let plot = "plot " + plots.joined(separator: ", \\\n     ")
        lines += ["set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced",
                  "set output '\(f.name).png'", plot, "unset output",
                  "set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced",
                  "set output '\(f.name).svg'", plot, "unset output"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Full precision, locale-free, so the .dat files are exact and deterministic.
    static func num(_ x: Double) -> String { x.isFinite ? "\(x)" : "NaN" }
}
