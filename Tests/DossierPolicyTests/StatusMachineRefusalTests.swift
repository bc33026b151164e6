import DossierCore
import Foundation
import Testing

@testable import DossierPolicy

/// An inconsistent status machine stops Dossier at start, with a reason an administrator can act on.
@Suite struct StatusMachineRefusalTests {
    static let file = "policies/status-machine.yaml"

    /// The shipped text with `old` (which must occur exactly once) replaced by `new`.
    func edited(_ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let text = try shippedText()
        let parts = text.components(separatedBy: old)
        try #require(parts.count == 2, "'\(old)' occurs \(parts.count - 1) times", sourceLocation: sourceLocation)
        return parts.joined(separator: new)
    }

    /// Loads `text`, which must be refused; returns the reason.
    @discardableResult
    func refused(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let error = #expect(throws: PolicyError.self, sourceLocation: sourceLocation) {
            try StatusMachinePolicy.load(yaml: text, file: Self.file)
        }
        guard let error else { return nil }
        #expect(error.file == Self.file, sourceLocation: sourceLocation)
        #expect(error.description.contains(Self.file), sourceLocation: sourceLocation)
        #expect(error.description.contains(error.reason), sourceLocation: sourceLocation)
        return error.reason
    }

    /// Loads `text`, which must be refused with a reason containing every one of `words`.
    func refused(_ text: String, saying words: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        guard let reason = refused(text, sourceLocation: sourceLocation) else { return }
        for word in words {
            #expect(reason.contains(word), "reason: \(reason)", sourceLocation: sourceLocation)
        }
    }

    @Test func theUneditedShippedTextLoads() throws {
        #expect(throws: Never.self) { try StatusMachinePolicy.load(yaml: try shippedText(), file: Self.file) }
    }

    @Test func anUnknownStatusIsRefused() throws {
        refused(
            try edited(
                "  retired:         { name: 退休,     occupies: false }\n",
                "  retired:         { name: 退休,     occupies: false }\n  on-strike: { name: 罢工, occupies: true }\n"
            ),
            saying: "on-strike",
            "unknown"
        )
        // A Chinese name in place of the code is not the code.
        refused(
            try edited("  awol:            { name: 自离", "  自离:            { name: 自离"),
            saying: "自离",
            "unknown"
        )
    }

    @Test func aMissingStatusIsRefused() throws {
        refused(
            try edited("  retired:         { name: 退休,     occupies: false }\n", ""),
            saying: "retired",
            "missing"
        )
    }

    @Test func aStatusThatMisstatesWhetherItOccupiesASlotIsRefused() throws {
        refused(
            try edited("{ name: 自离,     occupies: true }", "{ name: 自离,     occupies: false }"),
            saying: "awol",
            "occupies: true"
        )
        refused(
            try edited("{ name: 退休,     occupies: false }", "{ name: 退休,     occupies: true }"),
            saying: "retired",
            "occupies: false"
        )
    }

    @Test func aStatusWithTheWrongChineseNameIsRefused() throws {
        refused(try edited("{ name: 待离职,", "{ name: 离职中,"), saying: "leaving", "离职中", "待离职")
    }

    @Test func anUnknownActionIsRefused() throws {
        let text = try shippedText()
        refused(
            text + "  promote-twice:\n    name: 连升两级\n    from: [active]\n    to: unchanged\n",
            saying: "promote-twice",
            "unknown"
        )
        // Correction and cancellation are not transitions and may not be given rules.
        refused(text + "  cancel:\n    name: 撤销\n    from: [active]\n    to: unchanged\n", saying: "cancel", "unknown")
    }

    @Test func aMissingActionIsRefused() throws {
        refused(
            try edited("  retire:\n    name: 退休\n    from: [active, unpaid-leave, leaving]\n    to: retired\n", ""),
            saying: "retire",
            "no rule"
        )
    }

    @Test func anActionWithTheWrongChineseNameIsRefused() throws {
        refused(try edited("    name: 转正\n", "    name: 定级\n"), saying: "confirm", "定级", "转正")
    }

    @Test func anActionFromAnUnknownStatusIsRefused() throws {
        refused(
            try edited(
                "    from: [unpaid-leave]\n    to: active",
                "    from: [unpaid-leave, sabbatical]\n    to: active"
            ),
            saying: "return",
            "sabbatical"
        )
    }

    @Test func anActionFromNoStatusAtAllIsRefused() throws {
        refused(try edited("    from: [probation]\n    to: active", "    from: []\n    to: active"), saying: "confirm")
    }

    @Test func anActionToAnUnknownStatusIsRefused() throws {
        refused(
            try edited("    from: [active]\n    to: unpaid-leave", "    from: [active]\n    to: sabbatical"),
            saying: "unpaid-leave",
            "sabbatical"
        )
    }

    @Test func leavingTheStatusUnchangedWhenThereIsNoneIsRefused() throws {
        refused(
            try edited(
                "    name: 转岗\n    from: [probation, active]",
                "    name: 转岗\n    from: [none, probation, active]"
            ),
            saying: "reassign",
            "unchanged"
        )
    }

    @Test func anUnknownFieldIsRefused() throws {
        refused(
            try edited(
                "    name: 录用\n    from: [none]\n    to: given\n    needs: [org, category]",
                "    name: 录用\n    from: [none]\n    to: given\n    needs: [org, category, salary]"
            ),
            saying: "hire",
            "salary"
        )
        refused(try edited("    may: [category, post]", "    may: [category, desk]"), saying: "reassign", "desk")
    }

    /// A misspelt key must not be skipped: `need:` for `needs:` would silently let a hire name no
    /// organisation.
    @Test func anUnknownKeyIsRefused() throws {
        refused(
            try edited(
                "    name: 录用\n    from: [none]\n    to: given\n    needs: [org, category]",
                "    name: 录用\n    from: [none]\n    to: given\n    need: [org, category]"
            ),
            saying: "need"
        )
        refused(try edited("version: 1\n", "version: 1\nrules_owner: 编办\n"), saying: "rules_owner")
    }

    @Test func aBadEffectiveDateIsRefused() throws {
        refused(try edited("effective_from: 2019-06-01", "effective_from: 2019-02-30"), saying: "2019-02-30")
        refused(try edited("effective_from: 2019-06-01", "effective_from: 1 June 2019"), saying: "1 June 2019")
        refused(try edited("effective_from: 2019-06-01\n", ""))
    }

    @Test func anUnsupportedVersionIsRefused() throws {
        refused(try edited("version: 1\n", "version: 2\n"), saying: "version 2")
        refused(try edited("version: 1\n", "version: one\n"))
        refused(try edited("version: 1\n", ""))
    }

    @Test func textThatIsNotYAMLIsRefused() {
        refused("statuses: [probation\nactions: {", saying: "YAML")
        refused("", saying: "YAML")
        refused("- hire\n- confirm\n", saying: "YAML")
        refused("\u{FEFF}\u{0}\u{1}binary", saying: "YAML")
    }
}
