import Foundation

/// The progress line of a run on stderr: one updating line on a terminal, a plain line every
/// `interval` seconds otherwise (CI logs). The target calls `update` as often as it likes.
public final class ProgressReporter: @unchecked Sendable {
    public let label: String
    let isTTY: Bool
    let interval: TimeInterval
    let silent: Bool
    private var start: Date?
    private var firstStep = 0
    private var lastPrint = Date.distantPast
    private var lastLine = ""

    public init(label: String, isTTY: Bool = isatty(2) != 0, interval: TimeInterval = 10, silent: Bool = false) {
        self.label = label; self.isTTY = isTTY; self.interval = interval; self.silent = silent
    }

    /// Report that `step` of `total` is done. ETA extrapolates the steps/s since the first update.
    public func update(step: Int, total: Int, loss: Double? = nil, tokensPerSecond: Double? = nil) {
        let now = Date()
        if start == nil { start = now; firstStep = step }
        var parts = ["\(label)", "step \(step)/\(total)"]
        if let loss { parts.append("loss \(String(format: "%.4f", loss))") }
        if let tokensPerSecond { parts.append("\(Int(tokensPerSecond.rounded())) tok/s") }
        let elapsed = now.timeIntervalSince(start!)
        if step > firstStep, elapsed > 0 {
            let eta = elapsed / Double(step - firstStep) * Double(max(0, total - step))
            parts.append("ETA \(Self.duration(eta))")
        }
        lastLine = parts.joined(separator: "  ")
        let due = now.timeIntervalSince(lastPrint) >= (isTTY ? 0.2 : interval) || step >= total
        guard due, !silent else { return }
        lastPrint = now
        emit(isTTY ? "\r\u{1B}[K" + lastLine : lastLine + "\n")
    }

    /// End the updating line (the next output starts on a fresh line).
    public func finish() {
        if isTTY && !lastLine.isEmpty && !silent { emit("\n") }
        lastLine = ""
    }

    private func emit(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? "\(t / 3600)h\(String(format: "%02d", t % 3600 / 60))m"
            : t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }
}
