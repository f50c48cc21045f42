import StageKit

/// The predictions file of a `pipe eval` command: JSON Lines, plain, gzip or zstd, read line by line.
public enum PredictionLines {
    /// Hands every JSON line to `record` with its place (`line N`), and every line that is not JSON to `unreadable`,
    /// so that the evaluation reports it instead of dropping it. A file that cannot be opened at all is an
    /// `eval.predictions` error.
    public static func read(path: String, record: (JSONValue, String) -> Void, unreadable: (String) -> Void) throws {
        let reader = JSONRecordReader(path: path, layout: .lines)
        var failure: PipeError?
        try reader.read { value, position in
            record(value, "line \(position.line)")
        } problem: { problem in
            if ["io.read", "input.not_regular", "shard.unsupported"].contains(problem.code) {
                failure = PipeError("eval.predictions", problem.reason)
            } else {
                unreadable("line \(problem.position.line): \(problem.reason)")
            }
        }
        if let failure { throw failure }
    }
}
