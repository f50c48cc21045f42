import StageKit
import Engine
import ArgumentParser
import DataFiltering
import Foundation

/// `pipe filter`: compute-aware data filtering with the scaling laws for data filtering.
struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter",
        abstract: "Plan and fit compute-aware data filtering (scaling laws for data filtering).",
        subcommands: [FilterPlanCommand.self, FilterFitCommand.self, FilterBenchCommand.self])
}

/// `--format` values of the filter commands.
enum FilterFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// `pipe filter plan`: the best union of pools for each budget, as a table, JSON, and plan.json/plan.svg.
struct FilterPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Predict the error of every top-k union of pools for each budget and choose the lowest.",
        discussion: "Example: pipe filter plan --params params.yaml --budgets 32M,64M,128M,640M")

    @Option(help: "The model: a parameters file (Schemas/DataFiltering/filter-params.schema.json).")
    var params: String

    @Option(help: "Budgets in samples, comma-separated (K, M, B/G and T suffixes, e.g. 32M,1.5B).")
    var budgets: String

    @Option(help: "table (default) or json (the plan JSON of Schemas/DataFiltering/filter-plan.schema.json).")
    var format: FilterFormat = .table

    @Option(help: "Also write plan.json and plan.svg into this folder.")
    var out: String?

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            let parameters = try FilterParameters.load(path: params, schemas: StageKinds.catalog.schemas)
            let plan = try Planner.plan(parameters, budgets: try SampleCount.parseList(budgets))
            let json = JSONWriter.pretty(plan.json) + "\n"
            if let out {
                try FileSystem.makeDirectory(out)
                try FileSystem.writeAtomically(Array(json.utf8), to: out + "/plan.json")
                try FileSystem.writeAtomically(Array(PlanPlot.svg(plan).utf8), to: out + "/plan.svg")
            }
            FileHandleOutput.standardOutput(format == .json ? json : Reports.planTable(plan))
        }
    }
}

/// `pipe filter fit`: b and τ per pool from observations, by the reference's grid search plus refinement.
struct FilterFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit b and tau per pool from observations JSONL ({pool, samples_seen, error, samples_per_epoch}).",
        discussion: """
            Grid search on the reference grids (b: 100 points from -0.005 to -0.5, tau: 100 points from 1 to 10) \
            with d fixed and a fixed (--a) or chosen from candidates by the lowest mean squared error over pools, \
            then a local refinement that only lowers the squared error. Reports per pool the fit error, the tau \
            range within 1% of the best squared error and a 95% profile interval of tau.
            """)

    @Option(help: "Observations JSONL file.")
    var observations: String

    @Option(help: "effective_utility (default) or effective_data.")
    var objective: String = Objective.effectiveUtility.rawValue

    @Option(help: "The irreducible error d (fixed).")
    var d: Double = 0.1

    @Option(help: "A fixed a.")
    var a: Double?

    @Option(help: "a values to try, comma-separated (default: 0.01,0.015,0.018,0.02,0.022,0.025,0.03).")
    var aCandidates: String?

    @Option(help: "table (default) or json.")
    var format: FilterFormat = .table

    @Option(help: "Write the fitted parameters file (JSON, which YAML readers accept) here.")
    var out: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if a != nil && aCandidates != nil { throw ValidationError("give --a or --a-candidates, not both") }
        if Objective(rawValue: objective) == nil { throw ValidationError("--objective is effective_utility or effective_data") }
    }

    func run() throws {
        try Diagnostics.run(global.logFormat) {
            var options = FitOptions(objective: Objective(rawValue: objective) ?? .effectiveUtility, d: d)
            if let a { options.aCandidates = [a] }
            if let aCandidates {
                let values = aCandidates.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
                    throw PipeError("filter.fit", "--a-candidates must be comma-separated numbers")
                }
                options.aCandidates = values.compactMap { $0 }
            }
            let fit = try Fitter.fit(try ObservationsFile.load(path: observations), options: options)
            if let out {
                try FileSystem.writeAtomically(Array((JSONWriter.pretty(try fit.parameters.json) + "\n").utf8), to: out)
            }
            FileHandleOutput.standardOutput(format == .json ? JSONWriter.pretty(fit.json) + "\n" : Reports.fitTable(fit))
        }
    }
}

/// `pipe filter bench` (hidden): the timings for BENCHMARKS.md.
struct FilterBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time fitting 4 pools on the reference grids and planning 1,000 budgets.",
        shouldDisplay: false)

    @Option(help: "Runs per measurement; the fastest is reported.")
    var runs: Int = 5

    @Option(help: "Budgets to plan.")
    var budgets: Int = 1000

    func validate() throws {
        if runs < 1 || budgets < 1 { throw ValidationError("--runs and --budgets must be positive") }
    }

    func run() throws {
        try Diagnostics.run(.text) {
            var out = "| operation | best of \(runs) (s) |\n|---|---|\n"
            for measurement in try FilterBenchmark.run(runs: runs, budgets: budgets) {
                out += "| \(measurement.name) | \(String(format: "%.4f", measurement.seconds)) |\n"
            }
            FileHandleOutput.standardOutput(out)
        }
    }
}
