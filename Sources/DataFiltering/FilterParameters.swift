import StageKit
import Readers
import Foundation

/// One quality pool of the model: its utility exponent b, its repetition half-life τ and its size.
public struct PoolParameters: Sendable, Equatable {
    public var name: String
    /// Utility: more negative means each sample helps more.
    public var b: Double
    /// Half-life in repetitions: after τ passes a sample's utility has halved.
    public var tau: Double
    /// Samples in the pool (one epoch over it).
    public var size: Int64

    public init(name: String, b: Double, tau: Double, size: Int64) {
        self.name = name
        self.b = b
        self.tau = tau
        self.size = size
    }
}

/// The fitted model a plan is made from: the shared a and d and the parameters of every pool.
///
/// Read from the parameters file (`Schemas/DataFiltering/filter-params.schema.json`); pools are listed best quality first.
public struct FilterParameters: Sendable, Equatable {
    public var objective: Objective
    public var a: Double
    public var d: Double
    public var pools: [PoolParameters]

    /// The schema a parameters file is checked against.
    public static let schemaName = "filter-params"
    /// Bounds that keep every law evaluation finite and quick; the schema states the same.
    static let maxTau = 1000.0
    static let maxPools = 64
    static let maxSamples: Int64 = 1 << 50

    public init(objective: Objective, a: Double, d: Double, pools: [PoolParameters]) throws {
        self.objective = objective
        self.a = a
        self.d = d
        self.pools = pools
        try check()
    }

    /// Reads and checks a parameters file (YAML or JSON); errors name the file, line and field.
    public static func load(path: String, schemas: any SchemaCatalog) throws -> FilterParameters {
        let document = try YAMLDocument(contentsOf: path)
        return try FilterParameters(document: document, schemas: schemas)
    }

    /// Checks a parsed parameters document against its schema (`filter-params`, found in `schemas`) and the
    /// rules the schema cannot state.
    public init(document: YAMLDocument, schemas: any SchemaCatalog) throws {
        let value = document.value
        // Unknown keys first, located at the key itself (a schema issue would point at the enclosing object).
        var unknown: [PipeError] = []
        func checkKeys(_ object: JSONValue?, allowed: Set<String>, pointer: String) {
            for key in (object?.objectValue ?? [:]).keys.sorted() where !allowed.contains(key) {
                unknown.append(PipeError("filter.params", "unknown key '\(key)' (allowed: \(allowed.sorted().joined(separator: ", ")))",
                                         at: document.location(of: pointer + "/" + key, key: true)))
            }
        }
        checkKeys(value, allowed: ["objective", "a", "d", "pool_size", "pools"], pointer: "")
        for (index, pool) in (value["pools"]?.arrayValue ?? []).enumerated() {
            checkKeys(pool, allowed: ["name", "b", "tau", "size"], pointer: "/pools/\(index)")
        }
        if !unknown.isEmpty { throw PipeErrors(unknown) }
        let validator = try schemas.validator(for: Self.schemaName, relativeTo: ".")
        if !validator.isValid(value) {
            throw PipeErrors(validator.problems(in: value, limit: 20).map { problem in
                let pointer = String(problem.prefix { $0 != ":" })
                return PipeError("filter.params", "parameters: \(problem)", at: document.location(of: pointer == "/" ? "" : pointer))
            })
        }
        let objectiveText = value["objective"]?.stringValue ?? Objective.effectiveUtility.rawValue
        guard let objective = Objective(rawValue: objectiveText) else {
            throw PipeError("filter.params", "unknown objective '\(objectiveText)' (effective_utility or effective_data)",
                            at: document.location(of: "/objective"))
        }
        guard let a = value["a"]?.doubleValue, let d = value["d"]?.doubleValue else {
            throw PipeError("filter.params", "parameters need numbers 'a' and 'd'", at: document.location(of: ""))
        }
        let sharedSize = value["pool_size"]?.integerValue
        var pools: [PoolParameters] = []
        for (index, entry) in (value["pools"]?.arrayValue ?? []).enumerated() {
            let pointer = "/pools/\(index)"
            guard let name = entry["name"]?.stringValue, let b = entry["b"]?.doubleValue,
                let tau = entry["tau"]?.doubleValue
            else {
                throw PipeError("filter.params", "pool \(index) needs 'name', 'b' and 'tau'", at: document.location(of: pointer))
            }
            guard let size = entry["size"]?.integerValue ?? sharedSize else {
                throw PipeError("filter.params", "pool '\(name)' has no 'size' and the file has no 'pool_size'",
                                at: document.location(of: pointer))
            }
            pools.append(PoolParameters(name: name, b: b, tau: tau, size: size))
        }
        self.objective = objective
        self.a = a
        self.d = d
        self.pools = pools
        if let issue = issue() {
            throw PipeError("filter.params", issue.message, at: document.location(of: issue.pointer))
        }
    }

    /// Throws the first broken rule as a `PipeError` without a location; the planner calls it too, since
    /// the properties are mutable.
    func check() throws {
        if let issue = issue() { throw PipeError("filter.params", issue.message) }
    }

    /// The first rule the model breaks, with the JSON pointer of the field in a parameters file.
    private func issue() -> (pointer: String, message: String)? {
        guard a > 0, a.isFinite else { return ("/a", "'a' must be a positive number") }
        guard d >= 0, d.isFinite else { return ("/d", "'d' must be a number ≥ 0") }
        guard !pools.isEmpty, pools.count <= Self.maxPools else { return ("/pools", "give 1 to \(Self.maxPools) pools") }
        var names = Set<String>()
        for (index, pool) in pools.enumerated() {
            let pointer = "/pools/\(index)"
            guard !pool.name.isEmpty, names.insert(pool.name).inserted else {
                return (pointer, "pool names must be unique and non-empty ('\(pool.name)')")
            }
            guard pool.b < 0, pool.b.isFinite else { return (pointer, "pool '\(pool.name)': b must be negative") }
            guard pool.tau > 0, pool.tau <= Self.maxTau else {
                return (pointer, "pool '\(pool.name)': tau must be in (0, \(Int(Self.maxTau))]")
            }
            guard pool.size >= 1, pool.size <= Self.maxSamples else {
                return (pointer, "pool '\(pool.name)': size must be 1 to \(Self.maxSamples)")
            }
        }
        return nil
    }

    /// The parameters document (`objective`, `a`, `d`, `pools` with their sizes), as a fit writes it.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "objective": .string(objective.rawValue), "a": .number(a), "d": .number(d),
            "pools": .array(pools.map { pool in
                ["name": .string(pool.name), "b": .number(pool.b), "tau": .number(pool.tau), "size": .integer(pool.size)]
            }),
        ]
        // A shared size reads like the reference's `pool_size`; per-pool sizes stay when they differ.
        if let first = pools.first?.size, pools.allSatisfy({ $0.size == first }) {
            members["pool_size"] = .integer(first)
            members["pools"] = .array(pools.map { pool in
                ["name": .string(pool.name), "b": .number(pool.b), "tau": .number(pool.tau)]
            })
        }
        return .object(members)
    }

    /// The same model with new pool sizes (the stage's quantile pools), in pool order.
    public func resized(_ sizes: [Int64]) throws -> FilterParameters {
        var copy = self
        for index in copy.pools.indices where index < sizes.count { copy.pools[index].size = sizes[index] }
        try copy.check()
        return copy
    }
}
