import Foundation

/// Writes a derived program as a Python function in the InfinityMATH style: one parameter per question variable
/// with its original value as the default, a docstring (the generic question, the variables, the output), the
/// constants, a comment per step and `return` of the answer.
enum PythonWriter {
    static func source(quantities: [Quantity], genericQuestion: String, constants: [NamedConstant], steps: [ProgramStep],
                       answer: String, usesMath: Bool, gold: String) -> String {
        var lines: [String] = []
        if usesMath { lines += ["import math", "", ""] }
        let parameters = quantities.map { "\($0.name)=\($0.value.repr)" }.joined(separator: ", ")
        lines.append("def solution(\(parameters)):")
        lines.append("    \"\"\"" + docstringText(genericQuestion))
        lines.append("")
        if !quantities.isEmpty {
            lines.append("    Args:")
            for quantity in quantities {
                lines.append("        \(quantity.name) (\(quantity.kind.rawValue)): \(docstringText(quantity.text)) in the question")
            }
            lines.append("")
        }
        lines.append("    Returns:")
        lines.append("        The answer to the question (\(docstringText(gold)) for the numbers as given).")
        lines.append("    \"\"\"")
        for constant in constants {
            lines.append("    # A number the question does not state.")
            lines.append("    \(constant.name) = \(constant.value.repr)")
        }
        for step in steps {
            let comment = step.comment.replacingOccurrences(of: "\r", with: " ")
            if !comment.isEmpty { lines.append("    # " + comment) }
            lines.append("    \(step.name) = \(step.expression.python)")
        }
        lines.append("    return \(answer)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe inside a triple-quoted docstring: backslashes doubled, quotes that could close it escaped.
    static func docstringText(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}
