import Foundation
import XCTest
import XMLReader
#if canImport(Glibc)
import Glibc
#endif

final class LimitsTests: XCTestCase {
    private func nested(_ depth: Int) -> String {
        String(repeating: "<a>", count: depth) + "x" + String(repeating: "</a>", count: depth)
    }

    private func depthOf(_ root: XMLElement) -> Int {
        var depth = 1
        var current = root
        while let next = current.children.first {
            depth += 1
            current = next
        }
        return depth
    }

    /// 10,000 nested elements fail cleanly with xml.too_deep rather than overflowing any stack.
    func testTenThousandNestedElements() {
        let error = parseError(nested(10_000))
        XCTAssertEqual(error?.code, .tooDeep)
        XCTAssertEqual(error?.line, 1)
    }

    /// The default cap admits exactly 256 levels, and nothing deeper.
    func testDefaultDepthBoundary() throws {
        XCTAssertEqual(depthOf(try XMLReader.parse(bytes: utf8(nested(256)), name: "d256")), 256)
        XCTAssertEqual(parseError(nested(257))?.code, .tooDeep)
    }

    /// A smaller cap applies exactly; a larger one is clamped to libxml2's ceiling instead of being trusted.
    func testCustomDepthCaps() throws {
        let five = XMLLimits(maxDepth: 5)
        XCTAssertEqual(depthOf(try XMLReader.parse(bytes: utf8(nested(5)), limits: five, name: "d5")), 5)
        XCTAssertEqual(parseError(nested(6), limits: five)?.code, .tooDeep)
        XCTAssertEqual(parseError(nested(300), limits: XMLLimits(maxDepth: 100_000))?.code, .tooDeep)
    }

    /// Elements and attributes count toward the node cap.
    func testNodeCap() throws {
        let limits = XMLLimits(maxNodes: 100)
        let hundred = "<r>" + String(repeating: "<c/>", count: 99) + "</r>"
        XCTAssertEqual(try XMLReader.parse(bytes: utf8(hundred), limits: limits, name: "n").children.count, 99)
        XCTAssertEqual(parseError("<r>" + String(repeating: "<c/>", count: 100) + "</r>", limits: limits)?.code,
                       .tooManyNodes)
        let attributes = (0..<100).map { "a\($0)='v'" }.joined(separator: " ")
        XCTAssertEqual(parseError("<r \(attributes)/>", limits: limits)?.code, .tooManyNodes)
    }

    /// Input beyond the byte cap is refused before libxml2 sees it.
    func testInputSizeCap() throws {
        let limits = XMLLimits(maxInputBytes: 1024)
        let fits = "<r>" + String(repeating: "x", count: 1024 - 7) + "</r>"
        XCTAssertEqual(fits.utf8.count, 1024)
        XCTAssertNoThrow(try XMLReader.parse(bytes: utf8(fits), limits: limits, name: "fits"))
        let error = parseError("<r>" + String(repeating: "x", count: 1024 - 6) + "</r>", limits: limits)
        XCTAssertEqual(error?.code, .tooLarge)
    }

    /// Character data and CDATA together count toward the text cap.
    func testTextCap() throws {
        let limits = XMLLimits(maxTextBytes: 10)
        XCTAssertEqual(try XMLReader.parse(bytes: utf8("<r>12345<![CDATA[67890]]></r>"), limits: limits, name: "t").text,
                       "1234567890")
        XCTAssertEqual(parseError("<r>12345<![CDATA[678901]]></r>", limits: limits)?.code, .tooLarge)
    }

    /// A text node past libxml2's nominal 10 MB text limit comes back whole, never silently truncated, and the
    /// module's own text cap is what bounds it.
    func testLargeTextNodeIsCompleteOrRefused() throws {
        let document = utf8("<r><v>" + String(repeating: "x", count: 11_000_000) + "</v></r>")
        let root = try XMLReader.parse(bytes: document, name: "big-text")
        XCTAssertEqual(root.child("v")?.text.utf8.count, 11_000_000)
        XCTAssertThrowsError(try XMLReader.parse(bytes: document, limits: XMLLimits(maxTextBytes: 10_000_000), name: "b")) {
            XCTAssertEqual(($0 as? XMLReadError)?.code, .tooLarge)
        }
    }

    /// A FIFO path is refused as not regular, without blocking on the open.
    func testPathRefusesFifoWithoutBlocking() throws {
        let dir = try TempDir()
        let fifo = try dir.fifo("report.xml")
        let result = runWithTimeout(seconds: 10) { outcome { try XMLReader.parse(path: fifo) } }
        XCTAssertEqual(result?.error?.code, .notRegular)
        XCTAssertEqual(result?.error?.document, fifo)
    }

    /// Directories and character devices are refused as not regular.
    func testPathRefusesDirectoryAndDevice() throws {
        let dir = try TempDir()
        XCTAssertEqual(outcome { try XMLReader.parse(path: dir.path) }.error?.code, .notRegular)
        XCTAssertEqual(outcome { try XMLReader.parse(path: "/dev/zero") }.error?.code, .notRegular)
    }

    /// A missing file is an I/O error, not a crash.
    func testPathMissingFile() throws {
        let dir = try TempDir()
        let error = outcome { try XMLReader.parse(path: dir.path + "/absent.xml") }.error
        XCTAssertEqual(error?.code, .io)
    }

    /// A regular file parses, errors carry its path, and the size cap is checked against the file.
    func testPathRegularFile() throws {
        let dir = try TempDir()
        let good = try dir.file("good.xml", contents: "<r><v>1</v></r>")
        XCTAssertEqual(try XMLReader.parse(path: good).textAt("v"), "1")

        let bad = try dir.file("bad.xml", contents: "<r>\n<v>\n</r>")
        let error = outcome { try XMLReader.parse(path: bad) }.error
        XCTAssertEqual(error?.code, .malformed)
        XCTAssertEqual(error?.document, bad)
        XCTAssertTrue(error?.description.hasPrefix(bad + ":3:") ?? false, error?.description ?? "")

        let big = try dir.file("big.xml", contents: "<r>" + String(repeating: "x", count: 100) + "</r>")
        XCTAssertEqual(outcome { try XMLReader.parse(path: big, limits: XMLLimits(maxInputBytes: 50)) }.error?.code,
                       .tooLarge)
    }
}
