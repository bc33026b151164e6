import Glibc

/// The frame structure of a zstd-compressed package (RFC 8878 §3.1), walked from the raw file
/// without decompressing: frame header, then block headers (each with its size and a last-block
/// flag), then the optional checksum. Decompressors, libarchive's among them, pass over skippable
/// frames without a word and run on into a second frame, so bytes appended to a package would be
/// either invisible or read as if the signer had sent them. A package is therefore exactly one
/// zstd frame, as Dossier, `zstd` and `bsdtar --zstd` write it, ending where the file ends.
enum ZstdFrames {
    static let frameMagic: UInt32 = 0xFD2F_B528

    /// True for the first four bytes (little-endian) of a file libarchive reads as zstd: a frame,
    /// or a skippable frame (magic 0x184D2A50 to 0x184D2A5F).
    static func isZstd(_ magic: UInt32) -> Bool { magic == frameMagic || isSkippable(magic) }

    static func isSkippable(_ magic: UInt32) -> Bool { magic & 0xFFFF_FFF0 == 0x184D_2A50 }

    /// The first four bytes of the file as a little-endian number, nil when it is shorter.
    static func magic(fd: Int32, size: Int64) -> UInt32? {
        try? littleEndian(fd: fd, at: 0, count: 4, size: size)
    }

    /// Refuses the file unless it is one zstd frame and nothing else: no skippable frame, no
    /// second frame, no byte after the first frame's end. Reads only headers (3 bytes a block
    /// of at most 128 KiB), so its cost is a small fraction of decompressing.
    static func checkSingleFrame(fd: Int32, size: Int64) throws(ArchiveError) {
        let magic = try littleEndian(fd: fd, at: 0, count: 4, size: size)
        if isSkippable(magic) { throw skippable }
        guard magic == frameMagic else { throw damaged }
        let descriptor = try littleEndian(fd: fd, at: 4, count: 1, size: size)
        // Bit 3 is reserved and must be zero.
        guard descriptor & 0x08 == 0 else { throw damaged }
        let singleSegment = descriptor & 0x20 != 0
        let dictionaryBytes: Int64 = [0, 1, 2, 4][Int(descriptor & 0x03)]
        let contentSizeBytes: Int64 = [singleSegment ? 1 : 0, 2, 4, 8][Int(descriptor >> 6)]
        var position: Int64 = 5 + (singleSegment ? 0 : 1) + dictionaryBytes + contentSizeBytes
        while true {
            let header = try littleEndian(fd: fd, at: position, count: 3, size: size)
            position += 3
            let blockSize = Int64(header >> 3)
            switch (header >> 1) & 0x03 {
            case 0, 2:  // raw, compressed: the block's bytes follow
                guard blockSize <= 128 << 10 else { throw damaged }
                position += blockSize
            case 1:  // RLE: one byte, repeated
                position += 1
            default:  // reserved
                throw damaged
            }
            guard position <= size else { throw truncated }
            if header & 0x01 != 0 { break }
        }
        if descriptor & 0x04 != 0 { position += 4 }
        guard position <= size else { throw truncated }
        guard position == size else {
            let next = try? littleEndian(fd: fd, at: position, count: 4, size: size)
            if let next, isSkippable(next) { throw skippable }
            if next == frameMagic {
                throw ArchiveError(
                    "The package has a second zstd frame after its compressed tar (something was appended to it); it is refused."
                )
            }
            throw ArchiveError(
                "The package has \(size - position) bytes after the end of its zstd-compressed data (something was appended to it); it is refused."
            )
        }
    }

    private static let skippable = ArchiveError(
        "The package holds a zstd skippable frame, data that decompressors pass over without a word; it is refused."
    )
    private static let truncated = ArchiveError("The package's zstd data is truncated; it is refused.")
    private static let damaged = ArchiveError(
        "The package's zstd data is damaged (a frame or block header is not valid); it is refused."
    )

    /// `count` bytes (at most 4) at `offset`, as a little-endian number.
    private static func littleEndian(
        fd: Int32,
        at offset: Int64,
        count: Int,
        size: Int64
    ) throws(ArchiveError)
        -> UInt32
    {
        guard offset + Int64(count) <= size else { throw truncated }
        var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let read = withUnsafeMutableBytes(of: &bytes) { pread(fd, $0.baseAddress, count, off_t(offset)) }
        guard read == count else { throw ArchiveError("The package file cannot be read.") }
        return UInt32(bytes.0) | UInt32(bytes.1) << 8 | UInt32(bytes.2) << 16 | UInt32(bytes.3) << 24
    }
}
