import DossierCore
import DossierPolicyFiles
import Foundation
import Testing

@testable import DossierPolicy

/// `reconciliation.yaml`: which checks run, their limits and the days to act, dated.
@Suite struct ReconciliationPolicyFileTests {
    private let base = """
        kind: reconciliation
        version: 1
        effective_from: 2019-01-01
        rules:
          contributions-stopped: { due_days: 20 }
        limits:
          exit_grace_days: 15
          absence_consecutive_days: 15
          absence_days_per_year: 30
          inactive_days: { awol: 30 }

        """

    private func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        do {
            let policy = try ReconciliationPolicyFile.load(yaml: text, file: "test-reconciliation.yaml")
            Issue.record("accepted: \(policy)", sourceLocation: sourceLocation)
            return ""
        } catch {
            #expect(error.file == "test-reconciliation.yaml", sourceLocation: sourceLocation)
            return error.description
        }
    }

    @Test func theShippedFileRunsEveryCheckWithTheLawsFigures() throws {
        let text = try #require(PolicyFiles.shippedText(ReconciliationPolicyFile.fileName))
        #expect(PolicyFiles.names.contains(ReconciliationPolicyFile.fileName))
        let policy = try ReconciliationPolicyFile.load(yaml: text).at(CivilDate(year: 2026, month: 11, day: 20)!)
        #expect(policy.enabled == Set(ReconciliationRule.allCases))
        #expect(policy.insurance == .socialInsuranceLaw)
        #expect(policy.absence == .civilServiceLaw)
        #expect(policy.inactiveDays == [.awol: 30, .leaving: 90, .unpaidLeave: 1095])
        #expect(policy.due(.contributionsStopped) == 20)
        #expect(policy.due(.exitStillInsured) == 15)
    }

    @Test func aLaterVersionTakesOverFromItsDateAndARuleLeftOutIsOff() throws {
        let later =
            base + """
                ---
                kind: reconciliation
                version: 1
                effective_from: 2027-01-01
                rules:
                  absent-without-leave: { due_days: 10 }
                limits:
                  exit_grace_days: 20
                  absence_consecutive_days: 15
                  absence_days_per_year: 30
                  inactive_days: {}

                """
        let dated = try ReconciliationPolicyFile.load(yaml: later)
        let before = dated.at(CivilDate(year: 2026, month: 12, day: 31)!)
        let after = dated.at(CivilDate(year: 2027, month: 1, day: 1)!)
        #expect(before.enabled == [.contributionsStopped])
        #expect(after.enabled == [.absentWithoutLeave])
        #expect(after.insurance.exitGraceDays == 20)
        #expect(after.inactiveDays.isEmpty)
    }

    @Test func aBrokenFileIsRefusedWithTheFileAndTheReason() {
        #expect(
            refusal(base.replacingOccurrences(of: "contributions-stopped", with: "contribution-stop")).contains(
                "'contribution-stop' is not a reconciliation rule"
            )
        )
        #expect(
            refusal(base.replacingOccurrences(of: "due_days: 20", with: "due_days: 0")).contains(
                "due_days must be at least 1"
            )
        )
        #expect(
            refusal(base.replacingOccurrences(of: "awol: 30", with: "active: 30")).contains(
                "not a status that keeps a slot without work"
            )
        )
        #expect(refusal(base.replacingOccurrences(of: "awol: 30", with: "holiday: 30")).contains("unknown status"))
        #expect(
            refusal(base.replacingOccurrences(of: "exit_grace_days: 15", with: "exit_grace_days: -1")).contains(
                "cannot be negative"
            )
        )
        #expect(refusal(base.replacingOccurrences(of: "due_days: 20", with: "due: 20")).contains("unknown key 'due'"))
        #expect(refusal(base + "threshold: 3\n").contains("unknown key 'threshold'"))
        #expect(refusal(base.replacingOccurrences(of: "kind: reconciliation", with: "kind: documents")) != "")
    }
}
