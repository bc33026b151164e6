import DossierCore
import DossierPolicyFiles
import Testing

@testable import DossierPolicy

/// The shipped status machine, read the way Dossier reads it at start.
func shippedMachine() throws -> StatusMachine {
    let text = try #require(PolicyFiles.shippedText(StatusMachinePolicy.fileName))
    return try StatusMachinePolicy.load(yaml: text)
}

@Suite struct StatusMachinePolicyTests {
    @Test func theShippedFileLoadsAndCoversEveryActionButAmendmentsAndChangesOfDetails() throws {
        let machine = try shippedMachine()
        for kind in ActionKind.allCases {
            #expect((machine.rules[kind] != nil) == kind.isDecidedByStatusMachine, "\(kind)")
        }
    }
}
