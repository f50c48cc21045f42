import XCTest
import StageKit
import StageKitTestSupport

@testable import CorpusMining

final class ExactDedupTests: XCTestCase {
    func testOnlyLineEndingsAndTrailingBlanksAreNormalized() {
        XCTAssertEqual(ExactDedup.normalize(Array("a  \r\nb\t\rc \n".utf8)), Array("a\nb\nc\n".utf8))
        XCTAssertEqual(ExactDedup.normalize(Array("  lead  in  \n".utf8)), Array("  lead  in\n".utf8))
        XCTAssertEqual(ExactDedup.normalize(Array("end  ".utf8)), Array("end".utf8))
        XCTAssertEqual(ExactDedup.key(Array("x = 1;\r\n".utf8)), ExactDedup.key(Array("x = 1;   \n".utf8)))
        XCTAssertNotEqual(ExactDedup.key(Array("x = 1;\n".utf8)), ExactDedup.key(Array("x  = 1;\n".utf8)))
        XCTAssertNotEqual(ExactDedup.key(Array("x = 1;\n".utf8)), ExactDedup.key(Array("x = 1;\n\n".utf8)))
        XCTAssertNotEqual(ExactDedup.key(Array("X = 1;\n".utf8)), ExactDedup.key(Array("x = 1;\n".utf8)))
    }

    func testKeyIsSHA256OfTheNormalizedBytes() {
        // SHA-256("abc"), the FIPS 180-2 test vector.
        XCTAssertEqual(ExactDedup.key(Array("abc  ".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

final class ExactDedupNormalizeTests: XCTestCase {
    /// The line-by-line normalizer against the definition applied one byte at a time, on random texts
    /// of line ends, blanks and letters (with and without `\r`, which take different paths).
    func testNormalizeMatchesTheByteByByteDefinition() {
        var generator = SplitMix64(seed: 20_261_127)
        let alphabet: [UInt8] = [0x0A, 0x0D, 0x20, 0x09, 0x0B, 0x0C, 0x61, 0x62]
        for round in 0..<2000 {
            let length = Int.random(in: 0...40, using: &generator)
            let pool = round % 2 == 0 ? alphabet : alphabet.filter { $0 != 0x0D }
            let text = (0..<length).map { _ in pool.randomElement(using: &generator) ?? 0x61 }
            XCTAssertEqual(ExactDedup.normalize(text), reference(text), "\(text)")
            XCTAssertEqual(ExactDedup.isNormalized(text), reference(text) == text, "\(text)")
            XCTAssertEqual(ExactDedup.key(text, contentSHA256: StableHash.sha256Hex(text)),
                           StableHash.sha256Hex(reference(text)), "\(text)")
        }
    }

    private func reference(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var line: [UInt8] = []
        var index = 0
        func flush() {
            while let last = line.last, [0x20, 0x09, 0x0B, 0x0C].contains(last) { line.removeLast() }
            out += line
            line = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                flush()
                out.append(0x0A)
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                line.append(byte)
            }
            index += 1
        }
        flush()
        return out
    }
}
