extension Collection<UInt8> {
    /// Runs `body` on contiguous bytes, copying only when the collection is not contiguous already.
    func withContiguousBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = withContiguousStorageIfAvailable(body) {
            return result
        }
        return Array(self).withUnsafeBufferPointer(body)
    }
}
