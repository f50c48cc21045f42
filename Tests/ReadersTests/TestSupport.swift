import StageKit
import XCTest
@testable import Readers

/// Test-data helpers on the project's one seeded generator (never an unseeded RNG).
extension SplitMix64 {
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// What the framer reported, in order.
enum Event: Equatable, CustomStringConvertible {
    case element([UInt8], JSONElementPosition)
    case problem(JSONFramingProblem, JSONElementPosition)

    var description: String {
        switch self {
        case .element(let bytes, let at): return "element \(String(decoding: bytes, as: UTF8.self).debugDescription) @\(at.index)/L\(at.line)/\(at.offset)"
        case .problem(let problem, let at): return "problem \(problem) @\(at.index)/L\(at.line)/\(at.offset)"
        }
    }

    /// Same event with the free-text reason dropped, for comparisons that only check the kind.
    var withoutReason: Event {
        switch self {
        case .problem(.malformed, let at): return .problem(.malformed(""), at)
        case .problem(.truncated, let at): return .problem(.truncated(""), at)
        default: return self
        }
    }
}

/// Feeds `input` in chunks of the given sizes (cycled) through one scratch buffer that is
/// poisoned after every feed, so a framer that kept a pointer into an old chunk is caught.
func frame(_ input: [UInt8], _ layout: JSONLayout, limits: JSONFramerLimits = JSONFramerLimits(),
           chunks: [Int], finish: Bool = true) -> (events: [Event], framer: JSONElementFramer) {
    var framer = JSONElementFramer(layout: layout, limits: limits)
    var events: [Event] = []
    let largest = max(1, min(input.count, chunks.max() ?? 1))
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: largest, alignment: 1)
    defer { scratch.deallocate() }
    var position = 0
    var turn = 0
    while position < input.count {
        let size = max(1, min(chunks.isEmpty ? input.count : chunks[turn % chunks.count], input.count - position, largest))
        turn += 1
        input.withUnsafeBytes { all in
            scratch.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[position..<(position + size)]))
        }
        framer.feed(UnsafeRawBufferPointer(rebasing: scratch[0..<size]),
                    element: { events.append(.element(Array($0), $1)) },
                    problem: { events.append(.problem($0, $1)) })
        for k in 0..<size { scratch[k] = 0xAA }
        position += size
    }
    if finish {
        framer.finish(element: { events.append(.element(Array($0), $1)) },
                      problem: { events.append(.problem($0, $1)) })
    }
    return (events, framer)
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

func position(_ input: [UInt8], index: Int, offset: Int) -> JSONElementPosition {
    JSONElementPosition(index: index, line: 1 + input[0..<offset].lazy.filter { $0 == 0x0A }.count, offset: Int64(offset))
}

/// Chunkings that stress boundaries: whole, 1 byte, tiny random, log-uniform up to 64 KiB,
/// and cuts right after every backslash, quote and '\r'.
func chunkPlans(for input: [UInt8], _ rng: inout SplitMix64, includeOneByte: Bool = true) -> [[Int]] {
    var plans: [[Int]] = [[max(1, input.count)]]
    if includeOneByte { plans.append([1]) }
    plans.append((0..<64).map { _ in rng.int(1...7) })
    plans.append((0..<64).map { _ in
        let magnitude = 1 << rng.int(0...16)
        return min(65536, magnitude + rng.int(0...(magnitude - 1)))
    })
    var targeted: [Int] = []
    var last = 0
    for (i, c) in input.enumerated() where c == 0x5C || c == 0x22 || c == 0x0D {
        if i + 1 > last { targeted.append(i + 1 - last); last = i + 1 }
    }
    if input.count > last { targeted.append(input.count - last) }
    plans.append(targeted.isEmpty ? [1] : targeted)
    return plans
}

// MARK: - Random JSON

enum Spacing { case none, inline, multiline }

struct JSONGenerator {
    var rng: SplitMix64

    static let stringPieces: [String] = [
        "abc", "Hello world", "\\\"", "\\\\", "\\n", "\\t", "\\/", "\\r\\n", "\\u00e9", "\\ud83d\\ude00",
        "é", "日本語", "😀", "{", "}", "[", "]", ",", ":", " ", "\\\\\\\"", "x\\\\", "\\\"\\\"", "0", "true",
    ]

    mutating func space(_ spacing: Spacing) -> String {
        switch spacing {
        case .none: return ""
        case .inline: return rng.pick(["", "", " ", "\t", "  "])
        case .multiline: return rng.pick(["", " ", "\n", "\r\n", "\n    ", "\n\t\t", "  \n  "])
        }
    }

    mutating func string() -> String {
        var s = "\""
        for _ in 0..<rng.int(0...6) { s += rng.pick(Self.stringPieces) }
        return s + "\""
    }

    mutating func number() -> String {
        rng.pick(["0", "-0", "7", "-12", "3.25", "1e10", "-0.5E-3", "123456789012", "2.5e+7", "-1"])
    }

    mutating func bareScalar() -> String {
        rng.chance(60) ? number() : rng.pick(["true", "false", "null"])
    }

    mutating func value(depth: Int, _ spacing: Spacing) -> String {
        let roll = rng.int(0...99)
        if depth <= 0 || roll >= 60 {
            return roll % 2 == 0 ? string() : bareScalar()
        }
        let count = rng.chance(15) ? 0 : rng.int(1...4)
        if roll < 35 {
            var s = "{" + space(spacing)
            for k in 0..<count {
                if k > 0 { s += space(spacing) + "," + space(spacing) }
                s += string() + space(spacing) + ":" + space(spacing) + value(depth: depth - 1, spacing)
            }
            return s + space(spacing) + "}"
        }
        var s = "[" + space(spacing)
        for k in 0..<count {
            if k > 0 { s += space(spacing) + "," + space(spacing) }
            s += value(depth: depth - 1, spacing)
        }
        return s + space(spacing) + "]"
    }
}

/// One element of a generated input: its bytes, where it starts, and its size as the framer
/// measures it (a JSON Lines record includes its trailing blanks, minus a final '\r').
struct PlacedElement {
    var bytes: [UInt8]
    var offset: Int
    var measure: Int
    var isBareScalar: Bool { bytes.first.map { $0 != 0x22 && $0 != 0x7B && $0 != 0x5B } ?? false }
}

/// A generated input with the ground truth about its elements.
struct GeneratedInput {
    var bytes: [UInt8] = []
    var elements: [PlacedElement] = []
    var arrayOpen = -1
    var arrayClose = -1

    mutating func add(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func addElement(_ s: String) {
        elements.append(PlacedElement(bytes: Array(s.utf8), offset: bytes.count, measure: s.utf8.count))
        add(s)
    }
}

extension JSONGenerator {
    mutating func topLevelValue(_ spacing: Spacing) -> String {
        value(depth: rng.int(0...5), spacing)
    }

    mutating func jsonLines(count: Int, bom: Bool) -> GeneratedInput {
        var input = GeneratedInput()
        if bom { input.add("\u{FEFF}") }
        for k in 0..<count {
            for _ in 0..<(rng.chance(25) ? rng.int(1...2) : 0) {
                input.add(rng.pick(["", "  ", "\t", " \r"]) + rng.pick(["\n", "\r\n"]))
            }
            input.add(rng.pick(["", "", " ", "\t "]))
            let value = topLevelValue(.inline)
            input.addElement(value)
            let trailing = rng.pick(["", "", " ", "\t", " \t "])
            input.add(trailing)
            input.elements[input.elements.count - 1].measure += trailing.utf8.count
            if k < count - 1 || rng.chance(50) { input.add(rng.pick(["\n", "\r\n"])) }
        }
        if rng.chance(20) { input.add(rng.pick(["\n", "\r\n", "  \n"])) }
        return input
    }

    mutating func array(count: Int, pretty: Bool, bom: Bool) -> GeneratedInput {
        var input = GeneratedInput()
        let spacing: Spacing = pretty ? .multiline : .none
        if bom { input.add("\u{FEFF}") }
        input.add(space(spacing))
        input.arrayOpen = input.bytes.count
        input.add("[" + space(spacing))
        for k in 0..<count {
            if k > 0 { input.add(space(spacing) + "," + space(spacing)) }
            input.addElement(topLevelValue(spacing))
        }
        input.add(space(spacing))
        input.arrayClose = input.bytes.count
        input.add("]" + space(spacing))
        return input
    }

    mutating func concatenated(count: Int, spacing: Spacing, bom: Bool) -> GeneratedInput {
        var input = GeneratedInput()
        if bom { input.add("\u{FEFF}") }
        input.add(space(spacing))
        for _ in 0..<count {
            let value = topLevelValue(spacing == .none ? .none : .multiline)
            if let previous = input.elements.last, previous.isBareScalar,
               let first = value.utf8.first, startsBareScalar(first), input.bytes.last.map({ !isJSONWhitespace($0) }) ?? true {
                input.add(rng.pick([" ", "\n", "\t", "\r\n"]))  // bare scalars must be separated
            }
            input.addElement(value)
            input.add(space(spacing))
        }
        return input
    }
}

/// First byte index at which `bytes` nests deeper than `maxDepth`, tracking strings; nil if never.
func depthCrossing(_ bytes: [UInt8], maxDepth: Int) -> Int? {
    var depth = 0
    var inString = false
    var escaped = false
    for (i, c) in bytes.enumerated() {
        if inString {
            if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
        } else if c == 0x22 {
            inString = true
        } else if c == 0x7B || c == 0x5B {
            depth += 1
            if depth > maxDepth { return i }
        } else if (c == 0x7D || c == 0x5D) && depth > 0 {
            depth -= 1
        }
    }
    return nil
}

/// The events a correct framer must produce for a complete generated input.
func expectedEvents(_ input: GeneratedInput, limits: JSONFramerLimits) -> [Event] {
    input.elements.enumerated().map { index, element in
        let at = position(input.bytes, index: index, offset: element.offset)
        if let k = depthCrossing(element.bytes, maxDepth: limits.maxDepth), k + 1 <= limits.maxElementBytes {
            return .problem(.tooDeep(limits.maxDepth), at)
        }
        if element.measure > limits.maxElementBytes { return .problem(.tooLarge(limits.maxElementBytes), at) }
        return .element(element.bytes, at)
    }
}

func assertEvents(_ actual: [Event], _ expected: [Event], _ message: @autoclosure () -> String,
                  file: StaticString = #filePath, line: UInt = #line) {
    guard actual != expected else { return }
    let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(actual.count, expected.count)
    XCTFail("""
        \(message())
        events differ at #\(firstDifference) (got \(actual.count), expected \(expected.count))
        got:      \(firstDifference < actual.count ? actual[firstDifference].description : "<none>")
        expected: \(firstDifference < expected.count ? expected[firstDifference].description : "<none>")
        """, file: file, line: line)
}
