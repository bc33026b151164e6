import COpenSSL

/// Encrypts a file's contents with a passphrase in the format of `openssl enc`, so that what
/// Dossier sealed can be opened with the `openssl` command line and the passphrase alone:
///
///     openssl enc -d -aes-256-cbc -pbkdf2 -iter 600000 -md sha256 -in FILE -out PLAIN
///
/// The format: `Salted__`, 8 random bytes of salt, then the AES-256-CBC ciphertext (PKCS#7
/// padding) under the key and IV derived from the passphrase and salt with PBKDF2-HMAC-SHA-256
/// (600,000 iterations, OWASP's figure for it; 48 bytes: key then IV). CBC carries no
/// authentication of its own: whoever opens the contents checks them (Dossier checks each key
/// it reads back against the node's records), and a wrong passphrase almost always fails the
/// padding check.
public enum PassphraseBox {
    public static let iterations: Int32 = 600_000
    private static let magic = Array("Salted__".utf8)

    /// The `openssl enc` command that opens a file sealed here.
    public static let openSSLCommand = "openssl enc -d -aes-256-cbc -pbkdf2 -iter 600000 -md sha256"

    /// Seals `plaintext` under `passphrase` (never empty).
    public static func seal(_ plaintext: [UInt8], passphrase: String) throws(CryptoError) -> [UInt8] {
        let salt = SecureRandom.bytes(8)
        let (key, iv) = try derive(passphrase, salt: salt)
        return magic + salt + (try run(encrypt: true, plaintext, key: key, iv: iv))
    }

    /// Opens what `seal` (or `openssl enc` with the same settings) produced; a wrong passphrase
    /// or damaged file throws.
    public static func open(_ sealed: [UInt8], passphrase: String) throws(CryptoError) -> [UInt8] {
        guard sealed.count >= 32, Array(sealed.prefix(8)) == magic, (sealed.count - 16) % 16 == 0 else {
            throw .malformedCiphertext
        }
        let salt = Array(sealed[8..<16])
        let (key, iv) = try derive(passphrase, salt: salt)
        do {
            return try run(encrypt: false, Array(sealed[16...]), key: key, iv: iv)
        } catch {
            throw .authenticationFailed
        }
    }

    private static func derive(_ passphrase: String, salt: [UInt8]) throws(CryptoError) -> (key: [UInt8], iv: [UInt8]) {
        var output = [UInt8](repeating: 0, count: 48)
        let password = Array(passphrase.utf8)
        let ok = password.withUnsafeBufferPointer { pass in
            salt.withUnsafeBufferPointer { salt in
                output.withUnsafeMutableBufferPointer { out in
                    PKCS5_PBKDF2_HMAC(
                        pass.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                        Int32(pass.count),
                        salt.baseAddress,
                        Int32(salt.count),
                        iterations,
                        EVP_sha256(),
                        Int32(out.count),
                        out.baseAddress
                    )
                }
            }
        }
        guard ok == 1 else { throw .openSSL("deriving a key from the passphrase") }
        return (Array(output[0..<32]), Array(output[32..<48]))
    }

    private static func run(encrypt: Bool, _ input: [UInt8], key: [UInt8], iv: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard let context = EVP_CIPHER_CTX_new() else { throw .openSSL("allocating a cipher context") }
        defer { EVP_CIPHER_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: input.count + 32)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = key.withUnsafeBufferPointer { key in
            iv.withUnsafeBufferPointer { iv in
                input.withUnsafeBufferPointer { input in
                    output.withUnsafeMutableBufferPointer { out in
                        EVP_CipherInit_ex(
                            context,
                            EVP_aes_256_cbc(),
                            nil,
                            key.baseAddress,
                            iv.baseAddress,
                            encrypt ? 1 : 0
                        )
                            == 1
                            && EVP_CipherUpdate(
                                context,
                                out.baseAddress,
                                &written,
                                input.baseAddress,
                                Int32(input.count)
                            )
                                == 1
                            && EVP_CipherFinal_ex(context, out.baseAddress! + Int(written), &final) == 1
                    }
                }
            }
        }
        guard ok else { throw .openSSL(encrypt ? "encrypting" : "decrypting") }
        return Array(output[0..<Int(written + final)])
    }
}
