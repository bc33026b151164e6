import DossierCrypto
import DossierTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One object of `keys list --format json`.
private struct SigningKeyRow: Decodable {
    var keyID: String
    var algorithm: String
    var active: Bool
    var certificate: String?
    var certificateExpires: String?
    var revokedAt: String?

    private enum CodingKeys: String, CodingKey {
        case keyID = "key_id"
        case algorithm, active, certificate
        case certificateExpires = "certificate_expires"
        case revokedAt = "revoked_at"
    }
}

/// One object of `keys list --trusted --format json`.
private struct TrustedRow: Decodable {
    var keyID: String
    var agency: String
    var subject: String?
    var revokedAt: String?

    private enum CodingKeys: String, CodingKey {
        case keyID = "key_id"
        case agency, subject
        case revokedAt = "revoked_at"
    }
}

/// An agency's key certified by a certificate authority (the real `openssl` CLI): `keys request`,
/// the authority signs, `keys certificate` installs the chain, and packages then carry it, so an
/// inspector or a receiving node that trusts only the authority's root accepts them.
@Suite struct CertificateChainTests {
    static let algorithms = ["sm2", "ed25519", "ecdsa-p256"]
    /// The agency's name as the certificate shows it.
    private let organization = "东海省人力资源和社会保障厅"
    /// The subject `keys request` asks for with the default name and country (RFC 2253 order).
    private var subject: String { "CN=Dossier,O=\(organization),C=CN" }
    private let chainFile = "signature/certificate-chain.pem"

    /// A demo node with a signing key of `algorithm`, and the person it packs.
    private func node(
        _ scratch: URL,
        algorithm: String,
        name: String = "data",
        seed: Int = 43
    ) async throws -> (node: DossierNode, person: Int64) {
        let node = DossierNode(scratch: scratch, name: name)
        try await node.succeed(["demo", "--people", "50", "--seed", String(seed)])
        try await node.succeed(["keys", "generate", "--alg", algorithm])
        let person = try #require(try await node.people().first?.id)
        return (node, person)
    }

    /// The test authority (the real openssl) for keys of `algorithm` as `keys generate` names it.
    private func authority(_ algorithm: String) throws -> TestCertificateAuthority {
        guard let algorithm = SignatureAlgorithm(rawValue: algorithm) else {
            throw CommandError("no algorithm \(algorithm)")
        }
        return try TestCertificateAuthority(algorithm)
    }

    /// A self-signed root of `authority`, `NAME.pem`, as the file an inspector would be given.
    private func rootFile(_ authority: TestCertificateAuthority, _ name: String = "root") throws -> URL {
        try authority.makeRoot(name)
        return authority.file(name)
    }

    /// `keys request` for the active key, written to `NAME.csr`.
    private func request(_ node: DossierNode, to name: String = "node") async throws -> URL {
        let result = try await node.succeed(["keys", "request", "--organization", organization])
        #expect(result.stdout.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----\n"), "\(result)")
        let url = node.scratch.appendingPathComponent("\(name).csr")
        try result.stdoutData.write(to: url)
        return url
    }

    /// The whole round: request, `authority` issues, the node installs the chain (the node's
    /// certificate, then `intermediates`). Returns the node's certificate.
    @discardableResult
    private func certify(
        _ node: DossierNode,
        by authority: TestCertificateAuthority,
        issuer: String = "root",
        intermediates: [String] = []
    ) async throws -> URL {
        let csr = try await request(node)
        try authority.issue(String(contentsOf: csr, encoding: .utf8), as: "node", by: issuer)
        let leaf = authority.file("node")
        let chain = node.scratch.appendingPathComponent("node-chain.pem")
        try ([leaf] + intermediates.map(authority.file)).map { try Data(contentsOf: $0) }.reduce(Data(), +)
            .write(to: chain)
        let installed = try await node.succeed(["keys", "certificate", chain.path])
        #expect(installed.stdout.hasPrefix("Installed the certificate \(subject) for key "), "\(installed)")
        return leaf
    }

    /// `archive pack` into the scratch folder.
    private func pack(_ node: DossierNode, _ person: Int64, to name: String) async throws -> URL {
        let out = node.scratch.appendingPathComponent(name)
        try await node.succeed(["archive", "pack", String(person), "--out", out.path])
        return out
    }

    /// `archive verify` as an inspector with no node: only `trust` vouches for the signer.
    private func inspectorVerify(_ package: URL, trust: [URL], scratch: URL) async throws -> CommandResult {
        let inspector = DossierNode(scratch: scratch, name: "no-node")
        let result = try await inspector.run(
            ["archive", "verify", package.path] + trust.flatMap { ["--trust", $0.path] }
        )
        #expect(!FileManager.default.fileExists(atPath: inspector.directory.path))
        return result
    }

    /// The paths `archive list` shows for a package.
    private func listedPaths(_ package: URL, scratch: URL) async throws -> [String] {
        let listed = try await dossier(["archive", "list", package.path], scratch: scratch)
        try #require(listed.status == 0, "\(listed)")
        return listed.stdout.split(separator: "\n").compactMap { $0.split(separator: "\t").last.map(String.init) }
    }

    /// `keys list --format json`, decoded.
    private func signingKeys(_ node: DossierNode) async throws -> [SigningKeyRow] {
        let result = try await node.succeed(["keys", "list", "--format", "json"])
        return try JSONDecoder().decode([SigningKeyRow].self, from: result.stdoutData)
    }

    /// Every file in the node's keys folder with its bytes.
    private func keyFiles(_ node: DossierNode) throws -> [String: Data] {
        let folder = node.directory.appendingPathComponent("keys")
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }

    /// Runs `bash Archives/inspect.sh PACKAGE TRUSTED WORK` as an inspector would.
    private func inspect(_ package: URL, _ trusted: URL, work: String, scratch: URL) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        environment["BAGIT"] = try await Bagit.path.value
        return try await runCommand(
            URL(fileURLWithPath: "/bin/bash"),
            [inspectScript.path, package.path, trusted.path, scratch.appendingPathComponent(work).path],
            environment: environment,
            scratch: scratch
        )
    }

    /// The last step the script started ("== N." lines).
    private func lastStep(_ result: CommandResult) -> Int? {
        result.stdout.split(separator: "\n").filter { $0.hasPrefix("== ") }.last
            .flatMap { Int($0.dropFirst(3).prefix { $0.isNumber }) }
    }

    /// How many of the four aspects the report says hold.
    private func holds(_ result: CommandResult) -> Int {
        result.stdout.split(separator: "\n").filter { $0.hasSuffix(": holds") }.count
    }

    // MARK: 1. The round trip, by algorithm

    @Test(arguments: algorithms)
    func aPackageSignedWithACertifiedKeyVerifiesAgainstTheRootOnly(_ algorithm: String) async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, algorithm: algorithm)
            let ca = try authority(algorithm)
            let root = try rootFile(ca)
            // Another authority with the very same name: only its key differs.
            let other = try rootFile(ca, "other-root")
            try await certify(node, by: ca)
            let package = try await pack(node, person, to: "p.tar")
            #expect(try await listedPaths(package, scratch: scratch).contains(chainFile))

            let trusted = try await inspectorVerify(package, trust: [root], scratch: scratch)
            #expect(trusted.status == 0, "\(trusted)")
            #expect(trusted.stdout.contains("\nSigned by: \(subject) (certificate)\n"), "\(trusted)")
            #expect(holds(trusted) == 4, "\(trusted)")

            let otherRoot = try await inspectorVerify(package, trust: [other], scratch: scratch)
            #expect(otherRoot.status == 1, "\(otherRoot)")
            #expect(otherRoot.stdout.contains("真实性 authenticity: FAILS"), "\(otherRoot)")
            #expect(otherRoot.stdout.contains("does not lead to a root you trust"), "\(otherRoot)")
            // Usability and security: the payload of a package not known to be authentic is not read.
            #expect(holds(otherRoot) == 2, "\(otherRoot)")

            let nothing = try await inspectorVerify(package, trust: [], scratch: scratch)
            #expect(nothing.status == 1, "\(nothing)")
            #expect(nothing.stdout.contains("not one you trust"), "\(nothing)")

            // The node shows whom its certificate names and until when, as openssl reads it.
            let expires = try ca.expiryDay("node")
            let keys = try await signingKeys(node)
            let active = try #require(keys.first { $0.active }, "\(keys)")
            #expect(active.algorithm == algorithm)
            #expect(active.certificate == subject)
            #expect(active.certificateExpires == expires)
            let table = try await node.succeed(["keys", "list"])
            let row = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix(active.keyID) }, "\(table)")
            #expect(row.contains(subject) && row.hasSuffix(expires), "\(table)")
        }
    }

    // MARK: 2. Intermediates, and the inspector's script

    @Test func anSM2ChainThroughAnIntermediateVerifiesWithDossierAndTheInspectorsScript() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, algorithm: "sm2")
            let ca = try authority("sm2")
            let root = try rootFile(ca)
            try ca.makeIntermediate("intermediate", by: "root")
            let other = try rootFile(ca, "other-root")
            try await certify(node, by: ca, issuer: "intermediate", intermediates: ["intermediate"])
            let package = try await pack(node, person, to: "p.tar")

            let verified = try await inspectorVerify(package, trust: [root], scratch: scratch)
            #expect(verified.status == 0, "\(verified)")
            #expect(verified.stdout.contains("\nSigned by: \(subject) (certificate)\n"), "\(verified)")
            let otherRoot = try await inspectorVerify(package, trust: [other], scratch: scratch)
            #expect(otherRoot.status == 1, "\(otherRoot)")
            #expect(otherRoot.stdout.contains("does not lead to a root you trust"), "\(otherRoot)")

            let script = try await inspect(package, root, work: "w", scratch: scratch)
            #expect(script.status == 0, "\(script)")
            #expect(script.stdout.hasSuffix("PACKAGE VERIFIED\n"), "\(script)")
            #expect(lastStep(script) == 7, "\(script)")
            // Both links were checked: the node's certificate by the intermediate, the
            // intermediate by the root.
            #expect(script.stdout.contains("/chain/cert-0.pem: OK\n"), "\(script)")
            #expect(script.stdout.contains("/chain/cert-1.pem: OK\n"), "\(script)")

            let refused = try await inspect(package, other, work: "w-other", scratch: scratch)
            #expect(refused.status != 0, "\(refused)")
            #expect(lastStep(refused) == 5, "\(refused)")
            #expect(!refused.stdout.contains("PACKAGE VERIFIED"), "\(refused)")
        }
    }

    @Test(arguments: algorithms)
    func theInspectorsScriptVerifiesAChainIssuedDirectlyByTheRoot(_ algorithm: String) async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, algorithm: algorithm)
            let ca = try authority(algorithm)
            let root = try rootFile(ca)
            let other = try rootFile(ca, "other-root")
            try await certify(node, by: ca)
            let package = try await pack(node, person, to: "p.tar")

            let script = try await inspect(package, root, work: "w", scratch: scratch)
            #expect(script.status == 0, "\(script)")
            #expect(script.stdout.hasSuffix("PACKAGE VERIFIED\n"), "\(script)")
            #expect(lastStep(script) == 7, "\(script)")
            #expect(script.stdout.contains("\n== 5. "), "\(script)")
            #expect(script.stdout.contains("/chain/cert-0.pem: OK\n"), "\(script)")

            let refused = try await inspect(package, other, work: "w-other", scratch: scratch)
            #expect(refused.status != 0, "\(refused)")
            #expect(lastStep(refused) == 5, "\(refused)")
        }
    }

    // MARK: 3. A receiving node's trust store

    @Test func aReceivingNodeTrustingTheRootAcceptsThePackageUntilTheRootIsRevoked() async throws {
        try await withScratchDirectory { scratch in
            let (sender, person) = try await node(scratch, algorithm: "sm2", name: "sender")
            let ca = try authority("sm2")
            let root = try rootFile(ca)
            try await certify(sender, by: ca)
            let package = try await pack(sender, person, to: "p.tar")

            let receiver = DossierNode(scratch: scratch, name: "receiver")
            try await receiver.succeed(["demo", "--people", "20", "--seed", "44"])
            let before = try await receiver.run(["archive", "verify", package.path])
            #expect(before.status == 1, "\(before)")
            #expect(before.stdout.contains("not one you trust"), "\(before)")

            let trusted = try await receiver.succeed([
                "keys", "trust", root.path, "--agency", Fixture.creditCode(1),
            ])
            #expect(trusted.stdout.hasPrefix("Trusted root certificate CN=Inspector Root, key "), "\(trusted)")
            let accepted = try await receiver.run(["archive", "verify", package.path])
            #expect(accepted.status == 0, "\(accepted)")
            #expect(accepted.stdout.contains("\nSigned by: \(subject) (certificate)\n"), "\(accepted)")
            #expect(holds(accepted) == 4, "\(accepted)")

            let listed = try await receiver.succeed(["keys", "list", "--trusted", "--format", "json"])
            let entries = try JSONDecoder().decode([TrustedRow].self, from: listed.stdoutData)
            let entry = try #require(entries.first { $0.subject == "CN=Inspector Root" }, "\(listed)")
            #expect(entry.agency == Fixture.creditCode(1))
            #expect(entry.revokedAt == nil)

            // Named by the file it was trusted from: the key id is worked out from the certificate.
            let revocation = try await receiver.succeed([
                "keys", "revoke", root.path, "--reason", "The authority's key leaked.",
            ])
            #expect(revocation.stdout == "Revoked key \(entry.keyID).\n", "\(revocation)")
            let revoked = try await receiver.run(["archive", "verify", package.path])
            #expect(revoked.status == 1, "\(revoked)")
            #expect(revoked.stdout.contains("真实性 authenticity: FAILS"), "\(revoked)")
            #expect(revoked.stdout.contains("not one you trust"), "\(revoked)")
            // A root brought along with --trust does not undo the node's revocation of it (the
            // command line verifies through the node's own use case, revocations included).
            let broughtBack = try await receiver.run([
                "archive", "verify", package.path, "--trust", root.path,
            ])
            #expect(broughtBack.status == 1, "\(broughtBack)")
            #expect(broughtBack.stdout.contains("真实性 authenticity: FAILS"), "\(broughtBack)")
            let after = try await receiver.succeed(["keys", "list", "--trusted", "--format", "json"])
            let revokedEntry = try JSONDecoder().decode([TrustedRow].self, from: after.stdoutData)
                .first { $0.keyID == entry.keyID }
            #expect(revokedEntry?.revokedAt != nil, "\(after)")
        }
    }

    // MARK: 4-5. Refusals that change nothing

    /// A file `keys certificate` must refuse.
    enum WrongCertificateFile: String, CaseIterable, CustomTestStringConvertible {
        case issuedForAnotherKey
        case intermediateFirst
        case notACertificate
        case theNodesOwnPrivateKey

        var testDescription: String { rawValue }
    }

    @Test(arguments: WrongCertificateFile.allCases)
    func installingACertificateNotForThisNodesKeyIsRefusedAndChangesNothing(
        _ wrong: WrongCertificateFile
    ) async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, algorithm: "sm2")
            let ca = try authority("sm2")
            _ = try rootFile(ca)
            let file: URL
            let phrase: String
            switch wrong {
            case .issuedForAnotherKey:
                // The same names as the node would ask for, but openssl's own key.
                let foreign = try ca.makeRequest("foreign", subject: "/C=CN/O=\(organization)/CN=Dossier")
                try ca.issue(foreign, as: "foreign", by: "root")
                file = ca.file("foreign")
                phrase = "is not for this node's key"
            case .intermediateFirst:
                try ca.makeIntermediate("intermediate", by: "root")
                let csr = try await request(node)
                try ca.issue(String(contentsOf: csr, encoding: .utf8), as: "node", by: "intermediate")
                file = scratch.appendingPathComponent("reversed.pem")
                try (Data(contentsOf: ca.file("intermediate")) + Data(contentsOf: ca.file("node"))).write(to: file)
                phrase = "is not for this node's key"
            case .notACertificate:
                file = scratch.appendingPathComponent("notes.txt")
                try Data("Please find our certificate attached.\n".utf8).write(to: file)
                phrase = "certificate"
            case .theNodesOwnPrivateKey:
                file = node.directory.appendingPathComponent("keys/signing.pem")
                phrase = "certificate"
            }
            let before = try keyFiles(node)
            let result = try await node.run(["keys", "certificate", file.path])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stderr.hasPrefix("dossier: "), "\(result)")
            #expect(result.stderr.contains(phrase), "\(result)")
            #expect(try keyFiles(node) == before)

            let keys = try await signingKeys(node)
            #expect(keys.allSatisfy { $0.certificate == nil && $0.certificateExpires == nil }, "\(keys)")
            let package = try await pack(node, person, to: "p.tar")
            let paths = try await listedPaths(package, scratch: scratch)
            #expect(paths.contains("signature/signature.bin"), "\(paths)")
            #expect(!paths.contains(chainFile), "\(paths)")
        }
    }

    /// A file `keys trust` must refuse although it holds certificates.
    enum NotARoot: String, CaseIterable, CustomTestStringConvertible {
        case leafCertificate
        case leafWithItsRoot

        var testDescription: String { rawValue }
    }

    @Test(arguments: NotARoot.allCases)
    func trustingACertificateThatIsNotARootIsRefusedAndTheTrustStoreIsUnchanged(_ kind: NotARoot) async throws {
        try await withScratchDirectory { scratch in
            let receiver = DossierNode(scratch: scratch, name: "receiver")
            try await receiver.succeed(["demo", "--people", "20", "--seed", "44"])
            let ca = try authority("sm2")
            let root = try rootFile(ca)
            let other = try rootFile(ca, "other-root")
            // Something already in the store, so that "unchanged" is not just "still empty".
            try await receiver.succeed(["keys", "trust", other.path, "--agency", Fixture.creditCode(2)])
            let foreign = try ca.makeRequest("agency", subject: "/C=CN/O=\(organization)/CN=Dossier")
            try ca.issue(foreign, as: "agency", by: "root")
            let leaf = ca.file("agency")
            let file: URL
            let phrase: String
            switch kind {
            case .leafCertificate:
                file = leaf
                phrase = "is not a root certificate"
            case .leafWithItsRoot:
                file = scratch.appendingPathComponent("agency-chain.pem")
                try (Data(contentsOf: leaf) + Data(contentsOf: root)).write(to: file)
                phrase = "several certificates"
            }

            let before = try await receiver.succeed(["keys", "list", "--trusted", "--format", "json"])
            let result = try await receiver.run(["keys", "trust", file.path, "--agency", Fixture.creditCode(1)])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stderr.hasPrefix("dossier: "), "\(result)")
            #expect(result.stderr.contains(phrase), "\(result)")
            let after = try await receiver.succeed(["keys", "list", "--trusted", "--format", "json"])
            #expect(after.stdoutData == before.stdoutData, "\(before)\n\(after)")
            #expect(try JSONDecoder().decode([TrustedRow].self, from: after.stdoutData).count == 1)
        }
    }

    // MARK: 6-7. The certificate belongs to its key, and packing stays reproducible

    @Test func aNewKeyDoesNotUseTheOldKeysCertificate() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, algorithm: "sm2")
            let ca = try authority("sm2")
            let root = try rootFile(ca)
            let leaf = try await certify(node, by: ca)
            let old = try await pack(node, person, to: "old.tar")
            #expect(try await listedPaths(old, scratch: scratch).contains(chainFile))

            try await node.succeed(["keys", "generate", "--alg", "sm2", "--replace"])
            let keys = try await signingKeys(node)
            #expect(keys.count == 2, "\(keys)")
            #expect(keys.allSatisfy { $0.certificate == nil }, "\(keys)")

            let new = try await pack(node, person, to: "new.tar")
            let paths = try await listedPaths(new, scratch: scratch)
            #expect(paths.contains("signature/signature.bin"), "\(paths)")
            #expect(!paths.contains(chainFile), "\(paths)")
            // The root no longer vouches for the new package; it still does for the old one.
            let newVerified = try await inspectorVerify(new, trust: [root], scratch: scratch)
            #expect(newVerified.status == 1, "\(newVerified)")
            #expect(newVerified.stdout.contains("not one you trust"), "\(newVerified)")
            let oldVerified = try await inspectorVerify(old, trust: [root], scratch: scratch)
            #expect(oldVerified.status == 0, "\(oldVerified)")

            // Nor can the old certificate be installed for the new key.
            let reinstalled = try await node.run(["keys", "certificate", leaf.path])
            #expect(reinstalled.status == 1, "\(reinstalled)")
            #expect(reinstalled.stderr.contains("is not for this node's key"), "\(reinstalled)")
        }
    }

    @Test func anEarlierKeyOfTheNodeIsRevokedByKeysRevokeAndListedAsRevoked() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, algorithm: "ed25519")
            let old = try #require(try await signingKeys(node).first?.keyID)
            let package = try await pack(node, person, to: "old.tar")

            let active = try await node.run(["keys", "revoke", old, "--reason", "The key leaked."])
            #expect(active.status == 1, "\(active)")
            #expect(active.stderr.contains("is the key this node signs with"), "\(active)")
            #expect(active.stderr.contains("'dossier keys generate --replace' first"), "\(active)")

            try await node.succeed(["keys", "generate", "--alg", "sm2", "--replace"])
            try await node.succeed(["archive", "verify", package.path])
            try await node.succeed(["keys", "revoke", old, "--reason", "The key leaked."])

            let keys = try await signingKeys(node)
            #expect(keys.first { $0.keyID == old }?.revokedAt != nil, "\(keys)")
            #expect(keys.first { $0.active }?.revokedAt == nil, "\(keys)")
            let table = try await node.succeed(["keys", "list"])
            #expect(
                table.stdout.split(separator: "\n").contains { $0.contains(old) && $0.contains("revoked") },
                "\(table)"
            )
            let refused = try await node.run(["archive", "verify", package.path])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stdout.contains("a key revoked on this node (\(old))"), "\(refused)")
        }
    }

    @Test(arguments: algorithms)
    func packingTwiceWithACertificateGivesTheSameBytes(_ algorithm: String) async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, algorithm: algorithm)
            let ca = try authority(algorithm)
            _ = try rootFile(ca)
            try await certify(node, by: ca)
            let first = try await pack(node, person, to: "first.tar")
            let second = try await pack(node, person, to: "second.tar")
            #expect(try await listedPaths(first, scratch: scratch).contains(chainFile))
            #expect(try Data(contentsOf: first) == Data(contentsOf: second))
        }
    }
}
