public import DossierCore

/// Where an assessment grade stands: waiting for an approver, final (counts), or rejected.
public enum AssessmentState: String, Sendable, Hashable, CaseIterable {
    case pending, final, rejected
}

/// An annual assessment grade to record.
public struct NewAssessment: Sendable, Hashable {
    public var personID: Int64
    /// The organisation the person was assessed in (stored id): the 优秀 share is counted per
    /// organisation and year.
    public var orgID: Int64
    public var year: Int
    public var grade: AssessmentGrade
    public var reason: String?
    public var decidedOn: CivilDate
    /// Final at once (recorded by an administrator) or waiting for an approver.
    public var state: AssessmentState

    public init(
        personID: Int64,
        orgID: Int64,
        year: Int,
        grade: AssessmentGrade,
        reason: String?,
        decidedOn: CivilDate,
        state: AssessmentState
    ) {
        self.personID = personID
        self.orgID = orgID
        self.year = year
        self.grade = grade
        self.reason = reason
        self.decidedOn = decidedOn
        self.state = state
    }
}

/// An assessment grade as kept.
public struct StoredAssessment: Sendable, Hashable {
    public var id: Int64
    public var personID: Int64
    public var orgID: Int64
    public var org: CreditCode
    public var year: Int
    public var grade: AssessmentGrade
    public var reason: String?
    public var decidedOn: CivilDate
    public var state: AssessmentState
    public var recordedBy: String
    public var recordedAt: String
    /// Who approved or rejected it (nil: pending, or final on entry by an administrator).
    public var decidedBy: String?
    public var decidedAt: String?
    /// Why it was rejected.
    public var decisionReason: String?

    public init(
        id: Int64,
        personID: Int64,
        orgID: Int64,
        org: CreditCode,
        year: Int,
        grade: AssessmentGrade,
        reason: String?,
        decidedOn: CivilDate,
        state: AssessmentState,
        recordedBy: String,
        recordedAt: String,
        decidedBy: String?,
        decidedAt: String?,
        decisionReason: String?
    ) {
        self.id = id
        self.personID = personID
        self.orgID = orgID
        self.org = org
        self.year = year
        self.grade = grade
        self.reason = reason
        self.decidedOn = decidedOn
        self.state = state
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionReason = decisionReason
    }

    /// The grade as the promotion rules read it.
    public var assessment: Assessment {
        Assessment(year: year, grade: grade, reason: reason, decidedOn: decidedOn)
    }
}

/// A sanction to record.
public struct NewSanction: Sendable, Hashable {
    public var personID: Int64
    public var kind: SanctionKind
    public var on: CivilDate
    /// The decision's reference (文号), if given.
    public var reference: String?
    /// The class-8 archive document filed for it, if any.
    public var documentID: Int64?

    public init(personID: Int64, kind: SanctionKind, on: CivilDate, reference: String?, documentID: Int64?) {
        self.personID = personID
        self.kind = kind
        self.on = on
        self.reference = reference
        self.documentID = documentID
    }
}

/// A sanction as kept.
public struct StoredSanction: Sendable, Hashable {
    public var id: Int64
    public var personID: Int64
    public var kind: SanctionKind
    public var on: CivilDate
    public var reference: String?
    public var documentID: Int64?
    public var liftedOn: CivilDate?
    public var liftReference: String?
    public var recordedBy: String
    public var recordedAt: String

    public init(
        id: Int64,
        personID: Int64,
        kind: SanctionKind,
        on: CivilDate,
        reference: String?,
        documentID: Int64?,
        liftedOn: CivilDate?,
        liftReference: String?,
        recordedBy: String,
        recordedAt: String
    ) {
        self.id = id
        self.personID = personID
        self.kind = kind
        self.on = on
        self.reference = reference
        self.documentID = documentID
        self.liftedOn = liftedOn
        self.liftReference = liftReference
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }

    /// The sanction as the promotion rules read it.
    public var sanction: Sanction { Sanction(id: id, kind: kind, on: on, liftedOn: liftedOn) }
}

/// 优秀 among those assessed, for one organisation and year (pending and final grades), and the
/// people in post there at the end of the year (who are to be assessed).
public struct GradeCount: Sendable, Hashable {
    public var org: CreditCode
    public var year: Int
    public var excellent: Int
    public var assessed: Int
    public var inPost: Int

    public init(org: CreditCode, year: Int, excellent: Int, assessed: Int, inPost: Int) {
        self.org = org
        self.year = year
        self.excellent = excellent
        self.assessed = assessed
        self.inPost = inPost
    }
}
