import InfinityMath
import StageKit
import XCTest

/// Instances keep every constraint of issue 17: kind, sign, order, magnitude band, whole intermediates whole,
/// valid answers recomputed by the program, and a seed per (seed, problem id).
final class InstanceTests: XCTestCase {
    private func program(_ question: String, _ answer: String) throws -> DerivedProgram {
        try DerivedProgram(problem: MathProblem(question: question, answer: answer))
    }

    /// Checks one program's instances against the constraints, and returns them.
    @discardableResult
    static func assertConstraints(_ program: DerivedProgram, count: Int = 10, seed: UInt64 = 0,
                                  file: StaticString = #filePath, line: UInt = #line) throws -> [MathInstance] {
        let sampler = try InstanceSampler(program: program)
        let instances = sampler.sample(count: count, seed: seed)
        let (_, originalSteps) = try program.interpreter.callKeepingLocals("solution")
        let quantities = program.decoupled.quantities
        for instance in instances {
            // The answer is the program's, on exactly these values.
            let (value, steps) = try program.interpreter.callKeepingLocals("solution", arguments: instance.values)
            XCTAssertEqual(value.cleaned, instance.answer, file: file, line: line)
            XCTAssertEqual(Set(instance.values.keys), Set(quantities.map(\.name)), file: file, line: line)
            for quantity in quantities {
                let new = try XCTUnwrap(instance.values[quantity.name], file: file, line: line)
                if !sampler.variedNames.contains(quantity.name) {
                    XCTAssertEqual(new, quantity.value, "\(quantity.name) is not varied", file: file, line: line)
                    continue
                }
                let (before, after) = (quantity.number, new.doubleValue ?? .nan)
                // Kind: an int stays an int, a percentage stays a percentage, a fraction a proper fraction.
                if case .int = quantity.value { XCTAssertTrue(new.isIntegral, "\(quantity.name) = \(new)", file: file, line: line) }
                if quantity.kind == .percent, before <= 100 { XCTAssertTrue((1...100).contains(after), file: file, line: line) }
                if quantity.kind == .fraction { XCTAssertTrue(after > 0 && after < 1, file: file, line: line) }
                // Sign and magnitude band (half to twice, rounded outwards).
                XCTAssertEqual(before < 0, after < 0, file: file, line: line)
                if [.integer, .decimal, .money, .numberWord].contains(quantity.kind) {
                    XCTAssertGreaterThanOrEqual(after.magnitude, (before.magnitude / 2).rounded(.down) - 1, quantity.name, file: file, line: line)
                    XCTAssertLessThanOrEqual(after.magnitude, before.magnitude * 2 + 2, quantity.name, file: file, line: line)
                }
            }
            // Order within a kind.
            let varied = quantities.filter { sampler.variedNames.contains($0.name) }
            for a in varied {
                for b in varied where a.kind == b.kind && a.number < b.number {
                    XCTAssertLessThan(instance.values[a.name]?.doubleValue ?? 0, instance.values[b.name]?.doubleValue ?? 0,
                                      "\(a.name) < \(b.name)", file: file, line: line)
                }
            }
            // Whole intermediates stay whole and every result keeps its sign.
            for step in program.steps {
                let before = try XCTUnwrap(originalSteps[step.name]?.doubleValue, file: file, line: line)
                let after = try XCTUnwrap(steps[step.name]?.doubleValue, file: file, line: line)
                if before == before.rounded() { XCTAssertEqual(after, after.rounded(), "\(step.name) = \(after)", file: file, line: line) }
                if before > 0 { XCTAssertGreaterThan(after, 0, step.name, file: file, line: line) }
                if before >= 0 { XCTAssertGreaterThanOrEqual(after, 0, step.name, file: file, line: line) }
            }
        }
        XCTAssertEqual(Set(instances.map { $0.values }).count, instances.count, "instances are distinct", file: file, line: line)
        return instances
    }

    func testInstancesKeepEveryConstraint() throws {
        let derived = try program(
            "A shop has 250 toys. It sells 40% of them on Monday and half of the rest on Tuesday. How many toys are left?",
            "On Monday it sells 250 * 0.4 = <<250*0.4=100>>100 toys.\nThere are 250 - 100 = <<250-100=150>>150 toys left.\nOn Tuesday it sells 150 / 2 = <<150/2=75>>75 toys.\nThere are 150 - 75 = <<150-75=75>>75 toys left.\n#### 75")
        let instances = try Self.assertConstraints(derived)
        XCTAssertEqual(instances.count, 10)
    }

    func testTheSameSeedGivesTheSameInstancesAndAnotherSeedOthers() throws {
        let derived = try program("Maya reads 15 pages every day. How many pages does she read in 6 days?",
                                  "She reads 15 * 6 = <<15*6=90>>90 pages.\n#### 90")
        let sampler = try InstanceSampler(program: derived)
        XCTAssertEqual(sampler.sample(count: 10, seed: 0), sampler.sample(count: 10, seed: 0))
        XCTAssertNotEqual(sampler.sample(count: 10, seed: 0), sampler.sample(count: 10, seed: 1))
        // Asking for fewer gives a prefix: each problem's stream of draws depends on (seed, id) only.
        XCTAssertEqual(sampler.sample(count: 4, seed: 0), Array(sampler.sample(count: 10, seed: 0).prefix(4)))
        XCTAssertEqual(InstanceSampler.seed(0, problemID: derived.problem.id), StableHash.hash64("0:\(derived.problem.id)"))
    }

    func testQuantitiesTheProgramDoesNotUseKeepTheirValues() throws {
        // "6 months" is not used (the solution counts 2 halves of a year): it must not change in instances.
        let derived = try program("A store uses 90 kilograms of grapes every 6 months. How many kilograms does it use in a year?",
                                  "It uses 90 * 2 = <<90*2=180>>180 kilograms a year.\n#### 180")
        let instances = try Self.assertConstraints(derived)
        XCTAssertFalse(instances.isEmpty)
        for instance in instances { XCTAssertEqual(instance.values["num_months"], .int(6)) }
    }

    func testFractionsOfCountsStayWhole() throws {
        // A third of 45 flowers: every instance must give a whole number of red flowers.
        let derived = try program("A garden has 45 flowers and a third of them are red. How many flowers are not red?",
                                  "There are 45 / 3 = <<45/3=15>>15 red flowers.\nThere are 45 - 15 = <<45-15=30>>30 flowers that are not red.\n#### 30")
        let instances = try Self.assertConstraints(derived)
        XCTAssertEqual(instances.count, 10)
        for instance in instances { XCTAssertTrue(instance.answer.isIntegral, instance.question) }
    }

    func testAProblemWithNothingToVaryHasNoInstances() throws {
        let derived = try program("Kim has 1 box with 1 pen and buys 1 more pen. How many pens?", "She has 1+1=<<1+1=2>>2 pens.\n#### 2")
        XCTAssertEqual(try InstanceSampler(program: derived).sample(count: 10, seed: 0), [])
    }
}
