/// Every statistical table a node can run, with the groupings they use.
public struct ReportCatalog: Sendable, Hashable {
    /// By table number, then name.
    public var definitions: [ReportDefinition]
    public var dimensions: Dated<ReportDimensions>

    public init(definitions: [ReportDefinition], dimensions: Dated<ReportDimensions>) {
        self.definitions = definitions.sorted { ($0.number, $0.name) < ($1.number, $1.name) }
        self.dimensions = dimensions
    }

    /// The table called `name`, if any.
    public func definition(_ name: String) -> ReportDefinition? {
        definitions.first { $0.name == name }
    }
}
