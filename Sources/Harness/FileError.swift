import Foundation

/// A file-system failure as one line: `<path>: <problem>; <what to do>`. Foundation's own
/// errors print as multi-line NSError dumps; the CLI turns them into this.
public struct FileError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: String
    public let remedy: String

    public init(path: String, problem: String, remedy: String) {
        self.path = path; self.problem = problem; self.remedy = remedy
    }

    /// A failed system call: `doing` ("cannot write") and the errno's text and remedy.
    public init(path: String, errno code: Int32, doing: String) {
        self.init(path: path, problem: "\(doing) (\(String(cString: strerror(code))))", remedy: Self.remedy(code))
    }

    /// A Foundation error that names a file, as one line; nil when it names none.
    public init?(_ error: Error) {
        let ns = error as NSError
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        guard let path else { return nil }
        if let code = Self.posixCode(error) {
            self.init(path: path, errno: code, doing: Self.verb(ns))
        } else {
            self.init(path: path, problem: ioProblem(error), remedy: "check the path and its permissions")
        }
    }

    public var description: String { "\(path): \(problem); \(remedy)" }

    /// What a user can do about an errno.
    static func remedy(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: return "free disk space, then rerun the same command (finished work is kept)"
        case EACCES, EPERM, EROFS: return "check the permissions, or choose a path you can write to"
        case EISDIR: return "it is a folder; name a file"
        case ENOENT, ENOTDIR: return "check the path"
        default: return "check the path, its permissions and the free disk space"
        }
    }

    /// The errno inside an error, however Foundation wrapped it (on Linux the underlying error
    /// may be a `POSIXError` value rather than an NSError).
    static func posixCode(_ error: Error) -> Int32? {
        var current: Error? = error
        while let e = current {
            if let p = e as? POSIXError { return p.code.rawValue }
            let ns = e as NSError
            if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
            current = ns.userInfo[NSUnderlyingErrorKey] as? Error
        }
        return nil
    }

    static func verb(_ ns: NSError) -> String {
        guard ns.domain == NSCocoaErrorDomain else { return "cannot access" }
        return (CocoaError.Code.fileReadUnknown.rawValue...CocoaError.Code.fileReadUnsupportedScheme.rawValue).contains(ns.code)
            || ns.code == CocoaError.Code.fileNoSuchFile.rawValue ? "cannot read" : "cannot write"
    }
}

/// The reason in an error, short: the errno text when there is one, else its first line.
public func ioProblem(_ error: Error) -> String {
    if let code = FileError.posixCode(error) { return String(cString: strerror(code)) }
    if error is CocoaError { return (error as NSError).localizedDescription }
    return "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
}

/// Any error as the one line the CLI prints after `error: `.
public func userMessage(_ error: Error) -> String {
    if let e = error as? HarnessError { return e.description }
    if let e = error as? FileError { return e.description }
    if let e = FileError(error) { return e.description }
    return ioProblem(error)
}
