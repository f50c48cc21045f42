/// A matcher for the common subset of ECMA-262 patterns, run as a Thompson NFA over code points.
///
/// Schema patterns such as `^[0-9a-f]{64}$` are checked on every record of an import. Going through
/// `NSRegularExpression` costs a bridged string, a UTF-16 copy and an ICU matcher clone whenever two
/// threads use one pattern, and ICU backtracks. This automaton needs no allocation beyond a scratch buffer,
/// shares nothing mutable between threads, and runs in time linear in the text. Patterns outside the
/// subset (lookaround, backreferences, `\p{...}`) return nil from `init` and are left to ICU.
struct RegexNFA: Sendable {
    fileprivate enum Op: UInt8 {
        case set, split, jump, assertStart, assertEnd, wordBoundary, notWordBoundary, match
    }

    /// One NFA state; plain values only, so reading the program never touches reference counts.
    fileprivate struct State {
        var op: Op
        var next: Int32 = 0
        var alternative: Int32 = 0
        var asciiLow: UInt64 = 0
        var asciiHigh: UInt64 = 0
        var rangeStart: Int32 = 0
        var rangeEnd: Int32 = 0
    }

    /// Beyond this many states (a large `{n,m}`, say) the pattern is left to ICU.
    private static let maxStates = 4_096

    private let states: [State]
    /// Non-ASCII parts of character sets, as flattened sorted `low, high` pairs.
    private let ranges: [UInt32]
    private let start: Int32
    /// True when every match must begin at the start of the text, so that a failed start ends the search.
    private let anchoredAtStart: Bool
    /// Set for patterns like `^[a-z]+-[0-9]{4}$` that a single greedy scan decides.
    private let linear: LinearPattern?

    init?(_ pattern: String) {
        var parser = SubsetParser(Array(pattern.unicodeScalars))
        guard let tree = parser.parsePattern() else { return nil }
        var builder = Builder()
        builder.states.append(State(op: .match))
        guard let entry = builder.compile(tree, continuation: 0), builder.states.count <= Self.maxStates else {
            return nil
        }
        states = builder.states
        ranges = builder.ranges
        start = entry
        anchoredAtStart = tree.startsWithStartAssertion
        linear = LinearPattern(tree)
    }

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        if let linear { return linear.matches(text) }
        let count = states.count
        return states.withUnsafeBufferPointer { states in
            ranges.withUnsafeBufferPointer { ranges in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: count * 5 + 2) { scratch in
                    var simulation = Simulation(states: states, ranges: ranges, scratch: scratch, count: count)
                    return simulation.run(text.unicodeScalars, start: start, anchoredAtStart: anchoredAtStart)
                }
            }
        }
    }

    private struct Simulation {
        let states: UnsafeBufferPointer<State>
        let ranges: UnsafeBufferPointer<UInt32>
        /// Marks and the current and next state lists, each `count` long, and the closure stack. A state
        /// may be pushed by several predecessors before it is marked, but each marked state pushes at most
        /// two, so the stack never holds more than `2 * count + 1`.
        var marks: UnsafeMutableBufferPointer<Int32>
        var current: UnsafeMutableBufferPointer<Int32>
        var next: UnsafeMutableBufferPointer<Int32>
        var stack: UnsafeMutableBufferPointer<Int32>
        var currentCount = 0
        var nextCount = 0
        var generation: Int32 = 0

        init(
            states: UnsafeBufferPointer<State>, ranges: UnsafeBufferPointer<UInt32>,
            scratch: UnsafeMutableBufferPointer<Int32>, count: Int
        ) {
            self.states = states
            self.ranges = ranges
            marks = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
            current = UnsafeMutableBufferPointer(rebasing: scratch[count..<(2 * count)])
            next = UnsafeMutableBufferPointer(rebasing: scratch[(2 * count)..<(3 * count)])
            stack = UnsafeMutableBufferPointer(rebasing: scratch[(3 * count)..<(5 * count + 2)])
            marks.initialize(repeating: -1)
        }

        mutating func run(_ scalars: String.UnicodeScalarView, start: Int32, anchoredAtStart: Bool) -> Bool {
            var iterator = scalars.makeIterator()
            var upcoming = iterator.next()
            generation = 0
            if addClosure(start, previous: nil, upcoming: upcoming) { return true }
            swap(&current, &next)
            currentCount = nextCount
            while let scalar = upcoming {
                let following = iterator.next()
                generation += 1
                nextCount = 0
                for position in 0..<currentCount {
                    let state = states[Int(current[position])]
                    if contains(state, scalar), addClosure(state.next, previous: scalar, upcoming: following) {
                        return true
                    }
                }
                if !anchoredAtStart, addClosure(start, previous: scalar, upcoming: following) { return true }
                swap(&current, &next)
                currentCount = nextCount
                if currentCount == 0 && anchoredAtStart { return false }
                upcoming = following
            }
            return false
        }

        /// Adds `entry` and every state reachable from it without consuming input to the next list;
        /// true when that reaches the final state.
        mutating func addClosure(_ entry: Int32, previous: Unicode.Scalar?, upcoming: Unicode.Scalar?) -> Bool {
            stack[0] = entry
            var depth = 1
            while depth > 0 {
                depth -= 1
                let index = Int(stack[depth])
                if marks[index] == generation { continue }
                marks[index] = generation
                let state = states[index]
                switch state.op {
                case .set:
                    next[nextCount] = Int32(index)
                    nextCount += 1
                case .match:
                    return true
                case .jump:
                    stack[depth] = state.next
                    depth += 1
                case .split:
                    stack[depth] = state.alternative
                    stack[depth + 1] = state.next
                    depth += 2
                case .assertStart:
                    if previous == nil {
                        stack[depth] = state.next
                        depth += 1
                    }
                case .assertEnd:
                    if upcoming == nil {
                        stack[depth] = state.next
                        depth += 1
                    }
                case .wordBoundary, .notWordBoundary:
                    let boundary = isWordScalar(previous) != isWordScalar(upcoming)
                    if boundary == (state.op == .wordBoundary) {
                        stack[depth] = state.next
                        depth += 1
                    }
                }
            }
            return false
        }

        func contains(_ state: State, _ scalar: Unicode.Scalar) -> Bool {
            RegexNFA.contains(state, scalar, ranges)
        }
    }

    fileprivate static func contains(_ state: State, _ scalar: Unicode.Scalar, _ ranges: UnsafeBufferPointer<UInt32>)
        -> Bool
    {
        let value = scalar.value
        if value < 64 { return state.asciiLow & (1 << UInt64(value)) != 0 }
        if value < 128 { return state.asciiHigh & (1 << UInt64(value - 64)) != 0 }
        var low = Int(state.rangeStart)
        var high = Int(state.rangeEnd)
        // Binary search over pairs: [low, high) counts pairs.
        while low < high {
            let middle = (low + high) / 2
            if value < ranges[2 * middle] {
                high = middle
            } else if value > ranges[2 * middle + 1] {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    /// `^` followed by character sets with counts, and optionally `$`, where a set that may repeat a
    /// variable number of times shares no code point with the set after it. Then taking as many as
    /// possible at each step is the only way to match, and one pass without backtracking decides.
    private struct LinearPattern: Sendable {
        struct Item {
            var set: State
            var minimum: Int
            /// -1 for no upper bound.
            var maximum: Int
        }

        let items: [Item]
        let ranges: [UInt32]
        let anchoredAtEnd: Bool

        init?(_ tree: RegexTree) {
            guard case .sequence(var parts) = tree, parts.count >= 2, case .assertion(.start) = parts[0] else {
                return nil
            }
            parts.removeFirst()
            var anchoredAtEnd = false
            if case .assertion(.end) = parts[parts.count - 1] {
                anchoredAtEnd = true
                parts.removeLast()
            }
            var sets: [ScalarSet] = []
            var bounds: [(Int, Int?)] = []
            for part in parts {
                switch part {
                case .set(let set):
                    sets.append(set)
                    bounds.append((1, 1))
                case .repeated(.set(let set), let minimum, let maximum):
                    sets.append(set)
                    bounds.append((minimum, maximum))
                default:
                    return nil
                }
            }
            for index in sets.indices where bounds[index].1 != bounds[index].0 {
                guard index + 1 < sets.count else { continue }
                guard bounds[index + 1].0 >= 1, sets[index].isDisjoint(with: sets[index + 1]) else { return nil }
            }
            var builder = Builder()
            var items: [Item] = []
            for (set, bound) in zip(sets, bounds) {
                guard let entry = builder.compile(.set(set), continuation: 0) else { return nil }
                items.append(Item(set: builder.states[Int(entry)], minimum: bound.0, maximum: bound.1 ?? -1))
            }
            self.items = items
            ranges = builder.ranges
            self.anchoredAtEnd = anchoredAtEnd
        }

        func matches(_ text: String) -> Bool {
            ranges.withUnsafeBufferPointer { ranges in
                var iterator = text.unicodeScalars.makeIterator()
                var pending = iterator.next()
                for item in items {
                    var count = 0
                    while item.maximum < 0 || count < item.maximum, let scalar = pending,
                        RegexNFA.contains(item.set, scalar, ranges)
                    {
                        count += 1
                        pending = iterator.next()
                    }
                    if count < item.minimum { return false }
                }
                return !anchoredAtEnd || pending == nil
            }
        }
    }

    private struct Builder {
        var states: [State] = []
        var ranges: [UInt32] = []

        /// Emits `tree` so that it continues at `continuation`; returns its entry, nil when too large.
        mutating func compile(_ tree: RegexTree, continuation: Int32) -> Int32? {
            if states.count > RegexNFA.maxStates { return nil }
            switch tree {
            case .empty:
                return continuation
            case .set(let set):
                var state = State(op: .set, next: continuation)
                state.rangeStart = Int32(ranges.count / 2)
                for range in set.ranges {
                    if range.lowerBound < 128 {
                        for value in range.lowerBound...min(range.upperBound, 127) {
                            if value < 64 {
                                state.asciiLow |= 1 << UInt64(value)
                            } else {
                                state.asciiHigh |= 1 << UInt64(value - 64)
                            }
                        }
                    }
                    if range.upperBound >= 128 {
                        ranges.append(max(range.lowerBound, 128))
                        ranges.append(range.upperBound)
                    }
                }
                state.rangeEnd = Int32(ranges.count / 2)
                return append(state)
            case .sequence(let parts):
                var entry = continuation
                for part in parts.reversed() {
                    guard let compiled = compile(part, continuation: entry) else { return nil }
                    entry = compiled
                }
                return entry
            case .choice(let options):
                guard var entry = compile(options[options.count - 1], continuation: continuation) else { return nil }
                for option in options.dropLast().reversed() {
                    guard let compiled = compile(option, continuation: continuation) else { return nil }
                    entry = append(State(op: .split, next: compiled, alternative: entry))
                }
                return entry
            case .assertion(let kind):
                let op: Op
                switch kind {
                case .start: op = .assertStart
                case .end: op = .assertEnd
                case .wordBoundary: op = .wordBoundary
                case .notWordBoundary: op = .notWordBoundary
                }
                return append(State(op: op, next: continuation))
            case .repeated(let body, let minimum, let maximum):
                var entry: Int32
                if let maximum {
                    entry = continuation
                    for _ in 0..<(maximum - minimum) {
                        guard let compiled = compile(body, continuation: entry) else { return nil }
                        entry = append(State(op: .split, next: compiled, alternative: continuation))
                    }
                } else {
                    // A loop: the split is emitted first so that the body can continue back into it.
                    let loop = append(State(op: .split, next: 0, alternative: continuation))
                    guard let bodyEntry = compile(body, continuation: loop) else { return nil }
                    states[Int(loop)].next = bodyEntry
                    entry = loop
                }
                for _ in 0..<minimum {
                    guard let compiled = compile(body, continuation: entry) else { return nil }
                    entry = compiled
                }
                return entry
            }
        }

        private mutating func append(_ state: State) -> Int32 {
            states.append(state)
            return Int32(states.count - 1)
        }
    }
}

private func isWordScalar(_ scalar: Unicode.Scalar?) -> Bool {
    guard let value = scalar?.value else { return false }
    return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || value == 0x5F
        || (value >= 0x61 && value <= 0x7A)
}

/// A set of code points as sorted, disjoint, non-adjacent closed ranges.
struct ScalarSet {
    private(set) var ranges: [ClosedRange<UInt32>]

    init(_ ranges: [ClosedRange<UInt32>]) {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    func isDisjoint(with other: ScalarSet) -> Bool {
        var first = 0
        var second = 0
        while first < ranges.count && second < other.ranges.count {
            if ranges[first].overlaps(other.ranges[second]) { return false }
            if ranges[first].upperBound < other.ranges[second].upperBound { first += 1 } else { second += 1 }
        }
        return true
    }

    var complement: ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        return ScalarSet(result)
    }

    static let digits = ScalarSet([0x30...0x39])
    static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let whitespace = ScalarSet([
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
    static let lineTerminators = ScalarSet([0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029])
}

/// The syntax tree of a pattern in the subset `RegexNFA` runs.
indirect enum RegexTree {
    case empty
    case set(ScalarSet)
    case sequence([RegexTree])
    case choice([RegexTree])
    case repeated(RegexTree, minimum: Int, maximum: Int?)
    case assertion(RegexNFA.AssertionKind)

    /// Conservative: true only when the first thing every match does is assert the start of the text.
    var startsWithStartAssertion: Bool {
        switch self {
        case .assertion(let kind): return kind == .start
        case .sequence(let parts): return parts.first?.startsWithStartAssertion ?? false
        case .choice(let options): return options.allSatisfy(\.startsWithStartAssertion)
        default: return false
        }
    }
}

extension RegexNFA {
    /// The zero-width assertions of the subset.
    enum AssertionKind {
        case start, end, wordBoundary, notWordBoundary
    }
}

/// Parses the subset; returns nil for anything else, valid or not, so that ICU decides.
private struct SubsetParser {
    let scalars: [Unicode.Scalar]
    var position = 0
    /// Set on a quantifier whose counts are too large for the automaton.
    var tooLarge = false

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func take() -> Unicode.Scalar? {
        guard position < scalars.count else { return nil }
        defer { position += 1 }
        return scalars[position]
    }

    mutating func parsePattern() -> RegexTree? {
        guard let tree = parseDisjunction(), position == scalars.count, !tooLarge else { return nil }
        return tree
    }

    private mutating func parseDisjunction() -> RegexTree? {
        var options: [RegexTree] = []
        while true {
            guard let alternative = parseAlternative() else { return nil }
            options.append(alternative)
            guard peek() == "|" else { break }
            position += 1
        }
        return options.count == 1 ? options[0] : .choice(options)
    }

    private mutating func parseAlternative() -> RegexTree? {
        var parts: [RegexTree] = []
        while let scalar = peek(), scalar != "|", scalar != ")" {
            guard let term = parseTerm() else { return nil }
            parts.append(term)
        }
        if parts.isEmpty { return .empty }
        return parts.count == 1 ? parts[0] : .sequence(parts)
    }

    private mutating func parseTerm() -> RegexTree? {
        guard let scalar = take() else { return nil }
        var atom: RegexTree
        switch scalar {
        case "^": return .assertion(.start)
        case "$": return .assertion(.end)
        case "\\":
            if peek() == "b" || peek() == "B" {
                let kind: RegexNFA.AssertionKind = take() == "b" ? .wordBoundary : .notWordBoundary
                return .assertion(kind)
            }
            guard let set = parseEscape() else { return nil }
            atom = .set(set)
        case ".":
            atom = .set(ScalarSet.lineTerminators.complement)
        case "(":
            if peek() == "?" {
                // Only plain non-capturing groups; lookaround and named groups go to ICU.
                guard peek(1) == ":" else { return nil }
                position += 2
            }
            guard let inner = parseDisjunction(), take() == ")" else { return nil }
            atom = inner
        case "[":
            guard let set = parseClass() else { return nil }
            atom = .set(set)
        case "*", "+", "?", ")":
            return nil
        case "{":
            // A brace that opens a valid quantifier has nothing to repeat here: a syntax error.
            position -= 1
            if readBraces() != nil { return nil }
            position += 1
            atom = .set(ScalarSet([scalar.value...scalar.value]))
        default:
            atom = .set(ScalarSet([scalar.value...scalar.value]))
        }
        guard let (minimum, maximum) = parseQuantifier() else { return nil }
        if minimum == 1 && maximum == 1 { return atom }
        if let maximum, maximum < minimum { return nil }
        return .repeated(atom, minimum: minimum, maximum: maximum)
    }

    /// The bounds of a quantifier after an atom, (1, 1) when there is none; nil when malformed.
    private mutating func parseQuantifier() -> (Int, Int?)? {
        var bounds: (Int, Int?)
        switch peek() {
        case "*": position += 1; bounds = (0, nil)
        case "+": position += 1; bounds = (1, nil)
        case "?": position += 1; bounds = (0, 1)
        case "{":
            guard let braces = readBraces() else { return (1, 1) }
            bounds = braces
        default:
            return (1, 1)
        }
        if peek() == "?" { position += 1 }  // Laziness does not change whether a match exists.
        if let next = peek(), next == "*" || next == "+" || next == "?" || next == "{" { return nil }
        // Large counts would blow up the automaton; ICU takes those.
        if bounds.0 > 1_000 || (bounds.1 ?? 0) > 1_000 { return nil }
        return bounds
    }

    /// Reads `{n}`, `{n,}` or `{n,m}`; leaves the position alone and returns nil otherwise.
    private mutating func readBraces() -> (Int, Int?)? {
        guard peek() == "{" else { return nil }
        var offset = 1
        var first = ""
        var second = ""
        var sawComma = false
        while let scalar = peek(offset) {
            if scalar >= "0" && scalar <= "9" {
                if sawComma { second.unicodeScalars.append(scalar) } else { first.unicodeScalars.append(scalar) }
            } else if scalar == "," && !sawComma {
                sawComma = true
            } else if scalar == "}" {
                guard !first.isEmpty else { return nil }
                guard first.count <= 6, second.count <= 6, let minimum = Int(first) else {
                    // A quantifier after all, with counts too large to unroll: ICU's business.
                    tooLarge = true
                    return nil
                }
                let maximum: Int? = sawComma ? (second.isEmpty ? nil : Int(second)) : minimum
                if sawComma && !second.isEmpty && maximum == nil { return nil }
                position += offset + 1
                return (minimum, maximum)
            } else {
                return nil
            }
            offset += 1
        }
        return nil
    }

    private mutating func parseClass() -> ScalarSet? {
        var negated = false
        if peek() == "^" {
            negated = true
            position += 1
        }
        var members: [ClosedRange<UInt32>] = []
        while true {
            guard let first = parseClassAtom() else { return nil }
            guard case .some(let atom) = first else { break }
            if peek() == "-", let after = peek(1), after != "]" {
                position += 1
                guard case .some(.some(let second)) = parseClassAtom(),
                    let low = atom.single, let high = second.single, low <= high
                else { return nil }
                members.append(low...high)
            } else {
                members.append(contentsOf: atom.set.ranges)
            }
        }
        let set = ScalarSet(members)
        return negated ? set.complement : set
    }

    private struct ClassAtom {
        var set: ScalarSet
        var single: UInt32?
    }

    /// nil on an error, `.some(nil)` at the closing bracket.
    private mutating func parseClassAtom() -> ClassAtom?? {
        guard let scalar = take() else { return nil }
        switch scalar {
        case "]":
            return .some(nil)
        case "\\":
            if peek() == "b" {
                position += 1
                return ClassAtom(set: ScalarSet([0x08...0x08]), single: 0x08)
            }
            let escapeStart = position
            guard let set = parseEscape() else { return nil }
            let isSingle = set.ranges.count == 1 && set.ranges[0].lowerBound == set.ranges[0].upperBound
                && !"dDwWsS".unicodeScalars.contains(scalars[escapeStart])
            return ClassAtom(set: set, single: isSingle ? set.ranges[0].lowerBound : nil)
        default:
            return ClassAtom(set: ScalarSet([scalar.value...scalar.value]), single: scalar.value)
        }
    }

    /// The set an escape (after its backslash) stands for; nil for what the subset leaves to ICU.
    private mutating func parseEscape() -> ScalarSet? {
        guard let escaped = take() else { return nil }
        func single(_ value: UInt32) -> ScalarSet { ScalarSet([value...value]) }
        switch escaped {
        case "d": return .digits
        case "D": return ScalarSet.digits.complement
        case "w": return .word
        case "W": return ScalarSet.word.complement
        case "s": return .whitespace
        case "S": return ScalarSet.whitespace.complement
        case "t": return single(0x09)
        case "n": return single(0x0A)
        case "v": return single(0x0B)
        case "f": return single(0x0C)
        case "r": return single(0x0D)
        case "0":
            if let next = peek(), next >= "0" && next <= "9" { return nil }
            return single(0)
        case "c":
            guard let letter = take(), letter.isASCII, letter.properties.isAlphabetic else { return nil }
            return single(letter.value % 32)
        case "x":
            guard let value = readHex(2) else { return nil }
            return single(value)
        case "u":
            if peek() == "{" {
                position += 1
                var value: UInt32 = 0
                var digits = 0
                while let scalar = take(), scalar != "}" {
                    guard scalar.isASCII, let digit = UInt32(String(Character(scalar)), radix: 16) else { return nil }
                    value = value &* 16 &+ digit
                    digits += 1
                    if value > 0x10FFFF { return nil }
                }
                guard digits > 0, scalars[position - 1] == "}" else { return nil }
                return single(value)
            }
            guard let high = readHex(4) else { return nil }
            if (0xD800...0xDBFF).contains(high), peek() == "\\", peek(1) == "u" {
                let saved = position
                position += 2
                if let low = readHex(4), (0xDC00...0xDFFF).contains(low) {
                    return single(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                }
                position = saved
            }
            return single(high)
        case "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/", "-":
            return single(escaped.value)
        default:
            // Backreferences, \k, \p and invalid escapes.
            return nil
        }
    }

    private mutating func readHex(_ count: Int) -> UInt32? {
        var value: UInt32 = 0
        for offset in 0..<count {
            guard let scalar = peek(offset), scalar.isASCII, let digit = UInt32(String(Character(scalar)), radix: 16)
            else { return nil }
            value = value * 16 + digit
        }
        position += count
        return value
    }
}
