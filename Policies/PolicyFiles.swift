import Foundation

/// The policy files shipped with Dossier (this folder), found at run time next to the program.
/// A node keeps its own copy in its data directory (`policies/`), made by `dossier init`.
public enum PolicyFiles {
    /// The shipped text of a policy file, e.g. `status-machine.yaml`.
    public static func shippedText(_ name: String) -> String? {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil) else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }

    /// The names of the shipped policy files.
    public static let names = ["status-machine.yaml", "rank-quotas.yaml", "documents.yaml"]
}
