import Foundation
import GRDB

/// The results store: one SQLite file (WAL) holding every finished run, its series and
/// measurements. Several processes may write at once: writes are IMMEDIATE transactions
/// that wait (busy timeout) for each other. A run is saved in one transaction, so it is
/// stored completely or not at all.
public final class ResultsStore: @unchecked Sendable {
    public let path: String
    let pool: DatabasePool

    /// Open (or create) the store at `path`. A file that is not a SQLite database, or a
    /// corrupted one, is refused with one `HarnessError.notADatabase` line before anything is written.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            // Check the header ourselves: SQLite would otherwise create -wal/-shm files
            // beside a file it then fails to read.
            guard let h = FileHandle(forReadingAtPath: path) else {
                throw HarnessError.notADatabase(path: path, problem: "cannot read the file")
            }
            let header = h.readData(ofLength: 16)
            try? h.close()
            if !header.isEmpty && header != Data("SQLite format 3\u{0}".utf8) {
                throw HarnessError.notADatabase(path: path, problem: "not a SQLite file")
            }
        } else if readOnly {
            throw HarnessError.notADatabase(path: path, problem: "no such file")
        } else {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        }
        var config = Configuration()
        config.busyMode = .timeout(120)
        config.readonly = readOnly
        do {
            pool = try DatabasePool(path: path, configuration: config)
            let check = try pool.read { try String.fetchOne($0, sql: "PRAGMA quick_check") }
            guard check == "ok" else { throw HarnessError.notADatabase(path: path, problem: "corrupted: \(check ?? "?")") }
            if !readOnly { try migrate() }
        } catch let e as HarnessError {
            throw e
        } catch {
            throw HarnessError.notADatabase(path: path, problem: Self.oneLine(error))
        }
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

    /// Two processes opening a fresh file race on the first migration; the loser retries.
    private func migrate() throws {
        var attempt = 0
        while true {
            do { try Self.migrator.migrate(pool); return } catch {
                attempt += 1
                if attempt >= 20 { throw error }
                usleep(useconds_t(50_000 * attempt))
            }
        }
    }

    /// Close the connections; the last one folds the WAL back into the main file, so the
    /// database is one self-contained file (e.g. to upload a shard as a CI artifact).
    public func close() throws {
        try pool.close()
    }

    // MARK: writing

    /// Store a finished run in one transaction, replacing any row with the same fingerprint.
    public func save(_ run: RunResult) throws {
        try pool.write { db in try Self.insert(run, db, replace: true) }
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
        let theirs = try other.allRuns()
        return try pool.write { db in
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

    // MARK: reading

    public func isComplete(_ fingerprint: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE fingerprint = ? AND status = 'complete'", arguments: [fingerprint]) == true
        }
    }

    /// Runs of a paper (optionally one tier), ordered by tier, seed, arm, fingerprint.
    public func runs(paper: String? = nil, tier: Tier? = nil) throws -> [RunResult] {
        try pool.read { db in
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
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE fingerprint = ?", arguments: [fingerprint]).map { try Self.load($0, db) }
        }
    }

    public func counts() throws -> (runs: Int, series: Int, measurements: Int) {
        try pool.read { db in
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
