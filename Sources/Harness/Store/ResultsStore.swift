import Foundation
import GRDB

/// The results store: one SQLite file holding every finished run, its series and measurements.
///
/// A writer opens one connection in WAL mode, so several processes may write at once (writes
/// wait for each other, bounded by `busyTimeout`); a run is saved in one transaction, so it is
/// stored completely or not at all. On `close` the writer folds the WAL back into the file
/// (`wal_checkpoint(TRUNCATE)`) and, as the last connection, SQLite removes the -wal and -shm
/// files: after any command the store is one self-contained file (to copy or upload). Readers
/// open the file immutable when no -wal is beside it, so they need no write access to its
/// folder and leave nothing behind.
public final class ResultsStore: @unchecked Sendable {
    public let path: String
    public let readOnly: Bool
    let queue: DatabaseQueue
    private var closed = false

    /// How long an open (connection, migrations, integrity and schema checks) waits for other
    /// processes holding the file before it gives up.
    public static var busyTimeout: TimeInterval = 30
    /// How long saving a finished run waits: longer, since giving up would lose its training.
    static let saveTimeoutMilliseconds = 600_000

    /// Open (or create) the store at `path`. A file that is not a SQLite database, a corrupted
    /// one, or one whose schema lacks a table, column or migration is refused with one
    /// `HarnessError.notADatabase` line before anything is written.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        self.readOnly = readOnly
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else {
                throw HarnessError.notADatabase(path: path, problem: "it is a folder; name a .sqlite file")
            }
            // Check the header ourselves: SQLite would otherwise create -wal/-shm files
            // beside a file it then fails to read.
            let header: Data
            do {
                let h = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
                defer { try? h.close() }
                header = try h.read(upToCount: 16) ?? Data()
            } catch {
                throw HarnessError.notADatabase(path: path, problem: "cannot read the file: \(ioProblem(error))")
            }
            if !header.isEmpty && header != Data("SQLite format 3\u{0}".utf8) {
                throw HarnessError.notADatabase(path: path, problem: "not a SQLite file")
            }
        } else if readOnly {
            throw HarnessError.notADatabase(path: path, problem: "no such file")
        } else {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                    throw HarnessError.notADatabase(path: path, problem: "cannot create its folder: \(ioProblem(error))")
                }
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.readonly = readOnly
        if !readOnly { config.journalMode = .wal }
        // Without a -wal beside it the file holds everything: read it immutable (no locks, no
        // -shm). With one, a writer is at work or was killed: read through its WAL.
        let hasWAL = fm.fileExists(atPath: path + "-wal")
        let openPath = readOnly && !hasWAL ? Self.immutableURI(path) : path
        let deadline = Date().addingTimeInterval(Self.busyTimeout)
        var attempt = 0
        while true {
            do {
                let q = try DatabaseQueue(path: openPath, configuration: config)
                do {
                    try Self.check(q, path: path, migrate: !readOnly, walMissing: !hasWAL)
                    if !readOnly {
                        try q.writeWithoutTransaction { try $0.execute(sql: "PRAGMA busy_timeout = \(Self.saveTimeoutMilliseconds)") }
                    }
                } catch {
                    try? q.close()
                    throw error
                }
                queue = q
                return
            } catch let e as DatabaseError where Self.isRace(e) && Date() < deadline {
                // Two processes opening a fresh file race on WAL setup and the first migration
                // (both may apply it; the second then fails on its migration record).
                attempt += 1
                usleep(useconds_t(min(20_000 * attempt, 500_000)))
            } catch let e as HarnessError {
                throw e
            } catch {
                throw HarnessError.notADatabase(path: path, problem: Self.oneLine(error))
            }
        }
    }

    static func isRace(_ e: DatabaseError) -> Bool {
        e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED || e.resultCode == .SQLITE_CONSTRAINT
    }

    /// `file:` URI with `immutable=1`; SQLite then reads the file without locks or side files.
    static func immutableURI(_ path: String) -> String {
        var escaped = ""
        for c in path {
            switch c {
            case "%": escaped += "%25"
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            default: escaped.append(c)
            }
        }
        return "file:\(escaped)?immutable=1"
    }

    /// Integrity, migrations (writers) and the schema, all before the store is used.
    private static func check(_ q: DatabaseQueue, path: String, migrate: Bool, walMissing: Bool) throws {
        let ok = try q.read { try String.fetchOne($0, sql: "PRAGMA quick_check") }
        guard ok == "ok" else { throw HarnessError.notADatabase(path: path, problem: "corrupted: \(ok ?? "?")") }
        if migrate { try migrator.migrate(q) }
        let missing = try q.read { try schemaProblems($0) }
        if let first = missing.first {
            var problem = "missing " + missing.joined(separator: ", ")
            // A WAL-mode file whose tables are all gone was copied without its -wal file.
            if walMissing, first == "table runs" { problem += " (was it copied without its -wal file?)" }
            throw HarnessError.notADatabase(path: path, problem: problem)
        }
    }

    /// The tables and columns this code reads and writes, and the migrations that made them.
    static let expectedSchema: [(table: String, columns: [String])] = [
        ("runs", ["fingerprint", "paper", "arm", "tier", "seed", "config", "codeVersion", "environment",
                  "status", "started", "finished", "wallSeconds"]),
        ("series", ["fingerprint", "name", "step", "value"]),
        ("measurements", ["fingerprint", "name", "value"]),
    ]

    /// What the open file lacks, e.g. ["table series", "column runs.seed", "migration v1: …"].
    static func schemaProblems(_ db: Database) throws -> [String] {
        var missing: [String] = []
        for (table, columns) in expectedSchema {
            guard try db.tableExists(table) else { missing.append("table \(table)"); continue }
            let have = Set(try db.columns(in: table).map(\.name))
            for c in columns where !have.contains(c) { missing.append("column \(table).\(c)") }
        }
        let applied = try db.tableExists("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
        for m in migrator.migrations where !applied.contains(m) { missing.append("migration record '\(m)'") }
        return missing
    }

    static func oneLine(_ error: Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
    }

    /// Schema history. Append migrations; never edit a shipped one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: runs, series, measurements") { db in
            try db.create(table: "runs", options: .ifNotExists) { t in
                t.primaryKey("fingerprint", .text)
                t.column("paper", .text).notNull()
                t.column("arm", .text).notNull()
                t.column("tier", .text).notNull()
                t.column("seed", .integer).notNull()
                t.column("config", .text).notNull()
                t.column("codeVersion", .text).notNull()
                t.column("environment", .text).notNull()
                t.column("status", .text).notNull()
                t.column("started", .text).notNull()
                t.column("finished", .text).notNull()
                t.column("wallSeconds", .double).notNull()
            }
            try db.create(index: "runs_paper_tier", on: "runs", columns: ["paper", "tier", "seed"], options: .ifNotExists)
            try db.create(table: "series", options: .ifNotExists) { t in
                t.column("fingerprint", .text).notNull().references("runs", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("step", .integer).notNull()
                t.column("value", .double).notNull()
                t.primaryKey(["fingerprint", "name", "step"])
            }
            try db.create(table: "measurements", options: .ifNotExists) { t in
                t.column("fingerprint", .text).notNull().references("runs", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("value", .double).notNull()
                t.primaryKey(["fingerprint", "name"])
            }
        }
        return m
    }

    /// Fold the WAL back into the file and close: with no other process holding the store,
    /// SQLite then removes the -wal and -shm files and the store is one file.
    public func close() throws {
        guard !closed else { return }
        closed = true
        if !readOnly {
            try queue.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        try queue.close()
    }

    deinit { try? close() }

    // MARK: writing

    /// Store a finished run in one transaction, replacing any row with the same fingerprint.
    public func save(_ run: RunResult) throws {
        try queue.write { db in try Self.insert(run, db, replace: true) }
    }

    static func insert(_ r: RunResult, _ db: Database, replace: Bool) throws {
        if replace { try db.execute(sql: "DELETE FROM runs WHERE fingerprint = ?", arguments: [r.fingerprint]) }
        try db.execute(sql: """
            INSERT INTO runs (fingerprint, paper, arm, tier, seed, config, codeVersion, environment, status, started, finished, wallSeconds)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.fingerprint, r.paper, r.arm, r.tier.rawValue, r.seed, r.configJSON, r.codeVersion,
                             r.environment.json, r.status, r.started, r.finished, r.wallSeconds])
        let m = try db.makeStatement(sql: "INSERT INTO measurements (fingerprint, name, value) VALUES (?, ?, ?)")
        for (name, value) in r.measurements { try m.execute(arguments: [r.fingerprint, name, value]) }
        let s = try db.makeStatement(sql: "INSERT INTO series (fingerprint, name, step, value) VALUES (?, ?, ?, ?)")
        for (name, points) in r.series {
            for p in points { try s.execute(arguments: [r.fingerprint, name, p.step, p.value]) }
        }
    }

    /// Copy every run of `other` whose fingerprint is not here yet (idempotent: merging twice
    /// equals merging once). Returns (copied, skipped).
    @discardableResult
    public func merge(from other: ResultsStore) throws -> (copied: Int, skipped: Int) {
        try insertNew(other.allRuns())
    }

    /// Insert the runs whose fingerprint is not here yet, in one transaction.
    func insertNew(_ theirs: [RunResult]) throws -> (copied: Int, skipped: Int) {
        try queue.write { db in
            var copied = 0, skipped = 0
            for r in theirs {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE fingerprint = ?", arguments: [r.fingerprint]) == true {
                    skipped += 1
                } else {
                    try Self.insert(r, db, replace: false)
                    copied += 1
                }
            }
            return (copied, skipped)
        }
    }

    /// Merge the stores at `inputs` into `output` (created if missing) all or nothing: every
    /// input is read in full first, the result is built in `<output>.tmp-<pid>` and renamed
    /// over `output` only when complete. Returns (copied, skipped) per input.
    public static func merge(_ inputs: [String], into output: String) throws -> [(copied: Int, skipped: Int)] {
        let theirs = try inputs.map { path -> [RunResult] in
            let s = try ResultsStore(path: path, readOnly: true)
            defer { try? s.close() }
            return try s.allRuns()
        }
        let fm = FileManager.default
        var ours: [RunResult] = []
        if fm.fileExists(atPath: output) {
            if fm.fileExists(atPath: output + "-wal") {
                // Fold a WAL left by a killed writer in first; a live writer keeps it.
                try ResultsStore(path: output).close()
                guard !fm.fileExists(atPath: output + "-wal") else {
                    throw HarnessError.notADatabase(path: output, problem: "another process is writing to it; merge once it has finished")
                }
            }
            let s = try ResultsStore(path: output, readOnly: true)
            ours = try s.allRuns()
            try s.close()
        }
        let tmp = output + ".tmp-\(getpid())"
        func removeTemporary() { for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: tmp + suffix) } }
        removeTemporary()
        do {
            let out = try ResultsStore(path: tmp)
            _ = try out.insertNew(ours)
            let counts = try theirs.map { try out.insertNew($0) }
            try out.close()
            guard rename(tmp, output) == 0 else {
                throw FileError(path: output, errno: errno, doing: "cannot replace")
            }
            return counts
        } catch {
            removeTemporary()
            throw error
        }
    }

    // MARK: reading

    public func isComplete(_ fingerprint: String) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE fingerprint = ? AND status = 'complete'", arguments: [fingerprint]) == true
        }
    }

    /// Runs of a paper (optionally one tier), ordered by tier, seed, arm, fingerprint.
    public func runs(paper: String? = nil, tier: Tier? = nil) throws -> [RunResult] {
        try queue.read { db in
            var sql = "SELECT * FROM runs WHERE 1"
            var args: [any DatabaseValueConvertible] = []
            if let paper { sql += " AND paper = ?"; args.append(paper) }
            if let tier { sql += " AND tier = ?"; args.append(tier.rawValue) }
            sql += " ORDER BY paper, tier, seed, arm, fingerprint"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { try Self.load($0, db) }
        }
    }

    public func allRuns() throws -> [RunResult] { try runs() }

    public func run(fingerprint: String) throws -> RunResult? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE fingerprint = ?", arguments: [fingerprint]).map { try Self.load($0, db) }
        }
    }

    public func counts() throws -> (runs: Int, series: Int, measurements: Int) {
        try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM series") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM measurements") ?? 0)
        }
    }

    static func load(_ row: Row, _ db: Database) throws -> RunResult {
        let fp: String = row["fingerprint"]
        var measurements: [String: Double] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT name, value FROM measurements WHERE fingerprint = ?", arguments: [fp]) {
            measurements[r["name"]] = r["value"]
        }
        var series: [String: [SeriesPoint]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT name, step, value FROM series WHERE fingerprint = ? ORDER BY name, step", arguments: [fp]) {
            series[r["name"], default: []].append(SeriesPoint(step: r["step"], value: r["value"]))
        }
        let envJSON: String = row["environment"]
        let env = (try? JSONDecoder().decode(RunEnvironment.self, from: Data(envJSON.utf8)))
            ?? RunEnvironment(cpu: "unknown", blasCore: "unknown", threads: 0, swift: "unknown", os: "unknown")
        return RunResult(fingerprint: fp, paper: row["paper"], arm: row["arm"],
                         tier: Tier(rawValue: row["tier"]) ?? .default, seed: row["seed"],
                         configJSON: row["config"], codeVersion: row["codeVersion"], environment: env,
                         status: row["status"], started: row["started"], finished: row["finished"],
                         wallSeconds: row["wallSeconds"], measurements: measurements, series: series)
    }
}
