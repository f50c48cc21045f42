import Foundation
import InfinityMath
import StageKit

/// Times pipe's interpreter on exported math programs: each program is parsed once, then called on its original
/// numbers and on every instance's values, `repeats` times over. Prints `{"calls": N, "seconds": S}`; the same
/// loop under CPython is `scripts/bench-math`'s baseline.
func runMathInterpreterTiming(programs programsPath: String, instances instancesPath: String, repeats: Int) -> Int32 {
    func lines(_ path: String) -> [JSONValue] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)", code: 1) }
        return text.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
    }
    var interpreters: [String: PyInterpreter] = [:]
    var calls: [(String, [String: PyValue])] = []
    for record in lines(programsPath) {
        guard let id = record["id"]?.stringValue, let source = record["program"]?.stringValue,
              let interpreter = try? PyInterpreter(source: source) else { continue }
        interpreters[id] = interpreter
        calls.append((id, [:]))
    }
    for record in lines(instancesPath) {
        guard let id = record["program_id"]?.stringValue, let values = record["values"]?.objectValue else { continue }
        calls.append((id, values.mapValues { value in
            if case .integer(let number) = value { return PyValue.int(number) }
            return PyValue.float(value.doubleValue ?? 0)
        }))
    }
    let start = Date()
    var failures = 0
    for _ in 0..<repeats {
        for (id, arguments) in calls {
            guard let interpreter = interpreters[id], (try? interpreter.call("solution", arguments: arguments)) != nil else {
                failures += 1
                continue
            }
        }
    }
    let seconds = Date().timeIntervalSince(start)
    print("{\"calls\": \(calls.count * repeats), \"failures\": \(failures), \"seconds\": \(seconds)}")
    return failures > 0 ? 1 : 0
}
