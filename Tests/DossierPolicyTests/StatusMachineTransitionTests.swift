import DossierCore
import DossierPolicyFiles
import Foundation
import Testing

@testable import DossierPolicy

/// One action's rule as `status-machine.yaml` states it, read without a YAML library so that the
/// test does not share the loader's reading of the file.
struct StatedRule: Equatable {
    var from: [String] = []
    var to = ""
    var needs: [String] = []
    var may: [String] = []
}

/// What the shipped file says, read line by line: the statuses with their `occupies`, and each
/// action's `from`, `to`, `needs` and `may`.
struct StatedMachine {
    var occupies: [String: Bool] = [:]
    var actions: [String: StatedRule] = [:]
    var effectiveFrom = ""

    init(_ text: String) {
        var section = ""
        var action: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let indent = line.prefix { $0 == " " }.count
            let content = line.trimmingCharacters(in: .whitespaces)
            if indent == 0 {
                section = String(content.prefix { $0 != ":" })
                if section == "effective_from" {
                    effectiveFrom = Self.value(of: content)
                }
                action = nil
                continue
            }
            switch (section, indent) {
            case ("statuses", 2):
                let code = String(content.prefix { $0 != ":" })
                occupies[code] = content.contains("occupies: true")
            case ("actions", 2):
                action = String(content.prefix { $0 != ":" })
                actions[action!] = StatedRule()
            case ("actions", 4):
                guard let action else { continue }
                let key = String(content.prefix { $0 != ":" })
                let value = Self.value(of: content)
                switch key {
                case "from": actions[action]!.from = Self.list(value)
                case "to": actions[action]!.to = value
                case "needs": actions[action]!.needs = Self.list(value)
                case "may": actions[action]!.may = Self.list(value)
                default: break
                }
            default:
                break
            }
        }
    }

    /// The text after the first colon, trimmed.
    private static func value(of content: String) -> String {
        guard let colon = content.firstIndex(of: ":") else { return "" }
        return content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    /// `[a, b, c]` as its items.
    private static func list(_ value: String) -> [String] {
        value.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            .split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }
}

/// The shipped text, as Dossier finds it at run time.
func shippedText() throws -> String {
    try #require(PolicyFiles.shippedText(StatusMachinePolicy.fileName))
}

/// Every status a person can be in, with nil for "no placement yet".
let everyStatus: [PersonStatus?] = [nil] + PersonStatus.allCases.map { $0 }

/// The action kinds the status machine rules on (all but correction and cancellation).
let ruledKinds = ActionKind.allCases.filter(\.isDecidedByStatusMachine)

/// How the file names a status in a `from:` list.
func statedCode(_ status: PersonStatus?) -> String {
    status?.code ?? "none"
}

@Suite struct StatusMachineTransitionTests {
    @Test func theLineReaderFindsEveryStatusAndActionOfTheShippedFile() throws {
        let stated = StatedMachine(try shippedText())
        #expect(Set(stated.occupies.keys) == Set(PersonStatus.allCases.map(\.code)))
        for status in PersonStatus.allCases {
            #expect(stated.occupies[status.code] == status.occupiesSlot, "\(status.code)")
        }
        #expect(Set(stated.actions.keys) == Set(ruledKinds.map(\.rawValue)))
        for (code, rule) in stated.actions {
            #expect(!rule.from.isEmpty, "\(code) has no from list")
            #expect(!rule.to.isEmpty, "\(code) has no to")
        }
        #expect(try shippedMachine().effectiveFrom == CivilDate(iso: stated.effectiveFrom))
    }

    /// For one action kind, every status (and no placement): allowed exactly when the file lists it.
    @Test(arguments: ruledKinds)
    func allowsExactlyTheStatusesTheFileLists(_ kind: ActionKind) throws {
        let machine = try shippedMachine()
        let rule = try #require(StatedMachine(try shippedText()).actions[kind.rawValue])
        for current in everyStatus {
            let listed = rule.from.contains(statedCode(current))
            #expect(
                machine.allows(kind, from: current) == listed,
                "\(kind.rawValue) from \(statedCode(current)): file says \(listed)"
            )
        }
        // The file lists nothing the machine does not know.
        let known = Set(everyStatus.map(statedCode))
        #expect(Set(rule.from).isSubset(of: known), "\(kind.rawValue) from \(rule.from)")
    }

    /// For one action kind, every status × every stated status: the outcome the file gives, or a refusal.
    @Test(arguments: ruledKinds)
    func leadsToTheStatusTheFileGivesOrIsRefused(_ kind: ActionKind) throws {
        let machine = try shippedMachine()
        let rule = try #require(StatedMachine(try shippedText()).actions[kind.rawValue])
        for current in everyStatus {
            let allowed = rule.from.contains(statedCode(current))
            for given in everyStatus {
                let label = "\(kind.rawValue) from \(statedCode(current)) given \(statedCode(given))"
                let expected: PersonStatus?
                if !allowed {
                    expected = nil
                } else if rule.to == "given" {
                    expected = given == .probation || given == .active ? given : nil
                } else if rule.to == "unchanged" {
                    #expect(current != nil, "\(label): unchanged from no placement")
                    expected = current
                } else {
                    let named = PersonStatus.allCases.first { $0.code == rule.to }
                    #expect(named != nil, "\(label): the file leads to '\(rule.to)'")
                    expected = named
                }
                if let expected {
                    do {
                        let result = try machine.status(after: kind, from: current, given: given)
                        #expect(result == expected, "\(label)")
                    } catch {
                        Issue.record("\(label): refused (\(error))")
                    }
                } else {
                    let refusal = #expect(throws: StatusMachine.Refusal.self, "\(label)") {
                        try machine.status(after: kind, from: current, given: given)
                    }
                    #expect(refusal?.kind == kind, "\(label)")
                    #expect(refusal?.current == current, "\(label)")
                }
            }
        }
    }

    @Test(arguments: ruledKinds)
    func statesTheFieldsTheFileNames(_ kind: ActionKind) throws {
        let machine = try shippedMachine()
        let stated = try #require(StatedMachine(try shippedText()).actions[kind.rawValue])
        let rule = try #require(machine.rules[kind])
        #expect(Set(rule.needs.map(\.rawValue)) == Set(stated.needs))
        #expect(Set(rule.may.map(\.rawValue)) == Set(stated.may))
    }

    @Test func aRefusalNamesTheActionAndTheCurrentStatus() throws {
        let machine = try shippedMachine()
        let refusal = #expect(throws: StatusMachine.Refusal.self) {
            try machine.status(after: .retire, from: .awol, given: nil)
        }
        let text = try #require(refusal).description
        #expect(text.contains("退休"))
        #expect(text.contains("retire"))
        #expect(text.contains("自离"))
        #expect(text.contains("awol"))

        let unplaced = #expect(throws: StatusMachine.Refusal.self) {
            try machine.status(after: .promote, from: nil, given: nil)
        }
        #expect(try #require(unplaced).description.contains("职级晋升"))
        #expect(try #require(unplaced).description.contains("not yet placed"))
    }

    @Test func amendmentsAndChangesOfDetailsAreNotStatusTransitions() throws {
        let machine = try shippedMachine()
        for kind in ActionKind.allCases where !kind.isDecidedByStatusMachine {
            #expect(machine.rules[kind] == nil)
            for current in everyStatus {
                #expect(!machine.allows(kind, from: current), "\(kind.rawValue) from \(statedCode(current))")
                #expect(throws: StatusMachine.Refusal.self) {
                    try machine.status(after: kind, from: current, given: .active)
                }
            }
        }
    }

    @Test func onlyHireAndTransferInStartFromNoPlacement() throws {
        let machine = try shippedMachine()
        let starters = Set(ruledKinds.filter { machine.allows($0, from: nil) })
        #expect(starters == [.hire, .transferIn])
    }

    @Test func exitsLeaveNoOccupyingStatusAndOnlyReturnsFollowThem() throws {
        let machine = try shippedMachine()
        for kind in ActionKind.exits {
            let rule = try #require(machine.rules[kind])
            #expect(rule.outcome == .status(try #require(kind.exitStatus)))
            #expect(!(try #require(kind.exitStatus)).occupiesSlot)
        }
        // After an exit nothing but a new placement (rehire or transfer in) or nothing at all may follow.
        for exit in PersonStatus.allCases where exit.isExit {
            for kind in ruledKinds where machine.allows(kind, from: exit) {
                #expect(machine.rules[kind]?.needs.contains(.org) == true, "\(kind.rawValue) after \(exit.code)")
            }
        }
    }
}
