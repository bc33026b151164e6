public import DossierCore
import Yams

/// Reads `exchange.yaml` into a dated `ExchangePolicy`: how long a transfer package may be
/// received, and when a missing receipt is chased.
public enum ExchangePolicyFile {
    public static let fileName = "exchange.yaml"

    /// The policy's name in the envelope (`kind:`).
    public static let kind = "exchange"

    private struct File: Decodable {
        var package_valid_days: Int
        var receipt_chase_months: Int
    }

    /// Parses and checks every version of the file (see `PolicyEnvelope`).
    public static func load(yaml text: String, file: String = fileName) throws(PolicyError) -> Dated<ExchangePolicy> {
        try PolicyEnvelope.dated(text, kind: kind, file: file) { (version) throws(PolicyError) in
            func fail(_ reason: String) -> PolicyError {
                PolicyError(file: file, reason: "the version starting on line \(version.line): \(reason)")
            }
            try KnownKeys.check(
                version.text,
                top: ["kind", "version", "effective_from", "package_valid_days", "receipt_chase_months"],
                entries: [:],
                file: file
            )
            let parsed: File
            do {
                parsed = try YAMLDecoder().decode(File.self, from: version.text)
            } catch {
                throw fail("it is not valid YAML of the expected shape (\(error))")
            }
            guard (1...3650).contains(parsed.package_valid_days) else {
                throw fail("package_valid_days must be a number of days from 1 to 3650")
            }
            guard (1...24).contains(parsed.receipt_chase_months) else {
                throw fail("receipt_chase_months must be a number of months from 1 to 24")
            }
            return ExchangePolicy(
                packageValidDays: parsed.package_valid_days,
                chaseMonths: parsed.receipt_chase_months
            )
        }
    }
}

extension ExchangePolicyFile: PolicyAdapter {
    public static var fileNames: [String] { [fileName] }
    public static var isDated: Bool { true }

    /// The exchange figures need nothing from the context.
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> Dated<ExchangePolicy>
    {
        try load(yaml: text, file: file)
    }
}
