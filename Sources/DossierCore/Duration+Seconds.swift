extension Duration {
    /// The duration in seconds, for statistics and metrics (which count in seconds).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
