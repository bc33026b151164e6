import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
import Testing

@testable import DossierStore

@Suite struct OnDiskStoreTests {
    /// The bytes of the database file and of its write-ahead log, when present.
    private func fileBytes(_ path: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for file in [path, path + "-wal"] {
            if let data = FileManager.default.contents(atPath: file) { bytes += data }
        }
        return bytes
    }

    private func walSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
    }

    @Test func reopeningWithTheSameKeysFindsTheData() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/dossier.sqlite"
            let keys = FieldKeys.generate()
            do {
                let store = try DossierStore.open(path: path, keys: keys, create: true)
                try store.seedUser(User(name: admin, role: .admin, displayName: "Admin"))
                let org = try addOrganization(store, 1, approved: 2)
                _ = try store.seedHire(newPerson(1, org: org, on: "2024-02-01"), by: admin)
            }
            let store = try DossierStore.open(path: path, keys: keys, create: false)
            #expect(try store.personCount() == 1)
            #expect(try store.findPerson(idNumber: residentID(1), on: day("2024-02-01"))?.name == "Person 1")
            #expect(try store.verifyAudit().isIntact)
            #expect(try store.storageProblems().isEmpty)
        }
    }

    @Test func reopeningWithAnotherKeyFileIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/dossier.sqlite"
            do {
                let store = try DossierStore.open(path: path, keys: FieldKeys.generate(), create: true)
                try store.seedUser(User(name: admin, role: .admin, displayName: "Admin"))
            }
            #expect(throws: StoreError(.wrongKey)) {
                try DossierStore.open(path: path, keys: FieldKeys.generate(), create: false)
            }
            #expect(throws: StoreError(.wrongKey)) {
                try DossierStore.open(path: path, keys: FieldKeys.generate(), create: true)
            }
        }
    }

    @Test func openingAMissingDatabaseWithoutCreateReportsNotInitialised() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/absent.sqlite"
            #expect(throws: StoreError(.notInitialised(path))) {
                try DossierStore.open(path: path, keys: FieldKeys.generate(), create: false)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func databaseFileHoldsNoIdentityOrPhoneNumberInClear() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/dossier.sqlite"
            let numbers = (1...5).map { residentID($0 * 101).value }
            let phones = (1...5).map { "1390000\(1000 + $0)" }
            func check(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) async {
                for number in numbers {
                    #expect(bytes.offsets(of: Array(number.utf8)).isEmpty, sourceLocation: sourceLocation)
                    #expect(bytes.offsets(of: Array(number.utf8.prefix(17))).isEmpty, sourceLocation: sourceLocation)
                }
                for phone in phones {
                    #expect(bytes.offsets(of: Array(phone.utf8)).isEmpty, sourceLocation: sourceLocation)
                }
            }
            do {
                let store = try DossierStore.open(path: path, keys: FieldKeys.generate(), create: true)
                try store.seedUser(User(name: admin, role: .admin, displayName: "Admin"))
                let org = try addOrganization(store, 1, approved: 10)
                for (index, number) in (1...5).enumerated() {
                    _ = try store.seedHire(
                        newPerson(number * 101, org: org, on: "2024-02-01", phone: phones[index]),
                        by: admin
                    )
                }
                let bytes = fileBytes(path)
                // The names, stored in clear, are found: the search itself works.
                #expect(!bytes.offsets(of: Array("Person 505".utf8)).isEmpty)
                await check(bytes)
            }
            let bytes = fileBytes(path)
            #expect(!bytes.offsets(of: Array("Person 505".utf8)).isEmpty)
            await check(bytes)
        }
    }

    @Test func editingAnAuditEntryInTheFileIsDetected() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/dossier.sqlite"
            let keys = FieldKeys.generate()
            let name = "TamperTestBureauXYZ"
            var tamperedSeq: Int64 = 0
            do {
                let store = try DossierStore.open(path: path, keys: keys, create: true)
                try store.seedUser(User(name: admin, role: .admin, displayName: "Admin"))
                try addOrganization(store, 1)
                try addOrganization(store, 2, name: name)
                tamperedSeq = try #require(try store.auditHead()).seq
                try addOrganization(store, 3)
                #expect(try store.verifyAudit().isIntact)
            }
            // Closing the last connection checkpoints the log into the main file; make sure.
            if walSize(path) > 0 {
                _ = try DossierStore.open(path: path, keys: keys, create: false)
            }
            #expect(walSize(path) == 0)
            var bytes = try #require(FileManager.default.contents(atPath: path).map { [UInt8]($0) })
            let offsets = bytes.offsets(of: Array(name.utf8))
            // Once in the organisation row, once in the audit entry's details.
            #expect(offsets.count >= 2)
            for offset in offsets {
                // "B" of "Bureau" becomes "b": one ASCII letter, same length.
                bytes[offset + 10] ^= 0x20
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let store = try DossierStore.open(path: path, keys: keys, create: false)
            #expect(try store.organization(orgCode(2))?.name == "TamperTestbureauXYZ")
            let verification = try store.verifyAudit()
            #expect(!verification.isIntact)
            #expect(verification.firstBroken == tamperedSeq)
            #expect(verification.checked == tamperedSeq - 1)
            #expect(verification.headSeq == tamperedSeq - 1)
            #expect(verification.problem != nil)
        }
    }
}
