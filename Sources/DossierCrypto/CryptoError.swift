/// A failure inside the cryptographic layer.
///
/// Messages are fixed sentences: they never contain key material, plaintext or ciphertext.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case openSSL(String)
        case authenticationFailed
        case malformedCiphertext
        case badKeyFile(String)
    }

    private let code: Code

    public var description: String {
        switch code {
        case .openSSL(let operation):
            return "The cryptographic library failed while \(operation)."
        case .authenticationFailed:
            return "An encrypted value could not be decrypted: it was altered or belongs to another key."
        case .malformedCiphertext:
            return "An encrypted value is damaged (too short or of an unknown version)."
        case .badKeyFile(let reason):
            return "The key file cannot be used: \(reason)."
        }
    }

    static func openSSL(_ operation: String) -> CryptoError { CryptoError(code: .openSSL(operation)) }
    static let authenticationFailed = CryptoError(code: .authenticationFailed)
    static let malformedCiphertext = CryptoError(code: .malformedCiphertext)
    static func badKeyFile(_ reason: String) -> CryptoError { CryptoError(code: .badKeyFile(reason)) }

    /// True when a sealed value failed authentication (tampered, or sealed under another key or context).
    public var isAuthenticationFailure: Bool { code == .authenticationFailed }
}
