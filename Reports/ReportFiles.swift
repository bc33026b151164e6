import Foundation

/// The statistical tables shipped with Dossier (this folder), found at run time next to the
/// program: `dimensions.yaml` (the groupings) and one file per table under `tables/`. A node
/// adds or replaces tables with its own files in its data directory (`reports/`).
public enum ReportFiles {
    /// The shipped groupings (`dimensions.yaml`).
    public static var dimensionsText: String? {
        guard let url = Bundle.module.url(forResource: "dimensions", withExtension: "yaml") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }

    /// Every shipped table definition: its file name and text, in file-name order.
    public static var tables: [(name: String, text: String)] {
        guard let folder = Bundle.module.url(forResource: "tables", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".yaml") }.sorted().compactMap { name in
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
        }
    }
}
