import DossierCrypto
import Foundation

extension Dossier {
    /// The public key in a PEM file as the trust store takes it: an agency's public key (from
    /// `keys export`), or one root certificate, returned with it. A private key, several
    /// certificates or a certificate that is not a root are refused, each in its own words.
    static func trustableKey(inFile path: String) throws -> (key: SigningKey, root: Certificate?) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServiceError(.notFound, "Cannot read the key file \(path).", zh: "无法读取密钥文件 \(path)。")
        }
        let found: (key: SigningKey, root: Certificate?)
        do {
            if Certificate.isCertificatePEM(text) {
                let certificates = try Certificate.loadAll(pem: text)
                guard certificates.count == 1, let certificate = certificates.first else {
                    throw ServiceError(
                        .invalid,
                        "\(path) holds several certificates; trust one root certificate at a time.",
                        zh: "\(path) 含有多份证书；每次只能信任一份根证书。"
                    )
                }
                guard certificate.isRoot else {
                    throw ServiceError(
                        .invalid,
                        "\(path) is not a root certificate (a certificate authority's, issued by itself); trust the root at the top of the chain.",
                        zh: "\(path) 不是根证书（由证书机构自己签发的证书）；请信任证书链顶端的根证书。"
                    )
                }
                found = (try certificate.publicKey(), certificate)
            } else {
                found = (try SigningKey.load(pem: text), nil)
            }
        } catch let error as CryptoError {
            throw ServiceError(.invalid, "\(path): \(error)", zh: "\(path) 无法使用。")
        }
        guard !found.key.isPrivate else {
            throw ServiceError(
                .invalid,
                "\(path) holds a private key; trust only the public half (dossier keys export).",
                zh: "\(path) 含有私钥；只能信任其公钥部分（dossier keys export）。"
            )
        }
        return found
    }

    /// The key id of the key in a file as it was trusted (`keys trust`): lets a person name a
    /// key by the file they were given instead of copying sixteen hex digits; reads nothing from
    /// the node.
    public static func keyID(ofFile path: String) throws -> String {
        try mapErrorsSync { try trustableKey(inFile: path).key.keyID() }
    }
}
