import COpenSSL

/// The signature algorithms a node may sign with.
public enum SignatureAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// SM2 with SM3 (GB/T 32918), with the standard distinguishing ID `1234567812345678`.
    case sm2
    /// Ed25519 (RFC 8032): signs the message itself.
    case ed25519
    /// ECDSA over P-256 with SHA-256.
    case ecdsaP256 = "ecdsa-p256"

    /// The distinguishing ID SM2 signs and verifies with, set explicitly on both sides:
    /// OpenSSL 3.0's default differs from the standard's.
    public static let sm2DistinguishingID = "1234567812345678"
}

/// A key pair or a public key, owning an OpenSSL `EVP_PKEY`.
///
/// Unchecked sendability: the key is never changed after it is made, and every signing or
/// verifying operation creates its own OpenSSL contexts, which OpenSSL 3 documents as safe for
/// keys shared between threads. The handle is freed in `deinit`.
public final class SigningKey: @unchecked Sendable {
    let key: OpaquePointer
    public let algorithm: SignatureAlgorithm
    /// True when the private half is present (it can sign).
    public let isPrivate: Bool

    private init(key: OpaquePointer, algorithm: SignatureAlgorithm, isPrivate: Bool) {
        self.key = key
        self.algorithm = algorithm
        self.isPrivate = isPrivate
    }

    deinit { EVP_PKEY_free(key) }

    /// Makes a new key pair.
    public static func generate(_ algorithm: SignatureAlgorithm) throws(CryptoError) -> SigningKey {
        let name: String
        switch algorithm {
        case .sm2: name = "SM2"
        case .ed25519: name = "ED25519"
        case .ecdsaP256: name = "EC"
        }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, name, nil) else {
            throw .openSSL("preparing key generation")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw .openSSL("preparing key generation") }
        if algorithm == .ecdsaP256, EVP_PKEY_CTX_set_group_name(context, "P-256") != 1 {
            throw .openSSL("choosing the P-256 curve")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else { throw .openSSL("generating a key") }
        return SigningKey(key: key, algorithm: algorithm, isPrivate: true)
    }

    /// Reads a PEM private key (PKCS #8) or public key (SubjectPublicKeyInfo).
    public static func load(pem: String) throws(CryptoError) -> SigningKey {
        let isPrivate = pem.contains("PRIVATE KEY")
        let bytes = Array(pem.utf8)
        let bio = bytes.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        guard let bio else { throw .openSSL("reading a key") }
        defer { BIO_free(bio) }
        let loaded = isPrivate ? PEM_read_bio_PrivateKey(bio, nil, nil, nil) : PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        guard let loaded else { throw .badKeyFile("it is not a PEM key OpenSSL can read") }
        let algorithm: SignatureAlgorithm
        if EVP_PKEY_is_a(loaded, "ED25519") == 1 {
            algorithm = .ed25519
        } else if EVP_PKEY_is_a(loaded, "SM2") == 1 {
            algorithm = .sm2
        } else if EVP_PKEY_is_a(loaded, "EC") == 1 {
            // An SM2 key read from PEM may present as EC on the SM2 curve.
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            EVP_PKEY_get_group_name(loaded, &name, name.count, &length)
            let group = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            switch group {
            case "SM2": algorithm = .sm2
            case "prime256v1", "P-256": algorithm = .ecdsaP256
            default:
                EVP_PKEY_free(loaded)
                throw .badKeyFile("its curve \(group) is not one Dossier signs with")
            }
        } else {
            EVP_PKEY_free(loaded)
            throw .badKeyFile("it is not an SM2, Ed25519 or ECDSA P-256 key")
        }
        return SigningKey(key: loaded, algorithm: algorithm, isPrivate: isPrivate)
    }

    /// The private key as PKCS #8 PEM (keep it in a file only its owner can read).
    public func privatePEM() throws(CryptoError) -> String {
        guard isPrivate else { throw .badKeyFile("it holds only a public key") }
        return try pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
    }

    /// The public key as SubjectPublicKeyInfo PEM, for others to verify with.
    public func publicPEM() throws(CryptoError) -> String {
        try pem { PEM_write_bio_PUBKEY($0, key) }
    }

    private func pem(_ write: (OpaquePointer) -> Int32) throws(CryptoError) -> String {
        let text = try MemoryBIO.text(write)
        guard !text.isEmpty else { throw .openSSL("writing a key") }
        return text
    }

    /// The key's identifier: the first 16 hex digits of the SHA-256 of its DER public key.
    public func keyID() throws(CryptoError) -> String {
        var buffer: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(key, &buffer)
        guard length > 0, let buffer else { throw .openSSL("encoding a public key") }
        defer { CRYPTO_free(buffer, #fileID, #line) }
        let digest = Digest.sha256(UnsafeBufferPointer(start: buffer, count: Int(length)))
        return String(Hex.encode(digest).prefix(16))
    }

    /// Makes a digest-sign or digest-verify context for this key and algorithm.
    func withContext<T>(_ body: (OpaquePointer) throws(CryptoError) -> T) throws(CryptoError) -> T {
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("preparing a signature") }
        var keyContext: OpaquePointer?
        defer {
            // The digest context first, then the key context it borrowed (SM2).
            EVP_MD_CTX_free(context)
            if let keyContext { EVP_PKEY_CTX_free(keyContext) }
        }
        if algorithm == .sm2 {
            guard let pctx = EVP_PKEY_CTX_new(key, nil) else { throw .openSSL("preparing an SM2 signature") }
            keyContext = pctx
            let id = Array(SignatureAlgorithm.sm2DistinguishingID.utf8)
            let set = id.withUnsafeBytes { EVP_PKEY_CTX_set1_id(pctx, $0.baseAddress, Int32($0.count)) }
            guard set == 1 else { throw .openSSL("setting the SM2 distinguishing ID") }
            EVP_MD_CTX_set_pkey_ctx(context, pctx)
        }
        return try body(context)
    }

    var digestAlgorithm: OpaquePointer? {
        switch algorithm {
        case .sm2: return EVP_sm3()
        case .ecdsaP256: return EVP_sha256()
        case .ed25519: return nil
        }
    }

    /// Signs `message` (for Ed25519 the message itself; keep it small, e.g. a manifest).
    public func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard isPrivate else { throw .badKeyFile("it holds only a public key and cannot sign") }
        return try withContext { (context) throws(CryptoError) -> [UInt8] in
            guard EVP_DigestSignInit(context, nil, digestAlgorithm, nil, key) == 1 else {
                throw .openSSL("starting a signature")
            }
            var length = 0
            let sized = message.withUnsafeBufferPointer {
                EVP_DigestSign(context, nil, &length, $0.baseAddress, $0.count)
            }
            guard sized == 1 else { throw .openSSL("sizing a signature") }
            var signature = [UInt8](repeating: 0, count: length)
            let signed = message.withUnsafeBufferPointer { input in
                signature.withUnsafeMutableBufferPointer {
                    EVP_DigestSign(context, $0.baseAddress, &length, input.baseAddress, input.count)
                }
            }
            guard signed == 1 else { throw .openSSL("signing") }
            return Array(signature.prefix(length))
        }
    }

    /// Whether `signature` is this key's signature over `message`.
    public func verify(_ signature: [UInt8], over message: [UInt8]) -> Bool {
        (try? withContext { (context) throws(CryptoError) -> Bool in
            guard EVP_DigestVerifyInit(context, nil, digestAlgorithm, nil, key) == 1 else { return false }
            let result = signature.withUnsafeBufferPointer { sig in
                message.withUnsafeBufferPointer {
                    EVP_DigestVerify(context, sig.baseAddress, sig.count, $0.baseAddress, $0.count)
                }
            }
            return result == 1
        }) ?? false
    }
}
