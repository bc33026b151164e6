/// Why a package could not be written or read, in one sentence for the person handling it.
public struct ArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    /// True when the work was stopped on request (its client went away), not for the package.
    public let isCancellation: Bool

    init(_ description: String, isCancellation: Bool = false) {
        self.description = description
        self.isCancellation = isCancellation
    }

    /// The work was stopped before it finished.
    static let cancelled = ArchiveError(
        "The check was stopped before it finished: the request was cancelled.",
        isCancellation: true
    )
}
