import DossierCore
import Yams

/// The assessment figures both scales' files share (`excellent_share`,
/// `consecutive_failures_for_case`, `failure_drafts_demotion`), read and checked in one place so
/// the civil-service and public-institution files, and local rules, refuse them alike.
enum AssessmentFigures {
    /// `excellent_share: { warn: 20, refuse: 25 }`: both whole percentages, warn ≤ refuse.
    /// `base` fills a figure a local rule leaves out.
    static func share(
        _ node: Node,
        in document: VersionDocument,
        base: (warn: Int, refuse: Int)? = nil
    ) throws(PolicyError) -> (warn: Int, refuse: Int) {
        guard let mapping = node.mapping else {
            throw document.fail(node, "excellent_share must be a mapping { warn: PERCENT, refuse: PERCENT }")
        }
        try document.checkKeys(mapping, allowed: ["warn", "refuse"], in: "excellent_share")
        func figure(_ key: String, _ fallback: Int?) throws(PolicyError) -> Int {
            if let value = mapping[key] { return try document.percent(value, "excellent_share \(key)") }
            if let fallback { return fallback }
            throw document.fail(node, "excellent_share has no \(key) percentage")
        }
        let warn = try figure("warn", base?.warn)
        let refuse = try figure("refuse", base?.refuse)
        try checkOrder(warn: warn, refuse: refuse, node, in: document)
        return (warn, refuse)
    }

    /// Above `refuse` cannot come before above `warn`: the approver is told before being stopped.
    static func checkOrder(warn: Int, refuse: Int, _ node: Node?, in document: VersionDocument) throws(PolicyError) {
        guard warn <= refuse else {
            throw document.fail(
                node,
                "excellent_share warn (\(warn)) must not be above refuse (\(refuse)): the approver is warned before a grade is refused"
            )
        }
    }

    /// The rules of one scale from a whole version (both files' shared keys).
    static func policy(_ scale: AssessmentScale, in document: VersionDocument) throws(PolicyError) -> AssessmentPolicy {
        let share = try share(
            try document.required("excellent_share", "for example { warn: 20, refuse: 25 }"),
            in: document
        )
        var consecutive: Int?
        if let node = document.root["consecutive_failures_for_case"] {
            consecutive = try document.whole(node, "consecutive_failures_for_case", atLeast: 1)
        }
        let drafts = try document.bool(
            try document.required("failure_drafts_demotion", "true or false"),
            "failure_drafts_demotion"
        )
        return AssessmentPolicy(
            scale: scale,
            excellentWarnPercent: share.warn,
            excellentRefusePercent: share.refuse,
            consecutiveFailuresForCase: consecutive,
            failureDraftsDemotion: drafts
        )
    }
}
