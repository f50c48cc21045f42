import Foundation
import XCTest
import XMLReader

final class ConcurrencyTests: XCTestCase {
    /// Eight threads parsing different documents at once, some malformed, each get exactly their own result or error.
    func testEightThreadsGetTheirOwnResults() {
        let threads = 8
        let rounds = 500
        let start = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        let failures = Box<[String]>()
        failures.value = []
        let lock = NSLock()

        for index in 0..<threads {
            finished.enter()
            let thread = Thread {
                start.wait()
                defer { finished.leave() }
                var problems: [String] = []
                for round in 0..<rounds {
                    let check = Self.check(thread: index, round: round)
                    if let problem = check { problems.append(problem) }
                }
                lock.withLock { failures.value?.append(contentsOf: problems) }
            }
            thread.start()
        }
        for _ in 0..<threads { start.signal() }
        XCTAssertEqual(finished.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(lock.withLock { failures.value ?? ["missing"] }, [])
    }

    /// Parses the document for (thread, round) and describes any mismatch with what that document must produce.
    private static func check(thread: Int, round: Int) -> String? {
        let tag = "t\(thread)r\(round)"
        switch thread % 4 {
        case 0, 1:
            let document = "<r id='\(tag)'>" + String(repeating: "<c>\(tag)</c>", count: 20 + thread) + "</r>"
            let result = outcome { try XMLReader.parse(bytes: utf8(document), name: tag) }
            guard case .root(let root) = result,
                  root.attributes["id"] == tag,
                  root.children.count == 20 + thread,
                  root.children.allSatisfy({ $0.text == tag })
            else { return "\(tag): unexpected \(result)" }
        case 2:
            // Malformed on a line that identifies the thread.
            let line = 2 + thread + round % 5
            let document = "<r>" + String(repeating: "\n", count: line - 1) + "<\(tag)></r>"
            let error = outcome { try XMLReader.parse(bytes: utf8(document), name: tag) }.error
            guard error?.code == .malformed, error?.line == line, error?.document == tag,
                  error?.message.contains(tag) ?? false
            else { return "\(tag): unexpected \(String(describing: error))" }
        default:
            let document = "<!DOCTYPE r [<!ENTITY \(tag) 'x'>]><r>&\(tag);</r>"
            let error = outcome { try XMLReader.parse(bytes: utf8(document), name: tag) }.error
            guard error?.code == .entity, error?.message.contains(tag) ?? false, error?.document == tag
            else { return "\(tag): unexpected \(String(describing: error))" }
        }
        return nil
    }
}
