/// A policy whose rules change from dates: each version with the first day it is in force,
/// oldest first. Asked for a date, it answers with the version in force that day; before the
/// first version's date, with the first (the oldest rules on file are the best account of what
/// held before them).
public struct Dated<Value: Sendable & Hashable>: Sendable, Hashable {
    /// One version and the first day it is in force.
    public struct Version: Sendable, Hashable {
        public var from: CivilDate
        public var value: Value

        public init(from: CivilDate, value: Value) {
            self.from = from
            self.value = value
        }
    }

    /// Oldest first, each starting strictly after the one before; never empty.
    public let versions: [Version]

    /// The versions given, oldest first (the loader has checked their order).
    public init(_ versions: [Version]) {
        precondition(!versions.isEmpty, "a dated policy has at least one version")
        precondition(zip(versions, versions.dropFirst()).allSatisfy { $0.from < $1.from }, "versions out of order")
        self.versions = versions
    }

    /// One version, in force from `from`.
    public init(_ value: Value, from: CivilDate) {
        self.init([Version(from: from, value: value)])
    }

    /// The version in force on `date`.
    public func at(_ date: CivilDate) -> Value {
        versions.last { $0.from <= date }?.value ?? versions[0].value
    }

    /// The newest version.
    public var latest: Value { versions[versions.count - 1].value }
}
