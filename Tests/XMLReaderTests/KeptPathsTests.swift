import Foundation
import XCTest
import XMLReader
#if canImport(Glibc)
import Glibc
#endif

private func kept(_ text: String, _ paths: XMLPathSet, limits: XMLLimits = .default) throws -> XMLElement {
    try XMLReader.parse(bytes: utf8(text), limits: limits, name: "kept.xml", keeping: paths)
}

/// `XMLReader.parse(bytes:limits:name:keeping:)`: equal to the full parse on the kept paths, and exactly as safe.
final class KeptPathsTests: XCTestCase {
    private let secretText = "PIPE-SECRET-7d2e0a41-do-not-leak"

    private let report = """
    <?xml version="1.0" encoding="UTF-8"?>
    <!-- a comment -->
    <profile xmlns:p="urn:p" version="1.0">
      <ReportVersion><Version>2020.1</Version></ReportVersion>
      <UserAssignments>
        <Part>xcu250-figd2104-2L-e</Part>
        <TargetClockPeriod>5.00</TargetClockPeriod>
      </UserAssignments>
      <PerformanceEstimates>
        <SummaryOfTimingAnalysis><EstimatedClockPeriod> 4.35 </EstimatedClockPeriod></SummaryOfTimingAnalysis>
        <SummaryOfOverallLatency>
          <Best-caseLatency>9</Best-caseLatency><Worst-caseLatency>9</Worst-caseLatency>
        </SummaryOfOverallLatency>
        <Modules><Module name="a"><Latency>1</Latency></Module><Module name="b"><Latency>2</Latency></Module></Modules>
      </PerformanceEstimates>
      <AreaEstimates>
        <Resources><BRAM_18K>4</BRAM_18K><DSP48E>12</DSP48E><FF>1234</FF><?pi data?><LUT>5678</LUT></Resources>
        <Resources><LUT>second</LUT></Resources>
      </AreaEstimates>
      <Notes k="a &amp; b &lt; c &#38; d &#x26; e &quot;f&quot; &apos;g&apos;" p:q="prefixed" xml:lang="en">
        mixed <b>bold</b> tail <![CDATA[<raw & data>]]> end &amp; &#233;
      </Notes>
      <p:Extra p:a="1"><p:Inner>x</p:Inner><Inner>y</Inner></p:Extra>
      <undeclared:e undeclared:k="v">z</undeclared:e>
    </profile>
    """

    private let paths = [
        "ReportVersion/Version", "UserAssignments/TargetClockPeriod", "UserAssignments/Part",
        "PerformanceEstimates/SummaryOfTimingAnalysis/EstimatedClockPeriod",
        "PerformanceEstimates/SummaryOfOverallLatency/Best-caseLatency", "AreaEstimates/Resources", "Notes",
        "p:Extra/p:Inner", "undeclared:e", "Missing/Path",
    ]

    private func keptError(_ text: String, _ paths: XMLPathSet = ["a"], limits: XMLLimits = .default) -> XMLReadError? {
        outcome { try kept(text, paths, limits: limits) }.error
    }

    /// Every kept path, and every path below one, gives exactly the full parse's elements.
    func testEqualsFullParseOnKeptPaths() throws {
        let full = try XMLReader.parse(bytes: utf8(report), name: "full.xml")
        let root = try kept(report, XMLPathSet(paths))
        XCTAssertEqual(root.name, full.name)
        XCTAssertEqual(root.attributes, full.attributes)
        for path in paths + ["AreaEstimates/Resources/LUT", "Notes/b", "PerformanceEstimates/SummaryOfTimingAnalysis"] {
            XCTAssertEqual(root.elements(atPath: path), full.elements(atPath: path), path)
            XCTAssertEqual(root.path(path), full.path(path), path)
        }
        XCTAssertEqual(root.elements(atPath: "AreaEstimates/Resources").count, 2)
        XCTAssertEqual(root.path(components: ["AreaEstimates", "Resources", "LUT"]), full.path("AreaEstimates/Resources/LUT"))
        XCTAssertEqual(root.path(components: []), root)
        XCTAssertEqual(root.path("Notes")?.attributes["k"], "a & b < c & d & e \"f\" 'g'")
        XCTAssertEqual(root.path("Notes")?.text.contains("<raw & data>"), true)
        XCTAssertEqual(root.path("undeclared:e")?.attributes, ["undeclared:k": "v"])
    }

    /// Elements off every kept path are not built; ancestors hold only the children leading to kept elements.
    func testSkippedElementsAreNotBuilt() throws {
        let root = try kept(report, ["AreaEstimates/Resources/LUT", "ReportVersion"])
        XCTAssertEqual(root.children.map(\.name), ["ReportVersion", "AreaEstimates"])
        XCTAssertEqual(root.path("AreaEstimates")?.children.map(\.name), ["Resources", "Resources"])
        XCTAssertEqual(root.elements(atPath: "AreaEstimates/Resources/LUT").map(\.text), ["5678", "second"])
        XCTAssertNil(root.path("PerformanceEstimates"))
        XCTAssertNil(root.path("AreaEstimates/Resources/FF"))
    }

    /// The empty path keeps everything: the result is the full parse, also for a harmless internal subset.
    func testEmptyPathIsTheFullParse() throws {
        for text in [report, "<!DOCTYPE r [ <!ELEMENT r ANY> <!ATTLIST r k CDATA 'dflt'> ]>\n<r j='1'>x<c/></r>"] {
            XCTAssertEqual(try kept(text, [""]), try XMLReader.parse(bytes: utf8(text), name: "full.xml"))
            XCTAssertEqual(try kept(text, ["/"]), try XMLReader.parse(bytes: utf8(text), name: "full.xml"))
        }
        XCTAssertEqual(try kept("<r/>", []), XMLElement(name: "r"))
    }

    /// The file entry point reads like parse(path:) and errors carry the path.
    func testPathEntryPoint() throws {
        let dir = try TempDir()
        let good = try dir.file("good.xml", contents: "<r><v>1</v><w>2</w></r>")
        let root = try XMLReader.parse(path: good, keeping: ["v"])
        XCTAssertEqual(root.children.map(\.name), ["v"])
        let bad = try dir.file("bad.xml", contents: "<r>\n<v>\n</r>")
        let error = outcome { try XMLReader.parse(path: bad, keeping: ["v"]) }.error
        XCTAssertEqual(error?.code, .malformed)
        XCTAssertEqual(error?.document, bad)
        let fifo = try dir.fifo("report.xml")
        let result = runWithTimeout(seconds: 10) { outcome { try XMLReader.parse(path: fifo, keeping: ["v"]) } }
        XCTAssertEqual(result?.error?.code, .notRegular)
    }

    /// Bad documents fail exactly as in the full parse (code, line, column), whether the problem sits in a kept or a
    /// skipped part, so the whole document is still checked.
    func testErrorsMatchTheFullParse() {
        let documents = [
            "", "   \n", "<r>", "<?xml version=\"1.0\"?>", "just text", "<r></r><second/>", "<r a=1/>",
            "<r>\n  <a>\n</r>\n", "<r>\n<ok/>\n  <1bad/>\n</r>", "<r>\n<skip>\n&nbsp;</skip></r>",
            "<r><skip k='&nbsp;'/></r>", "<r><a k='&nbsp;'/></r>", "<r><a>&undeclared;</a></r>",
            "<r>\n<a>1</a>\n<skip><deep>", "<!DOCTYPE r [<!ENTITY a 'x'>]><r><skip k='&a;'/></r>",
        ]
        for text in documents {
            let full = outcome { try XMLReader.parse(bytes: utf8(text), name: "kept.xml") }.error
            XCTAssertNotNil(full, text.debugDescription)
            let filtered = keptError(text)
            XCTAssertEqual(filtered?.code, full?.code, text.debugDescription)
            XCTAssertEqual(filtered?.line, full?.line, text.debugDescription)
            XCTAssertEqual(filtered?.column, full?.column, text.debugDescription)
        }
    }

    /// A truncated report is an error with its line and column, also when it ends inside a skipped subtree.
    func testTruncatedDocument() throws {
        let cut = String(report.prefix(report.count / 2))
        let error = keptError(cut, ["UserAssignments/Part"])
        XCTAssertEqual(error?.code, .malformed)
        XCTAssertNotNil(error?.line)
        XCTAssertNotNil(error?.column)
        XCTAssertEqual(error, outcome { try XMLReader.parse(bytes: utf8(cut), name: "kept.xml") }.error)
    }

    /// Classic XXE against a regular file: refused at the declaration, the file never opened, nothing loaded.
    func testExternalEntityRegularFileNeverOpened() throws {
        let dir = try TempDir()
        let secret = try dir.file("secret.txt", contents: secretText)
        let watcher = try OpenWatcher(paths: [secret])
        let refusalsBefore = XMLReader.refusedExternalLoads
        let document = """
        <?xml version="1.0"?>
        <!DOCTYPE r [
          <!ENTITY xxe SYSTEM "file://\(secret)">
        ]>
        <r><leak>&xxe;</leak><skip v="&xxe;"/></r>
        """
        for paths: XMLPathSet in [["leak"], ["skip"], ["other"]] {
            let result = outcome { try kept(document, paths) }
            XCTAssertEqual(result.error?.code, .entity)
            XCTAssertEqual(result.error?.line, 3, "refused at the declaration, before any use")
            XCTAssertFalse(String(describing: result).contains(secretText))
        }
        XCTAssertEqual(XMLReader.refusedExternalLoads, refusalsBefore, "libxml2 did not even ask to load anything")
        XCTAssertEqual(watcher.drain(), [], "inotify saw the secret being opened or read")
        watcher.assertWatcherSeesOpen(of: secret)
    }

    /// External parameter entities and external DTDs (a FIFO: opening it would block) are refused and never opened.
    func testExternalDTDAndParameterEntityNeverOpened() throws {
        let dir = try TempDir()
        let dtd = try dir.fifo("external.dtd")
        let watcher = try OpenWatcher(paths: [dtd])
        let documents: [(String, XMLReadError.Code)] = [
            ("<!DOCTYPE r SYSTEM \"file://\(dtd)\"><r><a/></r>", .dtd),
            ("<!DOCTYPE r SYSTEM \"\(dtd)\" [ <!ELEMENT r EMPTY> ]><r/>", .dtd),
            ("<!DOCTYPE r PUBLIC \"-//pipe//test//EN\" \"file://\(dtd)\"><r/>", .dtd),
            ("<!DOCTYPE r [\n<!ENTITY % p SYSTEM \"file://\(dtd)\">\n%p;\n]><r><a/></r>", .entity),
            ("<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://\(dtd)\">]><r><a>&xxe;</a></r>", .entity),
        ]
        for (document, code) in documents {
            let result = runWithTimeout(seconds: 10) { outcome { try kept(document, ["a"]) } }
            XCTAssertEqual(result?.error?.code, code, document)
        }
        XCTAssertEqual(watcher.drain(), [])
        watcher.assertWatcherSeesOpen(of: dtd)
    }

    /// Billion laughs (general, parameter, quadratic) is refused at the first declaration, quickly and without memory growth.
    func testBillionLaughs() {
        var dtd = "<!ENTITY lol \"lol\">\n<!ENTITY lol1 \"" + String(repeating: "&lol;", count: 10) + "\">\n"
        for level in 2...9 {
            dtd += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        let document = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n\(dtd)]>\n<lolz><a>&lol9;</a></lolz>"
        let parameterBomb = "<!DOCTYPE r [<!ENTITY % a \"" + String(repeating: "x", count: 1000) + "\">"
            + "<!ENTITY % b \"" + String(repeating: "%a;", count: 1000) + "\">%b;]><r/>"
        let quadratic = "<!DOCTYPE r [<!ENTITY big \"" + String(repeating: "q", count: 50_000) + "\">]><r><skip>"
            + String(repeating: "&big;", count: 50_000) + "</skip></r>"
        let rssBefore = peakRSSKiB()
        for bomb in [document, parameterBomb, quadratic] {
            let started = Date()
            let result = runWithTimeout(seconds: 10) { outcome { try kept(bomb, ["a"]) } }
            XCTAssertLessThan(Date().timeIntervalSince(started), 2)
            XCTAssertEqual(result?.error?.code, .entity)
        }
        XCTAssertLessThan(peakRSSKiB() - rssBefore, 64 * 1024, "peak memory grew by more than 64 MiB")
    }

    /// Depth, node and text caps count the whole document, skipped subtrees included.
    func testCapsApplyToSkippedSubtrees() throws {
        let nested = { (depth: Int) in
            "<r>" + String(repeating: "<s>", count: depth) + String(repeating: "</s>", count: depth) + "</r>"
        }
        let deep = keptError(nested(10_000))
        XCTAssertEqual(deep?.code, .tooDeep)
        XCTAssertEqual(deep?.line, 1)
        XCTAssertNoThrow(try kept(nested(255), ["a"]))
        XCTAssertEqual(keptError(nested(256))?.code, .tooDeep)
        XCTAssertEqual(keptError(nested(5), limits: XMLLimits(maxDepth: 5))?.code, .tooDeep)

        let nodeLimits = XMLLimits(maxNodes: 100)
        XCTAssertNoThrow(try kept("<r>" + String(repeating: "<c/>", count: 99) + "</r>", ["a"], limits: nodeLimits))
        XCTAssertEqual(keptError("<r>" + String(repeating: "<c/>", count: 100) + "</r>", limits: nodeLimits)?.code,
                       .tooManyNodes)
        let attributes = (0..<100).map { "a\($0)='v'" }.joined(separator: " ")
        XCTAssertEqual(keptError("<r><s \(attributes)/></r>", limits: nodeLimits)?.code, .tooManyNodes)

        let textLimits = XMLLimits(maxTextBytes: 10)
        XCTAssertEqual(try kept("<r><a>12345<![CDATA[67890]]></a></r>", ["a"], limits: textLimits).textAt("a"), "1234567890")
        XCTAssertEqual(keptError("<r><s>12345<![CDATA[678901]]></s></r>", limits: textLimits)?.code, .tooLarge)
        XCTAssertEqual(keptError("<r>" + String(repeating: "x", count: 100) + "</r>",
                                 limits: XMLLimits(maxInputBytes: 50))?.code, .tooLarge)
    }

    /// Parallel parses in kept mode do not mix their results or errors.
    func testConcurrentParses() {
        let good = report
        let bad = "<r>\n<a>\n</r>"
        let results = (0..<200).map { _ in Box<Bool>() }
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            let ok: Bool
            if index % 2 == 0 {
                ok = (try? XMLReader.parse(bytes: utf8(good), name: "g", keeping: ["UserAssignments/Part"]))?
                    .textAt("UserAssignments/Part") == "xcu250-figd2104-2L-e"
            } else {
                let error = outcome { try XMLReader.parse(bytes: utf8(bad), name: "b\(index)", keeping: ["a"]) }.error
                ok = error?.code == .malformed && error?.document == "b\(index)" && error?.line == 3
            }
            results[index].value = ok
        }
        XCTAssertEqual(results.filter { $0.value == true }.count, 200)
    }
}
