public import DossierCore

/// Reads `public-institution-staff.yaml` (事业单位工作人员考核) into the dated assessment rules
/// of public-institution staff and service workers (`AssessmentScale.publicInstitution`),
/// refusing a figure out of range or a key it does not know, with the file, line and reason.
public enum PublicInstitutionStaffFile: PolicyAdapter {
    public static let fileName = "public-institution-staff.yaml"

    /// The policy's name in the envelope (`kind:`).
    public static let kind = "public-institution-staff"

    public static var fileNames: [String] { [fileName] }
    public static var isDated: Bool { true }

    static let topKeys: Set<String> = [
        "kind", "version", "effective_from", "excellent_share", "consecutive_failures_for_case",
        "failure_drafts_demotion",
    ]

    /// Parses and checks every version of the file (see `PolicyEnvelope`).
    public static func load(yaml text: String, file: String = fileName) throws(PolicyError) -> Dated<AssessmentPolicy> {
        try PolicyEnvelope.dated(text, kind: kind, file: file) { (version) throws(PolicyError) in
            let document = try VersionDocument(version, file: file)
            try document.checkKeys(document.root, allowed: topKeys, in: nil)
            return try AssessmentFigures.policy(.publicInstitution, in: document)
        }
    }

    /// The adapter's entry (this policy needs nothing from the context).
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> Dated<AssessmentPolicy>
    {
        try load(yaml: text, file: file)
    }
}
