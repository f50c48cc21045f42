import StageKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Something in a JSON input that is not a record: a reject in the making, with where it is.
public struct JSONInputProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reject code: `record.json`, `record.too_large`, `record.too_deep`, `json.malformed`, `json.truncated`,
    /// `shard.damaged`, `shard.unsupported`, `input.not_regular`, `io.read`.
    public var code: String
    public var reason: String
    /// Where the element (or the fault) starts: element index, line and decompressed byte offset.
    public var position: JSONElementPosition

    public var description: String { "\(position): \(reason) [\(code)]" }
}

/// Reads the values of a JSON input one at a time with flat memory: JSON Lines, one top-level array of any
/// size, or concatenated values; plain, gzip (multi-member) or zstd (multi-frame), recognised by their bytes.
///
/// Every element comes with its index, line and byte offset, so a bad one becomes a reject that says where it
/// is; reading goes on after a bad line or element wherever the layout allows (see `JSONElementFramer`).
public final class JSONRecordReader {
    /// The file being read.
    public let path: String
    public let limits: JSONFramerLimits
    private let requestedLayout: JSONLayout?
    /// The layout read, once known (after the first block, when it was detected).
    public private(set) var layout: JSONLayout?

    /// Reads `path`; `layout` nil means: JSON Lines for a `.jsonl` or `.ndjson` name (compressed or not), else
    /// detected from the first bytes (see `JSONElementFramer.detectLayout`). A broken line must not make a JSON
    /// Lines file look like something else.
    public init(path: String, layout: JSONLayout? = nil,
                limits: JSONFramerLimits = JSONFramerLimits(maxDepth: JSONLimits.default.maxDepth)) {
        self.path = path
        self.requestedLayout = layout ?? (Self.isJSONLines(path) ? .lines : nil)
        self.limits = limits
    }

    /// Whether a file name says JSON Lines.
    public static func isJSONLines(_ path: String) -> Bool {
        let lower = path.lowercased()
        return [".jsonl", ".ndjson"].contains { lower.hasSuffix($0) || lower.hasSuffix($0 + ".gz") || lower.hasSuffix($0 + ".zst") }
    }

    /// Calls `record` with each value and `problem` with each element or stretch of input that is none.
    /// Throws only what the callbacks throw.
    public func read(record: (JSONValue, JSONElementPosition) throws -> Void,
                     problem: (JSONInputProblem) throws -> Void) throws {
        let source: ByteSource
        do {
            source = try ByteSource(path: path)
        } catch let failure as JSONInputProblem {
            return try problem(failure)
        }
        var framer: JSONElementFramer?
        let parserLimits = JSONLimits(maxDepth: limits.maxDepth + 1, maxBytes: limits.maxElementBytes + 1)
        func element(_ bytes: UnsafeRawBufferPointer, _ position: JSONElementPosition) throws {
            let value: JSONValue
            do {
                value = try JSONParser.parse(buffer: bytes, limits: parserLimits)
            } catch let error as JSONParseError {
                let place = layout == .lines ? "column \(error.column)" : "byte \(error.offset) of the element"
                return try problem(JSONInputProblem(code: "record.json", reason: "invalid JSON at \(place): \(error.message)",
                                                    position: position))
            }
            try record(value, position)
        }
        func framingProblem(_ kind: JSONFramingProblem, _ position: JSONElementPosition) throws {
            let code: String
            switch kind {
            case .malformed: code = "json.malformed"
            case .tooDeep: code = "record.too_deep"
            case .tooLarge: code = "record.too_large"
            case .truncated: code = "json.truncated"
            }
            try problem(JSONInputProblem(code: code, reason: kind.description, position: position))
        }
        while let block = try source.next(problem: problem) {
            if framer == nil {
                let chosen = requestedLayout ?? JSONElementFramer.detectLayout(block)
                layout = chosen
                framer = JSONElementFramer(layout: chosen, limits: limits)
            }
            try framer?.feed(block, element: element, problem: framingProblem)
            if framer?.hasStopped == true { return }
        }
        if let damage = source.damage {
            // The element cut by the damage is lost with it; say so once, where decoding stopped.
            let position = JSONElementPosition(index: framer?.elementCount ?? 0, line: 0, offset: source.decodedBytes)
            return try problem(JSONInputProblem(code: damage.code, reason: damage.reason, position: position))
        }
        if framer == nil { framer = JSONElementFramer(layout: requestedLayout ?? .lines, limits: limits) }
        try framer?.finish(element: element, problem: framingProblem)
    }
}

/// The decompressed bytes of a regular file, block by block: read as they are when plain, through
/// `DecodedStream` when gzip or zstd.
private final class ByteSource {
    private static let blockSize = 1 << 20
    private var descriptor: Int32
    private let buffer: UnsafeMutableRawPointer
    private var primed = 0
    private var decoder: DecodedStream?
    private(set) var decodedBytes: Int64 = 0
    private(set) var damage: (code: String, reason: String)?
    private let path: String

    init(path: String) throws {
        self.path = path
        // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw JSONInputProblem(code: "io.read", reason: "cannot open \(path): \(systemErrorText(errno))",
                                   position: JSONElementPosition(index: 0, line: 0, offset: 0))
        }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            _ = Glibc.close(fd)
            throw JSONInputProblem(code: "input.not_regular", reason: "\(path) is not a regular file",
                                   position: JSONElementPosition(index: 0, line: 0, offset: 0))
        }
        descriptor = fd
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.blockSize, alignment: 16)
        primed = Self.fill(fd, buffer, Self.blockSize)
        let head = UnsafeRawBufferPointer(start: buffer, count: max(primed, 0))
        if let name = Compression.unsupported(head) {
            throw JSONInputProblem(code: "shard.unsupported", reason: "\(name) compression; inputs are plain, gzip or zstd",
                                   position: JSONElementPosition(index: 0, line: 0, offset: 0))
        }
        if StreamCodec.sniff(head) != nil {
            guard let decoder = DecodedStream(path: path, strictTrailer: true) else {
                throw JSONInputProblem(code: "io.read", reason: "cannot open \(path) again to decode it",
                                       position: JSONElementPosition(index: 0, line: 0, offset: 0))
            }
            self.decoder = decoder
            primed = 0
        }
    }

    /// The next block, or nil at the end (or after a read error, reported through `problem`).
    func next(problem: (JSONInputProblem) throws -> Void) throws -> UnsafeRawBufferPointer? {
        if let decoder {
            var block: UnsafeRawPointer?
            let count = decoder.nextBlock(&block)
            guard count > 0, let block else {
                if let reason = decoder.damage {
                    damage = (decoder.readFailed ? "io.read" : "shard.damaged", reason)
                }
                return nil
            }
            decodedBytes += Int64(count)
            return UnsafeRawBufferPointer(start: block, count: count)
        }
        if primed < 0 {
            damage = ("io.read", "cannot read \(path): \(systemErrorText(errno))")
            return nil
        }
        let count = primed > 0 ? primed : Self.fill(descriptor, buffer, Self.blockSize)
        primed = 0
        if count < 0 {
            damage = ("io.read", "cannot read \(path): \(systemErrorText(errno))")
            return nil
        }
        guard count > 0 else { return nil }
        decodedBytes += Int64(count)
        return UnsafeRawBufferPointer(start: buffer, count: count)
    }

    /// Reads until `capacity` bytes or the end: -1 on a read error.
    private static func fill(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
        var filled = 0
        while filled < capacity {
            let got = read(fd, buffer + filled, capacity - filled)
            if got < 0 {
                if errno == EINTR { continue }
                // A regular file opened non-blocking never answers EAGAIN; anything else is a failure.
                return filled > 0 ? filled : -1
            }
            if got == 0 { break }
            filled += got
        }
        return filled
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        buffer.deallocate()
    }
}
