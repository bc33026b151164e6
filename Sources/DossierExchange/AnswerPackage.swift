public import DossierArchive
import DossierCore
public import DossierCrypto

/// A receipt (回执) or refusal as a file: a small signed package (the archive profile, with
/// `data/answer.json` as its only payload), so it is checked with the same verifier, trust store
/// and revocations as a transfer, and an inspector can check it with the same tools.
public enum AnswerPackage {
    static let answerFile = "data/answer.json"

    /// Writes `answer` signed by `signer` at `path` (which must not exist). `storedSignature`
    /// makes writing the same answer again byte-identical. Returns what packing produced.
    public static func write(
        _ answer: ExchangeAnswer,
        signer: SigningKey,
        certificates: [Certificate],
        to path: String,
        storedSignature: [UInt8]? = nil
    ) async throws -> PackSummary {
        let bytes = try ExchangeJSON.encode(answer)
        let id = "\(answer.kind.rawValue)-\(answer.nonce)"
        let content = PackageContent(
            packageID: id,
            bagInfo: [
                ("Source-Organization", answer.sender.name),
                ("Bagging-Date", answer.createdOn.description),
                ("External-Identifier", id),
                ("Dossier-Package-Type", answer.kind.rawValue),
                ("Dossier-Profile-Version", ArchivePackage.profileVersion),
            ],
            payload: [PayloadFile(path: answerFile, source: .bytes(bytes))]
        )
        return try await ArchivePackage.pack(content, signer: signer, certificates: certificates, to: path) { _ in
            storedSignature
        }
    }

    /// Reads and verifies the answer at `path` against `trusted`: the verification report, and
    /// the answer when the package holds a readable one.
    public static func read(
        path: String,
        trusted: TrustAnchors
    ) throws -> (answer: ExchangeAnswer, report: VerificationReport) {
        let sink = AnswerSink()
        let report = PackageVerifier.verify(path: path, trusted: trusted, sink: sink)
        guard let bytes = sink.bytes else {
            throw ExchangeError(
                report.passed ? "The file holds no answer (data/answer.json)." : Self.firstProblem(report)
            )
        }
        let answer = try ExchangeJSON.decode(ExchangeAnswer.self, bytes, what: answerFile)
        guard answer.profile == ExchangeProfile.version else {
            throw ExchangeError("The answer is not of \(ExchangeProfile.version).")
        }
        return (answer, report)
    }

    /// Reads an answer kept as it was written.
    public static func decode(_ bytes: [UInt8]) throws -> ExchangeAnswer {
        try ExchangeJSON.decode(ExchangeAnswer.self, bytes, what: answerFile)
    }

    /// The answer's bytes as `write` puts them in the package.
    public static func encode(_ answer: ExchangeAnswer) throws -> [UInt8] {
        try ExchangeJSON.encode(answer)
    }

    /// The first problem a failed check found, as one sentence.
    public static func firstProblem(_ report: VerificationReport) -> String {
        for aspect in VerificationReport.Aspect.allCases {
            if let first = report.problems[aspect]?.first { return "\(aspect.chineseName) \(first)" }
        }
        return "The package did not pass its check."
    }
}

/// Keeps `data/answer.json` (small) as it is read.
private final class AnswerSink: PayloadSink {
    var bytes: [UInt8]?
    private var current: [UInt8]?

    func begin(path: String, size: Int64) throws {
        guard path == AnswerPackage.answerFile, size <= 64 << 10 else {
            throw ExchangeError("An answer holds only data/answer.json, of at most 64 KB.")
        }
        current = []
    }

    func write(_ chunk: UnsafeRawBufferPointer) throws { current?.append(contentsOf: chunk) }

    func end(path: String, sha256: String, sm3: String) throws {
        bytes = current
        current = nil
    }
}
