import DossierCore
import DossierTestSupport
import Testing

/// A date from its ISO text.
private func civil(_ iso: String) -> CivilDate {
    guard let date = CivilDate(iso: iso) else { fatalError("not a date: \(iso)") }
    return date
}

/// The shipped `Policies/status-machine.yaml`, written out by hand: DossierCore reads no YAML, and
/// DossierPolicyTests checks the loaded file transition by transition.
private let machine: StatusMachine = {
    typealias Rule = StatusMachine.Rule
    let occupying: [PersonStatus?] = [.probation, .active, .unpaidLeave, .awol, .leaving]
    let placement: Set<StatusMachine.Field> = [.org, .category]
    let rules: [Rule] = [
        Rule(
            kind: .hire,
            from: [nil],
            outcome: .given,
            needs: placement,
            may: [.rank, .post]
        ),
        Rule(
            kind: .rehire,
            from: [.transferredOut, .resigned, .dismissed, .retired],
            outcome: .given,
            needs: placement,
            may: [.rank, .post]
        ),
        Rule(kind: .confirm, from: [.probation], outcome: .status(.active), needs: [], may: []),
        Rule(
            kind: .transferIn,
            from: [nil, .transferredOut],
            outcome: .status(.active),
            needs: placement,
            may: [.rank, .post]
        ),
        Rule(
            kind: .transferOut,
            from: [.probation, .active, .unpaidLeave, .leaving],
            outcome: .status(.transferredOut),
            needs: [],
            may: []
        ),
        Rule(kind: .reassign, from: [.probation, .active], outcome: .unchanged, needs: [], may: [.category, .post]),
        Rule(kind: .promote, from: [.active], outcome: .unchanged, needs: [.rank], may: []),
        Rule(kind: .demote, from: [.active, .unpaidLeave], outcome: .unchanged, needs: [.rank], may: []),
        Rule(kind: .appoint, from: [.active], outcome: .unchanged, needs: [.post], may: []),
        Rule(kind: .remove, from: [.active, .unpaidLeave, .awol, .leaving], outcome: .unchanged, needs: [], may: []),
        Rule(kind: .unpaidLeave, from: [.active], outcome: .status(.unpaidLeave), needs: [], may: []),
        Rule(kind: .returnFromLeave, from: [.unpaidLeave], outcome: .status(.active), needs: [], may: []),
        Rule(kind: .awol, from: [.probation, .active], outcome: .status(.awol), needs: [], may: []),
        Rule(kind: .giveNotice, from: [.probation, .active], outcome: .status(.leaving), needs: [], may: []),
        Rule(
            kind: .resign,
            from: [.probation, .active, .unpaidLeave, .leaving],
            outcome: .status(.resigned),
            needs: [],
            may: []
        ),
        Rule(kind: .dismiss, from: Set(occupying), outcome: .status(.dismissed), needs: [], may: []),
        Rule(kind: .expel, from: Set(occupying), outcome: .status(.expelled), needs: [], may: []),
        Rule(
            kind: .retire,
            from: [.active, .unpaidLeave, .leaving],
            outcome: .status(.retired),
            needs: [],
            may: []
        ),
    ]
    return StatusMachine(
        rules: Dictionary(uniqueKeysWithValues: rules.map { ($0.kind, $0) }),
        effectiveFrom: civil("2019-06-01")
    )
}()

private let bureau: Int64 = 10
private let court: Int64 = 20

/// An action as recorded.
private func action(
    _ id: Int64,
    _ kind: ActionKind,
    _ date: String,
    org: Int64? = nil,
    category: EstablishmentCategory? = nil,
    rank: Rank? = nil,
    post: LeadershipPost? = nil,
    status: PersonStatus? = nil,
    target: Int64? = nil
) -> TimelineFold.Action {
    TimelineFold.Action(
        id: id,
        kind: kind,
        effectiveOn: civil(date),
        org: org,
        category: category,
        rank: rank,
        post: post,
        status: status,
        target: target
    )
}

/// A hire into the bureau's administrative establishment.
private func hire(
    _ id: Int64 = 1,
    _ date: String = "2020-01-06",
    rank: Rank? = .clerk2,
    post: LeadershipPost? = nil,
    status: PersonStatus = .active
) -> TimelineFold.Action {
    action(id, .hire, date, org: bureau, category: .administrative, rank: rank, post: post, status: status)
}

/// Folds `actions`, which must fold, and checks the intervals chain: each ends where the next starts.
private func folded(
    _ actions: [TimelineFold.Action],
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> [TimelineFold.Interval] {
    let intervals = try TimelineFold.fold(actions, machine: machine, ladder: RankLadder.shippedVersions)
    for (earlier, later) in zip(intervals, intervals.dropFirst()) {
        #expect(earlier.until == later.from, "intervals do not chain", sourceLocation: sourceLocation)
        #expect(earlier.from <= later.from, sourceLocation: sourceLocation)
    }
    #expect(intervals.last?.until == nil, "the last interval is closed", sourceLocation: sourceLocation)
    return intervals
}

/// Folds `actions`, which must be refused; returns the refusal.
private func refusal(
    _ actions: [TimelineFold.Action],
    sourceLocation: SourceLocation = #_sourceLocation
) -> TimelineFold.Refusal? {
    #expect(throws: TimelineFold.Refusal.self, sourceLocation: sourceLocation) {
        try TimelineFold.fold(actions, machine: machine, ladder: RankLadder.shippedVersions)
    }
}

@Suite struct TimelineFoldTests {
    @Test func noActionsFoldToNoPlacement() throws {
        #expect(try folded([]).isEmpty)
    }

    @Test func hireConfirmAndPromoteOneStep() throws {
        let intervals = try folded([
            hire(1, "2020-01-06", rank: .clerk2, status: .probation),
            action(2, .confirm, "2020-07-06"),
            action(3, .promote, "2022-01-01", rank: .clerk1),
        ])
        #expect(intervals.map(\.actionID) == [1, 2, 3])
        #expect(intervals.map(\.status) == [.probation, .active, .active])
        #expect(intervals.map(\.rank) == [.clerk2, .clerk2, .clerk1])
        #expect(intervals.map(\.from) == [civil("2020-01-06"), civil("2020-07-06"), civil("2022-01-01")])
        #expect(intervals.map(\.until) == [civil("2020-07-06"), civil("2022-01-01"), nil])
        #expect(intervals.allSatisfy { $0.org == bureau && $0.category == .administrative && $0.post == nil })
    }

    @Test func promotionThatSkipsARankIsRefused() throws {
        let skip = refusal([hire(1, rank: .clerk2), action(2, .promote, "2022-01-01", rank: .principal4)])
        #expect(skip?.actionID == 2)
        #expect(skip?.date == civil("2022-01-01"))
        #expect(skip?.reason.contains(RankLadder.shipped.name(of: .clerk1)) == true, "\(String(describing: skip))")
        // Promoting to the same rank or down is no promotion either.
        #expect(refusal([hire(1, rank: .clerk1), action(2, .promote, "2022-01-01", rank: .clerk1)])?.actionID == 2)
        #expect(refusal([hire(1, rank: .clerk1), action(2, .promote, "2022-01-01", rank: .clerk2)])?.actionID == 2)
        // Two single steps are fine.
        let twice = try folded([
            hire(1, rank: .clerk2),
            action(2, .promote, "2022-01-01", rank: .clerk1),
            action(3, .promote, "2024-01-01", rank: .principal4),
        ])
        #expect(twice.last?.rank == .principal4)
    }

    @Test func promotionAtTheTopRankOrWithoutARankIsRefused() throws {
        for rank in RankLadder.shipped.ranks {
            #expect(
                refusal([hire(1, rank: .inspector1), action(2, .promote, "2022-01-01", rank: rank)])?.actionID == 2,
                "\(rank.code)"
            )
        }
        #expect(refusal([hire(1, rank: nil), action(2, .promote, "2022-01-01", rank: .clerk2)])?.actionID == 2)
        #expect(refusal([hire(1, rank: .clerk2), action(2, .promote, "2022-01-01")])?.actionID == 2)
    }

    @Test func promotionOnProbationIsRefusedByTheStatusMachine() throws {
        let refused = refusal([hire(1, status: .probation), action(2, .promote, "2022-01-01", rank: .clerk1)])
        #expect(refused?.actionID == 2)
        #expect(refused?.reason.contains("试用") == true)
        #expect(refused?.reason.contains("promote") == true)
    }

    @Test func demotionGoesOneStepDown() throws {
        let intervals = try folded([hire(1, rank: .principal4), action(2, .demote, "2022-01-01", rank: .clerk1)])
        #expect(intervals.map(\.rank) == [.principal4, .clerk1])
        #expect(intervals.last?.status == .active)
        #expect(refusal([hire(1, rank: .principal4), action(2, .demote, "2022-01-01", rank: .clerk2)])?.actionID == 2)
        #expect(refusal([hire(1, rank: .clerk2), action(2, .demote, "2022-01-01", rank: .clerk2)])?.actionID == 2)
    }

    @Test func appointmentAndRemovalSetAndClearThePost() throws {
        let intervals = try folded([
            hire(1),
            action(2, .appoint, "2021-01-01", post: .sectionDeputy),
            action(3, .appoint, "2022-01-01", post: .sectionHead),
            action(4, .remove, "2023-01-01"),
        ])
        #expect(intervals.map(\.post) == [nil, .sectionDeputy, .sectionHead, nil])
        #expect(intervals.allSatisfy { $0.status == .active && $0.rank == .clerk2 })
        // 任职 names a post; 免职 needs one to leave.
        #expect(refusal([hire(1), action(2, .appoint, "2021-01-01")])?.actionID == 2)
        #expect(refusal([hire(1), action(2, .remove, "2021-01-01")])?.actionID == 2)
        // Only someone in post (在职) is appointed.
        #expect(
            refusal([hire(1, status: .probation), action(2, .appoint, "2021-01-01", post: .sectionHead)])?.actionID
                == 2
        )
    }

    @Test func reassignmentChangesCategoryOrPostWithinTheOrganisation() throws {
        let intervals = try folded([
            hire(1, post: .sectionDeputy, status: .probation),
            action(2, .reassign, "2021-01-01", category: .politicalLegal),
            action(3, .reassign, "2022-01-01", post: .sectionHead),
        ])
        #expect(intervals.map(\.category) == [.administrative, .politicalLegal, .politicalLegal])
        #expect(intervals.map(\.post) == [.sectionDeputy, .sectionDeputy, .sectionHead])
        #expect(intervals.allSatisfy { $0.org == bureau && $0.status == .probation && $0.rank == .clerk2 })
    }

    @Test func unpaidLeaveAndReturnKeepTheSlot() throws {
        let intervals = try folded([
            hire(1, rank: .clerk1),
            action(2, .unpaidLeave, "2021-01-01"),
            action(3, .demote, "2021-06-01", rank: .clerk2),
            action(4, .returnFromLeave, "2022-01-01"),
        ])
        #expect(intervals.map(\.status) == [.active, .unpaidLeave, .unpaidLeave, .active])
        #expect(intervals.allSatisfy { $0.status.occupiesSlot })
        #expect(intervals.last?.rank == .clerk2)
        // No promotion while on leave; no return without leave.
        #expect(
            refusal([hire(1), action(2, .unpaidLeave, "2021-01-01"), action(3, .promote, "2021-06-01", rank: .clerk1)])?
                .actionID == 3
        )
        #expect(refusal([hire(1), action(2, .returnFromLeave, "2021-01-01")])?.actionID == 2)
    }

    @Test func absenceWithoutLeaveHoldsTheSlotUntilDismissal() throws {
        let intervals = try folded([
            hire(1, post: .sectionHead),
            action(2, .awol, "2021-01-01"),
            action(3, .dismiss, "2021-03-01"),
        ])
        #expect(intervals.map(\.status) == [.active, .awol, .dismissed])
        #expect(intervals.map(\.status.occupiesSlot) == [true, true, false])
        #expect(intervals.map(\.post) == [.sectionHead, .sectionHead, nil])
    }

    @Test func absenceWithoutLeaveCannotEndInRetirementOrResignation() throws {
        for kind in [ActionKind.retire, .resign, .transferOut, .confirm, .returnFromLeave] {
            let refused = refusal([hire(1), action(2, .awol, "2021-01-01"), action(3, kind, "2021-03-01")])
            #expect(refused?.actionID == 3, "\(kind.rawValue)")
            #expect(refused?.reason.contains("自离") == true, "\(kind.rawValue)")
        }
        #expect(try folded([hire(1), action(2, .awol, "2021-01-01"), action(3, .expel, "2021-03-01")]).count == 3)
    }

    @Test func givingNoticeThenResigning() throws {
        let intervals = try folded([
            hire(1, status: .probation),
            action(2, .giveNotice, "2021-01-01"),
            action(3, .resign, "2021-02-01"),
        ])
        #expect(intervals.map(\.status) == [.probation, .leaving, .resigned])
        #expect(intervals.map(\.status.occupiesSlot) == [true, true, false])
    }

    @Test(arguments: ActionKind.exits)
    func everyExitClearsThePostAndStopsOccupying(_ exit: ActionKind) throws {
        let intervals = try folded([hire(1, rank: .clerk1, post: .sectionHead), action(2, exit, "2023-05-01")])
        let last = try #require(intervals.last)
        #expect(last.status == exit.exitStatus)
        #expect(!last.status.occupiesSlot)
        #expect(last.post == nil)
        #expect(last.org == bureau)
        #expect(last.from == civil("2023-05-01"))
        #expect(intervals.first?.until == civil("2023-05-01"))
        #expect(intervals.first?.post == .sectionHead)
        // After an exit the person is no longer in post: nothing but a new placement follows.
        #expect(refusal([hire(1), action(2, exit, "2023-05-01"), action(3, .awol, "2023-06-01")])?.actionID == 3)
    }

    @Test func transferOutAndInOnOneDayMovesThePersonWithoutAGap() throws {
        let intervals = try folded([
            hire(1, rank: .clerk1, post: .sectionHead),
            action(2, .transferOut, "2023-05-01"),
            action(3, .transferIn, "2023-05-01", org: court, category: .politicalLegal, rank: .clerk1),
        ])
        #expect(intervals.map(\.org) == [bureau, bureau, court])
        #expect(intervals.map(\.status) == [.active, .transferredOut, .active])
        #expect(intervals[1].from == intervals[1].until)
        #expect(intervals[2].post == nil)
        #expect(intervals[2].category == .politicalLegal)
        // A transfer in names the unit and the establishment.
        #expect(refusal([hire(1), action(2, .transferOut, "2023-05-01"), action(3, .transferIn, "2023-05-01")]) != nil)
    }

    @Test func aTransferInKeepsTheRankHeldOnItsDateUnlessItStatesOne() throws {
        let kept = try folded([
            hire(1, rank: .clerk1),
            action(2, .transferOut, "2021-05-01"),
            action(3, .transferIn, "2021-05-01", org: court, category: .politicalLegal),
            action(4, .promote, "2022-01-01", rank: .principal4),
        ])
        #expect(kept.map(\.rank) == [.clerk1, .clerk1, .clerk1, .principal4])
        let stated = try folded([
            hire(1, rank: .clerk1),
            action(2, .transferOut, "2021-05-01"),
            action(3, .transferIn, "2021-05-01", org: court, category: .politicalLegal, rank: .principal4),
        ])
        #expect(stated.last?.rank == .principal4)
        // Someone new to the node brings no rank unless the transfer states one.
        let arriving = try folded([action(1, .transferIn, "2021-05-01", org: court, category: .politicalLegal)])
        #expect(arriving.map(\.rank) == [nil])
        #expect(arriving.map(\.status) == [.active])
    }

    @Test func rehireAfterRetirementStartsANewPlacement() throws {
        let intervals = try folded([
            hire(1),
            action(2, .retire, "2030-01-01"),
            action(3, .rehire, "2030-03-01", org: court, category: .serviceWorker, status: .probation),
        ])
        #expect(intervals.map(\.status) == [.active, .retired, .probation])
        #expect(intervals.last?.org == court)
        #expect(intervals.last?.rank == nil)
        // A rehire states 试用 or 在职.
        #expect(
            refusal([
                hire(1), action(2, .retire, "2030-01-01"),
                action(3, .rehire, "2030-03-01", org: court, category: .serviceWorker, status: .leaving),
            ])?.actionID == 3
        )
        // A second hire while in post is refused.
        #expect(refusal([hire(1), hire(2, "2021-01-01")])?.actionID == 2)
    }

    @Test func aHireMustNameTheOrganisationAndCategory() throws {
        #expect(refusal([action(1, .hire, "2020-01-01", org: bureau, status: .active)])?.actionID == 1)
        #expect(refusal([action(1, .hire, "2020-01-01", category: .administrative, status: .active)])?.actionID == 1)
        #expect(refusal([action(1, .hire, "2020-01-01", org: bureau, category: .administrative)])?.actionID == 1)
        #expect(refusal([action(1, .confirm, "2020-01-01")])?.actionID == 1)
    }

    @Test func aBackDatedActionTakesItsPlaceByDate() throws {
        let recorded = [hire(1, rank: .clerk2), action(2, .promote, "2023-01-01", rank: .clerk1)]
        let backDated = [action(3, .unpaidLeave, "2021-01-01"), action(4, .returnFromLeave, "2021-06-01")]
        let intervals = try folded(recorded + backDated)
        #expect(intervals.map(\.actionID) == [1, 3, 4, 2])
        #expect(intervals.map(\.status) == [.active, .unpaidLeave, .active, .active])
        #expect(intervals.map(\.rank) == [.clerk2, .clerk2, .clerk2, .clerk1])
        #expect(intervals.map(\.from) == ["2020-01-06", "2021-01-01", "2021-06-01", "2023-01-01"].map(civil))
        // The order the actions come in does not matter, only their dates (then their numbers).
        #expect(try folded((recorded + backDated).reversed()) == intervals)
    }

    @Test func aBackDatedActionThatBreaksALaterOneIsRefused() throws {
        let recorded = [hire(1, rank: .clerk2), action(2, .promote, "2023-01-01", rank: .clerk1)]
        let refused = refusal(recorded + [action(3, .resign, "2022-01-01")])
        // The refusal names the later action the back-dated one breaks.
        #expect(refused?.actionID == 2)
        #expect(refused?.date == civil("2023-01-01"))
        #expect(refused?.reason.contains("辞职") == true, "\(String(describing: refused))")
        // Resigning after the promotion is fine.
        #expect(try folded(recorded + [action(3, .resign, "2024-01-01")]).last?.status == .resigned)
    }

    @Test func actionsOnOneDayApplyInTheOrderTheyWereRecorded() throws {
        let intervals = try folded([
            hire(1, status: .probation),
            action(2, .confirm, "2021-01-01"),
            action(3, .promote, "2021-01-01", rank: .clerk1),
        ])
        #expect(intervals.map(\.actionID) == [1, 2, 3])
        #expect(
            refusal([
                hire(1, status: .probation), action(3, .confirm, "2021-01-01"),
                action(2, .promote, "2021-01-01", rank: .clerk1),
            ]) != nil
        )
    }

    @Test func cancelledActionsAreDropped() throws {
        let actions = [
            hire(1, rank: .clerk2),
            action(2, .promote, "2023-01-01", rank: .clerk1),
            action(3, .cancel, "2024-01-01", target: 2),
        ]
        let effective = TimelineFold.effective(actions)
        #expect(effective.map(\.id) == [1])
        let intervals = try folded(actions)
        #expect(intervals.map(\.rank) == [.clerk2])
        #expect(intervals.map(\.actionID) == [1])
    }

    @Test func aCancellationThatBreaksALaterActionIsRefused() throws {
        let refused = refusal([
            hire(1, status: .probation),
            action(2, .confirm, "2021-01-01"),
            action(3, .promote, "2022-01-01", rank: .clerk1),
            action(4, .cancel, "2024-01-01", target: 2),
        ])
        #expect(refused?.actionID == 3)
    }

    @Test func theLatestCorrectionReplacesTheOriginalKeepingItsKindAndNumber() throws {
        let actions = [
            hire(1, rank: .clerk2),
            // Recorded out of order: the correction with the higher number is the latest.
            action(6, .correct, "2023-09-01", rank: .clerk1, target: 2),
            action(2, .promote, "2023-01-01", rank: .clerk1),
            action(5, .correct, "2023-06-01", rank: .clerk1, target: 2),
        ]
        let effective = TimelineFold.effective(actions)
        #expect(effective.map(\.id) == [1, 2])
        let corrected = try #require(effective.last)
        #expect(corrected.kind == .promote)
        #expect(corrected.effectiveOn == civil("2023-09-01"))
        #expect(corrected.target == nil)
        let intervals = try folded(actions)
        #expect(intervals.map(\.actionID) == [1, 2])
        #expect(intervals.map(\.from) == [civil("2020-01-06"), civil("2023-09-01")])
        #expect(intervals.map(\.rank) == [.clerk2, .clerk1])
    }

    @Test func aCorrectionThatBreaksTheTimelineIsRefused() throws {
        // Correcting the promotion to two steps up.
        #expect(
            refusal([
                hire(1, rank: .clerk2),
                action(2, .promote, "2023-01-01", rank: .clerk1),
                action(3, .correct, "2023-01-01", rank: .principal4, target: 2),
            ])?.actionID == 2
        )
        // Moving a resignation before a promotion.
        #expect(
            refusal([
                hire(1, rank: .clerk2),
                action(2, .promote, "2023-01-01", rank: .clerk1),
                action(3, .resign, "2024-01-01"),
                action(4, .correct, "2022-01-01", target: 3),
            ])?.actionID == 2
        )
    }
}

/// `QuotaTimeline.firstBreach`, which every hire and every approved action runs on each slot it touches.
extension TimelineFoldTests {
    @Suite struct QuotaBreachTests {
        typealias Span = (from: CivilDate, until: CivilDate?)

        private func span(_ from: String, _ until: String? = nil) -> Span {
            (civil(from), until.map(civil))
        }

        /// The person's change from `before` to `after` against a quota everyone else (`others`) holds.
        private func firstBreach(
            quotas: [(CivilDate, Int)],
            others: [Span],
            before: [Span],
            after: [Span],
            from start: CivilDate
        ) -> QuotaTimeline.Breach? {
            QuotaTimeline(quotas: quotas, occupancy: others).firstBreach(before: before, after: after, from: start)
        }

        @Test func noBreachWithinTheQuota() {
            let others = [span("2020-01-01"), span("2021-01-01")]
            #expect(
                firstBreach(
                    quotas: [(civil("2000-01-01"), 3)],
                    others: others,
                    before: [],
                    after: [span("2024-01-01")],
                    from: civil("2024-01-01")
                ) == nil
            )
        }

        @Test func theBreachIsOnTheFirstDateOverTheQuota() throws {
            let others = [span("2020-01-01"), span("2025-01-01")]
            let breach = try #require(
                firstBreach(
                    quotas: [(civil("2000-01-01"), 2)],
                    others: others,
                    before: [],
                    after: [span("2024-01-01")],
                    from: civil("2024-01-01")
                )
            )
            #expect(breach.date == civil("2025-01-01"))
            #expect(breach.approved == 2)
            #expect(breach.occupied == 3)
        }

        @Test func aSlotFreedTheDayAnotherIsTakenLeavesRoom() {
            // `until` is exclusive: someone leaving on the 1st makes room for someone starting that day.
            let others = [span("2020-01-01"), span("2020-01-01", "2025-01-01")]
            #expect(
                firstBreach(
                    quotas: [(civil("2000-01-01"), 2)],
                    others: others,
                    before: [],
                    after: [span("2025-01-01")],
                    from: civil("2025-01-01")
                ) == nil
            )
            #expect(
                firstBreach(
                    quotas: [(civil("2000-01-01"), 2)],
                    others: others,
                    before: [],
                    after: [span("2024-12-31")],
                    from: civil("2024-12-31")
                )?.date == civil("2024-12-31")
            )
        }

        @Test func noQuotaInForceIsABreachWithoutAnApprovedNumber() throws {
            let breach = try #require(
                firstBreach(
                    quotas: [(civil("2022-01-01"), 5)],
                    others: [],
                    before: [],
                    after: [span("2021-01-01")],
                    from: civil("2021-01-01")
                )
            )
            #expect(breach.date == civil("2021-01-01"))
            #expect(breach.approved == nil)
            #expect(breach.occupied == 1)
        }

        @Test func alreadyOverQuotaIsNoBreachUnlessMadeWorse() throws {
            let quotas = [(civil("2000-01-01"), 3), (civil("2023-01-01"), 1)]
            let others = [span("2020-01-01"), span("2020-01-01")]
            let person = span("2021-01-01")
            // The unit is over quota since the cut; moving this person's start changes nothing there.
            #expect(
                firstBreach(
                    quotas: quotas,
                    others: others,
                    before: [person],
                    after: [span("2021-06-01")],
                    from: civil("2021-01-01")
                ) == nil
            )
            // Leaving makes it better.
            #expect(
                firstBreach(
                    quotas: quotas,
                    others: others,
                    before: [person],
                    after: [span("2021-01-01", "2024-01-01")],
                    from: civil("2024-01-01")
                ) == nil
            )
            // One more makes it worse.
            let worse = try #require(
                firstBreach(
                    quotas: quotas,
                    others: others,
                    before: [person],
                    after: [person, span("2024-01-01")],
                    from: civil("2024-01-01")
                )
            )
            #expect(worse.date == civil("2024-01-01"))
            #expect(worse.approved == 1)
            #expect(worse.occupied == 4)
        }

        @Test func aFutureQuotaCutIsABreachOnTheDayOfTheCut() throws {
            let quotas = [(civil("2000-01-01"), 3), (civil("2027-01-01"), 1)]
            let others = [span("2020-01-01")]
            let breach = try #require(
                firstBreach(
                    quotas: quotas,
                    others: others,
                    before: [],
                    after: [span("2026-06-01")],
                    from: civil("2026-06-01")
                )
            )
            #expect(breach.date == civil("2027-01-01"))
            #expect(breach.approved == 1)
            #expect(breach.occupied == 2)
            // Leaving before the cut is fine.
            #expect(
                firstBreach(
                    quotas: quotas,
                    others: others,
                    before: [],
                    after: [span("2026-06-01", "2027-01-01")],
                    from: civil("2026-06-01")
                ) == nil
            )
        }
    }

    /// The shipped ladder until 2024-12-31, then a ladder with 三级科员 added below 二级科员 from
    /// 2025-01-01 (as a node would write a new version of `rank-ladder.yaml`).
    private static let widened: Dated<RankLadder> = {
        let before = RankLadder.shipped
        let after = RankLadder(before.steps + [RankLadder.Step(rank: Rank(code: "L3-clerk"), name: "三级科员")])
        return Dated([.init(from: civil("2019-06-01"), value: before), .init(from: civil("2025-01-01"), value: after)])
    }()

    @Test func aRankTheLadderInForceDoesNotHoldIsRefusedAndALadderChangedFromADateAppliesFromThatDate() throws {
        let third = Rank(code: "L3-clerk")
        func fold(_ actions: [TimelineFold.Action]) throws(TimelineFold.Refusal) -> [TimelineFold.Interval] {
            try TimelineFold.fold(actions, machine: machine, ladder: Self.widened)
        }
        // Before the new version: no such rank.
        #expect(throws: TimelineFold.Refusal.self) { try fold([hire(1, "2024-12-31", rank: third)]) }
        // From its date: hired at it, then promoted one step along the new ladder.
        let intervals = try fold([
            hire(1, "2025-01-01", rank: third), action(2, .promote, "2026-01-01", rank: .clerk2),
        ])
        #expect(intervals.map(\.rank) == [third, .clerk2])
        // Under the shipped ladder alone the new rank does not exist: demoting to it is refused.
        let bottom = refusal([hire(1, rank: .clerk2), action(2, .demote, "2022-01-01", rank: third)])
        #expect(bottom?.actionID == 2)
        // A rank no ladder holds is refused with its code named.
        let unknown = refusal([hire(1, rank: Rank(code: "L9-elsewhere"))])
        #expect(unknown?.reason.contains("L9-elsewhere") == true, "\(String(describing: unknown))")
    }

    @Test func aPromotionFromARankTheLadderNoLongerHoldsSaysSo() throws {
        // 二级科员 dropped from 2025-01-01: a person recorded at it before cannot be promoted from it.
        let shipped = RankLadder.shipped
        let narrowed = RankLadder(shipped.steps.filter { $0.rank != .clerk2 })
        let ladder = Dated([
            .init(from: civil("2019-06-01"), value: shipped), .init(from: civil("2025-01-01"), value: narrowed),
        ])
        let refused = #expect(throws: TimelineFold.Refusal.self) {
            try TimelineFold.fold(
                [hire(1, "2020-01-06", rank: .clerk2), action(2, .promote, "2025-06-01", rank: .clerk1)],
                machine: machine,
                ladder: ladder
            )
        }
        #expect(refused?.actionID == 2)
        #expect(
            refused?.reason.contains("'L2-clerk' is not on the rank ladder in force on 2025-06-01") == true,
            "\(String(describing: refused))"
        )
    }
}
