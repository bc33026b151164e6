import DossierCore
import DossierPolicyFiles
import DossierTestSupport
import Foundation
import Testing

@testable import DossierPolicy

/// A status machine file can hold later versions; an action is judged by the version in force on
/// its own date, not by the newest.
@Suite struct DatedStatusMachineTests {
    /// The shipped file, with a second version from 2025-01-01 under which 退休 may no longer
    /// follow 在职 directly (only 待离职 and 停薪留职).
    private func twoVersions() throws -> String {
        let shipped = try #require(PolicyFiles.shippedText(StatusMachinePolicy.fileName))
        let later =
            shipped
            .replacingOccurrences(of: "effective_from: 2019-06-01", with: "effective_from: 2025-01-01")
            .replacingOccurrences(
                of: "    from: [active, unpaid-leave, leaving]\n    to: retired",
                with: "    from: [unpaid-leave, leaving]\n    to: retired"
            )
        #expect(later != shipped.replacingOccurrences(of: "2019-06-01", with: "2025-01-01"))
        return shipped + "\n---\n" + later
    }

    private func timeline(retiringOn date: String) -> [TimelineFold.Action] {
        [
            TimelineFold.Action(
                id: 1,
                kind: .hire,
                effectiveOn: CivilDate(iso: "2020-03-01")!,
                org: 1,
                category: .administrative,
                rank: .clerk1,
                status: .active
            ),
            TimelineFold.Action(id: 2, kind: .retire, effectiveOn: CivilDate(iso: date)!),
        ]
    }

    @Test func aRuleChangedFromADateAppliesFromThatDateAndNotBefore() throws {
        let machine = try StatusMachinePolicy.load(yaml: try twoVersions())
        #expect(machine.versions.map(\.effectiveFrom.description) == ["2019-06-01", "2025-01-01"])
        #expect(machine.at(CivilDate(iso: "2024-12-31")!).rules[.retire]?.from.contains(.active) == true)
        #expect(machine.at(CivilDate(iso: "2025-01-01")!).rules[.retire]?.from.contains(.active) == false)
        // Before the first version's date, the first version applies (no older rules on file).
        #expect(machine.at(CivilDate(iso: "1990-01-01")!).rules[.retire]?.from.contains(.active) == true)

        // Folded under the version of each action's date.
        _ = try TimelineFold.fold(
            timeline(retiringOn: "2024-12-31"),
            machine: machine,
            ladder: RankLadder.shippedVersions
        )
        #expect(throws: TimelineFold.Refusal.self) {
            _ = try TimelineFold.fold(
                timeline(retiringOn: "2025-01-01"),
                machine: machine,
                ladder: RankLadder.shippedVersions
            )
        }
    }

    @Test func versionsOutOfOrderOrOfAnotherKindAreRefusedNamingTheLine() throws {
        let shipped = try #require(PolicyFiles.shippedText(StatusMachinePolicy.fileName))
        let earlier = shipped.replacingOccurrences(of: "effective_from: 2019-06-01", with: "effective_from: 2018-01-01")
        let outOfOrder = #expect(throws: PolicyError.self) {
            _ = try StatusMachinePolicy.load(yaml: shipped + "\n---\n" + earlier)
        }
        let firstLineOfSecond = shipped.split(separator: "\n", omittingEmptySubsequences: false).count + 2
        #expect(outOfOrder?.reason.contains("line \(firstLineOfSecond)") == true, "\(outOfOrder?.reason ?? "")")
        #expect(outOfOrder?.reason.contains("does not come after") == true)

        let wrongKind = #expect(throws: PolicyError.self) {
            _ = try StatusMachinePolicy.load(
                yaml: shipped.replacingOccurrences(of: "kind: status-machine\n", with: "kind: rank-quotas\n")
            )
        }
        #expect(wrongKind?.reason.contains("kind is 'rank-quotas'") == true)
        // The kind may also be left out.
        #expect(shipped.contains("kind: status-machine\n"))
        _ = try StatusMachinePolicy.load(yaml: shipped.replacingOccurrences(of: "kind: status-machine\n", with: ""))
    }
}
