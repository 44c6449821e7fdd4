import Foundation
import Testing
@testable import Harness

func sampleRun(_ i: Int, paper: String = "fake") -> RunResult {
    RunResult(fingerprint: String(format: "fp%06d", i), paper: paper, arm: "arm\(i % 3)", tier: .default, seed: i,
              configJSON: "{\"i\":\(i)}", codeVersion: "v1",
              environment: RunEnvironment(cpu: "cpu", blasCore: "Haswell", threads: 2, swift: "6.3", os: "Debian"),
              status: "complete", started: "2024-01-01T00:00:00Z", finished: "2024-01-01T00:00:01Z",
              wallSeconds: 1.25, measurements: ["final": Double(i) / 3, "other": -1e-7],
              series: ["loss": (0..<5).map { SeriesPoint(step: $0 * 10, value: 1 / Double($0 + i)) }])
}

@Test func storeRoundTrip() throws {
    let dir = tempDir()
    let store = try ResultsStore(path: dir.appendingPathComponent("r.sqlite").path)
    let r = sampleRun(7)
    try store.save(r)
    #expect(try store.run(fingerprint: r.fingerprint) == r)
    #expect(try store.isComplete(r.fingerprint))
    try store.save(r)   // replacing is idempotent
    #expect(try store.counts() == (1, 5, 2))
    #expect(try store.runs(paper: "fake", tier: .default) == [r])
    #expect(try store.runs(paper: "fake", tier: .smoke).isEmpty)
    let csv = ResultsExport.csv([r])
    #expect(csv.split(separator: "\n").count == 1 + 2 + 5)
    #expect(ResultsExport.json([r]).contains("\"fingerprint\" : \"fp000007\""))
}

/// Two stores (two connection pools) writing from two threads, while a separate `sqlite3`
/// process inserts rows into the same file: nothing may be lost.
@Test func concurrentWritersLoseNoRow() async throws {
    let path = tempDir().appendingPathComponent("r.sqlite").path
    _ = try ResultsStore(path: path)   // create the schema first so the sqlite3 script can insert
    var sql = ".timeout 60000\n"
    for i in 0..<60 {
        sql += "INSERT INTO runs VALUES ('cli\(i)','fake','cli','default',\(i),'{}','v','{}','complete','a','b',0);\n"
        sql += "INSERT INTO measurements VALUES ('cli\(i)','final',\(i));\n"
    }
    let sqlite = Process()
    sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    sqlite.arguments = ["sqlite3", path]
    let input = Pipe()
    sqlite.standardInput = input
    try sqlite.run()
    async let a: Void = Task.detached {
        let s = try ResultsStore(path: path)
        for i in 0..<40 { try s.save(sampleRun(i)) }
    }.value
    async let b: Void = Task.detached {
        let s = try ResultsStore(path: path)
        for i in 1000..<1040 { try s.save(sampleRun(i)) }
    }.value
    input.fileHandleForWriting.write(Data(sql.utf8))
    try input.fileHandleForWriting.close()
    try await a
    try await b
    sqlite.waitUntilExit()
    #expect(sqlite.terminationStatus == 0)
    let counts = try ResultsStore(path: path).counts()
    #expect(counts.runs == 140)
    #expect(counts.measurements == 80 * 2 + 60)
    #expect(counts.series == 80 * 5)
}

@Test func mergeIsIdempotent() throws {
    let dir = tempDir()
    let a = try ResultsStore(path: dir.appendingPathComponent("a.sqlite").path)
    let b = try ResultsStore(path: dir.appendingPathComponent("b.sqlite").path)
    try a.save(sampleRun(1)); try a.save(sampleRun(2))
    try b.save(sampleRun(2)); try b.save(sampleRun(3))
    let out = try ResultsStore(path: dir.appendingPathComponent("out.sqlite").path)
    #expect(try out.merge(from: a) == (2, 0))
    #expect(try out.merge(from: b) == (1, 1))
    let once = try out.allRuns()
    #expect(try out.merge(from: a) == (0, 2))
    #expect(try out.merge(from: b) == (0, 2))
    #expect(try out.allRuns() == once)
    #expect(once.map(\.fingerprint) == ["fp000001", "fp000002", "fp000003"])
    #expect(try out.counts() == (3, 15, 6))
}

@Test func corruptedDatabaseIsRefusedWithoutWriting() throws {
    let dir = tempDir()
    let path = dir.appendingPathComponent("bad.sqlite").path
    let garbage = Data("this is not a database, just some text that is long enough".utf8)
    try garbage.write(to: URL(fileURLWithPath: path))
    #expect {
        _ = try ResultsStore(path: path)
    } throws: { e in
        let s = "\(e)"
        return s.hasPrefix("\(path): not a usable results database") && !s.contains("\n")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["bad.sqlite"])

    // A real SQLite header with garbage pages behind it.
    let good = dir.appendingPathComponent("torn.sqlite").path
    try { let s = try ResultsStore(path: good); try s.save(sampleRun(1)) }()
    var bytes = try Data(contentsOf: URL(fileURLWithPath: good))
    for i in 100..<min(bytes.count, 8000) { bytes[i] = 0xA5 }
    try bytes.write(to: URL(fileURLWithPath: good))
    try? FileManager.default.removeItem(atPath: good + "-wal")
    try? FileManager.default.removeItem(atPath: good + "-shm")
    #expect(throws: HarnessError.self) { _ = try ResultsStore(path: good) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: good)) == bytes)
    #expect(throws: HarnessError.self) { _ = try ResultsStore(path: dir.appendingPathComponent("none.sqlite").path, readOnly: true) }
}
