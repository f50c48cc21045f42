import Engine
import Exporting
import Readers
import StageKit

/// Where a `pipe eval` command reads the dataset it scores against: the data files of an export folder, or the shards
/// of the latest built run of a stage that `--dataset` names (directly, or through a dataset of the pipelines).
enum EvalDatasetSource {
    /// The `data/<prefix>*.jsonl*` files of `folder`, sorted (the whole export when `prefix` is empty).
    static func exportFiles(_ folder: String, prefix: String = "") -> [String] {
        let data = folder + "/data"
        return FileSystem.list(data).filter { JSONRecordReader.isJSONLines($0) && $0.hasPrefix(prefix) }.sorted().map { data + "/" + $0 }
    }

    /// The shards of `streams` of the stage `name` names, when that stage's kind is one of `kinds`; otherwise an
    /// `eval.dataset` error with `notFound` as its message.
    static func builtShards(_ name: String, kinds: [String], streams: [String], global: GlobalOptions,
                            notFound: String) throws -> [String] {
        let pipelines = try global.loadPipelines()
        let stage = pipelines.datasets[name]?.from ?? name
        guard let spec = pipelines.stages[stage], kinds.contains(spec.kind) else { throw PipeError("eval.dataset", notFound) }
        let (workspace, catalog) = try global.openWorkspace()
        let locator = DatasetLocator(workspace: workspace, catalog: catalog, pipelines: pipelines, kinds: StageKinds.catalog)
        return try streams.flatMap { try locator.locate("\(stage)/\($0)").shardPaths }
    }
}
