import DossierCrypto
import Glibc

/// The content-addressed store of document files: `ROOT/ab/cdef…` named by the SHA-256 of the
/// content. A file is written to a temporary name, synced, then renamed into place, so a blob
/// is either whole or absent; the same content is stored once.
public struct BlobStore: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// What `put` stored.
    public struct Stored: Sendable, Hashable {
        public var sha256: String
        public var sm3: String
        public var size: Int64
        /// The first bytes, for recognising the format.
        public var head: [UInt8]
        /// False when the same content was already stored (nothing new was written).
        public var isNew: Bool

        init(sha256: String, sm3: String, size: Int64, head: [UInt8], isNew: Bool) {
            self.sha256 = sha256
            self.sm3 = sm3
            self.size = size
            self.head = head
            self.isNew = isNew
        }

        /// A file found in the store that no record may refer to (the consistency check's
        /// repair hands it to `discardUnreferenced`, which makes sure of that).
        public init(unreferencedSHA256 digest: String) {
            self.init(sha256: digest, sm3: "", size: 0, head: [], isNew: true)
        }
    }

    /// Why a file could not be stored or read back.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public func path(forSHA256 digest: String) -> String {
        "\(root)/\(digest.prefix(2))/\(digest.dropFirst(2))"
    }

    /// Copies the file at `source` into the store, hashing it (SHA-256 and SM3) on the way.
    /// Refuses files larger than `maxBytes`, counting the bytes actually read, and files that
    /// `accept` refuses (given their first bytes; it returns the reason, or nil to accept),
    /// before anything enters the store.
    public func put(fileAt source: String, maxBytes: Int64, accept: ([UInt8]) -> String?) throws -> Stored {
        // Non-blocking open, so a named pipe cannot hang us before the regular-file check.
        let input = open(source, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard input >= 0 else { throw Failure(description: "Cannot read the file \(source).") }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(description: "\(source) is not a regular file.")
        }
        _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) & ~O_NONBLOCK)
        try makeDirectory(root)
        try makeDirectory(root + "/tmp")
        let temporary = "\(root)/tmp/incoming-\(getpid())-\(Hex.encode(SecureRandom.bytes(8)))"
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw Failure(description: "Cannot write into the blob store \(root).") }
        var keep = false
        defer {
            close(output)
            if !keep { unlink(temporary) }
        }
        let sha = Hasher(.sha256)
        let sm3 = Hasher(.sm3)
        var size: Int64 = 0
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw Failure(description: "Reading \(source) failed.") }
            if count == 0 { break }
            size += Int64(count)
            guard size <= maxBytes else {
                throw Failure(description: "\(source) is larger than the limit of \(maxBytes) bytes.")
            }
            try buffer.withUnsafeBytes { raw throws in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                sha.update(chunk)
                sm3.update(chunk)
                if head.count < 512 { head += chunk.prefix(512 - head.count) }
                guard Self.writeAll(output, chunk) else {
                    throw Failure(description: "Writing into the blob store failed.")
                }
            }
        }
        guard size > 0 else { throw Failure(description: "\(source) is empty.") }
        if let reason = accept(head) { throw Failure(description: reason) }
        guard fsync(output) == 0 else { throw Failure(description: "Syncing the blob store failed.") }
        let digest = Hex.encode(sha.finish())
        let target = path(forSHA256: digest)
        try makeDirectory("\(root)/\(digest.prefix(2))")
        var existing = stat()
        if stat(target, &existing) == 0 {
            return Stored(sha256: digest, sm3: Hex.encode(sm3.finish()), size: size, head: head, isNew: false)
        }
        var moved = rename(temporary, target) == 0
        if !moved, errno == ENOENT {
            // Another process's discard removed the (then empty) directory: make it again.
            try makeDirectory("\(root)/\(digest.prefix(2))")
            moved = rename(temporary, target) == 0
        }
        guard moved else { throw Failure(description: "Cannot move the file into the blob store.") }
        keep = true
        syncDirectory("\(root)/\(digest.prefix(2))")
        return Stored(sha256: digest, sm3: Hex.encode(sm3.finish()), size: size, head: head, isNew: true)
    }

    /// Removes a blob this `put` newly stored (and its directory when left empty); a blob that
    /// was already there is never touched. For documents, use
    /// `DossierStore.discardUnreferenced`, which also makes sure no record refers to it.
    public func discard(_ stored: Stored) {
        guard stored.isNew else { return }
        unlink(path(forSHA256: stored.sha256))
        rmdir("\(root)/\(stored.sha256.prefix(2))")
    }

    /// Whether the blob is present.
    public func contains(sha256 digest: String) -> Bool {
        access(path(forSHA256: digest), F_OK) == 0
    }

    /// Copies a blob to `destination` (created, not overwritten), checking its SHA-256 on the way.
    public func copy(sha256 digest: String, to destination: String) throws {
        let input = open(path(forSHA256: digest), O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Failure(description: "The stored file \(digest.prefix(12))… is missing.") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw Failure(description: "Cannot create \(destination) (does it already exist?).") }
        var complete = false
        defer {
            close(output)
            if !complete { unlink(destination) }
        }
        let sha = Hasher(.sha256)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw Failure(description: "Reading the stored file failed.") }
            if count == 0 { break }
            try buffer.withUnsafeBytes { raw throws in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                sha.update(chunk)
                guard Self.writeAll(output, chunk) else { throw Failure(description: "Writing \(destination) failed.") }
            }
        }
        guard Hex.encode(sha.finish()) == digest else {
            throw Failure(
                description: "The stored file \(digest.prefix(12))… does not match its digest: it was damaged."
            )
        }
        complete = true
    }

    /// Starts receiving a file in blocks (a document of a package, as the package is checked):
    /// written under `tmp/`, it enters the store only through `Incoming.keep`.
    public func receive() throws -> Incoming {
        try makeDirectory(root)
        try makeDirectory(root + "/tmp")
        let temporary = "\(root)/tmp/incoming-\(getpid())-\(Hex.encode(SecureRandom.bytes(8)))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "Cannot write into the blob store \(root).") }
        return Incoming(store: self, temporary: temporary, fd: fd)
    }

    /// A file being received in blocks. Removed unless `keep` moved it into the store.
    public final class Incoming {
        private let store: BlobStore
        private let temporary: String
        private var fd: Int32
        public private(set) var size: Int64 = 0
        /// The first bytes, for recognising the format.
        public private(set) var head: [UInt8] = []

        init(store: BlobStore, temporary: String, fd: Int32) {
            self.store = store
            self.temporary = temporary
            self.fd = fd
        }

        deinit {
            if fd >= 0 {
                close(fd)
                unlink(temporary)
            }
        }

        /// Appends a block.
        public func write(_ chunk: UnsafeRawBufferPointer) throws {
            if head.count < 512 { head += chunk.prefix(512 - head.count) }
            size += Int64(chunk.count)
            guard BlobStore.writeAll(fd, chunk) else {
                throw Failure(description: "Writing into the blob store failed.")
            }
        }

        /// Syncs the file and moves it into the store under `sha256` (computed by whoever read
        /// the blocks); when the store already holds that content, the copy is dropped.
        public func keep(sha256: String, sm3: String) throws -> Stored {
            var kept: [Stored] = []
            try Self.keep([(self, sha256, sm3)], appendingTo: &kept)
            return kept[0]
        }

        /// Keeps several received files (a package's documents) with `keep`'s guarantee — each
        /// file synced before it is moved in, and its folder synced after — but the syncs run
        /// side by side, on threads of their own: a disk serves concurrent syncs with shared
        /// cache flushes, where one by one each pays its own (five 100 KB files: about 4 ms
        /// instead of 30 on a virtual disk). What was moved in is appended to `kept` as it
        /// is, so that a caller can discard it when a later file fails.
        public static func keep(
            _ files: [(incoming: Incoming, sha256: String, sm3: String)],
            appendingTo kept: inout [Stored]
        ) throws {
            defer {
                for (incoming, _, _) in files where incoming.fd >= 0 {
                    close(incoming.fd)
                    incoming.fd = -1
                    unlink(incoming.temporary)
                }
            }
            let descriptors = files.map(\.incoming.fd)
            guard BlobStore.sideBySide(descriptors.count, { fsync(descriptors[$0]) == 0 }).allSatisfy({ $0 }) else {
                throw Failure(description: "Syncing the blob store failed.")
            }
            var folders: [String] = []
            for (incoming, sha256, sm3) in files {
                let store = incoming.store
                let folder = "\(store.root)/\(sha256.prefix(2))"
                try store.makeDirectory(folder)
                var existing = stat()
                if stat(store.path(forSHA256: sha256), &existing) == 0 {
                    kept.append(
                        Stored(sha256: sha256, sm3: sm3, size: incoming.size, head: incoming.head, isNew: false)
                    )
                    continue
                }
                guard rename(incoming.temporary, store.path(forSHA256: sha256)) == 0 else {
                    throw Failure(description: "Cannot move the file into the blob store.")
                }
                close(incoming.fd)
                incoming.fd = -1
                kept.append(Stored(sha256: sha256, sm3: sm3, size: incoming.size, head: incoming.head, isNew: true))
                if !folders.contains(folder) { folders.append(folder) }
            }
            _ = BlobStore.sideBySide(folders.count) { index in
                BlobStore.syncDirectory(folders[index])
                return true
            }
        }
    }

    /// What a stored file holds, read again from disk: its digests and size (nil when it is
    /// missing or cannot be read).
    public func measure(sha256 digest: String) -> DocumentBlob? {
        let input = open(path(forSHA256: digest), O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return nil }
        defer { close(input) }
        let sha = Hasher(.sha256)
        let sm3 = Hasher(.sm3)
        var size: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            size += Int64(count)
            buffer.withUnsafeBytes { raw in
                let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                sha.update(chunk)
                sm3.update(chunk)
            }
        }
        return DocumentBlob(sha256: Hex.encode(sha.finish()), sm3: Hex.encode(sm3.finish()), size: size)
    }

    /// The SHA-256 names of every file in the store, and every other file found in its folders
    /// (by path under the root: something that does not belong there). Temporary files under
    /// `tmp/` are neither.
    public func inventory() -> (stored: [String], strangers: [String]) {
        var stored: [String] = []
        var strangers: [String] = []
        let hex = Set("0123456789abcdef".utf8)
        for folder in Self.names(in: root) where folder != "tmp" {
            let folderPath = "\(root)/\(folder)"
            guard Self.isDirectory(folderPath) else {
                strangers.append(folder)
                continue
            }
            for name in Self.names(in: folderPath) {
                let digest = folder + name
                if folder.utf8.count == 2, digest.utf8.count == 64, digest.utf8.allSatisfy(hex.contains),
                    !Self.isDirectory("\(folderPath)/\(name)")
                {
                    stored.append(digest)
                } else {
                    strangers.append("\(folder)/\(name)")
                }
            }
        }
        return (stored.sorted(), strangers.sorted())
    }

    /// Removes a stored file (the consistency check's repair of a file no record refers to;
    /// the caller has made sure of that inside a write transaction).
    public func remove(sha256 digest: String) {
        unlink(path(forSHA256: digest))
        rmdir("\(root)/\(digest.prefix(2))")
    }

    /// Removes the temporary files under `tmp/` that a process no longer running left behind
    /// (killed while it received a file); returns how many. A file of a process still running
    /// is left alone: it may be receiving it now.
    @discardableResult
    public func removeStaleTemporaries() -> Int {
        var removed = 0
        for name in Self.names(in: root + "/tmp") {
            // incoming-PID-RANDOM
            let parts = name.split(separator: "-")
            guard parts.count == 3, parts[0] == "incoming", let pid = Int32(parts[1]) else { continue }
            if !Self.isRunning(pid), unlink("\(root)/tmp/\(name)") == 0 { removed += 1 }
        }
        return removed
    }

    /// Whether a process of that number is running (on this machine).
    public static func isRunning(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    fileprivate static func names(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    fileprivate static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Runs `body` for 0..<count on threads of their own, at most 32 at a time, and returns
    /// what each returned: for blocking calls such as `fsync`, which libdispatch's pools would
    /// run only one per core.
    fileprivate static func sideBySide(_ count: Int, _ body: (Int) -> Bool) -> [Bool] {
        guard count > 1 else { return (0..<count).map(body) }
        final class Job {
            let run: () -> Void
            init(_ run: @escaping () -> Void) { self.run = run }
        }
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
        results.initialize(repeating: false)
        defer { results.deallocate() }
        withoutActuallyEscaping(body) { body in
            for start in stride(from: 0, to: count, by: 32) {
                var threads: [pthread_t] = []
                for index in start..<min(start + 32, count) {
                    let job = Unmanaged.passRetained(Job { results[index] = body(index) }).toOpaque()
                    var thread = pthread_t()
                    let started = pthread_create(
                        &thread,
                        nil,
                        { context in
                            Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().run()
                            return nil
                        },
                        job
                    )
                    if started == 0 {
                        threads.append(thread)
                    } else {
                        Unmanaged<Job>.fromOpaque(job).takeRetainedValue().run()
                    }
                }
                // Joining orders each thread's write of its result before the read below.
                for thread in threads { pthread_join(thread, nil) }
            }
        }
        return Array(results)
    }

    /// Writes the whole chunk, however many calls it takes; false on an error.
    fileprivate static func writeAll(_ fd: Int32, _ chunk: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < chunk.count {
            let written = Glibc.write(fd, chunk.baseAddress! + offset, chunk.count - offset)
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    fileprivate func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw Failure(description: "Cannot create the directory \(path).")
        }
    }

    fileprivate func syncDirectory(_ path: String) { Self.syncDirectory(path) }

    fileprivate static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
