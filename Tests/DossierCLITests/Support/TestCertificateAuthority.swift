import Foundation
import Testing

/// A certificate authority run with the real `openssl` command (OpenSSL 3.0) in a test's
/// scratch folder: a self-signed root, intermediates it issues, and certificates it issues for
/// certificate requests, the way an agency's authority would.
struct TestCertificateAuthority {
    /// The standard SM2 distinguishing ID (GB/T 32918), which OpenSSL 3.0 must be given.
    static let sm2ID = "distid:1234567812345678"

    /// `sm2`, `ed25519` or `ecdsa-p256`: the algorithm of this authority's own key.
    let algorithm: String
    let scratch: URL
    /// The authority's certificate (PEM).
    let certificate: URL
    /// The authority's private key (PEM).
    let key: URL

    /// Makes a self-signed root certificate, `NAME.pem` with its key `NAME.key`, in `scratch`.
    static func root(
        _ algorithm: String,
        name: String = "root",
        subject: String = "/CN=Inspector Root",
        scratch: URL
    ) async throws -> TestCertificateAuthority {
        let key = try await generateKey(algorithm, to: "\(name).key", scratch: scratch)
        let certificate = scratch.appendingPathComponent("\(name).pem")
        try await openssl(
            ["req", "-new", "-x509", "-key", key.path] + signingOptions(algorithm) + [
                "-subj", subject, "-days", "3650", "-out", certificate.path,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ],
            scratch: scratch
        )
        return TestCertificateAuthority(algorithm: algorithm, scratch: scratch, certificate: certificate, key: key)
    }

    /// An intermediate authority with a key of `algorithm`, whose certificate this authority issues.
    func intermediate(
        _ algorithm: String? = nil,
        name: String,
        subject: String
    ) async throws -> TestCertificateAuthority {
        let algorithm = algorithm ?? self.algorithm
        let request = try await Self.foreignRequest(algorithm, name: name, subject: subject, scratch: scratch)
        let extensions = scratch.appendingPathComponent("\(name).ext")
        try Data("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n".utf8).write(
            to: extensions
        )
        let certificate = try await issue(
            request: request.request,
            requestAlgorithm: algorithm,
            to: name,
            days: 3650,
            extraOptions: ["-extfile", extensions.path]
        )
        return TestCertificateAuthority(
            algorithm: algorithm,
            scratch: scratch,
            certificate: certificate,
            key: request.key
        )
    }

    /// Issues a certificate (`NAME.pem`) for the certificate request at `request`, whose key is
    /// of `requestAlgorithm` (OpenSSL checks the request's own signature first, and an SM2
    /// request needs the distinguishing ID for that).
    func issue(
        request: URL,
        requestAlgorithm: String,
        to name: String,
        days: Int = 365,
        extraOptions: [String] = []
    ) async throws -> URL {
        let out = scratch.appendingPathComponent("\(name).pem")
        try await Self.openssl(
            ["x509", "-req", "-in", request.path, "-CA", certificate.path, "-CAkey", key.path]
                + Self.signingOptions(algorithm)
                + (requestAlgorithm == "sm2" ? ["-vfyopt", Self.sm2ID] : [])
                + ["-days", String(days), "-out", out.path, "-CAcreateserial"] + extraOptions,
            scratch: scratch
        )
        return out
    }

    /// A certificate request made by `openssl` for a fresh key of `algorithm` (not any node's),
    /// `NAME.csr` with its key `NAME.key`.
    static func foreignRequest(
        _ algorithm: String,
        name: String,
        subject: String,
        scratch: URL
    ) async throws -> (request: URL, key: URL) {
        let key = try await generateKey(algorithm, to: "\(name).key", scratch: scratch)
        let request = scratch.appendingPathComponent("\(name).csr")
        try await openssl(
            ["req", "-new", "-key", key.path] + signingOptions(algorithm) + [
                "-utf8", "-subj", subject, "-out", request.path,
            ],
            scratch: scratch
        )
        return (request, key)
    }

    /// The last day a certificate is valid (UTC, `YYYY-MM-DD`), as `openssl x509` reads it.
    static func expiryDay(of certificate: URL, scratch: URL) async throws -> String {
        let result = try await openssl(
            ["x509", "-in", certificate.path, "-noout", "-enddate", "-dateopt", "iso_8601"],
            scratch: scratch
        )
        // notAfter=2027-11-27 09:14:12Z
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("notAfter="), text.count >= "notAfter=".count + 10 else {
            throw CommandError("openssl printed an unexpected end date: \(text)")
        }
        return String(text.dropFirst("notAfter=".count).prefix(10))
    }

    private static func generateKey(_ algorithm: String, to name: String, scratch: URL) async throws -> URL {
        let key = scratch.appendingPathComponent(name)
        let options: [String]
        switch algorithm {
        case "sm2": options = ["-algorithm", "SM2"]
        case "ed25519": options = ["-algorithm", "ED25519"]
        case "ecdsa-p256": options = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        default: throw CommandError("no openssl key type for algorithm \(algorithm)")
        }
        try await openssl(["genpkey"] + options + ["-out", key.path], scratch: scratch)
        return key
    }

    /// The digest and signature options `openssl req`/`x509` need to sign with a key of `algorithm`.
    private static func signingOptions(_ algorithm: String) -> [String] {
        switch algorithm {
        case "sm2": return ["-sm3", "-sigopt", sm2ID]
        case "ecdsa-p256": return ["-sha256"]
        default: return []  // Ed25519 signs the message itself, with no separate digest.
        }
    }

    /// Runs `openssl ARGUMENTS`, which must succeed.
    @discardableResult
    static func openssl(_ arguments: [String], scratch: URL) async throws -> CommandResult {
        let result = try await runCommand(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["openssl"] + arguments,
            scratch: scratch
        )
        guard result.status == 0 else { throw CommandError("openssl failed: \(result)") }
        return result
    }
}
