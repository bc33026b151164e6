import DossierCrypto
import Foundation

extension Dossier {
    /// The key id of the public key in a file, as `keys trust` and `keys export` handle it: an
    /// agency's public key (PEM) or a root certificate. Lets a person name a key by the file they
    /// were given instead of copying sixteen hex digits; reads nothing from the node.
    public static func keyID(ofFile path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServiceError(.notFound, "Cannot read the key file \(path).")
        }
        do {
            if Certificate.isCertificatePEM(text) {
                let certificates = try Certificate.loadAll(pem: text)
                guard certificates.count == 1, let certificate = certificates.first else {
                    throw ServiceError(.invalid, "\(path) holds several certificates; name one key at a time.")
                }
                return try certificate.publicKey().keyID()
            }
            let key = try SigningKey.load(pem: text)
            guard !key.isPrivate else {
                throw ServiceError(.invalid, "\(path) holds a private key; name a key by its public half.")
            }
            return try key.keyID()
        } catch let error as CryptoError {
            throw ServiceError(.invalid, "\(path): \(error)")
        }
    }
}
