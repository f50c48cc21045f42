import Foundation
import StageKit

/// One benchmark entry of the MLCommons Science ontology: the 29 template fields (`benchmarks-format.yaml`),
/// under their YAML names. Decoded from an entry the validator accepted; the validator itself reads the YAML
/// value, so that wrong types are reported rather than thrown.
public struct OntologyEntry: Sendable, Equatable, Codable {
    public var date: String
    public var version: String
    public var lastUpdated: String
    public var expired: String
    public var valid: String
    public var validDate: String
    public var name: String
    public var url: String
    public var doi: String
    public var domain: [String]
    public var focus: String
    public var keywords: [String]
    public var summary: String
    public var licensing: String
    public var taskTypes: [String]
    public var aiCapabilityMeasured: [String]
    public var metrics: [String]
    public var models: [String]
    public var mlMotif: [String]
    public var type: String
    public var mlTask: [String]
    public var solutions: String
    public var notes: String
    public var contact: Contact
    public var cite: [String]
    public var datasets: Links
    public var results: Links
    public var fair: FAIR
    public var ratings: Ratings

    enum CodingKeys: String, CodingKey {
        case date, version
        case lastUpdated = "last_updated"
        case expired, valid
        case validDate = "valid_date"
        case name, url, doi, domain, focus, keywords, summary, licensing
        case taskTypes = "task_types"
        case aiCapabilityMeasured = "ai_capability_measured"
        case metrics, models
        case mlMotif = "ml_motif"
        case type
        case mlTask = "ml_task"
        case solutions, notes, contact, cite, datasets, results, fair, ratings
    }

    /// Decodes an entry from its YAML value (keys outside the template are ignored).
    public init(_ value: JSONValue) throws {
        do {
            self = try JSONDecoder().decode(OntologyEntry.self, from: Data(JSONWriter.compact(value)))
        } catch {
            throw PipeError("ontology.decode", "the entry does not have the template's shape: \(error)")
        }
    }

    /// The entry's id: its name as a slug (`wa-hls4ml`), the file name it is shipped under.
    public var slug: String { Slug.make(name) }
}

/// A contact person or organization; either field may be "unknown".
public struct Contact: Sendable, Equatable, Codable {
    public var name: String
    public var email: String

    enum CodingKeys: String, CodingKey {
        case name, email
    }

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

/// `datasets` and `results`: a list of named links.
public struct Links: Sendable, Equatable, Codable {
    public var links: [Link]

    enum CodingKeys: String, CodingKey {
        case links
    }
}

/// One named link.
public struct Link: Sendable, Equatable, Codable {
    public var name: String
    public var url: String

    enum CodingKeys: String, CodingKey {
        case name, url
    }

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }
}

/// The FAIR attributes of an entry (`benchmark_ready` is deprecated but kept).
public struct FAIR: Sendable, Equatable, Codable {
    public var reproducible: String
    public var benchmarkReady: String

    enum CodingKeys: String, CodingKey {
        case reproducible
        case benchmarkReady = "benchmark_ready"
    }

    public init(reproducible: String, benchmarkReady: String) {
        self.reproducible = reproducible
        self.benchmarkReady = benchmarkReady
    }
}

/// The six category ratings; a category not rated yet is nil.
public struct Ratings: Sendable, Equatable, Codable {
    public var software: CategoryRating?
    public var specification: CategoryRating?
    public var dataset: CategoryRating?
    public var metrics: CategoryRating?
    public var referenceSolution: CategoryRating?
    public var documentation: CategoryRating?

    enum CodingKeys: String, CodingKey {
        case software, specification, dataset, metrics
        case referenceSolution = "reference_solution"
        case documentation
    }

    /// The rating of the category with YAML key `key`.
    public subscript(key: String) -> CategoryRating? {
        switch key {
        case CodingKeys.software.stringValue: return software
        case CodingKeys.specification.stringValue: return specification
        case CodingKeys.dataset.stringValue: return dataset
        case CodingKeys.metrics.stringValue: return metrics
        case CodingKeys.referenceSolution.stringValue: return referenceSolution
        case CodingKeys.documentation.stringValue: return documentation
        default: return nil
        }
    }
}

/// One category's rating, the reason for it, and (pipe's extension) the answers to the rubric's criteria.
public struct CategoryRating: Sendable, Equatable, Codable {
    public var rating: Double
    public var reason: String
    public var checklist: [String: JSONValue]?

    enum CodingKeys: String, CodingKey {
        case rating, reason, checklist
    }

    public init(rating: Double, reason: String, checklist: [String: JSONValue]?) {
        self.rating = rating
        self.reason = reason
        self.checklist = checklist
    }
}
