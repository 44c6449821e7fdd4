import Foundation
import Testing
@testable import Harness
@testable import LMCore

private func files(_ dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
}

/// `sqlite3 <path> <sql>`: tampering the way a user's tools would.
private func sqlite(_ path: String, _ sql: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["sqlite3", path, sql]
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "sqlite3 \(sql)")
}

private func message(_ body: () throws -> Void) -> String {
    do { try body(); return "no error" } catch { return userMessage(error) }
}

@Test func closedStoreIsOneFileThatMergesAlone() throws {
    let dir = tempDir()
    let path = dir.appendingPathComponent("results.sqlite").path
    let store = try ResultsStore(path: path)
    for i in 1...3 { try store.save(sampleRun(i)) }
    try store.close()
    #expect(try files(dir) == ["results.sqlite"])

    // Only the .sqlite file travels (as the nightly's shard artifacts do).
    let copy = tempDir().appendingPathComponent("shard.sqlite")
    try FileManager.default.copyItem(atPath: path, toPath: copy.path)
    let out = copy.deletingLastPathComponent().appendingPathComponent("merged.sqlite").path
    let counts = try ResultsStore.merge([copy.path], into: out)
    #expect(counts.map(\.copied) == [3])
    #expect(try files(copy.deletingLastPathComponent()) == ["merged.sqlite", "shard.sqlite"])
    let merged = try ResultsStore(path: out, readOnly: true)
    #expect(try merged.allRuns() == (1...3).map { sampleRun($0) })
}

@Test func storeCopiedWithoutItsWALIsRefusedAndMergeWritesNothing() throws {
    let dir = tempDir()
    let path = dir.appendingPathComponent("live.sqlite").path
    let live = try ResultsStore(path: path)   // open: its rows are still in the -wal file
    try live.save(sampleRun(1))
    let copy = tempDir().appendingPathComponent("copy.sqlite").path
    try FileManager.default.copyItem(atPath: path, toPath: copy)
    let out = URL(fileURLWithPath: copy).deletingLastPathComponent().appendingPathComponent("out.sqlite").path
    let m = message { _ = try ResultsStore.merge([copy], into: out) }
    #expect(m.hasPrefix("\(copy): not a usable results database (missing table runs"))
    #expect(m.contains("-wal") && !m.contains("\n"))
    #expect(try files(URL(fileURLWithPath: copy).deletingLastPathComponent()) == ["copy.sqlite"])
    try live.close()
}

@Test func mergeIsAllOrNothing() throws {
    let dir = tempDir()
    let good = dir.appendingPathComponent("good.sqlite").path, bad = dir.appendingPathComponent("bad.sqlite").path
    let out = dir.appendingPathComponent("out.sqlite").path
    try { let s = try ResultsStore(path: good); try s.save(sampleRun(1)); try s.close() }()
    try Data("not a database at all, only text".utf8).write(to: URL(fileURLWithPath: bad))
    #expect(message { _ = try ResultsStore.merge([good, bad], into: out) }.hasPrefix("\(bad): not a usable results database"))
    #expect(try files(dir) == ["bad.sqlite", "good.sqlite"])
    // An existing output is left as it was.
    _ = try ResultsStore.merge([good], into: out)
    let before = try Data(contentsOf: URL(fileURLWithPath: out))
    #expect(throws: HarnessError.self) { _ = try ResultsStore.merge([good, bad], into: out) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
    #expect(try files(dir) == ["bad.sqlite", "good.sqlite", "out.sqlite"])
    // Merging into an existing output keeps its runs and adds the new ones.
    let more = dir.appendingPathComponent("more.sqlite").path
    try { let s = try ResultsStore(path: more); try s.save(sampleRun(2)); try s.close() }()
    #expect(try ResultsStore.merge([more, good], into: out).map(\.copied) == [1, 0])
    #expect(try ResultsStore(path: out, readOnly: true).allRuns().map(\.seed) == [1, 2])
}

@Test func readersLeaveNothingBeside() throws {
    let dir = tempDir()
    let path = dir.appendingPathComponent("r.sqlite").path
    try { let s = try ResultsStore(path: path); try s.save(sampleRun(4)); try s.close() }()
    // A read-only folder: nothing may need creating beside the file.
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path) }
    let reader = try ResultsStore(path: path, readOnly: true)
    #expect(try reader.allRuns() == [sampleRun(4)])
    try reader.close()
    #expect(try files(dir) == ["r.sqlite"])

    // A corrupt store is refused by a reader without -wal/-shm files appearing.
    let torn = tempDir()
    let tornPath = torn.appendingPathComponent("t.sqlite").path
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    for i in 100..<min(bytes.count, 8000) { bytes[i] = 0xA5 }
    try bytes.write(to: URL(fileURLWithPath: tornPath))
    #expect(throws: HarnessError.self) { _ = try ResultsStore(path: tornPath, readOnly: true) }
    #expect(try files(torn) == ["t.sqlite"])
}

@Test func schemaIsCheckedAtOpen() throws {
    let dir = tempDir()
    func made(_ name: String) throws -> String {
        let p = dir.appendingPathComponent(name).path
        let s = try ResultsStore(path: p); try s.save(sampleRun(1)); try s.close()
        return p
    }
    let noSeries = try made("a.sqlite")
    try sqlite(noSeries, "DROP TABLE series")
    for readOnly in [false, true] {
        #expect(message { _ = try ResultsStore(path: noSeries, readOnly: readOnly) }
                == "\(noSeries): not a usable results database (missing table series); nothing was written")
    }
    let noColumn = try made("b.sqlite")
    try sqlite(noColumn, "ALTER TABLE runs DROP COLUMN wallSeconds")
    #expect(message { _ = try ResultsStore(path: noColumn) }.contains("(missing column runs.wallSeconds)"))
    let noRecord = try made("c.sqlite")
    try sqlite(noRecord, "DELETE FROM grdb_migrations")
    #expect(message { _ = try ResultsStore(path: noRecord, readOnly: true) }.contains("(missing migration record 'v1: runs, series, measurements')"))
    // A folder named as the store is an error, not a crash.
    #expect(message { _ = try ResultsStore(path: dir.path) } == "\(dir.path): not a usable results database (it is a folder; name a .sqlite file); nothing was written")
    #expect(message { _ = try ResultsStore(path: dir.path, readOnly: true) }.contains("it is a folder"))
}

/// Eight writers opening one new file at the same moment, five times over: every open
/// (connection, WAL setup, integrity check, migration, schema check) and save succeeds.
@Test func eightWritersOpenANewFileAtOnce() throws {
    for round in 0..<5 {
        let path = tempDir().appendingPathComponent("new-\(round).sqlite").path
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        let errors = ErrorLog()
        for w in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                start.wait()
                do {
                    let s = try ResultsStore(path: path)
                    try s.save(sampleRun(100 * round + w))
                    try s.close()
                } catch {
                    errors.append(userMessage(error))
                }
            }
        }
        for _ in 0..<8 { start.signal() }
        group.wait()
        #expect(errors.messages.isEmpty)
        #expect(try ResultsStore(path: path, readOnly: true).counts().runs == 8)
        #expect(try files(URL(fileURLWithPath: path).deletingLastPathComponent()) == ["new-\(round).sqlite"])
    }
}

@Test func ioErrorsAreOneLineWithPathAndRemedy() throws {
    let dir = tempDir()
    let missing = dir.appendingPathComponent("nope/x.txt")
    let e = message { _ = try Data(contentsOf: missing) }
    #expect(e == "\(missing.path): cannot read (No such file or directory); check the path")
    let full = message { try Data("x".utf8).write(to: URL(fileURLWithPath: "/dev/full")) }
    #expect(full == "/dev/full: cannot write (No space left on device); free disk space, then rerun the same command (finished work is kept)")
    // A checkpoint that cannot be written leaves no temporary file behind.
    let ckpt = dir.appendingPathComponent("model.ckpt")
    let tmp = dir.appendingPathComponent(".model.ckpt.tmp-\(getpid())")
    try FileManager.default.createDirectory(at: tmp.appendingPathComponent("blocker"), withIntermediateDirectories: true)
    let model = GPT(GPTConfig(vocabSize: 8, contextLength: 4, dModel: 8, nLayers: 1, nHeads: 1, mlpHidden: 8), seed: 1)
    let opt = AdamW(model.parameters, config: .init())
    #expect(throws: (any Error).self) {
        try Checkpoint(step: 1, configHash: "x", model: model, optimizer: opt, log: TrainingLog()).write(to: ckpt)
    }
    #expect(try files(dir) == [])
}

/// Messages appended from several threads.
private final class ErrorLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ m: String) { lock.lock(); list.append(m); lock.unlock() }
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
