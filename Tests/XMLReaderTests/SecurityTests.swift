import Foundation
import XCTest
import XMLReader
#if canImport(Glibc)
import Glibc
#endif

final class SecurityTests: XCTestCase {
    private let secretText = "PIPE-SECRET-4f1c2b9e-do-not-leak"

    /// Classic XXE against a regular file: refused as an entity, the file is never opened and its bytes never leak.
    func testExternalGeneralEntityRegularFileNeverOpened() throws {
        let dir = try TempDir()
        let secret = try dir.file("secret.txt", contents: secretText)
        let watcher = try OpenWatcher(paths: [secret])
        let refusalsBefore = XMLReader.refusedExternalLoads

        let document = """
        <?xml version="1.0"?>
        <!DOCTYPE r [
          <!ENTITY xxe SYSTEM "file://\(secret)">
        ]>
        <r><leak>&xxe;</leak><attr v="&xxe;"/></r>
        """
        let result = outcome { try XMLReader.parse(bytes: utf8(document), name: "xxe.xml") }

        XCTAssertEqual(result.error?.code, .entity)
        XCTAssertEqual(result.error?.line, 3, "refused at the declaration, before any use")
        XCTAssertFalse(String(describing: result).contains(secretText))
        XCTAssertEqual(XMLReader.refusedExternalLoads, refusalsBefore, "libxml2 did not even ask to load anything")
        XCTAssertEqual(watcher.drain(), [], "inotify saw the secret being opened or read")
        watcher.assertWatcherSeesOpen(of: secret)
    }

    /// XXE against a FIFO: an open() for reading would block forever, so returning at all proves it was not opened.
    func testExternalGeneralEntityFifoNeverOpened() throws {
        let dir = try TempDir()
        let secret = try dir.fifo("secret.fifo")
        let watcher = try OpenWatcher(paths: [secret])
        let document = "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file://\(secret)\">]><r>&xxe;</r>"

        let result = runWithTimeout(seconds: 10) {
            outcome { try XMLReader.parse(bytes: utf8(document), name: "xxe-fifo.xml") }
        }
        XCTAssertEqual(result?.error?.code, .entity)
        XCTAssertEqual(watcher.drain(), [])
        watcher.assertWatcherSeesOpen(of: secret)
    }

    /// An external parameter entity expanded inside the DTD is refused and its target never opened.
    func testExternalParameterEntityNeverOpened() throws {
        let dir = try TempDir()
        let secret = try dir.fifo("evil.dtd")
        let watcher = try OpenWatcher(paths: [secret])
        let document = "<!DOCTYPE r [\n<!ENTITY % p SYSTEM \"file://\(secret)\">\n%p;\n]><r/>"

        let result = runWithTimeout(seconds: 10) {
            outcome { try XMLReader.parse(bytes: utf8(document), name: "pe.xml") }
        }
        XCTAssertEqual(result?.error?.code, .entity)
        XCTAssertEqual(result?.error?.line, 2)
        XCTAssertEqual(watcher.drain(), [])
        watcher.assertWatcherSeesOpen(of: secret)
    }

    /// A DOCTYPE naming an external DTD (SYSTEM or PUBLIC) is refused with xml.dtd and the DTD is never opened.
    func testExternalDTDNeverOpened() throws {
        let dir = try TempDir()
        let dtd = try dir.fifo("external.dtd")
        let watcher = try OpenWatcher(paths: [dtd])
        let documents = [
            "<!DOCTYPE r SYSTEM \"file://\(dtd)\"><r/>",
            "<!DOCTYPE r SYSTEM \"\(dtd)\" [ <!ELEMENT r EMPTY> ]><r/>",
            "<!DOCTYPE r PUBLIC \"-//pipe//test//EN\" \"file://\(dtd)\"><r/>",
        ]
        for document in documents {
            let result = runWithTimeout(seconds: 10) {
                outcome { try XMLReader.parse(bytes: utf8(document), name: "dtd.xml") }
            }
            XCTAssertEqual(result?.error?.code, .dtd, document)
            XCTAssertTrue(result?.error?.message.contains(dtd) ?? false, "the message names the refused DTD")
        }
        XCTAssertEqual(watcher.drain(), [])
        watcher.assertWatcherSeesOpen(of: dtd)
    }

    /// XInclude is never processed: the include element is just an element and its target is never opened.
    func testXIncludeIsNotProcessed() throws {
        let dir = try TempDir()
        let secret = try dir.fifo("included")
        let watcher = try OpenWatcher(paths: [secret])
        let document = """
        <r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file://\(secret)" parse="text"/></r>
        """
        let result = runWithTimeout(seconds: 10) {
            outcome { try XMLReader.parse(bytes: utf8(document), name: "xinclude.xml") }
        }
        guard case .root(let root)? = result else { return XCTFail("expected a tree, got \(String(describing: result))") }
        XCTAssertEqual(root.children.map(\.name), ["xi:include"])
        XCTAssertEqual(watcher.drain(), [])
        watcher.assertWatcherSeesOpen(of: secret)
    }

    /// The process-wide loader is installed and refuses: asking libxml2 to load a FIFO returns at once, opens nothing,
    /// and bumps the refusal counter; the same goes for network URLs.
    func testEntityLoaderIsInstalledAndRefuses() throws {
        let dir = try TempDir()
        let secret = try dir.fifo("loader.fifo")
        let watcher = try OpenWatcher(paths: [secret])
        let before = XMLReader.refusedExternalLoads

        let refused = runWithTimeout(seconds: 10) {
            [secret, "file://\(secret)", "http://127.0.0.1:9/x.dtd"].map { XMLReader.externalLoadIsRefused(url: $0) }
        }
        XCTAssertEqual(refused, [true, true, true])
        XCTAssertEqual(XMLReader.refusedExternalLoads - before, 3)
        XCTAssertEqual(watcher.drain(), [])
        watcher.assertWatcherSeesOpen(of: secret)
    }

    /// Any entity declaration is refused, even an unused internal one, in the DTD or referenced from an attribute.
    func testInternalEntitiesRefused() {
        XCTAssertEqual(parseError("<!DOCTYPE r [<!ENTITY unused 'x'>]><r/>")?.code, .entity)
        XCTAssertEqual(parseError("<!DOCTYPE r [<!ENTITY a 'x'>]><r k='&a;'/>")?.code, .entity)
        XCTAssertEqual(parseError("<!DOCTYPE r [<!ENTITY % p 'x'>]><r/>")?.code, .entity)
        XCTAssertEqual(parseError("<!DOCTYPE r [ %undeclared; ]><r/>")?.code, .entity)
        XCTAssertEqual(parseError("<!DOCTYPE r [<!NOTATION n SYSTEM 'n'><!ENTITY u SYSTEM 'u' NDATA n>]><r/>")?.code, .entity)
    }

    /// Billion laughs is refused at the first declaration: quickly, and without memory growth.
    func testBillionLaughs() {
        var dtd = "<!ENTITY lol \"lol\">\n<!ENTITY lol1 \"" + String(repeating: "&lol;", count: 10) + "\">\n"
        for level in 2...9 {
            dtd += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
        }
        let document = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n\(dtd)]>\n<lolz>&lol9;</lolz>"
        let parameterBomb = "<!DOCTYPE r [<!ENTITY % a \"" + String(repeating: "x", count: 1000) + "\">"
            + "<!ENTITY % b \"" + String(repeating: "%a;", count: 1000) + "\">%b;]><r/>"
        let quadratic = "<!DOCTYPE r [<!ENTITY big \"" + String(repeating: "q", count: 50_000) + "\">]><r>"
            + String(repeating: "&big;", count: 50_000) + "</r>"

        let rssBefore = peakRSSKiB()
        for bomb in [document, parameterBomb, quadratic] {
            let started = Date()
            let result = runWithTimeout(seconds: 10) {
                outcome { try XMLReader.parse(bytes: utf8(bomb), name: "lol.xml") }
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 2)
            XCTAssertEqual(result?.error?.code, .entity)
        }
        XCTAssertLessThan(peakRSSKiB() - rssBefore, 64 * 1024, "peak memory grew by more than 64 MiB")
    }
}
