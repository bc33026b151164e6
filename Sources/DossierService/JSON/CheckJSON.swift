/// What `dossier check --format json` and `POST /api/v1/check` answer: a field per area, for
/// scripts and monitoring.
public struct NodeCheckJSON: Sendable, Encodable {
    /// One area of the check.
    public struct Area: Sendable, Encodable {
        public var area: String
        public var passed: Bool
        public var examined: Int
        public var findings: [String]
        /// What leaves the records consistent but is worth knowing (files no record refers to).
        public var notes: [String]
    }
    public var passed: Bool
    public var areas: [Area]
    public var repaired: [String]

    public init(_ check: NodeCheck) {
        passed = check.passed
        areas = NodeCheck.Area.allCases.map { area in
            let findings = check.findings.filter { $0.area == area }.map(\.text)
            return Area(
                area: area.rawValue,
                passed: findings.isEmpty,
                examined: check.examined[area] ?? 0,
                findings: findings,
                notes: check.notes.filter { $0.area == area }.map(\.text)
            )
        }
        repaired = check.repaired
    }
}
