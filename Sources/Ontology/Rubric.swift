import Foundation
import StageKit

/// The six-category rating rubric of the MLCommons Science ontology (docs/ratings.md), read from the embedded
/// data file `Schemas/Ontology/ontology-rubric.json`.
public struct Rubric: Sendable, Equatable, Decodable {
    public var title: String
    public var source: String
    public var minimum: Double
    public var maximum: Double
    /// Ratings are given in multiples of this (the catalogue uses halves).
    public var step: Double
    public var categories: [RubricCategory]

    enum CodingKeys: String, CodingKey {
        case title, source, minimum, maximum, step, categories
    }

    /// The category whose YAML key is `key`.
    public func category(_ key: String) -> RubricCategory? { categories.first { $0.key == key } }

    /// The rubric pipe embeds; throws `internal` if the embedded file is broken (a build defect, not an input).
    public static func embedded() throws -> Rubric {
        guard let file = EmbeddedSchemas.files.first(where: { $0.name == "ontology-rubric.json" }) else {
            throw PipeError("internal", "ontology-rubric.json is not embedded")
        }
        return try ParameterDecoder.decode(Rubric.self, from: try JSONParser.parse(Array(file.text.utf8)))
    }
}

/// One rating category: its YAML key (`software`), code (`C1`), title and criteria.
public struct RubricCategory: Sendable, Equatable, Decodable {
    public var key: String
    public var code: String
    public var title: String
    public var criteria: [RubricCriterion]

    enum CodingKeys: String, CodingKey {
        case key, code, title, criteria
    }

    /// The points of every criterion together (5 in each category of the published rubric).
    public var maximumPoints: Double { criteria.reduce(0) { $0 + $1.points } }
}

/// One criterion of a category and the points it is worth when fully met.
public struct RubricCriterion: Sendable, Equatable, Decodable {
    public var id: String
    public var points: Double
    public var text: String

    enum CodingKeys: String, CodingKey {
        case id, points, text
    }
}
