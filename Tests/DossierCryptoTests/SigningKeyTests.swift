import DossierCrypto
import DossierTestSupport
import Foundation
import Testing

@Suite struct SigningKeyTests {
    private let message = Array("manifest-sha256.txt 的内容\n".utf8)

    @Test(arguments: SignatureAlgorithm.allCases)
    func signaturesVerifyAndAnyChangeIsDetected(_ algorithm: SignatureAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let signature = try key.sign(message)
        #expect(key.verify(signature, over: message))
        var tampered = message
        tampered[0] ^= 1
        #expect(!key.verify(signature, over: tampered))
        var badSignature = signature
        badSignature[badSignature.count / 2] ^= 1
        #expect(!key.verify(badSignature, over: message))
        #expect(!(try SigningKey.generate(algorithm)).verify(signature, over: message))
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func keysRoundTripThroughPEMAndKeepTheirIdentifier(_ algorithm: SignatureAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let privateCopy = try SigningKey.load(pem: try key.privatePEM())
        let publicCopy = try SigningKey.load(pem: try key.publicPEM())
        #expect(privateCopy.algorithm == algorithm)
        #expect(publicCopy.algorithm == algorithm)
        #expect(!publicCopy.isPrivate)
        #expect(try privateCopy.keyID() == key.keyID())
        #expect(try publicCopy.keyID() == key.keyID())
        #expect(try key.keyID().count == 16)
        let signature = try privateCopy.sign(message)
        #expect(publicCopy.verify(signature, over: message))
        #expect(throws: CryptoError.self) { try publicCopy.sign(message) }
    }

    /// The inspector verifies with the openssl command line, so Dossier's signatures must verify
    /// there too — for SM2 with the standard distinguishing ID given explicitly.
    @Test(arguments: SignatureAlgorithm.allCases)
    func theOpenSSLCommandLineVerifiesDossiersSignatures(_ algorithm: SignatureAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let messagePath = directory.appendingPathComponent("message").path
        let signaturePath = directory.appendingPathComponent("signature").path
        let publicPath = directory.appendingPathComponent("public.pem").path
        try Data(message).write(to: URL(fileURLWithPath: messagePath))
        try Data(try key.sign(message)).write(to: URL(fileURLWithPath: signaturePath))
        try Data(try key.publicPEM().utf8).write(to: URL(fileURLWithPath: publicPath))
        var arguments = ["pkeyutl", "-verify", "-pubin", "-inkey", publicPath, "-rawin", "-in", messagePath]
        arguments += ["-sigfile", signaturePath]
        switch algorithm {
        case .sm2: arguments += ["-digest", "sm3", "-pkeyopt", "distid:\(SignatureAlgorithm.sm2DistinguishingID)"]
        case .ecdsaP256: arguments += ["-digest", "sha256"]
        case .ed25519: break
        }
        let result = try ChildProcess.run("/usr/bin/openssl", arguments)
        #expect(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.output)")
    }

    @Test func somethingThatIsNotAKeyIsRefused() {
        #expect(throws: CryptoError.self) {
            try SigningKey.load(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
        }
        #expect(throws: CryptoError.self) { try SigningKey.load(pem: "not a key") }
    }
}
