import StageKit

/// Why a problem gives no verified program: a reject code (`math.no_annotations`, ...), its class and a reason.
///
/// `error` means the line is not a usable GSM8K problem at all; `dropped` means a well-formed problem whose program
/// could not be derived or verified.
public typealias MathReject = KindReject

extension MathReject {
    /// Every code a math problem can be rejected with, and its class (README lists them); named for its kind
    /// because `KindReject` is shared by every kind.
    public static let mathCodes: [(code: String, rejectClass: RejectClass)] = [
        ("math.record", .error), ("math.no_final_answer", .error),
        ("math.no_annotations", .dropped), ("math.annotation_syntax", .dropped), ("math.annotation_value", .dropped),
        ("math.unexplained_number", .dropped), ("math.answer_mismatch", .dropped), ("math.constant_answer", .dropped),
        ("math.runtime", .dropped), ("math.program", .dropped), ("math.duplicate", .dropped), ("math.input", .error),
        ("math.too_large", .dropped), ("math.backend", .error),
    ]

    static func record(_ reason: String) -> MathReject { MathReject("math.record", .error, reason) }
    static func noFinalAnswer(_ reason: String) -> MathReject { MathReject("math.no_final_answer", .error, reason) }
    static func noAnnotations() -> MathReject {
        MathReject("math.no_annotations", .dropped, "the answer has no <<expression=value>> annotation")
    }
    static func annotationSyntax(_ reason: String) -> MathReject { MathReject("math.annotation_syntax", .dropped, reason) }
    static func annotationValue(_ reason: String) -> MathReject { MathReject("math.annotation_value", .dropped, reason) }
    static func unexplained(_ reason: String) -> MathReject { MathReject("math.unexplained_number", .dropped, reason) }
    static func answerMismatch(_ reason: String) -> MathReject { MathReject("math.answer_mismatch", .dropped, reason) }
    static func constantAnswer() -> MathReject {
        MathReject("math.constant_answer", .dropped, "the answer does not depend on any number of the question")
    }
    static func runtime(_ reason: String) -> MathReject { MathReject("math.runtime", .dropped, reason) }
    static func program(_ reason: String) -> MathReject { MathReject("math.program", .dropped, reason) }
}
