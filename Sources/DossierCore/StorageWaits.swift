/// How long reads and writes waited before their work began, in total since the storage was
/// opened: for a read, a connection and its snapshot; for a write, the right to write (other
/// processes' writes included). The HTTP front shows them on /metrics. A plain value in Core, so
/// the storage can report it and the fronts show it without either knowing the other.
public struct StorageWaits: Sendable, Hashable {
    public var reads = 0
    public var readWaitSeconds = 0.0
    public var writes = 0
    public var writeWaitSeconds = 0.0
    /// The longest single wait seen, in seconds.
    public var longestReadWait = 0.0
    public var longestWriteWait = 0.0

    public init() {}
}
