import Ontology
import StageKit

/// Answers each criterion of the rubric from a dataset's evidence. A criterion is "yes" or "no" only when the
/// evidence shows it; what pipe cannot see (whether its source is published, a URL it does not fetch, a motivation
/// nobody wrote down) is "unknown", which gives no points.
public struct EvidenceRater: Sendable {
    public let rubric: Rubric

    public init(rubric: Rubric) {
        self.rubric = rubric
    }

    /// The six ratings, each with its checklist and the evidence for every answer.
    public func ratings(_ evidence: DatasetEvidence) -> Ratings {
        var byKey: [String: CategoryRating] = [:]
        for category in rubric.categories {
            byKey[category.key] = EvidenceRating.rate(category, answers: answers(category.key, evidence))
        }
        return Ratings(byKey)
    }

    /// The answers for the category with YAML key `key`.
    func answers(_ key: String, _ e: DatasetEvidence) -> [String: EvidenceAnswer] {
        switch key {
        case "software": return software(e)
        case "specification": return specification(e)
        case "dataset": return dataset(e)
        case "metrics": return metrics(e)
        case "reference_solution": return referenceSolution(e)
        case "documentation": return documentation(e)
        default: return [:]
        }
    }

    private func software(_ e: DatasetEvidence) -> [String: EvidenceAnswer] {
        let p = e.manifest.provenance
        let recorded = "the manifest names the pipeline file \(p.pipelineFile), stage \(p.stage) (\(p.kind)) with its parameters, "
            + "\(p.inputs.count) input(s) with their SHA-256\(p.upstream.isEmpty ? "" : " and \(p.upstream.count) upstream run(s)") and pipe \(e.manifest.pipeVersion)"
        return [
            "code_available": .unknown("the records are made by pipe from the pipeline file; whether pipe's source is published is not something pipe can see"),
            "complete": e.provenanceComplete ? .yes(recorded) : .no("the manifest's provenance lacks the inputs, the pipeline file or the pipe version"),
            "documented": e.hasCard
                ? .yes("pipe build and pipe export are documented in pipe's README, and the export has a dataset card (README.md)")
                : .partial("pipe build and pipe export are documented in pipe's README; the export has no dataset card"),
            "runs_unmodified": .yes("run \(e.row.runID) of stage \(e.row.stage) completed in this workspace from the pipeline file as written"),
            "environment": .yes("pipe's README gives the setup: make run installs the system packages pipe needs on Debian 12"),
        ]
    }

    private func specification(_ e: DatasetEvidence) -> [String: EvidenceAnswer] {
        let p = e.manifest.provenance
        return [
            "system_constraints": .no("the export states no system constraints"),
            "task_clear": e.evaluation.map { .yes("\($0.command) scores a model's outputs against the dataset") }
                ?? .partial("the description says what the records are; no task is defined on them (pipe has no evaluation command for \(p.kind))"),
            "dataset_format": e.hasSchema
                ? .yes("JSON Lines shards (\(e.manifest.compression)) whose records satisfy schema.json (\(e.manifest.schema)), listed in manifest.json")
                : .partial("JSON Lines shards listed in manifest.json; the export has no schema.json"),
            "inputs": p.inputs.isEmpty && p.upstream.isEmpty
                ? .no("the manifest lists no input") : .yes("the manifest lists the stage's \(p.inputs.count) input(s) with their SHA-256"
                    + (p.upstream.isEmpty ? "" : " and its upstream run(s) \(p.upstream.keys.sorted().joined(separator: ", "))")),
            "outputs": e.hasSchema
                ? .yes("every record satisfies schema.json; id field \(e.manifest.idField)")
                : .no("the export has no record schema"),
        ]
    }

    private func dataset(_ e: DatasetEvidence) -> [String: EvidenceAnswer] {
        let splits = e.nonEmptySplits
        return [
            "findable": e.publicURL.map { .partial("the dataset spec gives its URL \($0) and the export has Croissant metadata; there is no persistent identifier such as a DOI") }
                ?? .no("the dataset has no public URL: it is only in this workspace"),
            "accessible": e.publicURL.map { .unknown("the dataset spec gives \($0); pipe does not fetch it to see whether it is there") }
                ?? .no("the export is a folder on this machine"),
            "interoperable": e.hasCroissant
                ? .yes("JSON Lines with Croissant 1.1 metadata (croissant.json), a JSON Schema and a manifest")
                : .partial("JSON Lines with a manifest; the export has no Croissant metadata"),
            "reusable": e.licenseKnown && e.provenanceComplete
                ? .yes("license \(e.manifest.license) and the provenance of every record in the manifest")
                : (e.licenseKnown ? .partial("license \(e.manifest.license); the provenance is incomplete") : .no("no license is stated")),
            "splits": splits.count >= 2
                ? .yes("splits \(e.splitText), assigned by a stable hash of a grouping key so related records stay together")
                : .no("one split only (\(e.splitText))"),
        ]
    }

    private func metrics(_ e: DatasetEvidence) -> [String: EvidenceAnswer] {
        guard let evaluation = e.evaluation else {
            let none = "pipe has no evaluation command for datasets of \(e.manifest.provenance.kind), and the export defines no metric"
            return ["defined": .points(0, none), "goal_capture": .points(0, none)]
        }
        return [
            "defined": .points(3, "\(evaluation.command) computes \(evaluation.metrics.joined(separator: ", "))"),
            "goal_capture": .unknown("whether these metrics capture performance for the dataset's goal is not something pipe can judge"),
        ]
    }

    private func referenceSolution(_ e: DatasetEvidence) -> [String: EvidenceAnswer] {
        let none = "the export holds no reference solution and pipe records none for the dataset"
        return [
            "available": .no(none),
            "documented": .no(none),
            "requirements": .no(none),
            "all_metrics": .no(e.evaluation == nil ? "no metric is defined, so none is evaluated" : none),
            "trainable": .no("no baseline model comes with the dataset"),
        ]
    }

    private func documentation(_ e: DatasetEvidence) -> [String: EvidenceAnswer] {
        let cited = e.citation.map(Self.citationLabel)
        return [
            "task": e.evaluation.map { .yes("\($0.command) defines the task; the description and dataset card explain the records") }
                ?? .partial("the description and the dataset card explain the records; no task is defined on them"),
            "background": cited.map { .partial("the dataset spec cites \($0), the work it builds on") }
                ?? .unknown("the export gives no background beyond its description"),
            "motivation": .unknown("the export states no motivation beyond its description"),
            "evaluation": e.evaluation.map { .yes("\($0.command) documents how outputs are scored") }
                ?? .no("no evaluation criteria are defined"),
            "paper": cited.map { .yes("the dataset spec cites \($0)") }
                ?? .no("the dataset spec cites no paper (the export's citation is one pipe derived from the dataset's name)"),
        ]
    }

    /// `@article{key}` with its title when the citation parses as BibTeX, else "a citation".
    static func citationLabel(_ text: String) -> String {
        guard let first = (try? BibTeXParser.parse(text))?.first else { return "a citation" }
        let title = first.value("title").map { ": \"\(ASCIIFolding.fold($0).filter { $0 != "{" && $0 != "}" })\"" } ?? ""
        return "@\(first.type){\(ASCIIFolding.fold(first.key))}\(title)"
    }
}
