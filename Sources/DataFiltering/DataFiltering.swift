/// Namespace of the DataFiltering module (its contents arrive with the module's issue).
public enum DataFilteringModule {
    /// The module name, for diagnostics.
    public static let name = "DataFiltering"
}
