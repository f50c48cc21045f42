import ArgumentParser
import PipeCore

/// The root of the `pipe` command tree.
public struct PipeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pipe",
        abstract: "Build, validate and export datasets for HPC and ML-systems research."
    )

    public init() {}
}
