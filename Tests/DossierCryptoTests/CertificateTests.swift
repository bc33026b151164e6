import DossierCrypto
import DossierTestSupport
import Foundation
import Testing

/// The certificate authority in these tests is the openssl command line, as an inspector would
/// run it: Dossier makes the node's key and request, openssl issues the certificates, and Dossier
/// checks the chain.
@Suite struct CertificateTests {
    /// The name an agency puts in its request.
    private let nodeSubject: [(field: String, value: String)] = [
        ("C", "CN"), ("O", "东海省人力资源和社会保障厅"), ("CN", "Dossier 签名密钥"),
    ]
    private let message = Array("manifest-sha256.txt 的内容\n".utf8)
    private var now: Int64 { Int64(Date().timeIntervalSince1970) }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aLeafIssuedFromDossiersRequestChainsToTheRootAndCertifiesTheNodeKey(_ algorithm: SignatureAlgorithm) throws {
        let authority = try TestCertificateAuthority(algorithm)
        let key = try SigningKey.generate(algorithm)
        let root = try authority.makeRoot("root")
        let leaf = try authority.issue(key.certificateRequest(subject: nodeSubject), as: "leaf", by: "root")

        #expect(leaf.chainProblem(intermediates: [], roots: [root], at: now) == nil)
        let certified = try leaf.publicKey()
        #expect(certified.algorithm == algorithm)
        #expect(!certified.isPrivate)
        #expect(try certified.keyID() == key.keyID())
        #expect(certified.verify(try key.sign(message), over: message))
        #expect(try certified.keyID() != SigningKey.generate(algorithm).keyID())
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aLeafChainsToTheRootThroughAnIntermediateAuthority(_ algorithm: SignatureAlgorithm) throws {
        let authority = try TestCertificateAuthority(algorithm)
        let key = try SigningKey.generate(algorithm)
        let root = try authority.makeRoot("root")
        let intermediate = try authority.makeIntermediate("intermediate", by: "root")
        let leaf = try authority.issue(key.certificateRequest(subject: nodeSubject), as: "leaf", by: "intermediate")

        #expect(leaf.chainProblem(intermediates: [intermediate], roots: [root], at: now) == nil)
        #expect(intermediate.chainProblem(intermediates: [], roots: [root], at: now) == nil)
        #expect(try leaf.publicKey().keyID() == key.keyID())
    }

    /// An inspector's root and an agency's node key need not use the same algorithm.
    @Test(arguments: SignatureAlgorithm.allCases, SignatureAlgorithm.allCases)
    func aNodeKeyOfAnyAlgorithmChainsToARootOfAnyAlgorithm(
        _ rootAlgorithm: SignatureAlgorithm,
        _ nodeAlgorithm: SignatureAlgorithm
    ) throws {
        let authority = try TestCertificateAuthority(rootAlgorithm)
        let key = try SigningKey.generate(nodeAlgorithm)
        let root = try authority.makeRoot("root")
        let request = try key.certificateRequest(subject: nodeSubject)
        let leaf = try authority.issue(request, as: "leaf", by: "root", requestAlgorithm: nodeAlgorithm)

        #expect(leaf.chainProblem(intermediates: [], roots: [root], at: now) == nil)
        #expect(try leaf.publicKey().algorithm == nodeAlgorithm)
        #expect(try leaf.publicKey().keyID() == key.keyID())
    }

    /// `openssl req -verify` exits 0 even when the signature is wrong, so its words are checked.
    @Test(arguments: SignatureAlgorithm.allCases)
    func theRequestsSignatureVerifiesWithTheOpenSSLCommandLine(_ algorithm: SignatureAlgorithm) throws {
        let authority = try TestCertificateAuthority(algorithm)
        let request = try SigningKey.generate(algorithm).certificateRequest(subject: nodeSubject)
        #expect(request.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
        try authority.write(request, to: "request.csr")
        try authority.write(try tamperedSignature(request), to: "tampered.csr")
        let verify = ["req", "-verify", "-noout"] + TestCertificateAuthority.verifyOptions(algorithm)

        let good = try authority.run(verify + ["-in", authority.path("request.csr")])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("verify OK"), "\(good.output)")
        #expect(!good.output.contains("failure"), "\(good.output)")

        let bad = try authority.run(verify + ["-in", authority.path("tampered.csr")])
        #expect(!bad.output.contains("verify OK"), "\(bad.output)")

        let subject = try authority.run(
            ["req", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb", "-in", authority.path("request.csr")]
        )
        #expect(subject.output.contains("CN=Dossier 签名密钥,O=东海省人力资源和社会保障厅,C=CN"), "\(subject.output)")
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aChainCheckedAgainstAnotherRootOrNoRootDoesNotVerify(_ algorithm: SignatureAlgorithm) throws {
        let authority = try TestCertificateAuthority(algorithm)
        let root = try authority.makeRoot("root")
        let otherRoot = try authority.makeRoot("other", subject: "/CN=Another Inspector Root")
        let key = try SigningKey.generate(algorithm)
        let leaf = try authority.issue(key.certificateRequest(subject: nodeSubject), as: "leaf", by: "root")

        #expect(leaf.chainProblem(intermediates: [], roots: [root], at: now) == nil)
        #expect(leaf.chainProblem(intermediates: [], roots: [otherRoot, root], at: now) == nil)
        let againstOther = leaf.chainProblem(intermediates: [], roots: [otherRoot], at: now)
        #expect(againstOther != nil)
        #expect(againstOther?.isEmpty == false)
        #expect(leaf.chainProblem(intermediates: [], roots: [], at: now) != nil)
        // A root given as an intermediate is not trusted.
        #expect(leaf.chainProblem(intermediates: [root], roots: [otherRoot], at: now) != nil)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aLeafCheckedOutsideItsValidityIsExpiredOrNotYetValid(_ algorithm: SignatureAlgorithm) throws {
        let authority = try TestCertificateAuthority(algorithm)
        let root = try authority.makeRoot("root")
        let key = try SigningKey.generate(algorithm)
        let leaf = try authority.issue(key.certificateRequest(subject: nodeSubject), as: "leaf", by: "root")
        let validity = try #require(leaf.validity)
        // openssl starts the certificate now and ends it 365 days later.
        #expect(abs(validity.notBefore - now) < 600)
        #expect(validity.notAfter - validity.notBefore == 365 * 86_400)
        let rootValidity = try #require(root.validity)
        #expect(rootValidity.notAfter - rootValidity.notBefore == 3_650 * 86_400)

        #expect(leaf.chainProblem(intermediates: [], roots: [root], at: validity.notAfter - 86_400) == nil)
        let late = leaf.chainProblem(intermediates: [], roots: [root], at: validity.notAfter + 86_400)
        #expect(late?.contains("expired") == true, "\(late ?? "nil")")
        let early = leaf.chainProblem(intermediates: [], roots: [root], at: validity.notBefore - 86_400)
        #expect(early?.contains("not yet valid") == true, "\(early ?? "nil")")
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aChainThroughACertificateThatIsNotAnAuthorityDoesNotVerify(_ algorithm: SignatureAlgorithm) throws {
        let authority = try TestCertificateAuthority(algorithm)
        let root = try authority.makeRoot("root")
        let intermediate = try authority.makeIntermediate("intermediate", by: "root")
        // Issued like a leaf (no basic constraints), then used to issue anyway.
        let impostor = try authority.makeIntermediate("impostor", by: "root", extensions: nil)
        let key = try SigningKey.generate(algorithm)
        let leaf = try authority.issue(key.certificateRequest(subject: nodeSubject), as: "leaf", by: "impostor")

        #expect(root.isAuthority)
        #expect(intermediate.isAuthority)
        #expect(!impostor.isAuthority)
        #expect(!leaf.isAuthority)
        #expect(impostor.chainProblem(intermediates: [], roots: [root], at: now) == nil)
        let problem = leaf.chainProblem(intermediates: [impostor], roots: [root], at: now)
        #expect(problem != nil)
        #expect(problem?.contains("CA") == true, "\(problem ?? "nil")")
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func leavingOutTheIntermediateDoesNotVerify(_ algorithm: SignatureAlgorithm) throws {
        let authority = try TestCertificateAuthority(algorithm)
        let root = try authority.makeRoot("root")
        let intermediate = try authority.makeIntermediate("intermediate", by: "root")
        let key = try SigningKey.generate(algorithm)
        let leaf = try authority.issue(key.certificateRequest(subject: nodeSubject), as: "leaf", by: "intermediate")

        #expect(leaf.chainProblem(intermediates: [intermediate], roots: [root], at: now) == nil)
        #expect(leaf.chainProblem(intermediates: [], roots: [root], at: now) != nil)
    }

    @Test func theSubjectKeepsChineseReadableAndTheIssuerNamesTheIssuer() throws {
        let authority = try TestCertificateAuthority(.sm2)
        let root = try authority.makeRoot("root")
        let intermediate = try authority.makeIntermediate("intermediate", by: "root")
        let key = try SigningKey.generate(.sm2)
        let leaf = try authority.issue(key.certificateRequest(subject: nodeSubject), as: "leaf", by: "intermediate")

        #expect(leaf.subject.contains("O=东海省人力资源和社会保障厅"), "\(leaf.subject)")
        #expect(leaf.subject == "CN=Dossier 签名密钥,O=东海省人力资源和社会保障厅,C=CN")
        #expect(!leaf.subject.contains("\\"), "\(leaf.subject)")
        #expect(leaf.issuer == intermediate.subject)
        #expect(intermediate.issuer == root.subject)
        #expect(root.subject == "CN=Inspector Root")
        #expect(root.issuer == root.subject)
        #expect(leaf.issuer != leaf.subject)
    }

    @Test func chainFilesLoadInOrderAndOtherTextIsRefused() throws {
        let authority = try TestCertificateAuthority(.ecdsaP256)
        _ = try authority.makeRoot("root")
        let intermediate = try authority.makeIntermediate("intermediate", by: "root")
        let key = try SigningKey.generate(.ecdsaP256)
        let leaf = try authority.issue(key.certificateRequest(subject: nodeSubject), as: "leaf", by: "intermediate")
        let chainFile = try authority.read("leaf.pem") + authority.read("intermediate.pem")

        let chain = try Certificate.loadAll(pem: chainFile)
        try #require(chain.count == 2)
        #expect(try chain[0].fingerprint() == leaf.fingerprint())
        #expect(try chain[1].fingerprint() == intermediate.fingerprint())
        #expect(try chain[0].fingerprint() != chain[1].fingerprint())
        #expect(Certificate.isCertificatePEM(chainFile))

        let publicKeyFile = try key.publicPEM()
        #expect(!Certificate.isCertificatePEM(publicKeyFile))
        #expect(throws: CryptoError.self) { try Certificate.loadAll(pem: publicKeyFile) }
        #expect(!Certificate.isCertificatePEM("not a certificate"))
        #expect(throws: CryptoError.self) { try Certificate.loadAll(pem: "not a certificate") }
        #expect(throws: CryptoError.self) { try Certificate.loadAll(pem: "") }
        let damaged = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        #expect(throws: CryptoError.self) { try Certificate.loadAll(pem: damaged) }
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func pemRoundTripsAndTheFingerprintIsOpenSSLs(_ algorithm: SignatureAlgorithm) throws {
        let authority = try TestCertificateAuthority(algorithm)
        let root = try authority.makeRoot("root")
        let key = try SigningKey.generate(algorithm)
        let leaf = try authority.issue(key.certificateRequest(subject: nodeSubject), as: "leaf", by: "root")

        let fingerprint = try leaf.fingerprint()
        #expect(fingerprint.count == 64)
        #expect(fingerprint.allSatisfy { "0123456789abcdef".contains($0) }, "\(fingerprint)")
        #expect(try root.fingerprint() != fingerprint)
        let copy = try Certificate.loadAll(pem: leaf.pem())
        try #require(copy.count == 1)
        #expect(try copy[0].fingerprint() == fingerprint)
        #expect(copy[0].subject == leaf.subject)
        #expect(copy[0].chainProblem(intermediates: [], roots: [root], at: now) == nil)

        let printed = try authority.run([
            "x509", "-noout", "-fingerprint", "-sha256", "-in", authority.path("leaf.pem"),
        ])
        let openSSLs = printed.output.split(separator: "=").last.map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ":", with: "").lowercased()
        }
        #expect(openSSLs == fingerprint, "\(printed.output)")
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aLeafWhoseKeyUsageLeavesOutSignaturesDoesNotAllowSigning(_ algorithm: SignatureAlgorithm) throws {
        let authority = try TestCertificateAuthority(algorithm)
        let root = try authority.makeRoot("root")
        let key = try SigningKey.generate(algorithm)
        let request = try key.certificateRequest(subject: nodeSubject)
        let plain = try authority.issue(request, as: "plain", by: "root")
        let signing = try authority.issue(
            request,
            as: "signing",
            by: "root",
            extensions: ["keyUsage=critical,digitalSignature,nonRepudiation"]
        )
        let encipherOnly = try authority.issue(
            request,
            as: "encipher",
            by: "root",
            extensions: ["keyUsage=keyEncipherment"]
        )

        #expect(plain.allowsSigning)
        #expect(signing.allowsSigning)
        #expect(!encipherOnly.allowsSigning)
        // The root's key usage is certificate and CRL signing only.
        #expect(!root.allowsSigning)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aRequestNeedsAPrivateKeyAndKnownNameFields(_ algorithm: SignatureAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let publicOnly = try SigningKey.load(pem: key.publicPEM())
        #expect(throws: CryptoError.self) { try publicOnly.certificateRequest(subject: nodeSubject) }
        #expect(throws: CryptoError.self) { try key.certificateRequest(subject: [("NOPE", "x")]) }
        #expect(throws: CryptoError.self) { try key.certificateRequest(subject: nodeSubject + [("NOPE", "x")]) }
        #expect(throws: CryptoError.self) { try key.certificateRequest(subject: []) }
        #expect(throws: Never.self) { try key.certificateRequest(subject: nodeSubject) }
    }

    /// Flips a bit at the end of a PEM request: the last byte of the DER is the signature's.
    private func tamperedSignature(_ pem: String) throws -> String {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        var der = try #require(Data(base64Encoded: body))
        der[der.count - 1] ^= 1
        let lines = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE REQUEST-----\n\(lines)\n-----END CERTIFICATE REQUEST-----\n"
    }
}

/// The openssl command line failed; its words are in the description.
