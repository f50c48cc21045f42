// One of Storage's designated low-level files (with Shards/ShardWriter.swift and ParallelShardWriter.swift):
// libarchive interop for reading archives. Legitimately unsafe; entries come out as arrays.
import Readers
import CLibArchive
import Foundation

/// Limits on what an untrusted archive may expand to; an entry or archive past them is rejected,
/// never expanded.
public struct ArchiveLimits: Sendable {
    /// Largest entry read into memory.
    public var maxEntryBytes: Int64
    /// Largest total of decompressed bytes read from one archive.
    public var maxTotalBytes: Int64
    /// Largest ratio of decompressed to compressed bytes, for the archive so far and for each entry, checked
    /// while decoding once `ratioGraceBytes` were decompressed (of the archive, or of the entry).
    public var maxRatio: Double
    public var ratioGraceBytes: Int64

    public init(maxEntryBytes: Int64 = 64 << 20, maxTotalBytes: Int64 = 64 << 30, maxRatio: Double = 200,
                ratioGraceBytes: Int64 = 4 << 20) {
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxRatio = maxRatio
        self.ratioGraceBytes = ratioGraceBytes
    }

    public static let `default` = ArchiveLimits()
}

/// One regular-file entry of an archive, or why it was refused.
public enum ArchiveEvent {
    /// An entry whose content was read.
    case entry(path: String, content: [UInt8])
    /// An entry refused without reading it (unsafe path, over the size cap); reading goes on.
    case refused(path: String, code: String, reason: String)
}

/// Why reading an archive stopped early: damage, or a cap on the whole archive.
public struct ArchiveStop: Error, Sendable {
    public var code: String
    public var reason: String
    /// The entry being read when it happened, if its header was read.
    public var entry: String?
    /// Decompressed bytes of that entry read before the failure.
    public var offset: Int64?
}

/// Streams the regular-file entries of a `.tar`, `.tar.gz`, `.tgz`, `.tar.zst`, `.tar.xz`, `.tar.bz2` or
/// `.zip` file through libarchive, one at a time, never extracting anything to disk.
///
/// Only the built-in gzip, zstd, xz and bzip2 decoders are enabled: libarchive's "all filters" would
/// run external programs on untrusted input.
public enum ArchiveReader {
    /// Archive file names pipe opens as archives.
    public static func isArchive(_ name: String) -> Bool { archiveSuffix(of: name) != nil }

    /// The archive suffixes pipe opens, the one list every caller uses.
    public static let suffixes = [".tar.gz", ".tar.zst", ".tar.xz", ".tar.bz2", ".tgz", ".tzst", ".txz", ".tbz2", ".tar", ".zip"]

    /// The archive suffix `name` ends with (case-insensitive), or nil when it is no archive.
    public static func archiveSuffix(of name: String) -> String? {
        let lower = name.lowercased()
        return suffixes.first { lower.hasSuffix($0) }
    }

    /// Decompressed bytes read past the tar end-of-archive blocks to check the rest of a gzip or zstd stream.
    static let trailingCheckBytes: Int64 = 1 << 20

    /// Calls `body` for every entry in archive order. `wants(path)` says whether the caller needs the
    /// content (entries it does not want are skipped without decompressing into memory).
    /// Throws `ArchiveStop` when the archive is damaged or over a cap; entries before it were delivered.
    public static func forEachEntry(
        path: String, limits: ArchiveLimits = .default, wants: (String) -> Bool,
        _ body: (ArchiveEvent) throws -> Void
    ) throws {
        guard let archive = archive_read_new() else {
            throw ArchiveStop(code: "archive.open", reason: "cannot allocate an archive reader", entry: nil, offset: nil)
        }
        defer { archive_read_free(archive) }
        archive_read_support_filter_gzip(archive)
        archive_read_support_filter_zstd(archive)
        archive_read_support_filter_xz(archive)
        archive_read_support_filter_bzip2(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        archive_read_support_format_zip(archive)
        // gzip and zstd are decoded here, so that a truncated stream keeps every entry before the damage;
        // anything else (plain tar, zip, which needs seeking, xz, bzip2) goes to libarchive as a file.
        let source = DecodedStream(path: path)
        let opened: Int32
        if let source {
            let context = Unmanaged.passUnretained(source).toOpaque()
            opened = archive_read_open(archive, context, nil, decodedStreamRead, nil)
        } else {
            opened = archive_read_open_filename(archive, path, 1 << 20)
        }
        /// What the archive expanded from so far, for the ratio cap: the file's bytes, not libarchive's input.
        func compressedBytes() -> Int64 { source?.compressedBytes ?? archive_filter_bytes(archive, -1) }
        /// The reason for a stop, naming the decoder's damage when there is some: libarchive only saw an early end.
        func reason(_ what: String) -> String {
            guard let damage = source?.damage else { return "\(what): \(message(archive))" }
            return "\(what): \(damage) (\(source?.decodedBytes ?? 0) bytes decompressed)"
        }
        guard opened == ARCHIVE_OK else {
            if source?.damage != nil {
                throw ArchiveStop(code: "archive.damaged", reason: reason("damaged before the first entry"), entry: nil,
                                  offset: nil)
            }
            throw ArchiveStop(code: "archive.open", reason: message(archive), entry: nil, offset: nil)
        }
        // Skipping an entry of a compressed archive means decompressing it, so refused and unwanted entries are
        // read through here with the caps checked, rather than skipped by libarchive unchecked: a 10 GiB entry of
        // zeros then costs what its first few MiB cost. An uncompressed tar or a zip skips by seeking, for free.
        let compressed = source != nil || archive_filter_count(archive) > 1
        var meter = ExpansionMeter(limits: limits)
        var entryPointer: OpaquePointer?
        var lastEntry: String?
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let status = archive_read_next_header(archive, &entryPointer)
            let place = lastEntry.map { "after entry \($0)" } ?? "before the first entry"
            if status == ARCHIVE_EOF {
                // A stream cut at an entry boundary looks like a tar without its end blocks, which libarchive
                // accepts; and damage may lie behind the end blocks (a gzip trailer). Either is damage.
                source?.drain(limit: trailingCheckBytes)
                if source?.damage != nil {
                    throw ArchiveStop(code: "archive.damaged", reason: reason("damaged \(place)"), entry: nil, offset: nil)
                }
                return
            }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry = entryPointer else {
                throw ArchiveStop(code: "archive.damaged", reason: reason("cannot read the next entry header \(place)"),
                                  entry: nil, offset: nil)
            }
            guard let rawPath = archive_entry_pathname(entry) else { continue }
            let entryPath = String(cString: rawPath)
            lastEntry = entryPath
            meter.startEntry(compressed: compressedBytes())
            /// Reads the entry's data through, keeping at most `keep` bytes of it; nil when it is longer.
            func readData(keep: Int64) throws -> [UInt8]? {
                var content: [UInt8] = []
                var kept = keep > 0
                while true {
                    let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                    if count == 0 { return kept ? content : nil }
                    if count < 0 {
                        throw ArchiveStop(code: "archive.damaged", reason: reason("damaged while reading \(entryPath)"),
                                          entry: entryPath, offset: meter.entryBytes)
                    }
                    if let problem = meter.add(Int64(count), compressed: compressedBytes()) {
                        throw ArchiveStop(code: "archive.too_large", reason: problem, entry: entryPath, offset: meter.entryBytes)
                    }
                    if kept {
                        if Int64(content.count + count) > keep {
                            kept = false
                            content = []
                        } else {
                            content.append(contentsOf: buffer[0..<count])
                        }
                    }
                }
            }
            func skip() throws {
                if compressed { _ = try readData(keep: 0) }
            }
            let type = archive_entry_filetype(entry)
            guard type == 0o100000 else { continue }
            if let problem = unsafePathProblem(entryPath) {
                try body(.refused(path: entryPath, code: "archive.unsafe_path", reason: problem))
                try skip()
                continue
            }
            let declared = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : -1
            if declared > limits.maxEntryBytes {
                try body(.refused(path: entryPath, code: "archive.entry_too_large",
                                  reason: "entry of \(declared) bytes is over the cap of \(limits.maxEntryBytes) bytes"))
                try skip()
                continue
            }
            guard wants(entryPath) else {
                try skip()
                continue
            }
            guard let content = try readData(keep: limits.maxEntryBytes) else {
                try body(.refused(path: entryPath, code: "archive.entry_too_large",
                                  reason: "entry is over the cap of \(limits.maxEntryBytes) bytes"))
                continue
            }
            // A stream cut inside an entry's zero padding still gives the whole entry; the damage is
            // reported at the next header.
            try body(.entry(path: entryPath, content: content))
        }
    }

    /// Entry paths with `..` components or a leading `/` could escape any folder they were written to.
    static func unsafePathProblem(_ path: String) -> String? {
        if path.hasPrefix("/") { return "absolute entry path" }
        if path.split(separator: "/", omittingEmptySubsequences: false).contains("..") { return "entry path contains '..'" }
        if path.contains("\0") { return "entry path contains a NUL byte" }
        return nil
    }

    private static func message(_ archive: OpaquePointer) -> String {
        guard let text = archive_error_string(archive) else { return "unknown libarchive error" }
        return String(cString: text)
    }
}

/// libarchive's read callback; the source rides in `context` because C cannot call a capturing closure.
func decodedStreamRead(_ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
                        _ block: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
    guard let context, let block else { return -1 }
    return Unmanaged<DecodedStream>.fromOpaque(context).takeUnretainedValue().nextBlock(block)
}

/// The caps on decompression, checked as bytes come out of the decoder: the archive's total, its ratio so far,
/// and the current entry's ratio (a bomb after a lot of ordinary content barely moves the archive's ratio).
struct ExpansionMeter {
    let limits: ArchiveLimits
    private(set) var total: Int64 = 0
    private(set) var entryBytes: Int64 = 0
    private var entryStart: Int64 = 0

    init(limits: ArchiveLimits) { self.limits = limits }

    mutating func startEntry(compressed: Int64) {
        entryBytes = 0
        entryStart = compressed
    }

    /// Counts `count` more decompressed bytes, `compressed` being the compressed bytes consumed so far; the
    /// reason to stop, if a cap is passed.
    mutating func add(_ count: Int64, compressed: Int64) -> String? {
        total += count
        entryBytes += count
        if total > limits.maxTotalBytes {
            return "archive expands past \(limits.maxTotalBytes) bytes"
        }
        let ratio = Int(limits.maxRatio)
        if total > limits.ratioGraceBytes, compressed > 0, Double(total) / Double(compressed) > limits.maxRatio {
            return "archive expands past a ratio of \(ratio) (\(total) bytes from \(compressed) compressed)"
        }
        let entryCompressed = max(compressed - entryStart, 1)
        if entryBytes > limits.ratioGraceBytes, Double(entryBytes) / Double(entryCompressed) > limits.maxRatio {
            return "entry expands past a ratio of \(ratio) (\(entryBytes) bytes from about \(entryCompressed) compressed); reading stops"
        }
        return nil
    }
}
