/// Why a package could not be written or read, in one sentence for the person handling it.
public struct ArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
