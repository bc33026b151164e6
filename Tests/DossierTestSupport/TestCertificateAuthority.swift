public import DossierCrypto
public import Foundation

/// The openssl command line failed; its words are in the description.
public struct TestCertificateAuthorityFailure: Error, CustomStringConvertible {
    public let description: String
}

/// A certificate authority kept by the real openssl command line in a temporary folder of its
/// own, removed when the value goes away: Dossier makes the node's key and request, openssl
/// issues roots, intermediates and leaves as an inspectorate would. The one test authority of
/// every test target (test targets cannot import one another).
///
/// Every authority key (roots, intermediates) uses `algorithm`. Files are named `<name>.key`,
/// `<name>.csr`, `<name>.ext` and `<name>.pem`, so each name is used once per authority.
public final class TestCertificateAuthority {
    public static let distinguishingID = "distid:\(SignatureAlgorithm.sm2DistinguishingID)"
    public static let authorityExtensions = [
        "basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign",
    ]

    public let algorithm: SignatureAlgorithm
    public let directory: URL

    public init(_ algorithm: SignatureAlgorithm) throws {
        self.algorithm = algorithm
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    public func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    public func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
    }

    public func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path(name))), as: UTF8.self)
    }

    public static func keyOptions(_ algorithm: SignatureAlgorithm) -> [String] {
        switch algorithm {
        case .sm2: return ["-algorithm", "SM2"]
        case .ecdsaP256: return ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        case .ed25519: return ["-algorithm", "ED25519"]
        }
    }

    public static func signOptions(_ algorithm: SignatureAlgorithm) -> [String] {
        switch algorithm {
        case .sm2: return ["-sm3", "-sigopt", distinguishingID]
        case .ecdsaP256: return ["-sha256"]
        case .ed25519: return []
        }
    }

    public static func verifyOptions(_ algorithm: SignatureAlgorithm) -> [String] {
        algorithm == .sm2 ? ["-vfyopt", distinguishingID] : []
    }

    /// Runs openssl in the folder: its exit status and everything it printed.
    public func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ChildProcess.run("/usr/bin/openssl", arguments, directory: directory.path)
    }

    /// Runs openssl in the folder and throws, with everything it printed, when it fails.
    public func openssl(_ arguments: [String]) throws {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw TestCertificateAuthorityFailure(
                description: "openssl \(arguments.joined(separator: " ")): \(result.output)"
            )
        }
    }

    /// `<name>.pem` as a file, for command lines that take a certificate's path.
    public func file(_ name: String) -> URL { directory.appendingPathComponent("\(name).pem") }

    /// A fresh key of the authority's algorithm made by openssl (no node's) and a request for
    /// it, `<name>.key` and `<name>.csr`; returns the request (PEM).
    public func makeRequest(_ name: String, subject: String) throws -> String {
        try openssl(["genpkey"] + Self.keyOptions(algorithm) + ["-out", path("\(name).key")])
        var arguments = ["req", "-new", "-key", path("\(name).key")] + Self.signOptions(algorithm)
        arguments += ["-utf8", "-subj", subject, "-out", path("\(name).csr")]
        try openssl(arguments)
        return try read("\(name).csr")
    }

    /// The last day `<name>.pem` is valid (UTC, `YYYY-MM-DD`), as openssl reads it.
    public func expiryDay(_ name: String) throws -> String {
        let result = try run(["x509", "-in", path("\(name).pem"), "-noout", "-enddate", "-dateopt", "iso_8601"])
        // notAfter=2027-11-27 09:14:12Z
        let text = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.status == 0, text.hasPrefix("notAfter="), text.count >= "notAfter=".count + 10 else {
            throw TestCertificateAuthorityFailure(description: "openssl printed an unexpected end date: \(text)")
        }
        return String(text.dropFirst("notAfter=".count).prefix(10))
    }

    /// The one certificate of `<name>.pem`.
    public func certificate(_ name: String) throws -> Certificate {
        let certificates = try Certificate.loadAll(pem: read("\(name).pem"))
        guard certificates.count == 1 else {
            throw TestCertificateAuthorityFailure(description: "\(name).pem holds \(certificates.count) certificates")
        }
        return certificates[0]
    }

    /// A self-signed root authority, valid 3650 days.
    @discardableResult
    public func makeRoot(_ name: String, subject: String = "/CN=Inspector Root") throws -> Certificate {
        try openssl(["genpkey"] + Self.keyOptions(algorithm) + ["-out", path("\(name).key")])
        var arguments = ["req", "-new", "-x509", "-key", path("\(name).key")] + Self.signOptions(algorithm)
        arguments += ["-subj", subject, "-days", "3650", "-out", path("\(name).pem")]
        for line in Self.authorityExtensions { arguments += ["-addext", line] }
        try openssl(arguments)
        return try certificate(name)
    }

    /// A key and request made by openssl, issued by `issuer` with `extensions` (an authority's
    /// by default: an intermediate; nil for none, as a leaf).
    @discardableResult
    public func makeIntermediate(
        _ name: String,
        by issuer: String,
        extensions: [String]? = authorityExtensions
    ) throws -> Certificate {
        let request = try makeRequest(name, subject: "/O=Inspectorate/CN=\(name) authority")
        return try issue(request, as: name, by: issuer, extensions: extensions)
    }

    /// Issues a certificate for a PEM request (of `requestAlgorithm`, by default the
    /// authority's), signed by the authority `issuer`, valid 365 days from now, with
    /// `extensions` (extfile lines) when given.
    @discardableResult
    public func issue(
        _ request: String,
        as name: String,
        by issuer: String,
        requestAlgorithm: SignatureAlgorithm? = nil,
        extensions: [String]? = nil
    ) throws -> Certificate {
        try write(request, to: "\(name).csr")
        var arguments = ["x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(issuer).pem")]
        arguments += ["-CAkey", path("\(issuer).key"), "-CAcreateserial", "-days", "365", "-out", path("\(name).pem")]
        arguments += Self.signOptions(algorithm) + Self.verifyOptions(requestAlgorithm ?? algorithm)
        if let extensions {
            try write(extensions.joined(separator: "\n") + "\n", to: "\(name).ext")
            arguments += ["-extfile", path("\(name).ext")]
        }
        try openssl(arguments)
        return try certificate(name)
    }

    /// Issues a leaf for `key` (whose request Dossier makes) under `issuer`.
    public func issueLeaf(
        for key: SigningKey,
        subject: [(field: String, value: String)],
        as name: String,
        by issuer: String,
        extensions: [String]? = nil
    ) throws -> Certificate {
        try issue(
            key.certificateRequest(subject: subject),
            as: name,
            by: issuer,
            requestAlgorithm: key.algorithm,
            extensions: extensions
        )
    }
}
