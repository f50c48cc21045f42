/// Namespace of the CorpusMining module (its contents arrive with the module's issue).
public enum CorpusMiningModule {
    /// The module name, for diagnostics.
    public static let name = "CorpusMining"
}
