import Foundation

/// Where a target's claims are read from. The claims file is bundled at build time, so an edit
/// to `Replications/<Module>/claims.yaml` would need a rebuild; instead the source copy is read
/// when it is found (from the current directory or the checkout this binary was built from)
/// and is newer than the bundled one.
public enum ClaimsSource {
    /// Checkouts that may hold `Replications/`: the current directory, then the build's.
    static var roots: [URL] {
        let built = URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // Sources/Harness
            .deletingLastPathComponent().deletingLastPathComponent()
        return [URL(fileURLWithPath: FileManager.default.currentDirectoryPath), built]
    }

    /// `Replications/<Module>/claims.yaml` for a bundled `…/<Package>_<Module>.resources/claims.yaml`.
    public static func sourceURL(for bundled: URL) -> URL? {
        guard let bundle = bundled.pathComponents.last(where: { $0.hasSuffix(".resources") || $0.hasSuffix(".bundle") }),
              let underscore = bundle.firstIndex(of: "_") else { return nil }
        let module = bundle[bundle.index(after: underscore)...].split(separator: ".").first.map(String.init) ?? ""
        for root in roots {
            let url = root.appendingPathComponent("Replications").appendingPathComponent(module)
                .appendingPathComponent(bundled.lastPathComponent)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }

    /// The source copy when it is newer than `bundled`, else `bundled`.
    public static func current(_ bundled: URL) -> URL {
        guard let source = sourceURL(for: bundled) else { return bundled }
        func modified(_ u: URL) -> Date {
            ((try? FileManager.default.attributesOfItem(atPath: u.path))?[.modificationDate] as? Date) ?? .distantPast
        }
        return modified(source) > modified(bundled) ? source : bundled
    }
}

extension ReplicationTarget {
    /// The claims file to judge by: see `ClaimsSource`.
    public var currentClaimsURL: URL { ClaimsSource.current(claimsURL) }

    /// Parse and check the current claims file (its metrics must be ones the target computes).
    public func loadClaims() throws -> ClaimsFile {
        try ClaimsFile.load(currentClaimsURL, metricNames: metricNames, paper: key)
    }
}
