import StageKit
import XCTest
@testable import Readers

final class JSONElementFramerTests: XCTestCase {

    // MARK: 1. Property test: every layout, every chunking, exact bytes and positions

    func testRandomInputsFrameExactlyInEveryLayoutAndChunking() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        var checkedInputs = 0
        for round in 0..<400 {
            var generator = JSONGenerator(rng: SplitMix64(seed: rng.next()))
            let count = rng.int(0...10)
            let bom = rng.chance(15)
            let inputs: [(String, JSONLayout, GeneratedInput)] = [
                ("lines", .lines, generator.jsonLines(count: count, bom: bom)),
                ("compact array", .array, generator.array(count: count, pretty: false, bom: bom)),
                ("pretty array", .array, generator.array(count: count, pretty: true, bom: bom)),
                ("concatenated, no spacing", .concatenated, generator.concatenated(count: count, spacing: .none, bom: bom)),
                ("concatenated, spacing", .concatenated, generator.concatenated(count: count, spacing: .multiline, bom: bom)),
            ]
            for (name, layout, input) in inputs {
                let expected = expectedEvents(input, limits: JSONFramerLimits())
                for plan in chunkPlans(for: input.bytes, &rng, includeOneByte: round % 3 == 0) {
                    let (events, framer) = frame(input.bytes, layout, chunks: plan)
                    assertEvents(events, expected, "round \(round), \(name), chunks \(plan.prefix(8)), input \(String(decoding: input.bytes, as: UTF8.self).debugDescription)")
                    XCTAssertFalse(events.isEmpty && !input.elements.isEmpty)
                    XCTAssertEqual(framer.elementCount, input.elements.count)
                }
                checkedInputs += 1
            }
        }
        XCTAssertEqual(checkedInputs, 2000)
    }

    /// Tiny random limits: which of tooDeep/tooLarge is reported must not depend on chunking.
    func testRandomLimitsAreChunkingIndependent() {
        var rng = SplitMix64(seed: 0x5EED_0002)
        for round in 0..<300 {
            var generator = JSONGenerator(rng: SplitMix64(seed: rng.next()))
            let limits = JSONFramerLimits(maxElementBytes: rng.int(0...120), maxDepth: rng.int(0...4))
            let count = rng.int(1...8)
            let inputs: [(JSONLayout, GeneratedInput)] = [
                (.lines, generator.jsonLines(count: count, bom: false)),
                (.array, generator.array(count: count, pretty: rng.chance(50), bom: false)),
                (.concatenated, generator.concatenated(count: count, spacing: .multiline, bom: false)),
            ]
            for (layout, input) in inputs {
                let expected = expectedEvents(input, limits: limits)
                for plan in chunkPlans(for: input.bytes, &rng, includeOneByte: round % 4 == 0) {
                    let (events, framer) = frame(input.bytes, layout, limits: limits, chunks: plan)
                    assertEvents(events, expected, "round \(round), \(layout), \(limits), chunks \(plan.prefix(8)), input \(String(decoding: input.bytes, as: UTF8.self).debugDescription)")
                    XCTAssertLessThanOrEqual(framer.bufferCapacity, 4096)
                }
            }
        }
    }

    // MARK: 2. Truncation at every cut point

    func testTruncationAtEveryCutPointOfAnArray() {
        var rng = SplitMix64(seed: 0x5EED_0003)
        var inputs: [GeneratedInput] = []
        var fixed = GeneratedInput()
        fixed.add(" \n")
        fixed.arrayOpen = fixed.bytes.count
        fixed.add("[ ")
        fixed.addElement(#"{"a":[1,"x\"]}"],"b\\":null}"#)
        fixed.add(" ,\n  ")
        fixed.addElement(#""s\"t\\""#)
        fixed.add(",")
        fixed.addElement("-12.5e3")
        fixed.add(" , ")
        fixed.addElement("[]")
        fixed.add(",")
        fixed.addElement("true")
        fixed.add("\n")
        fixed.arrayClose = fixed.bytes.count
        fixed.add("] \n")
        inputs.append(fixed)
        for _ in 0..<6 {
            var generator = JSONGenerator(rng: SplitMix64(seed: rng.next()))
            inputs.append(generator.array(count: rng.int(0...4), pretty: rng.chance(50), bom: false))
        }
        for input in inputs {
            for cut in 0...input.bytes.count {
                let prefix = Array(input.bytes[0..<cut])
                let expected = expectedAfterCut(input, cut: cut, layout: .array)
                for plan in [[max(1, cut)], [1], [3, 1, 2]] {
                    let events = frame(prefix, .array, chunks: plan).events.map(\.withoutReason)
                    assertEvents(events, expected, "cut \(cut) of \(String(decoding: input.bytes, as: UTF8.self).debugDescription)")
                }
            }
        }
    }

    func testTruncationAtEveryCutPointOfConcatenatedValues() {
        var rng = SplitMix64(seed: 0x5EED_0004)
        var inputs: [GeneratedInput] = []
        var fixed = GeneratedInput()
        fixed.add("\n ")
        fixed.addElement(#"{"k":"v\"}{","n":[1,{"d":[]}]}"#)
        fixed.addElement(#"["\\",2]"#)
        fixed.add(" ")
        fixed.addElement("42")
        fixed.add("\n")
        fixed.addElement(#""str""#)
        fixed.addElement("null")
        fixed.add("\r\n")
        inputs.append(fixed)
        for _ in 0..<6 {
            var generator = JSONGenerator(rng: SplitMix64(seed: rng.next()))
            inputs.append(generator.concatenated(count: rng.int(0...4), spacing: rng.chance(50) ? .none : .multiline, bom: false))
        }
        for input in inputs {
            for cut in 0...input.bytes.count {
                let prefix = Array(input.bytes[0..<cut])
                let expected = expectedAfterCut(input, cut: cut, layout: .concatenated)
                for plan in [[max(1, cut)], [1], [2, 5]] {
                    let events = frame(prefix, .concatenated, chunks: plan).events.map(\.withoutReason)
                    assertEvents(events, expected, "cut \(cut) of \(String(decoding: input.bytes, as: UTF8.self).debugDescription)")
                }
            }
        }
    }

    /// Ground truth for an input cut after `cut` bytes.
    private func expectedAfterCut(_ input: GeneratedInput, cut: Int, layout: JSONLayout) -> [Event] {
        let prefix = Array(input.bytes[0..<cut])
        if layout == .array && cut <= input.arrayOpen {
            return [.problem(.truncated(""), position(prefix, index: 0, offset: cut))]
        }
        var events: [Event] = []
        for (index, element) in input.elements.enumerated() {
            let end = element.offset + element.bytes.count
            let at = position(prefix, index: index, offset: min(element.offset, cut))
            if element.offset >= cut { break }
            if end <= cut && !(layout == .array && element.isBareScalar && end == cut) {
                events.append(.element(element.bytes, at))
            } else if layout == .concatenated && element.isBareScalar {
                // A bare scalar cut short is indistinguishable from a shorter one.
                events.append(.element(Array(element.bytes[0..<(cut - element.offset)]), at))
                return events
            } else {
                events.append(.problem(.truncated(""), at))
                return events
            }
        }
        if layout == .array && cut <= input.arrayClose {
            events.append(.problem(.truncated(""), position(prefix, index: events.count, offset: input.arrayOpen)))
        }
        return events
    }

    // MARK: 3. Malformed structure

    func testMalformedStructureIsReportedOnceAtTheOffendingByte() {
        // (layout, input, elements delivered before, offending byte offset, byte named in the reason)
        let cases: [(JSONLayout, String, [String], Int, String)] = [
            (.array, "[1, 2 3]", ["1", "2"], 6, "'3'"),
            (.array, "[{\"a\":1}\n {\"b\":2}]", ["{\"a\":1}"], 10, "'{'"),
            (.array, "[\"x\" \"y\"]", ["\"x\""], 5, "'\"'"),
            (.array, "[1,2]]", ["1", "2"], 5, "']'"),
            (.array, "]", [], 0, "']'"),
            (.array, "  {\"a\":1}", [], 2, "'{'"),
            (.array, "[1,,2]", ["1"], 3, "','"),
            (.array, "[1,\n]", ["1"], 4, "']'"),
            (.array, "[,1]", [], 1, "','"),
            (.array, "[1, @, 2]", ["1"], 4, "'@'"),
            (.array, "[1}", ["1"], 2, "'}'"),
            (.array, "[{}, }]", ["{}"], 5, "'}'"),
            (.array, "[[1]] [2]", ["[1]"], 6, "'['"),
            (.array, "[1,\u{01}]", ["1"], 3, "byte 0x01"),
            (.concatenated, "{\"a\":1} ] {\"b\":2}", ["{\"a\":1}"], 8, "']'"),
            (.concatenated, "{}\n\nx {}", ["{}"], 4, "'x'"),
            (.concatenated, "{}}", ["{}"], 2, "'}'"),
            (.concatenated, "}", [], 0, "'}'"),
            (.concatenated, "{\"a\":1},{\"b\":2}", ["{\"a\":1}"], 7, "','"),
            (.concatenated, "[1] : 2", ["[1]"], 4, "':'"),
            (.concatenated, "1 2,", ["1", "2"], 3, "','"),
        ]
        for (layout, text, delivered, offset, named) in cases {
            let input = bytes(text)
            var expected: [Event] = []
            var searchFrom = 0
            for (index, element) in delivered.enumerated() {
                let elementBytes = bytes(element)
                guard let start = (searchFrom...(input.count - elementBytes.count)).first(where: { Array(input[$0..<($0 + elementBytes.count)]) == elementBytes }) else {
                    XCTFail("bad case \(text)"); continue
                }
                expected.append(.element(elementBytes, position(input, index: index, offset: start)))
                searchFrom = start + elementBytes.count
            }
            expected.append(.problem(.malformed(""), position(input, index: delivered.count, offset: offset)))
            for plan in [[input.count], [1]] {
                // Feed the case, then more garbage and more valid data: nothing more may come out.
                let extended = input + bytes(" {\"more\":1} ] [ 1")
                let (events, framer) = frame(extended, layout, chunks: plan)
                assertEvents(events.map(\.withoutReason), expected, "\(layout) \(text.debugDescription) chunks \(plan)")
                if case .problem(.malformed(let reason), _)? = events.last {
                    XCTAssertTrue(reason.contains(named), "reason \(reason.debugDescription) should name \(named)")
                }
                XCTAssertTrue(framer.hasStopped)
            }
        }
    }

    func testMalformedStopsBeforeEndOfInputSoCallerCanStopReading() {
        var framer = JSONElementFramer(layout: .array)
        var problems: [JSONFramingProblem] = []
        bytes("[1 2").withUnsafeBytes { framer.feed($0, element: { _, _ in }, problem: { p, _ in problems.append(p) }) }
        XCTAssertTrue(framer.hasStopped)
        XCTAssertEqual(problems.count, 1)
    }

    // MARK: 4. Depth

    func testHundredThousandNestedBracketsReportTooDeepQuicklyInEveryLayout() {
        let opens = [UInt8](repeating: 0x5B, count: 100_000)
        let closes = [UInt8](repeating: 0x5D, count: 100_000)
        let clock = ContinuousClock()
        let started = clock.now
        let deep512 = JSONFramingProblem.tooDeep(512)

        // Lines: the deep line is skipped, the next line still comes out.
        let lines = opens + bytes("\n1\n")
        for plan in [[lines.count], [4096], [1000, 7]] {
            let events = frame(lines, .lines, chunks: plan).events
            XCTAssertEqual(events, [.problem(deep512, position(lines, index: 0, offset: 0)),
                                    .element(bytes("1"), position(lines, index: 1, offset: 100_001))])
        }
        // Array: the deep element is skipped by depth counting, later elements come out.
        let array = bytes("[") + opens + closes + bytes(", 2]")
        for plan in [[array.count], [4096]] {
            let events = frame(array, .array, chunks: plan).events
            XCTAssertEqual(events, [.problem(deep512, position(array, index: 0, offset: 1)),
                                    .element(bytes("2"), position(array, index: 1, offset: array.count - 2))])
        }
        // Unclosed: too deep, then truncated at the same element.
        let unclosed = bytes("[") + opens
        let unclosedEvents = frame(unclosed, .array, chunks: [65536]).events.map(\.withoutReason)
        XCTAssertEqual(unclosedEvents, [.problem(deep512, position(unclosed, index: 0, offset: 1)),
                                        .problem(.truncated(""), position(unclosed, index: 0, offset: 1))])
        // Concatenated: same as array.
        let concatenated = opens + closes + bytes(" 3")
        let concatenatedEvents = frame(concatenated, .concatenated, chunks: [4096]).events
        XCTAssertEqual(concatenatedEvents, [.problem(deep512, position(concatenated, index: 0, offset: 0)),
                                            .element(bytes("3"), position(concatenated, index: 1, offset: concatenated.count - 1))])
        // Brackets inside strings never count.
        let inString = bytes("[\"") + opens + bytes("\"]")
        XCTAssertEqual(frame(inString, .concatenated, chunks: [4096]).events, [.element(inString, position(inString, index: 0, offset: 0))])

        XCTAssertLessThan(clock.now - started, .seconds(5))
    }

    // MARK: 5. Size

    func testOversizedElementsAreSkippedWithoutBufferingInEveryLayout() {
        let limits = JSONFramerLimits(maxElementBytes: 1000)
        let huge = bytes("{\"blob\":\"") + [UInt8](repeating: 0x61, count: 1 << 20) + bytes("\",\"n\":[1,2,{\"x\":\"}\"}]}")
        let small = bytes("{\"ok\":true}")
        // (layout, input, offsets of the three elements)
        let inputs: [(JSONLayout, [UInt8], [Int])] = [
            (.lines, small + bytes("\n") + huge + bytes("\r\n") + small + bytes("\n"),
             [0, small.count + 1, small.count + 1 + huge.count + 2]),
            (.array, bytes("[") + small + bytes(",\n") + huge + bytes(" ,") + small + bytes("]"),
             [1, small.count + 3, small.count + 3 + huge.count + 2]),
            (.concatenated, small + huge + bytes("\n") + small,
             [0, small.count, small.count + huge.count + 1]),
        ]
        for (layout, input, offsets) in inputs {
            let expected: [Event] = [
                .element(small, position(input, index: 0, offset: offsets[0])),
                .problem(.tooLarge(1000), position(input, index: 1, offset: offsets[1])),
                .element(small, position(input, index: 2, offset: offsets[2])),
            ]
            // Streamed in small chunks (the huge element straddles hundreds of them), and in one chunk.
            for plan in [[4096], [1 << 16, 333], [input.count]] {
                let (events, framer) = frame(input, layout, limits: limits, chunks: plan)
                assertEvents(events, expected, "\(layout) chunks \(plan)")
                XCTAssertLessThanOrEqual(framer.bufferCapacity, 2048, "\(layout): the skipped element must not be buffered")
            }
        }
    }

    func testElementAtExactlyTheCapIsDelivered() {
        let string = bytes("\"") + [UInt8](repeating: 0x62, count: 98) + bytes("\"")
        let number = bytes("-") + [UInt8](repeating: 0x37, count: 99)
        let cases: [(JSONLayout, [UInt8], [UInt8])] = [
            (.lines, string + bytes("\r\n"), string), (.array, bytes("[") + string + bytes("]"), string),
            (.concatenated, string, string), (.array, bytes("[") + number + bytes("]"), number),
            (.concatenated, number + bytes(" "), number), (.lines, number + bytes("\r"), number),
        ]
        for (layout, input, element) in cases {
            for cap in [99, 100] {
                // Includes a chunk that ends right after the element's last byte.
                let exactEnd = (layout == .array ? 1 : 0) + element.count
                for plan in [[input.count], [1], [7], [exactEnd]] {
                    let events = frame(input, layout, limits: JSONFramerLimits(maxElementBytes: cap), chunks: plan).events
                    let at = position(input, index: 0, offset: layout == .array ? 1 : 0)
                    XCTAssertEqual(events, [cap == 100 ? .element(element, at) : .problem(.tooLarge(cap), at)], "\(layout) cap \(cap) chunks \(plan)")
                }
            }
        }
    }

    func testStraddlingElementsUseTheBufferAndChunkLocalOnesDoNot() {
        let element = bytes("{\"k\":\"") + [UInt8](repeating: 0x63, count: 10_000) + bytes("\"}")
        let input = bytes("[") + element + bytes(",") + element + bytes("]")
        let whole = frame(input, .array, chunks: [input.count])
        XCTAssertEqual(whole.events.count, 2)
        XCTAssertEqual(whole.framer.bufferCapacity, 0, "elements inside one chunk are handed out in place")
        let streamed = frame(input, .array, chunks: [1000])
        XCTAssertEqual(streamed.events, whole.events)
        XCTAssertGreaterThanOrEqual(streamed.framer.bufferCapacity, element.count)
    }

    // MARK: 6. JSON Lines details, BOM

    func testLinesWithCRLFBlankLinesPaddingAndNoFinalNewline() {
        let text = "{\"a\":1}\r\n\r\n   \n\t{\"b\":\"x\\\"y\"} \r\n\n[1,2]\r\n  \"last\"  "
        let input = bytes(text)
        let expected: [Event] = [
            .element(bytes("{\"a\":1}"), JSONElementPosition(index: 0, line: 1, offset: 0)),
            .element(bytes("{\"b\":\"x\\\"y\"}"), JSONElementPosition(index: 1, line: 4, offset: 16)),
            .element(bytes("[1,2]"), JSONElementPosition(index: 2, line: 6, offset: 32)),
            .element(bytes("\"last\""), JSONElementPosition(index: 3, line: 7, offset: 41)),
        ]
        for plan in [[input.count], [1], [2, 3], [9]] {
            assertEvents(frame(input, .lines, chunks: plan).events, expected, "chunks \(plan)")
        }
    }

    func testLinesPassMalformedLinesThroughAndNeverReportTruncation() {
        let input = bytes("{\"a\":\n}}} ]\n{\"open\":\"never closed\n[1,")
        let expected: [Event] = [
            .element(bytes("{\"a\":"), JSONElementPosition(index: 0, line: 1, offset: 0)),
            .element(bytes("}}} ]"), JSONElementPosition(index: 1, line: 2, offset: 6)),
            .element(bytes("{\"open\":\"never closed"), JSONElementPosition(index: 2, line: 3, offset: 12)),
            .element(bytes("[1,"), JSONElementPosition(index: 3, line: 4, offset: 34)),
        ]
        for plan in [[input.count], [1], [5]] {
            assertEvents(frame(input, .lines, chunks: plan).events, expected, "chunks \(plan)")
        }
    }

    func testByteOrderMarkIsSkippedButCountedInOffsets() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let cases: [(JSONLayout, [UInt8], [Event])] = [
            (.lines, bom + bytes("1\n2"), [.element(bytes("1"), .init(index: 0, line: 1, offset: 3)),
                                           .element(bytes("2"), .init(index: 1, line: 2, offset: 5))]),
            (.array, bom + bytes("[true]"), [.element(bytes("true"), .init(index: 0, line: 1, offset: 4))]),
            (.concatenated, bom + bytes("{}"), [.element(bytes("{}"), .init(index: 0, line: 1, offset: 3))]),
            (.lines, bom, []),
            // A BOM anywhere else is data.
            (.lines, bytes("1\n") + bom + bytes("2"), [.element(bytes("1"), .init(index: 0, line: 1, offset: 0)),
                                                       .element(bom + bytes("2"), .init(index: 1, line: 2, offset: 2))]),
            // A partial BOM is data too, from offset 0.
            (.lines, [0xEF, 0xBB, 0x31, 0x0A], [.element([0xEF, 0xBB, 0x31], .init(index: 0, line: 1, offset: 0))]),
            (.lines, [0xEF], [.element([0xEF], .init(index: 0, line: 1, offset: 0))]),
            (.array, [0xEF, 0x5B, 0x5D], [.problem(.malformed(""), .init(index: 0, line: 1, offset: 0))]),
            (.concatenated, bom + bom, [.problem(.malformed(""), .init(index: 0, line: 1, offset: 3))]),
        ]
        for (layout, input, expected) in cases {
            for plan in [[input.count], [1], [2]] {
                assertEvents(frame(input, layout, chunks: plan).events.map(\.withoutReason), expected, "\(layout) \(input) chunks \(plan)")
            }
        }
    }

    func testEmptyInputs() {
        XCTAssertEqual(frame([], .lines, chunks: [1]).events, [])
        XCTAssertEqual(frame([], .concatenated, chunks: [1]).events, [])
        XCTAssertEqual(frame(bytes(" \n "), .concatenated, chunks: [1]).events, [])
        XCTAssertEqual(frame([], .array, chunks: [1]).events.map(\.withoutReason),
                       [.problem(.truncated(""), .init(index: 0, line: 1, offset: 0))])
        XCTAssertEqual(frame(bytes("[ ]\n"), .array, chunks: [1]).events, [])
    }

    func testFeedAndFinishAfterFinishDoNothing() {
        var framer = JSONElementFramer(layout: .concatenated)
        var count = 0
        bytes("1 2").withUnsafeBytes { framer.feed($0, element: { _, _ in count += 1 }, problem: { _, _ in count += 100 }) }
        framer.finish(element: { _, _ in count += 1 }, problem: { _, _ in count += 100 })
        bytes("3 4 ").withUnsafeBytes { framer.feed($0, element: { _, _ in count += 1 }, problem: { _, _ in count += 100 }) }
        framer.finish(element: { _, _ in count += 1 }, problem: { _, _ in count += 100 })
        XCTAssertEqual(count, 2)
        XCTAssertTrue(framer.hasStopped)
    }

    func testCallbackErrorsPropagate() {
        struct Stop: Error {}
        var framer = JSONElementFramer(layout: .array)
        XCTAssertThrowsError(try bytes("[1,2]").withUnsafeBytes { raw in
            try framer.feed(raw, element: { _, _ in throw Stop() }, problem: { _, _ in })
        })
    }

    // MARK: 7. Layout detection

    func testDetectLayout() {
        let cases: [(String, JSONLayout)] = [
            ("[{\"a\":1},{\"a\":2}]", .array),
            ("\u{FEFF}  \n [\n  {\"a\": 1}", .array),
            ("{\"a\":1}\n{\"a\":2}\n", .lines),
            ("{\"a\":1}\r\n{\"a\":2}\r\n", .lines),
            ("\n\n{\"a\":\"}\\\"{\"}  \n{", .lines),
            ("{\"a\":1}", .lines),
            ("42\n43\n", .lines),
            ("\"text\"\n", .lines),
            ("{\"a\":1,\"b\":[1,2,3],\"c\":\"only part of a long li", .lines),
            ("{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n", .concatenated),
            ("{\"a\":1}{\"a\":2}{\"a\":3}\n", .concatenated),
            ("{\"a\":1} {\"a\":2}\n", .concatenated),
            ("{\"a\":1,\n\"b\":", .concatenated),
            ("", .lines),
            ("  \n\t", .lines),
        ]
        for (head, expected) in cases {
            let layout = Array(head.utf8).withUnsafeBytes { JSONElementFramer.detectLayout($0) }
            XCTAssertEqual(layout, expected, head.debugDescription)
        }
    }
}
