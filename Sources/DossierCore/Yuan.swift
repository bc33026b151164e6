/// 元: amounts of money as Dossier writes them, from a whole number of fen (分): `1234.50`,
/// `-12.05`, the way a feed states them and the way messages and the demo's exports show them.
public enum Yuan {
    /// The amount in yuan with exactly two decimals.
    public static func text(fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
