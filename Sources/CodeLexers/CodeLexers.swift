/// Namespace of the CodeLexers module (its contents arrive with the module's issue).
public enum CodeLexersModule {
    /// The module name, for diagnostics.
    public static let name = "CodeLexers"
}
