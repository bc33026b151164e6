import COpenSSL
import Glibc

/// The secret keys that protect sensitive columns (identity and phone numbers).
///
/// They live in a key file inside the data directory, readable by its owner only, and never in the
/// database: a copy of the database file alone reveals no identity number.
public struct FieldKeys: Sendable {
    /// AES-256-GCM key for the encrypted columns.
    let encryptionKey: [UInt8]
    /// HMAC-SHA-256 key for the blind index (exact look-up and uniqueness without the clear value).
    let indexKey: [UInt8]

    private static let header = "dossier-field-keys v1"

    /// Makes new random keys.
    public static func generate() -> FieldKeys {
        FieldKeys(encryptionKey: SecureRandom.bytes(32), indexKey: SecureRandom.bytes(32))
    }

    /// The key file's text: a header line and one hex line per key.
    public var fileContents: String {
        "\(Self.header)\nencryption \(Hex.encode(encryptionKey))\nindex \(Hex.encode(indexKey))\n"
    }

    /// Reads keys back from the text of a key file.
    public init(fileContents text: String) throws(CryptoError) {
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.first == Self.header else { throw .badKeyFile("it does not start with '\(Self.header)'") }
        var encryption: [UInt8]?
        var index: [UInt8]?
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let bytes = Hex.decode(String(parts[1])), bytes.count == 32 else {
                throw .badKeyFile("a key line is not 32 bytes of hex")
            }
            switch parts[0] {
            case "encryption" where encryption == nil: encryption = bytes
            case "index" where index == nil: index = bytes
            case "encryption", "index": throw .badKeyFile("it names the \(parts[0]) key twice")
            default: throw .badKeyFile("it names an unknown key '\(parts[0])'")
            }
        }
        guard let encryption, let index else { throw .badKeyFile("a key is missing") }
        self.init(encryptionKey: encryption, indexKey: index)
    }

    init(encryptionKey: [UInt8], indexKey: [UInt8]) {
        precondition(encryptionKey.count == 32 && indexKey.count == 32)
        self.encryptionKey = encryptionKey
        self.indexKey = indexKey
    }

    /// Writes the key file with mode 0600, refusing to overwrite an existing one.
    public func write(toPath path: String) throws(CryptoError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .badKeyFile(
                errno == EEXIST ? "a key file already exists at \(path)" : "it cannot be created at \(path)"
            )
        }
        defer { close(fd) }
        let bytes = Array(fileContents.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else { throw .badKeyFile("it could not be written completely") }
    }

    /// Reads the key file at `path`, refusing one that others can read.
    public static func read(fromPath path: String) throws(CryptoError) -> FieldKeys {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .badKeyFile("there is no key file at \(path)") }
        guard info.st_mode & 0o077 == 0 else {
            throw .badKeyFile("\(path) is readable by other users; run chmod 600 on it")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .badKeyFile("\(path) cannot be opened") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { throw .badKeyFile("\(path) is empty") }
        return try FieldKeys(fileContents: String(decoding: buffer.prefix(count), as: UTF8.self))
    }
}
