import DossierExchange

/// Which Dossier this is, for `dossier --version` and for support: the release, and the formats
/// it writes that other nodes and tools read.
public enum DossierVersion {
    /// The release (year.month.patch).
    public static let release = "2026.12.0"

    /// One line: the release and the exchange package format.
    public static var text: String { "dossier \(release) (exchange format \(ExchangeProfile.version))" }
}
