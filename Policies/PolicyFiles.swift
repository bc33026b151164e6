import Foundation

/// The policy files shipped with Dossier (this folder), found at run time next to the program.
/// A node keeps its own copy in its data directory (`policies/`), made by `dossier init`.
public enum PolicyFiles {
    /// The shipped text of a policy file, e.g. `status-machine.yaml`.
    /// A name may lie in a folder (`feeds/payroll.yaml`).
    public static func shippedText(_ name: String) -> String? {
        let parts = name.split(separator: "/")
        let folder = parts.dropLast().joined(separator: "/")
        guard
            let file = parts.last,
            let url = Bundle.module.url(
                forResource: String(file),
                withExtension: nil,
                subdirectory: folder.isEmpty ? nil : folder
            )
        else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }

    /// The names of the shipped policy files, relative to this folder.
    public static let names = [
        "status-machine.yaml", "rank-ladder.yaml", "rank-quotas.yaml", "documents.yaml",
        "feeds/social-insurance.yaml", "feeds/payroll.yaml", "feeds/attendance.yaml", "reconciliation.yaml",
        "exchange.yaml",
        "civil-service-ranks-2019.yaml", "public-institution-staff.yaml", "local-rules.yaml",
    ]
}
