import DossierArchive
import DossierCrypto
import DossierTestSupport
import Foundation
import Testing

/// A package may carry its signer's X.509 chain (`signature/certificate-chain.pem`); a verifier
/// that holds the root then trusts the key without holding the key itself. The certificates are
/// issued by the real openssl command line from requests Dossier makes.
@Suite struct CertificateChainVerificationTests {
    /// The name an agency puts in its request, and how a certificate prints it.
    private let nodeSubject: [(field: String, value: String)] = [
        ("C", "CN"), ("O", "东海省人力资源和社会保障厅"), ("CN", "Dossier 签名密钥"),
    ]
    private let nodeSubjectText = "CN=Dossier 签名密钥,O=东海省人力资源和社会保障厅,C=CN"
    private let chainFile = "signature/certificate-chain.pem"
    private let chainLine = "Certificate-Chain-File: signature/certificate-chain.pem"

    /// A package packed with a certificate chain, and everything that made it.
    private struct Signed {
        let authority: TestCertificateAuthority
        let root: Certificate
        let key: SigningKey
        let leaf: Certificate
        /// What went into the package: the leaf, then the intermediate when there is one.
        let chain: [Certificate]
        let path: String
        let summary: PackSummary

        /// The public half of the signing key, as a verifier would hold it.
        func publicKey() throws -> SigningKey { try SigningKey.load(pem: key.publicPEM()) }
    }

    /// Makes a root (and an intermediate under it when asked), a node key of `algorithm` and a
    /// leaf for it issued with `leafExtensions`, and packs `content()` with the chain.
    private func packed(
        _ algorithm: SignatureAlgorithm,
        in scratch: Scratch,
        throughIntermediate: Bool = false,
        leafExtensions: [String]? = nil
    ) async throws -> Signed {
        let authority = try TestCertificateAuthority(algorithm)
        let root = try authority.makeRoot("root")
        var issuer = "root"
        var intermediates: [Certificate] = []
        if throughIntermediate {
            intermediates.append(try authority.makeIntermediate("intermediate", by: "root"))
            issuer = "intermediate"
        }
        let key = try SigningKey.generate(algorithm)
        let leaf = try authority.issueLeaf(
            for: key,
            subject: nodeSubject,
            as: "leaf",
            by: issuer,
            extensions: leafExtensions
        )
        let path = scratch.path("p.tar")
        let summary = try await ArchivePackage.pack(
            content(),
            signer: key,
            certificates: [leaf] + intermediates,
            to: path
        )
        return Signed(
            authority: authority,
            root: root,
            key: key,
            leaf: leaf,
            chain: [leaf] + intermediates,
            path: path,
            summary: summary
        )
    }

    private func verify(
        _ path: String,
        keys: [SigningKey] = [],
        roots: [Certificate] = [],
        at time: Int64? = nil
    ) -> VerificationReport {
        PackageVerifier.verify(path: path, trusted: TrustAnchors(keys: keys, roots: roots), at: time)
    }

    /// The problems of one aspect.
    private func problems(_ report: VerificationReport, _ aspect: VerificationReport.Aspect) -> [String] {
        report.problems[aspect] ?? []
    }

    /// Whatever is wrong is authenticity alone: usability and security hold, and integrity says
    /// only that the payload was not read (a package not known to be authentic is refused before
    /// it).
    private func onlyAuthenticityFails(
        _ report: VerificationReport,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(problems(report, .integrity) == [payloadNotRead], "\(report.problems)", sourceLocation: sourceLocation)
        for aspect in [VerificationReport.Aspect.usability, .security] {
            #expect(problems(report, aspect).isEmpty, "\(report.problems)", sourceLocation: sourceLocation)
        }
        #expect(report.files == 0, "no payload file was read", sourceLocation: sourceLocation)
    }

    /// Extracts the package into a fresh `tree-…/dossier-7-test`, lets `change` edit the bag
    /// folder and the list of paths (in tar order), and writes the result with stock `bsdtar`
    /// and Dossier's fixed metadata to `output` (as TamperTests does).
    private func rebuilt(
        _ package: String,
        in scratch: Scratch,
        to output: String,
        change: (_ bag: String, _ paths: inout [String]) throws -> Void
    ) throws {
        let tree = scratch.path("tree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        let bag = tree + "/dossier-7-test"
        try PackageExtractor.extract(path: package, to: bag)
        var paths = try PackageExtractor.list(path: package).map(\.path)
        try change(bag, &paths)
        try stockTar(paths.map { "dossier-7-test/" + $0 }, from: tree, to: output)
    }

    private func writeText(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private func readText(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    // MARK: A chain to a trusted root

    @Test(arguments: SignatureAlgorithm.allCases)
    func aPackageWhoseChainLeadsToATrustedRootVerifiesAndNamesTheSigner(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch)
        #expect(signed.leaf.subject == nodeSubjectText)

        let report = verify(signed.path, roots: [signed.root])
        #expect(report.passed, "\(report.problems)")
        #expect(report.signer == nodeSubjectText)
        #expect(report.keyID == (try signed.key.keyID()))
        #expect(report.files == 2)

        // What is in the package: the leaf as PEM, and its line last in signature.txt.
        let bag = scratch.path("bag")
        try PackageExtractor.extract(path: signed.path, to: bag)
        #expect(try readText(bag + "/" + chainFile) == signed.leaf.pem())
        let description = try readText(bag + "/signature/signature.txt")
        #expect(description.hasSuffix("Public-Key-File: signature/public-key.pem\n\(chainLine)\n"), "\(description)")

        // Without a chain there is neither the file nor the line, and no signer is named.
        let plain = scratch.path("plain.tar")
        _ = try await ArchivePackage.pack(content(), signer: signed.key, to: plain)
        #expect(!(try PackageExtractor.list(path: plain).map(\.path).contains(chainFile)))
        let plainReport = verify(plain, keys: [try signed.publicKey()])
        #expect(plainReport.passed, "\(plainReport.problems)")
        #expect(plainReport.signer == nil)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aRevokedKeyIsNotTrustedEvenWhenATrustedRootCertifiesIt(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch)
        var anchors = TrustAnchors(keys: [try signed.publicKey()], roots: [signed.root])
        #expect(PackageVerifier.verify(path: signed.path, trusted: anchors).passed)
        anchors.revokedKeyIDs = [try signed.key.keyID()]
        let report = PackageVerifier.verify(path: signed.path, trusted: anchors)
        #expect(!report.passed)
        #expect(problems(report, .authenticity).contains { $0.contains("revoked") }, "\(report.problems)")
        onlyAuthenticityFails(report)
        // Another key's revocation changes nothing.
        anchors.revokedKeyIDs = [try SigningKey.generate(algorithm).keyID()]
        #expect(PackageVerifier.verify(path: signed.path, trusted: anchors).passed)
    }

    @Test func aChainThroughARevokedIntermediateIsNotTrusted() async throws {
        let scratch = try Scratch()
        let signed = try await packed(.ecdsaP256, in: scratch, throughIntermediate: true)
        var anchors = TrustAnchors(keys: [], roots: [signed.root])
        #expect(PackageVerifier.verify(path: signed.path, trusted: anchors).passed)
        anchors.revokedKeyIDs = [try signed.chain[1].publicKey().keyID()]
        let report = PackageVerifier.verify(path: signed.path, trusted: anchors)
        #expect(!report.passed)
        #expect(problems(report, .authenticity).contains { $0.contains("revoked") }, "\(report.problems)")
        onlyAuthenticityFails(report)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aPackageWhoseChainRunsThroughAnIntermediateVerifies(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch, throughIntermediate: true)
        try #require(signed.chain.count == 2)

        let report = verify(signed.path, roots: [signed.root])
        #expect(report.passed, "\(report.problems)")
        #expect(report.signer == nodeSubjectText)
        let bag = scratch.path("bag")
        try PackageExtractor.extract(path: signed.path, to: bag)
        #expect(try readText(bag + "/" + chainFile) == signed.leaf.pem() + signed.chain[1].pem())

        // The same leaf without its intermediate does not reach the root.
        let leafOnly = scratch.path("leaf-only.tar")
        _ = try await ArchivePackage.pack(content(), signer: signed.key, certificates: [signed.leaf], to: leafOnly)
        let broken = verify(leafOnly, roots: [signed.root])
        #expect(!broken.passed)
        #expect(
            problems(broken, .authenticity).contains { $0.contains("does not lead to a root you trust") },
            "\(broken.problems)"
        )
        onlyAuthenticityFails(broken)
    }

    // MARK: Roots and keys not held

    @Test(arguments: SignatureAlgorithm.allCases)
    func aChainToARootNotHeldIsNotTrustedButIntegrityHolds(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch)
        let otherRoot = try signed.authority.makeRoot("other", subject: "/CN=Another Inspector Root")
        let keyID = try signed.key.keyID()

        let againstOther = verify(signed.path, roots: [otherRoot])
        #expect(!againstOther.passed)
        let authenticity = problems(againstOther, .authenticity)
        #expect(
            authenticity.count == 1 && authenticity[0].contains("does not lead to a root you trust"),
            "\(authenticity)"
        )
        onlyAuthenticityFails(againstOther)
        #expect(againstOther.keyID == keyID)

        // Holding the right root among others is enough.
        let amongOthers = verify(signed.path, roots: [otherRoot, signed.root])
        #expect(amongOthers.passed, "\(amongOthers.problems)")

        let nothingHeld = verify(signed.path)
        #expect(!nothingHeld.passed)
        let untrusted = problems(nothingHeld, .authenticity)
        #expect(
            untrusted.count == 1 && untrusted[0].contains("not one you trust") && untrusted[0].contains(keyID),
            "\(untrusted)"
        )
        onlyAuthenticityFails(nothingHeld)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aDirectlyTrustedKeyPassesWithoutTheChainsRoot(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch)
        let otherRoot = try signed.authority.makeRoot("other", subject: "/CN=Another Inspector Root")

        let noRoots = verify(signed.path, keys: [try signed.publicKey()])
        #expect(noRoots.passed, "\(noRoots.problems)")
        let wrongRoot = verify(signed.path, keys: [try signed.publicKey()], roots: [otherRoot])
        #expect(wrongRoot.passed, "\(wrongRoot.problems)")
        // Another key of the same algorithm does not stand in for the signer's.
        let otherKey = try SigningKey.load(pem: SigningKey.generate(algorithm).publicPEM())
        let wrongKey = verify(signed.path, keys: [otherKey])
        #expect(!wrongKey.passed)
        #expect(problems(wrongKey, .authenticity).contains { $0.contains("not one you trust") }, "\(wrongKey.problems)")
    }

    /// `report.signer` is printed as "Signed by: … (certificate)": it must not name whoever a
    /// certificate no trusted root vouches for claims to be, even when the key itself is
    /// trusted directly and the package passes.
    @Test(arguments: SignatureAlgorithm.allCases)
    func noSignerIsNamedFromACertificateNoTrustedRootVouchesFor(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let rogue = try TestCertificateAuthority(algorithm)
        _ = try rogue.makeRoot("rogue", subject: "/CN=Self-Made Root")
        let key = try SigningKey.generate(algorithm)
        let claimed = try rogue.issueLeaf(
            for: key,
            subject: [("C", "CN"), ("O", "东海省财政厅"), ("CN", "Dossier 签名密钥")],
            as: "claimed",
            by: "rogue"
        )
        let path = scratch.path("p.tar")
        _ = try await ArchivePackage.pack(content(), signer: key, certificates: [claimed], to: path)

        let report = verify(path, keys: [try SigningKey.load(pem: key.publicPEM())])
        #expect(report.passed, "\(report.problems)")
        #expect(report.signer == nil, "named \(report.signer ?? "") from a certificate nothing vouches for")
    }

    // MARK: Validity and key usage

    @Test(arguments: SignatureAlgorithm.allCases)
    func aLeafCheckedAfterItExpiredIsNotTrusted(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch)
        let validity = try #require(signed.leaf.validity)

        let expired = verify(signed.path, roots: [signed.root], at: validity.notAfter + 86_400)
        #expect(!expired.passed)
        let authenticity = problems(expired, .authenticity)
        #expect(
            authenticity.count == 1 && authenticity[0].contains("does not lead to a root you trust")
                && authenticity[0].contains("expired"),
            "\(authenticity)"
        )
        onlyAuthenticityFails(expired)

        let early = verify(signed.path, roots: [signed.root], at: validity.notBefore - 86_400)
        #expect(
            problems(early, .authenticity).contains { $0.contains("not yet valid") },
            "\(early.problems)"
        )

        let now = verify(signed.path, roots: [signed.root])
        #expect(now.passed, "\(now.problems)")
        let lastDay = verify(signed.path, roots: [signed.root], at: validity.notAfter - 86_400)
        #expect(lastDay.passed, "\(lastDay.problems)")
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aLeafWhoseKeyUsageLeavesOutDigitalSignaturesIsNotTrusted(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch, leafExtensions: ["keyUsage=critical,keyEncipherment"])
        #expect(!signed.leaf.allowsSigning)

        let report = verify(signed.path, roots: [signed.root])
        #expect(!report.passed)
        let authenticity = problems(report, .authenticity)
        #expect(
            authenticity.count == 1 && authenticity[0].contains("does not allow digital signatures"),
            "\(authenticity)"
        )
        onlyAuthenticityFails(report)

        // A key usage that includes digital signatures is accepted.
        let signing = try signed.authority.issueLeaf(
            for: signed.key,
            subject: nodeSubject,
            as: "signing",
            by: "root",
            extensions: ["keyUsage=critical,digitalSignature,nonRepudiation"]
        )
        let allowed = scratch.path("allowed.tar")
        _ = try await ArchivePackage.pack(content(), signer: signed.key, certificates: [signing], to: allowed)
        let allowedReport = verify(allowed, roots: [signed.root])
        #expect(allowedReport.passed, "\(allowedReport.problems)")
    }

    // MARK: Packing

    @Test(arguments: SignatureAlgorithm.allCases)
    func packingWithACertificateForAnotherKeyThrowsAndWritesNothing(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let authority = try TestCertificateAuthority(algorithm)
        _ = try authority.makeRoot("root")
        let intermediate = try authority.makeIntermediate("intermediate", by: "root")
        let key = try SigningKey.generate(algorithm)
        let other = try SigningKey.generate(algorithm)
        let othersLeaf = try authority.issueLeaf(for: other, subject: nodeSubject, as: "other", by: "root")
        let ownLeaf = try authority.issueLeaf(for: key, subject: nodeSubject, as: "own", by: "intermediate")

        let target = scratch.path("p.tar")
        await #expect(throws: ArchiveError.self) {
            try await ArchivePackage.pack(content(), signer: key, certificates: [othersLeaf], to: target)
        }
        // The leaf must come first: an intermediate first is a certificate for another key.
        await #expect(throws: ArchiveError.self) {
            try await ArchivePackage.pack(content(), signer: key, certificates: [intermediate, ownLeaf], to: target)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)

        // The control: its own leaf packs to that very path.
        _ = try await ArchivePackage.pack(content(), signer: key, certificates: [ownLeaf, intermediate], to: target)
        #expect(FileManager.default.fileExists(atPath: target))
    }

    // MARK: Tampering with the chain

    @Test func rebuildingAnUnchangedChainPackageWithStockBsdtarGivesTheSameBytes() async throws {
        let scratch = try Scratch()
        let signed = try await packed(.sm2, in: scratch, throughIntermediate: true)
        let copy = scratch.path("rebuilt.tar")
        try rebuilt(signed.path, in: scratch, to: copy) { _, _ in }
        #expect(try bytes(copy) == bytes(signed.path))
        #expect(verify(copy, roots: [signed.root]).passed)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aChainSwappedForAnotherKeysChainIsNamed(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch)
        // A genuine certificate from the same root, for somebody else's key.
        let stranger = try signed.authority.issueLeaf(
            for: try SigningKey.generate(algorithm),
            subject: [("O", "东海省财政厅"), ("CN", "Another node")],
            as: "stranger",
            by: "root"
        )
        let changed = scratch.path("swapped.tar")
        try rebuilt(signed.path, in: scratch, to: changed) { bag, _ in
            try writeText(try stranger.pem(), to: bag + "/" + chainFile)
        }
        #expect(try bytes(changed) != bytes(signed.path))

        let report = verify(changed, roots: [signed.root])
        #expect(!report.passed)
        let authenticity = problems(report, .authenticity)
        #expect(authenticity.count == 1 && authenticity[0].contains("for another key"), "\(authenticity)")
        onlyAuthenticityFails(report)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func removingTheChainLineFromSignatureTxtIsNamed(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch)
        let changed = scratch.path("no-line.tar")
        try rebuilt(signed.path, in: scratch, to: changed) { bag, _ in
            let description = bag + "/signature/signature.txt"
            let text = try readText(description)
            try #require(text.contains(chainLine + "\n"))
            try writeText(text.replacingOccurrences(of: chainLine + "\n", with: ""), to: description)
        }
        let report = verify(changed, roots: [signed.root])
        #expect(!report.passed)
        #expect(
            problems(report, .authenticity).contains { $0.contains("signature.txt") && $0.contains("edited") },
            "\(report.problems)"
        )
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func removingTheChainFileIsNamedAndLeavesTheKeyUntrusted(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch)
        let changed = scratch.path("no-chain.tar")
        try rebuilt(signed.path, in: scratch, to: changed) { bag, paths in
            try FileManager.default.removeItem(atPath: bag + "/" + chainFile)
            paths.removeAll { $0 == chainFile }
        }
        #expect(!(try PackageExtractor.list(path: changed).map(\.path).contains(chainFile)))

        let report = verify(changed, roots: [signed.root])
        #expect(!report.passed)
        let authenticity = problems(report, .authenticity)
        #expect(authenticity.contains { $0.contains("signature.txt") && $0.contains("edited") }, "\(authenticity)")
        #expect(authenticity.contains { $0.contains("not one you trust") }, "\(authenticity)")
        #expect(report.signer == nil)
    }

    /// The chain is not covered by the signature, so it can be taken out whole (file and line):
    /// then only a key held directly vouches for the package.
    @Test(arguments: SignatureAlgorithm.allCases)
    func strippingTheChainAndItsLineLeavesAPackageOnlyAHeldKeyVouchesFor(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch)
        let changed = scratch.path("stripped.tar")
        try rebuilt(signed.path, in: scratch, to: changed) { bag, paths in
            try FileManager.default.removeItem(atPath: bag + "/" + chainFile)
            paths.removeAll { $0 == chainFile }
            let description = bag + "/signature/signature.txt"
            try writeText(
                try readText(description).replacingOccurrences(of: chainLine + "\n", with: ""),
                to: description
            )
        }
        let rootsOnly = verify(changed, roots: [signed.root])
        #expect(!rootsOnly.passed)
        let authenticity = problems(rootsOnly, .authenticity)
        #expect(authenticity.count == 1 && authenticity[0].contains("not one you trust"), "\(authenticity)")
        onlyAuthenticityFails(rootsOnly)
        #expect(rootsOnly.signer == nil)

        let keyHeld = verify(changed, keys: [try signed.publicKey()])
        #expect(keyHeld.passed, "\(keyHeld.problems)")
    }

    @Test(arguments: [
        "not a certificate\n",
        "",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ])
    func garbageInTheChainFileIsNamed(_ garbage: String) async throws {
        let scratch = try Scratch()
        let signed = try await packed(.sm2, in: scratch)
        let changed = scratch.path("garbage.tar")
        try rebuilt(signed.path, in: scratch, to: changed) { bag, _ in
            try writeText(garbage, to: bag + "/" + chainFile)
        }
        for keys in [[], [try signed.publicKey()]] {
            let report = verify(changed, keys: keys, roots: [signed.root])
            #expect(!report.passed)
            let authenticity = problems(report, .authenticity)
            #expect(
                authenticity.count == 1 && authenticity[0].contains("not a certificate chain"),
                "\(authenticity)"
            )
            onlyAuthenticityFails(report)
        }
    }

    /// The leaf alone would chain to the root, so a reader that stops at the first damaged block
    /// would pass the package.
    @Test func aValidLeafFollowedByADamagedCertificateIsNamed() async throws {
        let scratch = try Scratch()
        let signed = try await packed(.sm2, in: scratch)
        let changed = scratch.path("damaged-tail.tar")
        try rebuilt(signed.path, in: scratch, to: changed) { bag, _ in
            let damaged = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            try writeText(try signed.leaf.pem() + damaged, to: bag + "/" + chainFile)
        }
        let report = verify(changed, roots: [signed.root])
        #expect(!report.passed, "a chain file with a damaged certificate passed")
        #expect(
            problems(report, .authenticity).contains { $0.contains("not a certificate chain") },
            "\(report.problems)"
        )
    }

    @Test func aPublicKeyInPlaceOfTheChainIsNamed() async throws {
        let scratch = try Scratch()
        let signed = try await packed(.ecdsaP256, in: scratch)
        let changed = scratch.path("key-as-chain.tar")
        try rebuilt(signed.path, in: scratch, to: changed) { bag, _ in
            try writeText(try signed.key.publicPEM(), to: bag + "/" + chainFile)
        }
        let report = verify(changed, roots: [signed.root])
        #expect(
            problems(report, .authenticity).contains { $0.contains("not a certificate chain") },
            "\(report.problems)"
        )
    }

    // MARK: Reproducibility

    @Test(arguments: SignatureAlgorithm.allCases)
    func twoPacksWithTheSameChainAndSignatureAreByteIdentical(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let signed = try await packed(algorithm, in: scratch, throughIntermediate: true)
        try await Task.sleep(for: .milliseconds(1100))
        let again = scratch.path("again.tar")
        let second = try await ArchivePackage.pack(content(), signer: signed.key, certificates: signed.chain, to: again)
        {
            $0 == signed.summary.tagManifestSHA256 ? signed.summary.signature : nil
        }
        #expect(second.signature == signed.summary.signature)
        #expect(try bytes(again) == bytes(signed.path))
        #expect(verify(again, roots: [signed.root]).passed)

        // The chain is not under the signature: without it the tag manifest is the same, the
        // package is not.
        let plain = scratch.path("plain.tar")
        let unchained = try await ArchivePackage.pack(content(), signer: signed.key, to: plain) {
            $0 == signed.summary.tagManifestSHA256 ? signed.summary.signature : nil
        }
        #expect(unchained.tagManifestSHA256 == signed.summary.tagManifestSHA256)
        #expect(try bytes(plain) != bytes(signed.path))
    }
}
