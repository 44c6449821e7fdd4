import CZlib
import Foundation

/// In-process gzip decompression through the system zlib (dictzip files are gzip files with an
/// extra header field, so the whole file inflates like any gzip stream).
public enum Gzip {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Inflate a complete gzip (or zlib) buffer; concatenated gzip members are all inflated.
    public static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        if input.isEmpty { return [] }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var consumed = 0
        try input.withUnsafeBufferPointer { inBuf in
            while consumed < inBuf.count {
                var stream = z_stream()
                // 15 window bits + 32: detect gzip or zlib headers automatically.
                var rc = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
                guard rc == Z_OK else { throw Failure(description: "zlib inflateInit failed (\(rc))") }
                defer { inflateEnd(&stream) }
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress! + consumed)
                stream.avail_in = UInt32(inBuf.count - consumed)
                repeat {
                    let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                        stream.next_out = out.baseAddress
                        stream.avail_out = UInt32(out.count)
                        rc = inflate(&stream, Z_NO_FLUSH)
                        return out.count - Int(stream.avail_out)
                    }
                    if rc != Z_OK && rc != Z_STREAM_END {
                        throw Failure(description: "gzip data is corrupt (zlib error \(rc) after \(output.count) bytes)")
                    }
                    output.append(contentsOf: chunk[0..<produced])
                    if rc == Z_OK && produced == 0 && stream.avail_in == 0 {
                        throw Failure(description: "gzip data is truncated after \(output.count) bytes")
                    }
                } while rc != Z_STREAM_END
                consumed = inBuf.count - Int(stream.avail_in)
                // Skip trailing zero padding between/after members.
                while consumed < inBuf.count && inBuf[consumed] == 0 { consumed += 1 }
            }
        }
        return output
    }

    public static func decompress(contentsOf url: URL) throws -> [UInt8] {
        try decompress(try readBytes(url))
    }
}

/// Read a whole file as bytes (a clear error if it is missing).
public func readBytes(_ url: URL) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: url.path) else {
        throw CorporaError.unreadable(url.path)
    }
    return [UInt8](data)
}
