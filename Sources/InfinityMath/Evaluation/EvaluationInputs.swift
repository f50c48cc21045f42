import Readers
import StageKit

extension MathEvaluation {
    /// Reads a predictions file: JSON Lines of `{"id", "answer"}`, plain, gzip or zstd. A line that is not JSON is
    /// listed as unreadable; a file that cannot be opened is an `eval.predictions` error.
    public mutating func readPredictions(path: String) throws {
        try PredictionLines.read(path: path, record: { addPrediction($0, place: $1) }, unreadable: { addUnreadable($0) })
    }

    /// Reads the records of an exported shard (`data/*.jsonl.gz` of a math-programs or math-instances export).
    public mutating func readDatasetFile(path: String) throws {
        let reader = JSONRecordReader(path: path, layout: .lines)
        var failure: PipeError?
        try reader.read { record, _ in
            if failure == nil {
                do { try addDatasetRecord(record) } catch let error as PipeError { failure = error }
            }
        } problem: { problem in
            failure = failure ?? PipeError("eval.dataset", "\(path): \(problem.reason)")
        }
        if let failure { throw failure }
    }
}
