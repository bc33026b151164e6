import Foundation
import Testing

@testable import DossierCrypto

#if canImport(Glibc)
import Glibc
#endif

@Suite struct FieldKeysTests {
    /// A fresh private directory, removed after `body`.
    private func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: url) }
        try body(url.path)
    }

    private func mode(_ path: String) throws -> mode_t {
        var info = stat()
        try #require(stat(path, &info) == 0)
        return info.st_mode & 0o777
    }

    private func keyFileError(_ body: () throws -> FieldKeys) -> CryptoError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? CryptoError
        }
    }

    @Test func generatedKeysAreThirtyTwoRandomBytesEach() {
        let first = FieldKeys.generate()
        let second = FieldKeys.generate()
        #expect(first.encryptionKey.count == 32 && first.indexKey.count == 32)
        #expect(first.encryptionKey != first.indexKey)
        #expect(first.encryptionKey != second.encryptionKey)
        #expect(first.indexKey != second.indexKey)
    }

    @Test func fileContentsRoundTrip() throws {
        let keys = FieldKeys.generate()
        let text = keys.fileContents
        #expect(text.hasPrefix("dossier-field-keys v1\nencryption "))
        let read = try FieldKeys(fileContents: text)
        #expect(read.encryptionKey == keys.encryptionKey)
        #expect(read.indexKey == keys.indexKey)
        #expect(read.fileContents == text)
    }

    @Test func keyFileRoundTripsThroughDiskWithMode0600() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/field.keys"
            let keys = FieldKeys.generate()
            try keys.write(toPath: path)
            #expect(try mode(path) == 0o600)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == keys.fileContents)
            let read = try FieldKeys.read(fromPath: path)
            #expect(read.encryptionKey == keys.encryptionKey)
            #expect(read.indexKey == keys.indexKey)
            // The keys read back open what the original keys sealed.
            let sealed = try FieldCipher(keys: keys).seal(Array("13800138000".utf8), context: "person.phone")
            #expect(try FieldCipher(keys: read).open(sealed, context: "person.phone") == Array("13800138000".utf8))
        }
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o700] as [mode_t])
    func keyFileOthersCanReadIsRefused(_ permissions: mode_t) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/field.keys"
            try FieldKeys.generate().write(toPath: path)
            try #require(chmod(path, permissions) == 0)
            let error = keyFileError { try FieldKeys.read(fromPath: path) }
            if permissions & 0o077 == 0 {
                #expect(error == nil, "mode \(String(permissions, radix: 8)) is owner-only")
            } else {
                #expect(error != nil, "mode \(String(permissions, radix: 8)) should be refused")
                #expect(error?.description.contains("chmod 600") == true)
            }
        }
    }

    @Test func existingKeyFileIsNotOverwritten() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/field.keys"
            let original = FieldKeys.generate()
            try original.write(toPath: path)
            let error = keyFileError {
                let replacement = FieldKeys.generate()
                try replacement.write(toPath: path)
                return replacement
            }
            #expect(error != nil)
            #expect(error?.description.contains("already exists") == true)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == original.fileContents)
            #expect(try FieldKeys.read(fromPath: path).encryptionKey == original.encryptionKey)
        }
    }

    @Test func missingKeyFileIsRefused() throws {
        try withTemporaryDirectory { directory in
            #expect(keyFileError { try FieldKeys.read(fromPath: directory + "/absent.keys") } != nil)
        }
    }

    @Test func emptyKeyFileIsRefused() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/field.keys"
            try #require(
                FileManager.default.createFile(atPath: path, contents: Data(), attributes: [.posixPermissions: 0o600])
            )
            #expect(keyFileError { try FieldKeys.read(fromPath: path) } != nil)
        }
    }

    @Test func malformedKeyFileTextIsRefused() {
        let good = FieldKeys.generate().fileContents
        let lines = good.split(separator: "\n").map(String.init)
        let hex32 = String(repeating: "ab", count: 32)
        let malformed = [
            "",
            "dossier-field-keys v2\nencryption \(hex32)\nindex \(hex32)\n",
            "encryption \(hex32)\nindex \(hex32)\n",
            "\(lines[0])\n\(lines[1])\n",
            "\(lines[0])\n\(lines[2])\n",
            "\(lines[0])\nencryption \(String(repeating: "ab", count: 31))\nindex \(hex32)\n",
            "\(lines[0])\nencryption \(hex32)ab\nindex \(hex32)\n",
            "\(lines[0])\nencryption \(String(repeating: "zz", count: 32))\nindex \(hex32)\n",
            "\(lines[0])\nencryption \(hex32)\nindex \(hex32)\nsigning \(hex32)\n",
            "\(lines[0])\nencryption \(hex32) extra\nindex \(hex32)\n",
            "\(lines[0])\nencryption\nindex \(hex32)\n",
        ]
        for text in malformed {
            #expect(keyFileError { try FieldKeys(fileContents: text) } != nil, "accepted: \(text.debugDescription)")
        }
    }
}
