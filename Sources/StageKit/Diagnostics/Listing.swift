/// A count and the first few items behind it, as reports list the ids or lines they could not use: the count is
/// exact, while the list stays short enough to read whatever the input's size.
public struct Listing: Sendable, Equatable, Encodable {
    public var count: Int
    public var first: [String]

    /// How many items a listing names.
    public static let shown = 20

    public init(_ items: [String]) {
        count = items.count
        first = Array(items.prefix(Self.shown))
    }

    enum CodingKeys: String, CodingKey { case count, first }
}
