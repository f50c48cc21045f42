import Engine
import ArgumentParser

/// The root of the `pipe` command tree.
public struct PipeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pipe",
        abstract: "Build, validate and export datasets for HPC and ML-systems research.",
        discussion: """
            Stages are declared in pipeline files (default: every YAML file in ./Pipelines/). \
            `pipe build all` builds every stage into the workspace (./pipe-work); `pipe export NAME` \
            publishes a dataset as sharded JSONL with a manifest, a dataset card and Croissant metadata.
            """,
        version: PipeVersion.full,
        subcommands: [
            BuildCommand.self, FinalizeCommand.self, SlurmCommand.self, StagesCommand.self, StatusCommand.self, ExportCommand.self, ValidateCommand.self,
            InspectCommand.self, FilterCommand.self, ReportCommand.self, TokenizeCommand.self, RateCommand.self, EvalCommand.self,
            TrainCommand.self, RegistryCommand.self,
        ]
    )

    public init() {}
}
