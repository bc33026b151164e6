import COpenSSL

/// An X.509 certificate, owning an OpenSSL `X509`.
///
/// An agency may hold a certificate for its signing key, issued under a root an inspector
/// trusts; a package then carries the chain and verification checks it leads to that root.
///
/// Unchecked sendability: the certificate is never changed after it is loaded (the SM2
/// distinguishing ID is set once, while loading), and OpenSSL 3 allows concurrent reads and
/// verifications of one `X509`. The handle is freed in `deinit`.
public final class Certificate: @unchecked Sendable {
    let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
        // A certificate signed with SM2 is checked with the standard distinguishing ID, given
        // explicitly: OpenSSL 3.0's default is empty (the same as `-vfyopt distid:…`). Only for
        // SM2 signatures: OpenSSL refuses an ID for any other key type.
        if X509_get_signature_nid(handle) == NID_SM2_with_SM3, let id = ASN1_OCTET_STRING_new() {
            let bytes = Array(SignatureAlgorithm.sm2DistinguishingID.utf8)
            _ = bytes.withUnsafeBufferPointer { ASN1_OCTET_STRING_set(id, $0.baseAddress, Int32($0.count)) }
            X509_set0_distinguishing_id(handle, id)
        }
    }

    deinit { X509_free(handle) }

    /// Reads every certificate of a PEM text, in order (a chain file: the leaf first).
    public static func loadAll(pem: String) throws(CryptoError) -> [Certificate] {
        let bytes = Array(pem.utf8)
        let bio = bytes.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        guard let bio else { throw .openSSL("reading a certificate") }
        defer { BIO_free(bio) }
        var certificates: [Certificate] = []
        while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
            certificates.append(Certificate(handle: certificate))
        }
        // The loop skips other PEM blocks (keys) and ends at the end of the text or at a block
        // it cannot read: count the certificate blocks so a damaged one is not silently dropped.
        ERR_clear_error()
        guard !certificates.isEmpty else { throw .badCertificate("it holds no PEM certificate") }
        let blocks = pem.split(separator: "-----BEGIN CERTIFICATE-----", omittingEmptySubsequences: false).count - 1
        guard blocks == certificates.count else {
            throw .badCertificate("certificate \(certificates.count + 1) in it is damaged")
        }
        return certificates
    }

    /// Whether a PEM text holds certificates (rather than a bare key).
    public static func isCertificatePEM(_ pem: String) -> Bool { pem.contains("-----BEGIN CERTIFICATE-----") }

    /// The certificate as PEM.
    public func pem() throws(CryptoError) -> String {
        try MemoryBIO.text { PEM_write_bio_X509($0, handle) }
    }

    /// Who the certificate is for, as RFC 2253 text (`CN=…,O=…`), UTF-8 kept readable.
    public var subject: String { Self.name(X509_get_subject_name(handle)) }

    /// Who issued the certificate, as RFC 2253 text.
    public var issuer: String { Self.name(X509_get_issuer_name(handle)) }

    /// The first and last second (Unix time) the certificate is valid.
    public var validity: (notBefore: Int64, notAfter: Int64)? {
        guard let start = Self.seconds(X509_get0_notBefore(handle)),
            let end = Self.seconds(X509_get0_notAfter(handle))
        else { return nil }
        return (start, end)
    }

    /// True when the certificate may issue others (basic constraints CA; OpenSSL's other
    /// answers — key usage alone, old v1 roots — are not enough for a trust anchor here).
    public var isAuthority: Bool { X509_check_ca(handle) == 1 }

    /// True when the certificate is issued by itself and its signature verifies with its own
    /// key: a root, the only kind of certificate a verifier may trust as an anchor.
    public var isSelfSigned: Bool {
        defer { ERR_clear_error() }
        return X509_self_signed(handle, 1) == 1
    }

    /// True for a certificate a verifier may trust as an anchor: an authority issued by itself.
    public var isRoot: Bool { isAuthority && isSelfSigned }

    /// True unless a key-usage extension leaves out digital signatures.
    public var allowsSigning: Bool {
        let usage = X509_get_key_usage(handle)
        return usage == UInt32.max || usage & UInt32(KU_DIGITAL_SIGNATURE) != 0
    }

    /// The certified public key.
    public func publicKey() throws(CryptoError) -> SigningKey {
        guard let key = X509_get0_pubkey(handle) else { throw .badCertificate("it holds no usable public key") }
        let pem = try MemoryBIO.text { PEM_write_bio_PUBKEY($0, key) }
        return try SigningKey.load(pem: pem)
    }

    /// SHA-256 of the DER certificate, in hex: how people compare certificates.
    public func fingerprint() throws(CryptoError) -> String {
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = i2d_X509(handle, &buffer)
        guard length > 0, let buffer else { throw .openSSL("encoding a certificate") }
        defer { CRYPTO_free(buffer, #fileID, #line) }
        return Hex.encode(Digest.sha256(UnsafeBufferPointer(start: buffer, count: Int(length))))
    }

    /// Checks that `self` chains, through `intermediates`, to one of `roots`, with every
    /// certificate valid at `time` (Unix seconds) and every issuer allowed to issue. Returns
    /// nil when it does, or OpenSSL's reason when it does not.
    ///
    /// Each root is tried on its own: two roots with the same name (a renewed root) would
    /// otherwise make the answer depend on their order, as OpenSSL picks one by name.
    public func chainProblem(intermediates: [Certificate], roots: [Certificate], at time: Int64) -> String? {
        guard !roots.isEmpty else { return "no root certificate is trusted" }
        var firstProblem: String?
        for root in roots {
            guard let problem = chainProblem(intermediates: intermediates, root: root, at: time) else { return nil }
            firstProblem = firstProblem ?? problem
        }
        return firstProblem
    }

    private func chainProblem(intermediates: [Certificate], root: Certificate, at time: Int64) -> String? {
        guard let store = X509_STORE_new() else { return "the certificate store could not be made" }
        defer { X509_STORE_free(store) }
        guard X509_STORE_add_cert(store, root.handle) == 1 else {
            ERR_clear_error()
            return "the root certificate could not be used"
        }
        guard let untrusted = COpenSSL_sk_X509_new_null() else { return "the certificate list could not be made" }
        defer { COpenSSL_sk_X509_free(untrusted) }
        for certificate in intermediates { _ = COpenSSL_sk_X509_push(untrusted, certificate.handle) }
        guard let context = X509_STORE_CTX_new() else { return "the verification could not be prepared" }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, handle, untrusted) == 1 else {
            return "the verification could not be prepared"
        }
        X509_STORE_CTX_set_time(context, 0, time_t(time))
        let verified = X509_verify_cert(context) == 1
        defer { ERR_clear_error() }
        if verified { return nil }
        let code = X509_STORE_CTX_get_error(context)
        let depth = X509_STORE_CTX_get_error_depth(context)
        let reason = String(cString: X509_verify_cert_error_string(Int(code)))
        return "\(reason) (certificate \(depth) of the chain)"
    }

    private static func name(_ name: OpaquePointer?) -> String {
        // X509_NAME_print_ex returns the number of bytes written (0 for an empty name).
        guard let name,
            let text = try? MemoryBIO.text(
                { X509_NAME_print_ex($0, name, 0, COpenSSL_XN_FLAG_RFC2253_UTF8()) },
                succeeded: { $0 >= 0 }
            )
        else { return "" }
        return text
    }

    private static func seconds(_ time: UnsafePointer<ASN1_TIME>?) -> Int64? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Int64(timegm(&parts))
    }
}

extension SigningKey {
    /// A certificate signing request (PKCS #10, PEM) for this key, to send to the certificate
    /// authority the inspectors trust. `subject` is a list of name parts in order, e.g.
    /// `[("C", "CN"), ("O", "东海省人力资源和社会保障厅"), ("CN", "Dossier signing key")]`.
    public func certificateRequest(subject: [(field: String, value: String)]) throws(CryptoError) -> String {
        guard isPrivate else { throw .badKeyFile("it holds only a public key and cannot sign a request") }
        guard !subject.isEmpty else { throw .badRequestName("(none)") }
        guard let request = X509_REQ_new() else { throw .openSSL("making a certificate request") }
        defer { X509_REQ_free(request) }
        guard X509_REQ_set_version(request, 0) == 1, let name = X509_REQ_get_subject_name(request) else {
            throw .openSSL("making a certificate request")
        }
        for part in subject {
            let value = Array(part.value.utf8)
            let added = value.withUnsafeBufferPointer {
                X509_NAME_add_entry_by_txt(name, part.field, MBSTRING_UTF8, $0.baseAddress, Int32($0.count), -1, 0)
            }
            guard added == 1 else {
                ERR_clear_error()
                throw .badRequestName("\(part.field)=\(part.value)")
            }
        }
        guard X509_REQ_set_pubkey(request, key) == 1 else { throw .openSSL("making a certificate request") }
        try withContext { (context) throws(CryptoError) in
            guard EVP_DigestSignInit(context, nil, digestAlgorithm, nil, key) == 1,
                X509_REQ_sign_ctx(request, context) > 0
            else { throw .openSSL("signing a certificate request") }
        }
        return try MemoryBIO.text { PEM_write_bio_X509_REQ($0, request) }
    }
}
