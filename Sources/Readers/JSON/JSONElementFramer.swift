#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How the top-level values of a JSON input are laid out.
public enum JSONLayout: Sendable, Hashable {
    /// JSON Lines: one value per line (`\n` or `\r\n`); blank lines are skipped.
    case lines
    /// A single top-level array whose elements are handed out one by one.
    case array
    /// Values one after another with optional whitespace between them (`{..}{..}`, `{..}\n{..}`).
    case concatenated
}

/// Caps that keep the framer's memory and work per element bounded on hostile input.
public struct JSONFramerLimits: Sendable, Hashable {
    /// Largest element handed out; a bigger one is skipped without buffering it.
    public var maxElementBytes: Int
    /// Deepest `{`/`[` nesting allowed inside an element (the enclosing array of `.array` does not count).
    public var maxDepth: Int

    /// Defaults: 64 MiB per element, 512 levels of nesting.
    public init(maxElementBytes: Int = 64 << 20, maxDepth: Int = 512) {
        self.maxElementBytes = maxElementBytes
        self.maxDepth = maxDepth
    }
}

/// Where an element, or a problem, starts in the input.
public struct JSONElementPosition: Sendable, Hashable, CustomStringConvertible {
    /// 0-based index of the element in the input; for a problem not tied to an element,
    /// the index the next element would have had.
    public var index: Int
    /// 1-based line: 1 + the number of `\n` bytes before `offset`.
    public var line: Int
    /// 0-based byte offset in the (decompressed) input, a leading BOM included.
    public var offset: Int64

    /// A position; the framer makes these, tests and callers may too.
    public init(index: Int, line: Int, offset: Int64) {
        self.index = index
        self.line = line
        self.offset = offset
    }

    /// For logs: "element 3 at line 12, byte 4096".
    public var description: String { "element \(index) at line \(line), byte \(offset)" }
}

/// Something wrong with an input's structure or with one element's size or nesting.
public enum JSONFramingProblem: Sendable, Hashable, CustomStringConvertible {
    /// The structure between elements is broken; the reason names the offending byte.
    case malformed(String)
    /// An element nests deeper than the limit (the associated value).
    case tooDeep(Int)
    /// An element is longer than the limit in bytes (the associated value).
    case tooLarge(Int)
    /// The input ended inside an element, a string, or an unclosed array.
    case truncated(String)

    /// For logs: the kind and its detail.
    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed JSON: \(reason)"
        case .tooDeep(let limit): return "element nests deeper than \(limit) levels"
        case .tooLarge(let limit): return "element is larger than \(limit) bytes"
        case .truncated(let reason): return "truncated JSON: \(reason)"
        }
    }
}

/// Push-style splitter that finds the top-level elements of a JSON input without parsing them.
///
/// Feed the input in chunks of any size; the framer calls `element` with the exact bytes of
/// each complete element (no surrounding whitespace, no separating comma) and `problem` for
/// each problem, both with the element's position. Memory stays flat: only an element that
/// straddles chunks is copied, into one reused buffer that never grows past
/// `limits.maxElementBytes` (+1 in `.lines`, for a `\r`).
///
/// The framer tracks strings (with escapes) and bracket depth; it does not check that
/// brackets match in kind or that scalars are well formed: the caller's parser sees every
/// element and reports those faults. A bare scalar (number, `true`, `false`, `null`) ends at
/// whitespace or at the next structural byte, so two of them in `.concatenated` need
/// whitespace between them, and one cut short by the end of input is handed out as is.
/// In `.lines`, a line is trimmed of spaces, tabs and `\r` at both ends, and its size for
/// `maxElementBytes` runs from its first non-blank byte to its `\n` (minus a `\r` before it).
///
/// Behaviour after a problem:
/// - `tooLarge` / `tooDeep`: reported once, at the element's start position; the element is
///   scanned to its end without being buffered or handed out, and framing continues with the
///   next element (in `.lines`: with the next line). Whichever limit is crossed first, in byte
///   order, is the one reported, so the outcome does not depend on chunk sizes.
/// - `malformed` (`.array`, `.concatenated` only): reported once at the offending byte; the
///   framer then stops and ignores the rest of the input (`hasStopped` turns true), because a
///   stream cannot be resynchronised reliably. Elements before it stay delivered.
/// - `truncated` (`.array`, `.concatenated` only): reported by `finish` when the input ends
///   inside an element (at that element, even one already reported as too large/deep), or,
///   in `.array`, between elements of an unclosed array (at the `[`), or before any `[`.
/// - `.lines` never reports `malformed` or `truncated`: every non-blank line is handed to
///   the caller's parser, which judges it.
///
/// If a callback throws, the error propagates and the rest of that chunk is not scanned;
/// discard the framer.
public struct JSONElementFramer: Sendable {
    /// The layout this framer splits.
    public let layout: JSONLayout
    /// The caps this framer enforces.
    public let limits: JSONFramerLimits

    private enum State: UInt8, Sendable {
        case beforeArray, arrayOpen, afterComma, afterElement, afterArray  // .array, between elements
        case between                                                       // .concatenated, between elements
        case value                                                         // in an object, array or string element
        case bareScalar                                                    // in a number or literal element
        case lineStart, lineBody                                           // .lines
        case stopped                                                       // after `malformed` or `finish`
    }

    private var state: State
    /// Bracket depth inside the current element.
    private var depth = 0
    private var inString = false
    /// The previous chunk ended right after a backslash inside a string.
    private var escaped = false
    /// The current element was reported too large or too deep: scan it, never buffer or deliver it.
    private var skipping = false
    /// Index of the current element's first byte in the chunk being scanned, or -1 once its
    /// head has been copied into `buffer`.
    private var startInChunk = -1
    private var current = JSONElementPosition(index: 0, line: 1, offset: 0)
    private var arrayStart = JSONElementPosition(index: 0, line: 1, offset: 0)
    private var nextIndex = 0
    /// Holds the head of an element that straddles chunks; reused, never shrunk.
    private var buffer: [UInt8] = []
    private var bufferCount = 0
    /// Absolute offset of the chunk being scanned (between feeds: of the next byte).
    private var fed: Int64 = 0
    /// Lines are counted lazily in the structured layouts, up to this offset.
    private var countedTo: Int64 = 0
    /// Number of `\n` in the input before `countedTo` (structured) or scanned so far (lines).
    private var newlines = 0
    /// Bytes of a UTF-8 BOM matched at the very start; -1 once the check is over.
    private var bomMatched = 0
    private var finished = false

    /// A framer at the start of an input.
    public init(layout: JSONLayout, limits: JSONFramerLimits = JSONFramerLimits()) {
        self.layout = layout
        self.limits = limits
        switch layout {
        case .lines: state = .lineStart
        case .array: state = .beforeArray
        case .concatenated: state = .between
        }
    }

    /// True once the framer ignores the rest of the input (after `malformed`, or `finish`):
    /// the caller may stop reading.
    public var hasStopped: Bool { state == .stopped }

    /// Number of elements met so far, including skipped (too large/deep) ones.
    public var elementCount: Int { nextIndex }

    /// Capacity of the element buffer, for tests that check memory stays flat.
    var bufferCapacity: Int { buffer.capacity }

    /// Feeds the next chunk of input. `element` receives each complete element (its bytes are
    /// valid only during the call) and `problem` each problem found, with the position where
    /// the element (or, for `malformed`, the offending byte) starts.
    public mutating func feed(
        _ chunk: UnsafeRawBufferPointer,
        element: (UnsafeRawBufferPointer, JSONElementPosition) throws -> Void,
        problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        guard !finished, chunk.count > 0, let raw = chunk.baseAddress else { return }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = chunk.count
        var start = 0
        if bomMatched >= 0 {
            // The BOM may arrive split over several one-byte chunks.
            while start < n {
                let expected: UInt8 = bomMatched == 0 ? 0xEF : (bomMatched == 1 ? 0xBB : 0xBF)
                guard p[start] == expected else {
                    try replayBOMPrefix(element, problem)
                    break
                }
                bomMatched += 1
                start += 1
                if bomMatched == 3 {
                    bomMatched = -1
                    fed = 3
                    countedTo = 3
                    break
                }
            }
            if bomMatched > 0 { return }
        }
        if start < n { try scan(p + start, n - start, element, problem) }
    }

    /// Signals the end of input: reports truncation or an array never closed, and hands out a
    /// last line without newline (`.lines`) or a last bare scalar (`.concatenated`).
    /// Further calls to `feed` or `finish` do nothing.
    public mutating func finish(
        element: (UnsafeRawBufferPointer, JSONElementPosition) throws -> Void,
        problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        guard !finished else { return }
        if bomMatched > 0 { try replayBOMPrefix(element, problem) }
        bomMatched = -1
        finished = true
        let endState = state
        defer { state = .stopped }
        let atEnd = JSONElementPosition(index: nextIndex, line: newlines + 1, offset: fed)
        switch endState {
        case .lineBody:
            guard !skipping else { return }
            var none: UInt8 = 0
            try withUnsafePointer(to: &none) { try completeLine($0, end: 0, element, problem) }
        case .bareScalar where layout == .concatenated:
            // EOF ends a bare scalar; a cut inside a number is undetectable here (the parser may catch it).
            guard !skipping else { return }
            var none: UInt8 = 0
            try withUnsafePointer(to: &none) { try completeElement($0, end: 0, element, problem) }
        case .bareScalar:
            // In an array a scalar is only complete once ',' or ']' follows.
            try problem(.truncated("input ended inside an array element"), current)
        case .value:
            let reason = inString ? "input ended inside a string" : "input ended inside an unclosed object or array"
            try problem(.truncated(reason), current)
        case .beforeArray:
            try problem(.truncated("input ended before the array's '['"), atEnd)
        case .arrayOpen, .afterComma, .afterElement:
            // Positioned at the '[', indexed like the element that never came.
            let at = JSONElementPosition(index: nextIndex, line: arrayStart.line, offset: arrayStart.offset)
            try problem(.truncated("input ended before the array's closing ']'"), at)
        case .afterArray, .between, .lineStart, .stopped:
            return
        }
    }

    /// Guesses the layout from the first bytes of an input.
    ///
    /// Rule, after skipping a UTF-8 BOM and whitespace (blank lines included):
    /// - the first byte is `[` → `.array`;
    /// - the first value ends before the first newline and is followed on its line only by
    ///   spaces, tabs or `\r` → `.lines` (also when `head` ends right after it);
    /// - the first value spans a newline, or a second value follows on the same line →
    ///   `.concatenated`;
    /// - the first value does not end within `head`: `.concatenated` if `head` holds a newline
    ///   after the value's start, else `.lines` (one long record);
    /// - an empty or all-whitespace head → `.lines`.
    public static func detectLayout(_ head: UnsafeRawBufferPointer) -> JSONLayout {
        let n = head.count
        var i = 0
        if n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF { i = 3 }
        while i < n && isJSONWhitespace(head[i]) { i += 1 }
        guard i < n else { return .lines }
        if head[i] == 0x5B { return .array }
        let start = i
        var end = -1
        if head[i] == 0x7B || head[i] == 0x22 {
            var depth = 0
            var inString = false
            var j = i
            while j < n {
                let c = head[j]
                j += 1
                if inString {
                    if c == 0x5C { j += 1 } else if c == 0x22 { inString = false; if depth == 0 { end = j; break } }
                } else if c == 0x22 {
                    inString = true
                } else if c == 0x7B || c == 0x5B {
                    depth += 1
                } else if c == 0x7D || c == 0x5D {
                    depth -= 1
                    if depth <= 0 { end = j; break }
                }
            }
        } else {
            var j = i + 1
            while j < n && !endsBareScalar(head[j]) { j += 1 }
            if j < n { end = j }
        }
        var sawNewline = false
        for k in start..<(end >= 0 ? end : n) where head[k] == 0x0A { sawNewline = true; break }
        if sawNewline { return .concatenated }
        if end < 0 { return .lines }
        var k = end
        while k < n && isLineBlank(head[k]) { k += 1 }
        return k == n || head[k] == 0x0A ? .lines : .concatenated
    }

    // MARK: - Scanning

    /// Scans BOM bytes that turned out not to be a BOM as ordinary input at offset 0.
    private mutating func replayBOMPrefix(
        _ element: (UnsafeRawBufferPointer, JSONElementPosition) throws -> Void,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        let count = bomMatched
        bomMatched = -1
        guard count > 0 else { return }
        let prefix: (UInt8, UInt8) = (0xEF, 0xBB)
        try withUnsafeBytes(of: prefix) { raw in
            guard let base = raw.baseAddress else { return }
            try scan(base.assumingMemoryBound(to: UInt8.self), min(count, 2), element, problem)
        }
    }

    private mutating func scan(
        _ p: UnsafePointer<UInt8>, _ n: Int,
        _ element: (UnsafeRawBufferPointer, JSONElementPosition) throws -> Void,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        if layout == .lines {
            try scanLines(p, n, element, problem)
        } else {
            try scanStructured(p, n, element, problem)
        }
    }

    /// Position of byte `i` of the chunk being scanned (structured layouts; `i` never decreases
    /// between calls within a chunk).
    @inline(__always)
    private mutating func locate(_ p: UnsafePointer<UInt8>, _ i: Int, index: Int) -> JSONElementPosition {
        let from = Int(countedTo - fed)
        if i > from {
            newlines &+= countNewlines(p, from, i)
            countedTo = fed &+ Int64(i)
        }
        return JSONElementPosition(index: index, line: newlines &+ 1, offset: fed &+ Int64(i))
    }

    private mutating func scanStructured(
        _ p: UnsafePointer<UInt8>, _ n: Int,
        _ element: (UnsafeRawBufferPointer, JSONElementPosition) throws -> Void,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        var i = 0
        scanning: while i < n {
            switch state {
            case .value:
                let (end, deep) = scanValue(p, i, n)
                if end >= 0 {
                    i = end
                    try completeElement(p, end: end, element, problem)
                } else if deep >= 0 {
                    i = deep &+ 1
                    try reportLimit(at: deep, problem)
                } else {
                    i = n
                }
            case .bareScalar:
                var j = i
                while j < n && !endsBareScalar(p[j]) { j &+= 1 }
                if j < n {
                    // The terminator is not consumed: it is the next state's first byte.
                    i = j
                    try completeElement(p, end: j, element, problem)
                } else {
                    i = n
                }
            case .stopped:
                break scanning
            case .beforeArray, .arrayOpen, .afterComma, .afterElement, .afterArray, .between:
                while i < n && isJSONWhitespace(p[i]) { i &+= 1 }
                guard i < n else { break scanning }
                i = try betweenElements(p, i, problem)
            case .lineStart, .lineBody:
                break scanning  // not reachable in structured layouts
            }
        }
        if state == .value || state == .bareScalar {
            // Also covers an element whose first byte was the chunk's last.
            try suspendElement(p, n, problem)
        }
        if state != .stopped {
            let from = Int(countedTo - fed)
            if n > from { newlines &+= countNewlines(p, from, n) }
        }
        fed &+= Int64(n)
        countedTo = fed
    }

    /// Handles the non-whitespace byte `p[i]` met between elements; returns the next index.
    private mutating func betweenElements(
        _ p: UnsafePointer<UInt8>, _ i: Int,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows -> Int {
        let c = p[i]
        switch state {
        case .beforeArray:
            guard c == 0x5B else {
                return try malformed("expected '[' to open the array, found \(describeByte(c))", p, i, problem)
            }
            arrayStart = locate(p, i, index: nextIndex)
            state = .arrayOpen
            return i &+ 1
        case .arrayOpen:
            if c == 0x5D { state = .afterArray; return i &+ 1 }
            return try beginElement(p, i, problem)
        case .afterComma:
            if c == 0x5D { return try malformed("unexpected ']' after ',' (trailing comma)", p, i, problem) }
            return try beginElement(p, i, problem)
        case .afterElement:
            if c == 0x2C { state = .afterComma; return i &+ 1 }
            if c == 0x5D { state = .afterArray; return i &+ 1 }
            return try malformed("expected ',' or ']' after an array element, found \(describeByte(c))", p, i, problem)
        case .afterArray:
            return try malformed("unexpected \(describeByte(c)) after the array's closing ']'", p, i, problem)
        default:
            return try beginElement(p, i, problem)
        }
    }

    private mutating func beginElement(
        _ p: UnsafePointer<UInt8>, _ i: Int,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows -> Int {
        let c = p[i]
        let isContainer = c == 0x7B || c == 0x5B
        guard isContainer || c == 0x22 || startsBareScalar(c) else {
            let where_ = layout == .array ? "where an array element should start" : "where a value should start"
            return try malformed("unexpected \(describeByte(c)) \(where_)", p, i, problem)
        }
        current = locate(p, i, index: nextIndex)
        nextIndex &+= 1
        startInChunk = i
        bufferCount = 0
        skipping = false
        escaped = false
        if isContainer {
            depth = 1
            inString = false
            state = .value
            if limits.maxDepth < 1 { try reportLimit(at: i, problem) }
        } else if c == 0x22 {
            depth = 0
            inString = true
            state = .value
        } else {
            state = .bareScalar
        }
        return i &+ 1
    }

    private mutating func malformed(
        _ reason: String, _ p: UnsafePointer<UInt8>, _ i: Int,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows -> Int {
        let at = locate(p, i, index: nextIndex)
        state = .stopped
        bufferCount = 0
        try problem(.malformed(reason), at)
        return i &+ 1
    }

    /// Scans an object, array or string element from `p[start]`. Returns `end` (index after the
    /// element) when it closes, `deep` (index of the bracket) when nesting goes over the limit,
    /// both -1 when the chunk ends first.
    @inline(__always)
    private mutating func scanValue(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> (end: Int, deep: Int) {
        var i = start
        var depth = self.depth
        var inString = self.inString
        var escaped = self.escaped
        let limit = skipping ? Int.max : limits.maxDepth
        var end = -1
        var deep = -1
        scanning: while true {
            if inString {
                if escaped {
                    if i >= n { break scanning }
                    escaped = false
                    i &+= 1
                }
                while true {
                    let j = findQuoteOrBackslash(p, i, n)
                    if j >= n { i = n; break scanning }
                    if p[j] == 0x22 { i = j &+ 1; break }
                    if j &+ 1 >= n { escaped = true; i = n; break scanning }
                    i = j &+ 2
                }
                inString = false
                if depth == 0 { end = i; break scanning }
            }
            while i < n {
                let c = p[i]
                i &+= 1
                if c == 0x22 { inString = true; continue scanning }
                let folded = c | 0x20  // '[' -> '{', ']' -> '}'
                if folded == 0x7B {
                    depth &+= 1
                    if depth > limit { deep = i &- 1; break scanning }
                } else if folded == 0x7D {
                    depth &-= 1
                    if depth == 0 { end = i; break scanning }
                }
            }
            break scanning
        }
        self.depth = depth
        self.inString = inString
        self.escaped = escaped
        return (end, deep)
    }

    /// Reports the first limit crossed by the current element, at byte `k` (a bracket over the
    /// depth limit), and switches to skipping it.
    private mutating func reportLimit(
        at k: Int,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        let lengthSoFar = startInChunk >= 0 ? k &+ 1 &- startInChunk : bufferCount &+ k &+ 1
        skipping = true
        bufferCount = 0
        startInChunk = -1
        // If the size cap fell before this byte, that is the limit crossed first.
        let crossed: JSONFramingProblem = lengthSoFar > limits.maxElementBytes
            ? .tooLarge(limits.maxElementBytes) : .tooDeep(limits.maxDepth)
        try problem(crossed, current)
    }

    /// The current element ends before `p[end]`: hand it out (or drop it if skipped / too large).
    private mutating func completeElement(
        _ p: UnsafePointer<UInt8>, end: Int,
        _ element: (UnsafeRawBufferPointer, JSONElementPosition) throws -> Void,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        state = layout == .array ? .afterElement : .between
        if skipping {
            skipping = false
            bufferCount = 0
            return
        }
        let max = limits.maxElementBytes
        let at = current
        if startInChunk >= 0 {
            let length = end &- startInChunk
            if length > max { try problem(.tooLarge(max), at); return }
            // Entirely inside the chunk: no copy.
            try element(UnsafeRawBufferPointer(start: p + startInChunk, count: length), at)
        } else {
            let length = bufferCount &+ end
            if length > max { bufferCount = 0; try problem(.tooLarge(max), at); return }
            append(p, end)
            bufferCount = 0
            try buffer.withUnsafeBytes { all in
                try element(UnsafeRawBufferPointer(rebasing: all[0..<length]), at)
            }
        }
    }

    /// The chunk ends inside the current element: keep its bytes unless it is over the cap.
    private mutating func suspendElement(
        _ p: UnsafePointer<UInt8>, _ n: Int,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        guard !skipping else { return }
        let from = startInChunk >= 0 ? startInChunk : 0
        let total = (startInChunk >= 0 ? 0 : bufferCount) &+ (n &- from)
        startInChunk = -1
        if total > limits.maxElementBytes {
            skipping = true
            bufferCount = 0
            try problem(.tooLarge(limits.maxElementBytes), current)
            return
        }
        append(p + from, n &- from)
    }

    // MARK: - JSON Lines

    private mutating func scanLines(
        _ p: UnsafePointer<UInt8>, _ n: Int,
        _ element: (UnsafeRawBufferPointer, JSONElementPosition) throws -> Void,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        var i = 0
        while i < n {
            if state == .lineStart {
                while i < n {
                    let c = p[i]
                    if c == 0x0A {
                        newlines &+= 1
                    } else if !isLineBlank(c) {
                        break
                    }
                    i &+= 1
                }
                guard i < n else { break }
                current = JSONElementPosition(index: nextIndex, line: newlines &+ 1, offset: fed &+ Int64(i))
                nextIndex &+= 1
                startInChunk = i
                bufferCount = 0
                skipping = false
                depth = 0
                inString = false
                escaped = false
                state = .lineBody
            }
            let lineEnd: Int
            if let hit = memchr(p + i, 0x0A, n &- i) {
                lineEnd = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(hit))
            } else {
                lineEnd = n
            }
            if !skipping {
                let deep = scanLineDepth(p, i, lineEnd)
                if deep >= 0 { try reportLimit(at: deep, problem) }
            }
            if lineEnd < n {
                i = lineEnd &+ 1
                state = .lineStart
                newlines &+= 1
                try completeLine(p, end: lineEnd, element, problem)
            } else {
                i = n
                try suspendLine(p, n, problem)
            }
        }
        fed &+= Int64(n)
    }

    /// Tracks strings and depth over `p[from..<to]` (no newline inside). Returns the index of
    /// the bracket that goes over the depth limit, or -1.
    private mutating func scanLineDepth(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var i = from
        var depth = self.depth
        var inString = self.inString
        var escaped = self.escaped
        let limit = limits.maxDepth
        var deep = -1
        scanning: while true {
            if inString {
                if escaped {
                    if i >= to { break scanning }
                    escaped = false
                    i &+= 1
                }
                while true {
                    let j = findQuoteOrBackslash(p, i, to)
                    if j >= to { i = to; break scanning }
                    if p[j] == 0x22 { i = j &+ 1; break }
                    if j &+ 1 >= to { escaped = true; i = to; break scanning }
                    i = j &+ 2
                }
                inString = false
            }
            while i < to {
                let c = p[i]
                i &+= 1
                if c == 0x22 { inString = true; continue scanning }
                let folded = c | 0x20
                if folded == 0x7B {
                    depth &+= 1
                    if depth > limit { deep = i &- 1; break scanning }
                } else if folded == 0x7D && depth > 0 {
                    // Clamped: a stray closer on a bad line must not hide later nesting.
                    depth &-= 1
                }
            }
            break scanning
        }
        self.depth = depth
        self.inString = inString
        self.escaped = escaped
        return deep
    }

    /// The current line ends before `p[end]` (its `\n`, or end of input): hand it out trimmed.
    /// Its size is measured from its first byte to the `\n`, minus a `\r` right before it.
    private mutating func completeLine(
        _ p: UnsafePointer<UInt8>, end: Int,
        _ element: (UnsafeRawBufferPointer, JSONElementPosition) throws -> Void,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        if skipping {
            skipping = false
            bufferCount = 0
            return
        }
        let max = limits.maxElementBytes
        let at = current
        if startInChunk >= 0 {
            let s = startInChunk
            var e = end
            let measure = p[e &- 1] == 0x0D ? e &- s &- 1 : e &- s
            if measure > max { try problem(.tooLarge(max), at); return }
            while e > s && isLineBlank(p[e &- 1]) { e &-= 1 }
            try element(UnsafeRawBufferPointer(start: p + s, count: e &- s), at)
        } else {
            let total = bufferCount &+ end
            let last = end > 0 ? p[end &- 1] : (bufferCount > 0 ? buffer[bufferCount &- 1] : 0)
            let measure = last == 0x0D ? total &- 1 : total
            if measure > max { bufferCount = 0; try problem(.tooLarge(max), at); return }
            append(p, end)
            bufferCount = 0
            try buffer.withUnsafeBytes { all in
                var e = total
                while e > 1 && isLineBlank(all[e &- 1]) { e &-= 1 }
                try element(UnsafeRawBufferPointer(rebasing: all[0..<e]), at)
            }
        }
    }

    /// The chunk ends inside the current line: keep it unless it is already over the cap
    /// (a trailing `\r` is not counted yet: it may be the line's `\r\n`).
    private mutating func suspendLine(
        _ p: UnsafePointer<UInt8>, _ n: Int,
        _ problem: (JSONFramingProblem, JSONElementPosition) throws -> Void
    ) rethrows {
        guard !skipping else { return }
        let from = startInChunk >= 0 ? startInChunk : 0
        let total = (startInChunk >= 0 ? 0 : bufferCount) &+ (n &- from)
        let measure = p[n &- 1] == 0x0D ? total &- 1 : total
        startInChunk = -1
        if measure > limits.maxElementBytes {
            skipping = true
            bufferCount = 0
            try problem(.tooLarge(limits.maxElementBytes), current)
            return
        }
        append(p + from, n &- from)
    }

    // MARK: - Buffer

    /// Appends to the element buffer; callers have checked the result stays within the cap.
    private mutating func append(_ source: UnsafePointer<UInt8>, _ count: Int) {
        guard count > 0 else { return }
        let needed = bufferCount &+ count
        if needed > buffer.count {
            // Double for amortised growth, but never past the cap (+1 for a line's '\r').
            let cap = Swift.max(needed, limits.maxElementBytes &+ 1)
            let newCount = Swift.min(Swift.max(needed, buffer.count &* 2, 4096), cap)
            var grown = [UInt8](repeating: 0, count: newCount)
            if bufferCount > 0 {
                grown.withUnsafeMutableBufferPointer { dst in
                    buffer.withUnsafeBufferPointer { src in
                        if let d = dst.baseAddress, let s = src.baseAddress { d.update(from: s, count: bufferCount) }
                    }
                }
            }
            buffer = grown
        }
        let offset = bufferCount
        buffer.withUnsafeMutableBufferPointer { dst in
            if let d = dst.baseAddress { (d + offset).update(from: source, count: count) }
        }
        bufferCount = needed
    }
}
