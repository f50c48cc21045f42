import StageKit

/// Entries made in code (pipe's registry writes one per exported dataset), and entries as JSON.
extension OntologyEntry {
    public init(date: String, version: String, lastUpdated: String, expired: String, valid: String, validDate: String,
                name: String, url: String, doi: String, domain: [String], focus: String, keywords: [String],
                summary: String, licensing: String, taskTypes: [String], aiCapabilityMeasured: [String],
                metrics: [String], models: [String], mlMotif: [String], type: String, mlTask: [String],
                solutions: String, notes: String, contact: Contact, cite: [String], datasets: Links, results: Links,
                fair: FAIR, ratings: Ratings) {
        self.date = date
        self.version = version
        self.lastUpdated = lastUpdated
        self.expired = expired
        self.valid = valid
        self.validDate = validDate
        self.name = name
        self.url = url
        self.doi = doi
        self.domain = domain
        self.focus = focus
        self.keywords = keywords
        self.summary = summary
        self.licensing = licensing
        self.taskTypes = taskTypes
        self.aiCapabilityMeasured = aiCapabilityMeasured
        self.metrics = metrics
        self.models = models
        self.mlMotif = mlMotif
        self.type = type
        self.mlTask = mlTask
        self.solutions = solutions
        self.notes = notes
        self.contact = contact
        self.cite = cite
        self.datasets = datasets
        self.results = results
        self.fair = fair
        self.ratings = ratings
    }

    /// The entry as a JSON value under its YAML keys; a category not rated, or without a checklist, is left out
    /// (an entry never holds null: the validator reports it).
    public func json() throws -> JSONValue {
        Self.droppingNulls(try CanonicalJSON.value(of: self))
    }

    private static func droppingNulls(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.filter { $0.value != .null }.mapValues(droppingNulls))
        case .array(let elements):
            return .array(elements.map(droppingNulls))
        default:
            return value
        }
    }
}

extension Links {
    public init(_ links: [Link]) {
        self.links = links
    }
}

extension Ratings {
    /// Ratings by category key (`software`, ..., `documentation`); other keys are ignored.
    public init(_ byKey: [String: CategoryRating]) {
        software = byKey[CodingKeys.software.stringValue]
        specification = byKey[CodingKeys.specification.stringValue]
        dataset = byKey[CodingKeys.dataset.stringValue]
        metrics = byKey[CodingKeys.metrics.stringValue]
        referenceSolution = byKey[CodingKeys.referenceSolution.stringValue]
        documentation = byKey[CodingKeys.documentation.stringValue]
    }

    /// The declared ratings present, in rubric order of `keys`.
    public func declared(_ keys: [String]) -> [Double] { keys.compactMap { self[$0]?.rating } }
}
