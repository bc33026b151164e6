public import DossierCore
import Yams

// The loaders written before `PolicyAdapter`, each behind it as it is: the adapter's entry only
// passes on what the loader already takes.

extension StatusMachinePolicy: PolicyAdapter {
    public static var fileNames: [String] { [fileName] }
    public static var isDated: Bool { true }

    /// The status machine needs nothing from the context.
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> StatusMachine
    {
        try load(yaml: text, file: file)
    }
}

extension RankLadderFile: PolicyAdapter {
    public static var fileNames: [String] { [fileName] }
    public static var isDated: Bool { true }

    /// The ladder is read on its own (the context's ladder is the one in force, not this file).
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> Dated<RankLadder>
    {
        try load(yaml: text, file: file)
    }
}

extension RankQuotaPolicyFile: PolicyAdapter {
    public static var fileNames: [String] { [fileName] }
    public static var isDated: Bool { true }

    /// Bands name ranks of the context's ladder.
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> Dated<RankQuotaPolicy>
    {
        try load(yaml: text, ladder: context.ladder, file: file)
    }
}

extension DocumentPolicyFile: PolicyAdapter {
    public static var fileNames: [String] { [fileName] }
    /// One undated version.
    public static var isDated: Bool { false }

    /// Document intake needs nothing from the context.
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> DocumentPolicy
    {
        try load(yaml: text, file: file)
    }
}

extension ReconciliationPolicyFile: PolicyAdapter {
    public static var fileNames: [String] { [fileName] }
    public static var isDated: Bool { true }

    /// Reconciliation needs nothing from the context.
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> Dated<ReconciliationPolicy>
    {
        try load(yaml: text, file: file)
    }
}

extension FeedFormatFile: PolicyAdapter {
    /// One file per feed.
    public static var fileNames: [String] { FeedKind.allCases.map(fileName) }
    public static var isDated: Bool { true }

    /// The format of the context's feed; without one (a file checked on its own), of the feed its
    /// first version names, so `dossier policy validate` needs no more than the file.
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> Dated<FeedFormat>
    {
        if let feed = context.feed { return try load(yaml: text, feed: feed, file: file) }
        let first = try PolicyEnvelope.versions(of: text, kind: kind, dated: true, file: file)[0]
        let document = try VersionDocument(first, file: file)
        let feeds = FeedKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let node = document.root["feed"], let feed = node.string.flatMap(FeedKind.init(rawValue:)) else {
            throw document.fail(document.root["feed"], "feed is missing or unknown (one of \(feeds))")
        }
        return try load(yaml: text, feed: feed, file: file)
    }
}
