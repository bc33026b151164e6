import COpenSSL

/// OpenSSL's writers (PEM, names) write into a BIO: this one is in memory and read back as text.
enum MemoryBIO {
    /// Runs an OpenSSL writer into a memory BIO and returns what it wrote.
    static func text(
        _ write: (OpaquePointer) -> Int32,
        succeeded: (Int32) -> Bool = { $0 == 1 }
    ) throws(CryptoError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL("writing to memory") }
        defer { BIO_free(bio) }
        guard succeeded(write(bio)) else { throw .openSSL("writing to memory") }
        var data: UnsafeMutablePointer<CChar>?
        let length = COpenSSL_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }
}
