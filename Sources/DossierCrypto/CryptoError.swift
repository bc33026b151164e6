/// A failure inside the cryptographic layer.
///
/// Messages are fixed sentences, in English and in Chinese: they never contain key material,
/// plaintext or ciphertext.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case openSSL(String)
        case authenticationFailed
        case malformedCiphertext
        case badKeyFile(String)
        case badCertificate(String)
        case badRequestName(String)
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
        case .badCertificate(let reason):
            return "The certificate cannot be used: \(reason)."
        case .badRequestName(let part):
            return
                "The certificate request cannot be made: the name part \(part) is not accepted (an unknown field, or a value of the wrong length: a country is two letters, other names 1 to 64 characters)."
        }
    }

    /// The same sentence in Simplified Chinese, for the admin pages.
    public var chineseDescription: String {
        switch code {
        case .openSSL:
            return "加密程序库执行操作时出错。"
        case .authenticationFailed:
            return "一项加密数据无法解密：它已被改动，或属于另一把密钥。"
        case .malformedCiphertext:
            return "一项加密数据已损坏（过短或版本不明）。"
        case .badKeyFile:
            return "密钥文件无法使用。"
        case .badCertificate:
            return "证书无法使用。"
        case .badRequestName(let part):
            return "无法生成证书申请：名称项 \(part) 不被接受（字段不明，或长度不对：国家为两个字母，其他名称为 1 至 64 个字符）。"
        }
    }

    static func openSSL(_ operation: String) -> CryptoError { CryptoError(code: .openSSL(operation)) }
    static let authenticationFailed = CryptoError(code: .authenticationFailed)
    static let malformedCiphertext = CryptoError(code: .malformedCiphertext)
    static func badKeyFile(_ reason: String) -> CryptoError { CryptoError(code: .badKeyFile(reason)) }
    static func badCertificate(_ reason: String) -> CryptoError { CryptoError(code: .badCertificate(reason)) }
    static func badRequestName(_ part: String) -> CryptoError { CryptoError(code: .badRequestName(part)) }

    /// True when a sealed value failed authentication (tampered, or sealed under another key or context).
    public var isAuthenticationFailure: Bool { code == .authenticationFailed }
}
