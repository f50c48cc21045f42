import StageKit
import Foundation

/// The folder where pipe keeps its catalog, run outputs and exports (`./pipe-work` by default).
public struct Workspace: Sendable {
    public let root: String

    public init(root: String) {
        self.root = (root as NSString).standardizingPath
    }

    public var catalogPath: String { root + "/catalog.sqlite" }
    public var lockPath: String { root + "/lock" }
    public var runsRoot: String { root + "/runs" }
    public var exportsRoot: String { root + "/exports" }
    /// Caches stages keep across runs (a model's replies), one subfolder per stage.
    public var cacheRoot: String { root + "/cache" }

    /// The folder of one run of a stage.
    public func runDirectory(stage: String, runID: String) -> String { "\(runsRoot)/\(stage)/\(runID)" }

    /// The default export folder of a dataset.
    public func exportDirectory(dataset: String) -> String { "\(exportsRoot)/\(dataset)" }

    /// Creates the workspace folder when it does not exist yet.
    public func create() throws {
        try FileSystem.makeDirectory(root)
    }
}

