/// What a kind's own parsing and checking code throws when an input cannot become a record: a stable reject code
/// (the README lists each kind's), its class and a sentence for people. The stage turns it into a `Reject` with the
/// input's locator and line, which only the stage knows.
public struct KindReject: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var rejectClass: RejectClass
    public var reason: String

    public init(_ code: String, _ rejectClass: RejectClass, _ reason: String) {
        self.code = code
        self.rejectClass = rejectClass
        self.reason = reason
    }

    public var description: String { "\(rejectClass.rawValue): \(reason) [\(code)]" }
}
