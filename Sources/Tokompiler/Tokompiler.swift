/// Namespace of the Tokompiler module (its contents arrive with the module's issue).
public enum TokompilerModule {
    /// The module name, for diagnostics.
    public static let name = "Tokompiler"
}
