public import DossierCore
import Yams

/// Reads `status-machine.yaml` into a `StatusMachine`, refusing a file that is inconsistent:
/// every status Dossier knows must be declared with the right slot occupancy, every action kind
/// (but correction and cancellation) must have a rule, and nothing unknown may appear.
public enum StatusMachinePolicy {
    public static let fileName = "status-machine.yaml"

    /// The policy's name in the envelope (`kind:`).
    public static let kind = "status-machine"

    private struct File: Decodable {
        var kind: String?
        var version: Int
        var effective_from: String
        var statuses: [String: StatusEntry]
        var actions: [String: ActionEntry]
    }

    private struct StatusEntry: Decodable {
        var name: String
        var occupies: Bool
    }

    private struct ActionEntry: Decodable {
        var name: String
        var from: [String]
        var to: String
        var needs: [String]?
        var may: [String]?
    }

    /// Parses and checks the YAML text of a status machine: one version, or several (see
    /// `PolicyEnvelope`), each complete, the result answering `at(date)` with the one in force.
    public static func load(yaml text: String, file: String = fileName) throws(PolicyError) -> StatusMachine {
        let versions = try PolicyEnvelope.versions(of: text, kind: kind, dated: true, file: file)
        var machines: [StatusMachine] = []
        for version in versions {
            machines.append(try loadVersion(version, file: file))
        }
        return StatusMachine(versions: machines)
    }

    /// One version of the machine.
    private static func loadVersion(
        _ version: PolicyEnvelope.Version,
        file: String
    ) throws(PolicyError) -> StatusMachine {
        let text = version.text
        func fail(_ reason: String) -> PolicyError {
            PolicyError(file: file, reason: "the version starting on line \(version.line): \(reason)")
        }
        try KnownKeys.check(
            text,
            top: ["kind", "version", "effective_from", "statuses", "actions"],
            entries: ["statuses": ["name", "occupies"], "actions": ["name", "from", "to", "needs", "may"]],
            file: file
        )
        let parsed: File
        do {
            parsed = try YAMLDecoder().decode(File.self, from: text)
        } catch {
            throw fail("it is not valid YAML of the expected shape (\(error))")
        }
        guard parsed.version == 1 else { throw fail("version \(parsed.version) is not supported (expected 1)") }
        guard let effectiveFrom = CivilDate(iso: parsed.effective_from) else {
            throw fail("effective_from '\(parsed.effective_from)' is not a YYYY-MM-DD date")
        }
        for (code, entry) in parsed.statuses {
            guard let status = PersonStatus(codeOrName: code), status.code == code else {
                throw fail("status '\(code)' is unknown")
            }
            guard entry.occupies == status.occupiesSlot else {
                throw fail("status '\(code)' must say occupies: \(status.occupiesSlot)")
            }
            guard entry.name == status.chineseName else {
                throw fail("status '\(code)' is named \(entry.name), expected \(status.chineseName)")
            }
        }
        for status in PersonStatus.allCases where parsed.statuses[status.code] == nil {
            throw fail("status '\(status.code)' (\(status.chineseName)) is missing")
        }
        var rules: [ActionKind: StatusMachine.Rule] = [:]
        for (code, entry) in parsed.actions.sorted(by: { $0.key < $1.key }) {
            guard let kind = ActionKind(rawValue: code), kind.isDecidedByStatusMachine else {
                throw fail("action '\(code)' is unknown")
            }
            guard entry.name == kind.chineseName else {
                throw fail("action '\(code)' is named \(entry.name), expected \(kind.chineseName)")
            }
            var from: Set<PersonStatus?> = []
            for source in entry.from {
                if source == "none" {
                    from.insert(nil)
                } else if let status = PersonStatus(codeOrName: source), status.code == source {
                    from.insert(status)
                } else {
                    throw fail("action '\(code)' may follow an unknown status '\(source)'")
                }
            }
            guard !from.isEmpty else { throw fail("action '\(code)' may follow no status at all") }
            let outcome: StatusMachine.Outcome
            switch entry.to {
            case "given": outcome = .given
            case "unchanged": outcome = .unchanged
            default:
                guard let status = PersonStatus(codeOrName: entry.to), status.code == entry.to else {
                    throw fail("action '\(code)' leads to an unknown status '\(entry.to)'")
                }
                outcome = .status(status)
            }
            if outcome == .unchanged, from.contains(nil) {
                throw fail("action '\(code)' cannot leave the status unchanged when there is none yet")
            }
            func fields(_ names: [String]?) throws(PolicyError) -> Set<StatusMachine.Field> {
                var result: Set<StatusMachine.Field> = []
                for name in names ?? [] {
                    guard let field = StatusMachine.Field(rawValue: name) else {
                        throw fail("action '\(code)' names an unknown field '\(name)'")
                    }
                    result.insert(field)
                }
                return result
            }
            rules[kind] = StatusMachine.Rule(
                kind: kind,
                from: from,
                outcome: outcome,
                needs: try fields(entry.needs),
                may: try fields(entry.may)
            )
        }
        for kind in ActionKind.allCases where kind.isDecidedByStatusMachine && rules[kind] == nil {
            throw fail("action '\(kind.rawValue)' (\(kind.chineseName)) has no rule")
        }
        return StatusMachine(rules: rules, effectiveFrom: effectiveFrom)
    }
}
