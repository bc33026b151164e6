import DossierCore
import DossierReports
import DossierService
import DossierStorage
import Foundation
import Hummingbird

/// The admin pages under `/admin`, rendered on the server and working without JavaScript:
/// sign-in, the staffing dashboard, the organisation tree and pages, who in an organisation may be
/// promoted soon and why, an organisation's file transfers in and out, people, a person's file
/// (with grades and sanctions), the reconciliation cases, the approval queue and the audit log.
/// Every form carries the session's CSRF token; every change is a POST answered by a redirect
/// (so reloading never repeats it).
struct PagesController {
    let pages: Pages
    let signIn: SignIn

    typealias Context = DossierRequestContext

    /// What a signed-in page handler gets: the node acting as the user, and their session.
    struct Visit {
        let dossier: Dossier
        let session: Session
        let request: Request
        /// A POST's URL-encoded form, read once (a body can be read only once).
        let formText: String

        func form<T: Decodable>(_ type: T.Type) throws -> T {
            do { return try URLEncodedFormDecoder().decode(type, from: formText) } catch {
                throw Problem(
                    .badRequest,
                    "The form is incomplete; go back and fill in every field.",
                    messageKey: "formIncomplete"
                )
            }
        }
    }

    func addRoutes(to router: Router<Context>) {
        let admin = router.group("admin")
        admin.get("static/dossier.css") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: pages.stylesheet))
            )
        }
        // The printable tables' own style, for the preview on the reports page.
        admin.get("static/report.css") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: ReportTable.stylesheet))
            )
        }
        admin.get("login") { _, _ -> Response in loginPage() }
        admin.post("login") { request, context -> Response in
            struct Form: Decodable {
                var user: String
                var password: String
                var csrf: String?
            }
            do {
                // Login CSRF (`SignInForm`): from this site's own page, with its token.
                try SignInForm.requireSameOrigin(request)
                let form: Form
                do {
                    form = try URLEncodedFormDecoder().decode(Form.self, from: try await Self.formText(request))
                } catch {
                    return loginPage(status: .badRequest)
                }
                try signIn.form.requireToken(form.csrf, request)
                let (_, session) = try await signIn.signIn(
                    user: form.user,
                    password: form.password,
                    client: context.clientAddress
                )
                var response = redirect("/admin")
                response.setCookie(signIn.cookie(for: session))
                return response
            } catch let problem as Problem {
                var response = loginPage(problem: pageMessage(problem), status: problem.status)
                if let retry = problem.retryAfter { response.headers[.retryAfter] = String(retry) }
                return response
            }
        }
        admin.post("logout") { request, context -> Response in
            guard let session = context.session else { return redirect("/admin/login") }
            try Self.requireCSRF(try await Self.formText(request), session)
            try await signIn.signOut(session, client: context.clientAddress)
            var response = redirect("/admin/login")
            response.setCookie(signIn.expiredCookie())
            return response
        }
        admin.get("") { request, context in try await page(request, context, dashboard) }
        admin.get("organizations") { request, context in try await page(request, context, organizationTree) }
        admin.get("organizations/{code}") { request, context in try await page(request, context, organization) }
        admin.get("organizations/{code}/promotion") { request, context in
            try await page(request, context, promotionCandidates)
        }
        admin.get("organizations/{code}/exchange") { request, context in
            try await page(request, context, fileTransfers)
        }
        admin.get("organizations/{code}/roster") { request, context in
            try await page(request, context, rosterDownload)
        }
        admin.get("people") { request, context in try await page(request, context, people) }
        admin.post("people/search") { request, context in try await page(request, context, search) }
        admin.get("people/{id}") { request, context in try await page(request, context, person) }
        admin.get("people/{id}/promotion") { request, context in try await page(request, context, eligibility) }
        admin.post("people/{id}/promotion") { request, context in try await page(request, context, promotion) }
        admin.post("people/{id}/archive") { request, context in try await page(request, context, archive) }
        admin.post("people/{id}/details") { request, context in try await page(request, context, draftDetails) }
        admin.get("cases") { request, context in try await page(request, context, cases) }
        admin.get("cases/{id}") { request, context in try await page(request, context, reconciliationCase) }
        admin.post("cases/{id}/resolve") { request, context in try await page(request, context, resolveCase) }
        admin.get("actions") { request, context in try await page(request, context, approvals) }
        admin.post("actions/{id}/approve") { request, context in try await page(request, context, approve) }
        admin.post("actions/{id}/reject") { request, context in try await page(request, context, reject) }
        admin.get("reports") { request, context in try await page(request, context, reportList) }
        admin.get("reports/{name}") { request, context in try await page(request, context, reportPreview) }
        admin.get("audit") { request, context in try await page(request, context) { try await audit($0, $1) } }
        admin.post("audit/verify") { request, context in try await page(request, context, verifyAudit) }
        admin.get("users") { request, context in try await page(request, context, users) }
        admin.post("users/{name}/disable") { request, context in try await page(request, context, disableUser) }
        admin.post("users/{name}/enable") { request, context in try await page(request, context, enableUser) }
        admin.post("users/{name}/role") { request, context in try await page(request, context, changeRole) }
        admin.post("users/{name}/unlock") { request, context in try await page(request, context, unlockUser) }
    }

    // MARK: Plumbing

    /// Runs a page for a signed-in user (others go to the sign-in page). POSTs must carry the
    /// session's CSRF token. Refusals become an error page with the matching status.
    private func page(
        _ request: Request,
        _ context: Context,
        _ body: (Visit, Context) async throws -> Response
    ) async throws -> Response {
        // The node acting as the signed-in user is the only way to a use case (fails closed).
        guard let session = context.session, let dossier = context.dossier else { return redirect("/admin/login") }
        let user = dossier.actor
        do {
            var formText = ""
            if request.method == .post {
                formText = try await Self.formText(request)
                try Self.requireCSRF(formText, session)
            }
            let visit = Visit(
                dossier: dossier,
                session: session,
                request: request,
                formText: formText
            )
            return try await body(visit, context)
        } catch let error as ServiceError {
            return errorPage(Problem(error, logger: context.logger), session: session, user: user)
        } catch let problem as Problem {
            return errorPage(problem, session: session, user: user)
        }
    }

    /// The refusal's title and sentence in the pages' language.
    private func errorPage(_ problem: Problem, session: Session, user: User) -> Response {
        let title = pages.text(problem.kind.titleKey)
        return html(
            pages.render(
                "error",
                base(title, session: session, user: user).merging(["detail": pageMessage(problem)]) { $1 }
            ),
            status: problem.status
        )
    }

    /// The values every signed-in page has: title, user, CSRF token.
    private func base(_ title: String, session: Session, user: User) -> [String: Any] {
        [
            "pageTitle": title,
            "csrf": session.csrfToken,
            "user": [
                "name": user.name, "role": user.role.rawValue, "csrf": session.csrfToken,
                "isAdmin": user.role == .admin, "mayReadCases": Permission.readCases.isGranted(to: user.role),
            ] as [String: Any],
        ]
    }

    func base(_ title: String, _ visit: Visit) -> [String: Any] {
        var values = base(title, session: visit.session, user: visit.dossier.actor)
        if let done = visit.request.uri.queryParameters.get("done"), pages.messages[done] != nil {
            values["flash"] = pages.text(done)
        }
        return values
    }

    /// A refusal in the pages' language (the API keeps the problem's English detail): the
    /// catalogue's text for the pages' own refusals, the service's Chinese sentence on Chinese
    /// pages, its English sentence on English ones.
    private func pageMessage(_ problem: Problem) -> String {
        if let key = problem.messageKey {
            let minutes = max(1, (problem.retryAfter ?? 60) / 60)
            return pages.text(key).replacingOccurrences(of: "{minutes}", with: String(minutes))
        }
        switch pages.language {
        case .chinese: return problem.chineseDetail ?? problem.detail
        case .english: return problem.detail
        }
    }

    /// The sign-in page, with a new form token (and its cookie) each time it is shown.

    private func loginPage(problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let (token, cookie) = signIn.form.issue()
        var values: [String: Any] = ["pageTitle": pages.text("signIn"), "signInToken": token]
        if let problem { values["problem"] = problem }
        var response = html(pages.render("login", values), status: status)
        response.setCookie(cookie)
        return response
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// Reads a small URL-encoded form body (64 KB at most).
    private static func formText(_ request: Request) async throws -> String {
        do { return String(buffer: try await request.body.collect(upTo: 64 * 1024)) } catch {
            throw Problem(.payloadTooLarge, "The form is larger than allowed.", messageKey: "formTooLarge")
        }
    }

    private static func requireCSRF(_ formText: String, _ session: Session) throws {
        struct Token: Decodable { var csrf: String }
        guard let token = try? URLEncodedFormDecoder().decode(Token.self, from: formText),
            SignInForm.constantTimeEquals(token.csrf, session.csrfToken)
        else {
            throw Problem(
                .csrf,
                "The form has expired or did not come from Dossier; reload the page and try again.",
                messageKey: "formExpired"
            )
        }
    }

    /// What a headcount row counts, by code and by name (a rank band's name from the node's policy).
    private func subject(_ row: Headcount, _ dossier: Dossier) -> (code: String, name: String) {
        switch row.subject {
        case .category(let category): return (category.code, category.chineseName)
        case .post(let post): return (post.code, post.chineseName)
        case .rankBand(let band): return (band, dossier.rankQuotas.band(band)?.name ?? band)
        }
    }

    private func row(_ row: Headcount, _ dossier: Dossier) -> [String: Any] {
        let subject = subject(row, dossier)
        return Self.figures(HeadcountSums(row)).merging(
            ["org": row.orgCode.value, "orgName": row.orgName, "subject": subject.code, "subjectName": subject.name]
        ) { $1 }
    }

    private static func personRow(_ person: PersonView, ladder: RankLadder) -> [String: Any] {
        [
            "id": person.id, "name": person.name, "idNumber": person.idNumber, "orgName": person.orgName ?? "",
            "rank": person.rank.map(ladder.name(of:)) ?? "", "status": person.status?.chineseName ?? "",
        ]
    }

    // MARK: Pages

    /// The staffing overview: totals by category, the top-level units with everything under
    /// them (each opens its organisation page, which goes one level further down), the rows over
    /// quota and those with the most vacancies. Rows are listed unit by unit only where they call
    /// for attention, and at most `overQuotaShown` of them, so the page stays short on any node.
    private func dashboard(_ visit: Visit, _ context: Context) async throws -> Response {
        let date = try Parameter.date(visit.request, or: visit.dossier.today)
        let dossier = visit.dossier
        let overview = try await SlowWork.run { try await dossier.overview(on: date) }
        var values = base(pages.text("dashboard"), visit)
        values["asOf"] = date.description
        values["categories"] = overview.categories.map { total in
            Self.figures(total.sums).merging(
                ["subject": total.category.code, "subjectName": total.category.chineseName]
            ) { $1 }
        }
        values["totals"] = Self.figures(overview.total)
        values["posts"] = Self.figures(overview.posts)
        values["units"] = overview.units.map { Self.unitRow($0, date) }
        values["overQuota"] = overview.overQuota.prefix(Self.overQuotaShown).map { self.row($0, visit.dossier) }
        values["overQuotaCount"] = overview.overQuota.count
        values["overQuotaCut"] = overview.overQuota.count > Self.overQuotaShown
        values["overQuotaShown"] = Self.overQuotaShown
        values["hasOverQuota"] = !overview.overQuota.isEmpty
        values["mostVacant"] = overview.mostVacant.map { self.row($0, visit.dossier) }
        // The reconciliation tile: counts only, which every role may see.
        let counts = try await dossier.caseCounts()
        values["openCases"] = counts.reduce(0) { $0 + $1.open }
        values["overdueCases"] = counts.reduce(0) { $0 + $1.overdue }
        values["mayReadCases"] = Permission.readCases.isGranted(to: dossier.actor.role)
        return html(pages.render("dashboard", values))
    }

    /// The most over-quota rows the overview lists; the organisation pages show the rest.
    static let overQuotaShown = 50

    /// Approved, occupied, vacant and over figures, and the row's shading: over quota first,
    /// then vacant.
    private static func figures(_ sums: HeadcountSums) -> [String: Any] {
        [
            "approved": sums.approved, "occupied": sums.occupied, "vacant": sums.vacant, "over": sums.over,
            "rowClass": sums.over > 0 ? "over" : (sums.vacant > 0 ? "vacant" : ""),
        ]
    }

    /// A unit with everything under it, linking to its organisation page on the same date.
    private static func unitRow(_ unit: SubtreeHeadcount, _ date: CivilDate) -> [String: Any] {
        figures(unit.sums).merging(
            [
                "org": unit.organization.code.value, "orgName": unit.organization.name,
                "level": unit.organization.level.chineseName, "asOf": date.description,
                "units": unit.units, "unitsOver": unit.unitsOver,
            ]
        ) { $1 }
    }

    private func organizationTree(_ visit: Visit, _ context: Context) async throws -> Response {
        let tree = await OrganizationTree(try visit.dossier.organizations())
        func node(_ organization: Organization) -> [String: Any] {
            let below = tree.children(of: organization.code)
            return [
                "code": organization.code.value, "name": organization.name,
                "level": organization.level.chineseName, "kind": organization.kind.chineseName,
                "hasChildren": !below.isEmpty, "children": below.map(node),
            ]
        }
        var values = base(pages.text("organizations"), visit)
        values["roots"] = tree.roots.map(node)
        if let query = visit.request.uri.queryParameters.get("q").map({ String($0) }),
            query.contains(where: { !$0.isWhitespace })
        {
            values["query"] = query
            values["searched"] = true
            values["matches"] = try await visit.dossier.findOrganizations(query).map { match -> [String: Any] in
                [
                    "code": match.organization.code.value, "name": match.organization.name,
                    "under": match.ancestors.map(\.name).joined(separator: " › "),
                ]
            }
        }
        return html(pages.render("organizations", values))
    }

    private func organization(_ visit: Visit, _ context: Context) async throws -> Response {
        guard let text = context.parameters.get("code"), let code = try? CreditCode(text) else {
            throw Problem(.notFound, "There is nothing at this address.", messageKey: "notFound")
        }
        let date = try Parameter.date(visit.request, or: visit.dossier.today)
        // The units below are summed from the headcount of the whole subtree: slow work on a large node.
        let dossier = visit.dossier
        let (drilldown, ranks) = try await SlowWork.run {
            await (try dossier.drilldown(of: code, on: date), try dossier.rankHeadcount(on: date, org: code))
        }
        let organization = drilldown.organization
        var values = base(organization.name, visit)
        values["asOf"] = date.description
        values["org"] = [
            "code": organization.code.value, "name": organization.name, "level": organization.level.chineseName,
            "kind": organization.kind.chineseName,
        ]
        var establishment: [Headcount] = []
        var posts: [Headcount] = []
        for row in drilldown.own {
            if case .post = row.subject { posts.append(row) } else { establishment.append(row) }
        }
        values["rows"] = establishment.map { self.row($0, visit.dossier) }
        values["posts"] = posts.map { self.row($0, visit.dossier) }
        values["ranks"] = ranks.map { self.row($0, visit.dossier) }
        values["ancestors"] = drilldown.ancestors.map { ["code": $0.code.value, "name": $0.name] }
        values["units"] = drilldown.units.map { Self.unitRow($0, date) }
        values["hasPosts"] = !posts.isEmpty
        values["hasRanks"] = !ranks.isEmpty
        values["hasUnits"] = !drilldown.units.isEmpty
        values["mayReadPeople"] = Permission.readPeople.isGranted(to: visit.dossier.actor.role)
        return html(pages.render("organization", values))
    }

    private func people(_ visit: Visit, _ context: Context) async throws -> Response {
        let limit = 50
        let date = try Parameter.date(visit.request, or: visit.dossier.today)
        let org = try Parameter.org(visit.request)
        var values = base(pages.text("people"), visit)
        let query = visit.request.uri.queryParameters
        // The filters as typed, kept in the form; any of them makes the page a search.
        var asked: [String: String] = [:]
        for name in PeopleController.questionParameters {
            if let value = query.get(name), !value.isEmpty { asked[name] = String(value) }
        }
        values["asked"] = asked
        values["levels"] = try visit.dossier.reportCatalog().dimensions.at(date).levels.filter { !$0.isRest }.map {
            ["label": $0.label, "selected": asked["levels"] == $0.label]
        }
        let people: [PersonView]
        var nextQuery = "as_of=\(date)"
        if asked.isEmpty {
            people = try await visit.dossier.people(
                on: date,
                org: org,
                after: try Parameter.cursor(visit.request),
                limit: limit
            )
            if let org { nextQuery += "&org=\(org.value)" }
        } else {
            var question = try PeopleController.question(visit.request)
            question.on = date
            people = try await visit.dossier.searchPeople(
                question,
                after: try Parameter.cursor(visit.request),
                limit: limit
            )
            values["found"] = try await visit.dossier.countPeople(question)
            for (name, value) in asked.sorted(by: { $0.key < $1.key }) {
                nextQuery += "&\(name)=" + (value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
            }
        }
        let ladder = visit.dossier.rankLadder(on: date)
        values["people"] = people.map { Self.personRow($0, ladder: ladder) }
        if let next = Parameter.next(people.map(\.id), limit: limit) {
            values["nextURL"] = "/admin/people?cursor=\(next)&" + nextQuery
        }
        return html(pages.render("people", values))
    }

    /// Identity numbers come in a POST body, never in a URL (URLs end up in logs and history).
    private func search(_ visit: Visit, _ context: Context) async throws -> Response {
        struct Form: Decodable {
            var idNumber: String
            private enum CodingKeys: String, CodingKey { case idNumber = "id_number" }
        }
        let form = try visit.form(Form.self)
        let person = try await visit.dossier.findPerson(idNumber: form.idNumber.trimmingCharacters(in: .whitespaces))
        return redirect("/admin/people/\(person.id)")
    }

    private func person(_ visit: Visit, _ context: Context) async throws -> Response {
        let id = try Parameter.id(context)
        let person = try await visit.dossier.person(id)
        let timeline = try await visit.dossier.timeline(personID: id)
        let documents = try await visit.dossier.documents(personID: id)
        let assessments = try await visit.dossier.assessments(personID: id)
        let sanctions = try await visit.dossier.sanctions(personID: id)
        let role = visit.dossier.actor.role
        var values = base(person.name, visit)
        let ladder = visit.dossier.rankLadder()
        values["person"] = [
            "id": person.id, "name": person.name, "idNumber": person.idNumber, "sex": person.sex.chineseName,
            "birthDate": person.birthDate.description, "orgName": person.orgName ?? "",
            "category": person.category?.chineseName ?? "", "rank": person.rank.map(ladder.name(of:)) ?? "",
            "rankCode": person.rank?.code ?? "", "post": person.post?.chineseName ?? "",
            "status": person.status?.chineseName ?? "", "since": person.since?.description ?? "",
            "ethnicity": person.ethnicity.chineseName, "education": person.education.chineseName,
            "politicalStatus": person.politicalStatus.chineseName, "phone": person.phone ?? "",
        ]
        // A cancelled or corrected action stays, marked as on the command line; a change of
        // personal details shows what it stated.
        values["timeline"] = timeline.map {
            [
                "id": $0.actionID, "effectiveOn": $0.effectiveOn.description, "kind": $0.kind.chineseName,
                "kindCode": $0.kind.rawValue, "org": $0.orgCode.value,
                "rank": $0.rank.map(visit.dossier.rankLadder(on: $0.effectiveOn).name(of:)) ?? "",
                "status": $0.status.chineseName, "amended": $0.amendedBy != nil,
                "cancelled": $0.amendment == .cancel, "corrected": $0.amendment == .correct,
                "amendedBy": $0.amendedBy.map(String.init) ?? "",
                "details": $0.details?.text ?? "",
            ] as [String: Any]
        }
        values["documents"] = documents.map {
            [
                "archiveClass": $0.archiveClass.code, "title": $0.title, "date": $0.date.description,
                "pages": $0.pages.map(String.init) ?? "",
            ]
        }
        values["hasDocuments"] = !documents.isEmpty
        values["assessments"] = assessments.map {
            [
                "year": $0.year, "grade": $0.grade.chineseName, "decidedOn": $0.decidedOn.description,
                "state": $0.state.rawValue, "stateName": pages.text(Self.stateKey($0.state)),
                "reason": $0.reason ?? $0.decisionReason ?? "",
            ] as [String: Any]
        }
        values["hasAssessments"] = !assessments.isEmpty
        values["sanctions"] = sanctions.map {
            [
                "kind": $0.kind.code, "kindName": $0.kind.chineseName, "on": $0.on.description,
                "liftedOn": $0.liftedOn?.description ?? "", "reference": $0.reference ?? "",
            ]
        }
        values["hasSanctions"] = !sanctions.isEmpty
        values["today"] = visit.dossier.today.description
        if Permission.draftActions.isGranted(to: role), person.status != nil {
            let next = person.rank.flatMap(ladder.higher(than:))
            values["mayDraft"] = true
            values["rankChoices"] = ladder.steps.reversed().map {
                ["code": $0.rank.code, "name": $0.name, "selected": $0.rank == next] as [String: Any]
            }
        }
        if Permission.draftActions.isGranted(to: role) {
            values["mayDraftDetails"] = true
            values["detailsChoices"] = Self.detailsChoices()
        }
        values["mayPack"] = Permission.revealIdentity.isGranted(to: role)
        return html(pages.render("person", values))
    }

    private func promotion(_ visit: Visit, _ context: Context) async throws -> Response {
        struct Form: Decodable {
            var rank: String
            var effectiveOn: String
            var note: String?
            private enum CodingKeys: String, CodingKey {
                case rank
                case effectiveOn = "effective_on"
                case note
            }
        }
        let id = try Parameter.id(context)
        let form = try visit.form(Form.self)
        guard let date = CivilDate(iso: form.effectiveOn) else {
            throw Problem(.invalid, "The effective date must be written YYYY-MM-DD.", messageKey: "badEffectiveDate")
        }
        guard let rank = visit.dossier.rankLadder(on: date).rank(codeOrName: form.rank) else {
            throw Problem(.invalid, "Choose a rank from the list.", messageKey: "chooseRank")
        }
        _ = try await visit.dossier.draftAction(
            ActionDraftInput(personID: id, kind: .promote, effectiveOn: date, rank: rank, note: form.note ?? "")
        )
        return redirect("/admin/people/\(id)?done=draftSaved")
    }

    private func archive(_ visit: Visit, _ context: Context) async throws -> Response {
        try await SlowWork.archiveDownload(visit.dossier, personID: try Parameter.id(context), context: context)
    }

    // MARK: Promotion eligibility

    /// How far ahead the organisation's list looks: who becomes eligible within a year.
    static let eligibilityHorizonMonths = 12

    /// Who in an organisation (and those under it) is eligible for the next rank on the day
    /// shown or becomes so within the next 12 months: eligible now first, then soonest, each one
    /// click from the reasoning.
    private func promotionCandidates(_ visit: Visit, _ context: Context) async throws -> Response {
        guard let text = context.parameters.get("code"), let code = try? CreditCode(text) else {
            throw Problem(.notFound, "There is nothing at this address.", messageKey: "notFound")
        }
        let date = try Parameter.date(visit.request, or: visit.dossier.today)
        // A year ahead must still be a date (years end at 9999).
        guard date.year < 9999 else {
            throw Problem(.badRequest, "'as_of' must be a date before 9999.", messageKey: "dateBefore9999")
        }
        let until = date.adding(months: Self.eligibilityHorizonMonths)
        let dossier = visit.dossier
        // One pass over everyone under the organisation: slow work on a large node.
        let candidates = try await SlowWork.run {
            try await dossier.promotionCandidates(org: code, on: date, all: true)
        }
        let organizations = try await dossier.organizations()
        let names = Dictionary(organizations.map { ($0.code, $0.name) }) { first, _ in first }
        let ladder = dossier.rankLadder(on: date)
        let listed = candidates.compactMap { candidate -> (PromotionCandidate, CivilDate)? in
            guard let from = candidate.explanation.eligibleFrom, from < until else { return nil }
            return (candidate, from)
        }
        .sorted { lhs, rhs in
            if lhs.0.explanation.eligible != rhs.0.explanation.eligible { return lhs.0.explanation.eligible }
            if lhs.1 != rhs.1 { return lhs.1 < rhs.1 }
            return lhs.0.personID < rhs.0.personID
        }
        var values = base("\(names[code] ?? code.value) · \(pages.text("promotionEligibility"))", visit)
        values["asOf"] = date.description
        values["until"] = until.description
        values["org"] = ["code": code.value, "name": names[code] ?? code.value]
        values["candidates"] = listed.map { candidate, from -> [String: Any] in
            let explanation = candidate.explanation
            return [
                "id": candidate.personID, "name": candidate.name,
                "orgName": names[candidate.org] ?? candidate.org.value,
                "rank": explanation.rank.map(ladder.name(of:)) ?? "",
                "nextRank": explanation.nextRank.map(ladder.name(of:)) ?? "", "eligibleFrom": from.description,
                "eligible": explanation.eligible, "eligibleText": String(explanation.eligible),
                "rowClass": explanation.eligible ? "eligible" : "",
                "asOf": date.description,
            ]
        }
        values["hasCandidates"] = !listed.isEmpty
        return html(pages.render("promotion-candidates", values))
    }

    /// Whether one person may be promoted to the next rank on a day, with every step of the
    /// reasoning (months year by year, 优秀, sanctions, the date).
    private func eligibility(_ visit: Visit, _ context: Context) async throws -> Response {
        let id = try Parameter.id(context)
        let date = try Parameter.date(visit.request, or: visit.dossier.today)
        let person = try await visit.dossier.person(id)
        let explanation = try await visit.dossier.explainPromotion(personID: id, on: date)
        let ladder = visit.dossier.rankLadder(on: date)
        var values = base("\(person.name) · \(pages.text("promotionEligibility"))", visit)
        values["person"] = ["id": person.id, "name": person.name]
        values["asOf"] = date.description
        values["rank"] = explanation.rank.map(ladder.name(of:)) ?? ""
        values["nextRank"] = explanation.nextRank.map(ladder.name(of:)) ?? ""
        values["eligible"] = explanation.eligible
        values["eligibleText"] = String(explanation.eligible)
        values["eligibleFrom"] = explanation.eligibleFrom?.description ?? ""
        values["monthsCounted"] = explanation.monthsCounted.map(String.init) ?? ""
        values["monthsNeeded"] = explanation.monthsNeeded.map(String.init) ?? ""
        values["firstUnmet"] = explanation.firstUnmet
        values["steps"] = explanation.steps.map { ["rule": $0.rule.rawValue, "text": $0.text] }
        return html(pages.render("promotion", values))
    }

    private static func stateKey(_ state: AssessmentState) -> String {
        switch state {
        case .pending: return "assessmentPending"
        case .final: return "assessmentFinal"
        case .rejected: return "assessmentRejected"
        }
    }

    // MARK: Reconciliation cases

    /// The most open cases the list shows; the API pages through the rest.
    static let casesShown = 500

    /// Open cases in reach (of one organisation and those under it, with `?org=`): how many of
    /// each rule, then every case, overdue first, then by rule, oldest first.
    private func cases(_ visit: Visit, _ context: Context) async throws -> Response {
        let dossier = visit.dossier
        // The filter's "all organisations" choice sends an empty code.
        let org = visit.request.uri.queryParameters.get("org")?.isEmpty == true ? nil : try Parameter.org(visit.request)
        let found = try await dossier.cases(status: .open, org: org, limit: Self.casesShown + 1)
        let organizations = try await dossier.organizations()
        let names = Dictionary(organizations.map { ($0.code, $0.name) }) { first, _ in first }
        let today = dossier.today
        let listed = found.prefix(Self.casesShown).sorted { lhs, rhs in
            if lhs.overdue != rhs.overdue { return lhs.overdue }
            if lhs.stored.rule != rhs.stored.rule { return lhs.stored.rule < rhs.stored.rule }
            if lhs.stored.openedOn != rhs.stored.openedOn { return lhs.stored.openedOn < rhs.stored.openedOn }
            return lhs.stored.id < rhs.stored.id
        }
        var values = base(pages.text("cases"), visit)
        values["orgs"] = organizations.map {
            ["code": $0.code.value, "name": $0.name, "selected": $0.code == org] as [String: Any]
        }
        values["cases"] = listed.map { view -> [String: Any] in
            let stored = view.stored
            return [
                "id": stored.id, "rule": stored.rule.rawValue, "ruleName": stored.rule.chineseName,
                "summary": stored.rule.summary, "who": Self.who(view), "orgName": names[stored.org] ?? stored.org.value,
                "openedOn": stored.openedOn.description, "dueOn": stored.dueOn.description,
                "age": today.dayNumber - stored.openedOn.dayNumber, "overdue": view.overdue,
                "rowClass": view.overdue ? "overdue" : "",
            ]
        }
        values["byRule"] = ReconciliationRule.allCases.compactMap { rule -> [String: Any]? in
            let ofRule = listed.filter { $0.stored.rule == rule }
            guard !ofRule.isEmpty else { return nil }
            return [
                "rule": rule.rawValue, "ruleName": rule.chineseName, "summary": rule.summary, "open": ofRule.count,
                "overdue": ofRule.filter(\.overdue).count,
            ]
        }
        values["hasCases"] = !listed.isEmpty
        values["cut"] = found.count > Self.casesShown
        values["shown"] = Self.casesShown
        return html(pages.render("cases", values))
    }

    /// Who a case is about: the name on file, or for someone not on file the name the feed gave
    /// and the identity number as the view holds it (masked).
    private static func who(_ view: CaseView) -> String {
        [view.stored.name, view.identity].compactMap { $0 }.joined(separator: " ")
    }

    /// One case: what was found, the feed rows it rests on, the person's timeline, and for users
    /// who may decide it (and while it is open) the form to do so.
    private func reconciliationCase(_ visit: Visit, _ context: Context) async throws -> Response {
        let dossier = visit.dossier
        let detail = try await dossier.reconciliationCase(try Parameter.id(context))
        let view = detail.view
        let stored = view.stored
        let organizations = try await dossier.organizations()
        let role = dossier.actor.role
        var values = base("\(pages.text("case")) \(stored.id)", visit)
        var shown: [String: Any] = [
            "id": stored.id, "ruleName": stored.rule.chineseName, "summary": stored.rule.summary,
            "known": stored.personID != nil, "name": stored.name ?? "",
            "orgName": organizations.first { $0.code == stored.org }?.name ?? stored.org.value,
            "status": stored.status.rawValue, "statusName": pages.text(Self.statusKey(stored.status)),
            "openedOn": stored.openedOn.description, "dueOn": stored.dueOn.description, "overdue": view.overdue,
            "rowClass": view.overdue ? "overdue" : "",
        ]
        shown["personID"] = stored.personID
        shown["identity"] = view.identity
        shown["outcome"] = stored.outcome.map { pages.text(Self.outcomeKey($0)) }
        shown["closedOn"] = stored.closedOn?.description
        shown["note"] = stored.note
        shown["draft"] = stored.draftID
        values["case"] = shown
        values["facts"] = stored.evidence.facts.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        if let feed = detail.feed {
            values["feed"] =
                [
                    "fileName": feed.fileName, "kind": feed.kind.rawValue, "asOf": feed.asOf.description,
                    "rows": detail.rows.map {
                        ["row": $0.row, "name": $0.name, "fields": Self.fields($0)] as [String: Any]
                    },
                ] as [String: Any]
        }
        let cited = Set(stored.evidence.actions)
        values["timeline"] = detail.timeline.map {
            [
                "actionID": $0.actionID, "effectiveOn": $0.effectiveOn.description, "kind": $0.kind.chineseName,
                "org": $0.orgCode.value, "rank": $0.rank.map(dossier.rankLadder(on: $0.effectiveOn).name(of:)) ?? "",
                "status": $0.status.chineseName, "rowClass": cited.contains($0.actionID) ? "cited" : "",
            ] as [String: Any]
        }
        values["hasTimeline"] = !detail.timeline.isEmpty
        values["mayReadPeople"] = Permission.readPeople.isGranted(to: role)
        if Permission.resolveCases.isGranted(to: role), stored.status == .open {
            values["mayResolve"] = true
            values["outcomes"] = CaseOutcome.allCases.map {
                ["code": $0.rawValue, "label": pages.text(Self.outcomeKey($0))]
            }
        }
        return html(pages.render("case", values))
    }

    private func resolveCase(_ visit: Visit, _ context: Context) async throws -> Response {
        struct Form: Decodable {
            var outcome: String
            var note: String
        }
        let id = try Parameter.id(context)
        let form = try visit.form(Form.self)
        guard let outcome = CaseOutcome(rawValue: form.outcome) else {
            throw Problem(.badRequest, "Choose one of the outcomes offered.", messageKey: "chooseOutcome")
        }
        let resolution = try await visit.dossier.resolveCase(id, outcome: outcome, note: form.note)
        let done = resolution.draftID == nil ? "caseResolvedMessage" : "caseConfirmedMessage"
        return redirect("/admin/cases/\(id)?done=\(done)")
    }

    private static func statusKey(_ status: CaseStatus) -> String {
        switch status {
        case .open: return "statusOpen"
        case .resolved: return "statusResolved"
        case .cleared: return "statusCleared"
        }
    }

    private static func outcomeKey(_ outcome: CaseOutcome) -> String {
        switch outcome {
        case .confirmed: return "outcomeConfirmed"
        case .corrected: return "outcomeCorrected"
        case .dismissed: return "outcomeDismissed"
        }
    }

    /// A feed row's fields in one line, in the order of the file's columns (the identity number
    /// is never among them).
    private static func fields(_ row: FeedRow) -> String {
        var parts: [String] = []
        if let org = row.orgCode { parts.append(org.value) }
        if let insurance = row.insurance { parts.append(insurance.rawValue) }
        if let contribution = row.contribution { parts.append(contribution.rawValue) }
        if let retired = row.retired { parts.append(retired ? "retired" : "not retired") }
        if let changedOn = row.changedOn { parts.append(changedOn.description) }
        if let month = row.month { parts.append(String(month.description.prefix(7))) }
        if let gross = row.grossCents { parts.append("gross \(Self.yuan(gross))") }
        if let net = row.netCents { parts.append("net \(Self.yuan(net))") }
        if let day = row.day { parts.append(day.description) }
        if let mark = row.mark { parts.append(mark.rawValue) }
        return parts.joined(separator: " · ")
    }

    private static func yuan(_ fen: Int64) -> String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(fen < 0 ? "-" : "")\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    private func approvals(_ visit: Visit, _ context: Context) async throws -> Response {
        let drafts = try await visit.dossier.drafts(state: .draft, limit: 200)
        let previews = try await visit.dossier.previews(of: drafts)
        var values = base(pages.text("approvals"), visit)
        values["drafts"] = drafts.map { draft in
            let rankName = visit.dossier.rankLadder(on: draft.effectiveOn).name(of:)
            let preview = previews[draft.id]
            let standing = preview?.current?.text(rankName: rankName)
            var row: [String: Any] = [
                "id": draft.id, "personID": draft.personID, "personName": draft.personName,
                "kind": draft.kind.chineseName, "effectiveOn": draft.effectiveOn.description,
                "rank": draft.rank.map(rankName) ?? "",
                "standing": standing ?? "—",
                "changes": (preview?.changes(rankName: rankName) ?? []).map {
                    ["field": $0.field, "from": $0.from, "to": $0.to]
                },
                "draftedBy": draft.draftedBy, "note": draft.note,
                "csrf": visit.session.csrfToken,
            ]
            if let refusal = preview?.refusal { row["refusal"] = refusal }
            return row
        }
        values["hasDrafts"] = !drafts.isEmpty
        return html(pages.render("actions", values))
    }

    private func approve(_ visit: Visit, _ context: Context) async throws -> Response {
        _ = try await visit.dossier.approve(draft: try Parameter.id(context))
        return redirect("/admin/actions?done=approvedMessage")
    }

    private func reject(_ visit: Visit, _ context: Context) async throws -> Response {
        struct Form: Decodable { var reason: String }
        let form = try visit.form(Form.self)
        try await visit.dossier.reject(draft: try Parameter.id(context), reason: form.reason)
        return redirect("/admin/actions?done=rejectedMessage")
    }

    private func audit(
        _ visit: Visit,
        _ context: Context,
        verification: AuditVerification? = nil
    ) async throws
        -> Response
    {
        let limit = 100
        let query = visit.request.uri.queryParameters
        func asked(_ name: String) -> String? {
            query.get(name).map { String($0) }.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        }
        func day(_ name: String) throws -> CivilDate? {
            guard let text = asked(name) else { return nil }
            guard let date = CivilDate(iso: text) else {
                throw Problem(.badRequest, "'\(name)' is not a date YYYY-MM-DD.", messageKey: "badDate")
            }
            return date
        }
        let person = try asked("person").map { text -> Int64 in
            guard let id = Int64(text), id > 0 else {
                throw Problem(.badRequest, "'person' is not a file number.", messageKey: "badFileNumber")
            }
            return id
        }
        let cursor = try Parameter.cursor(visit.request)
        // Newest first on the page: what happened last is what an officer looks for.
        let entries = try await visit.dossier.auditLog(
            person: person,
            user: asked("user"),
            action: asked("action"),
            from: try day("from"),
            to: try day("to"),
            newestFirst: true,
            cursor: cursor == 0 ? nil : cursor,
            limit: limit
        )
        var values = base(pages.text("audit"), visit)
        values["entries"] = entries.map {
            [
                "seq": $0.seq, "at": AuditText.localTime($0.at), "actor": $0.actor, "action": $0.action,
                "subject": $0.subject,
            ] as [String: Any]
        }
        var kept: [String: String] = [:]
        for name in ["person", "user", "action", "from", "to"] { kept[name] = asked(name) }
        values["asked"] = kept
        if entries.count == limit, let last = entries.last {
            var components = URLComponents()
            components.path = "/admin/audit"
            components.queryItems =
                kept.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
                + [URLQueryItem(name: "cursor", value: String(last.seq))]
            values["nextURL"] = components.string ?? "/admin/audit?cursor=\(last.seq)"
        }
        if let verification {
            let message: String
            if let broken = verification.firstBroken {
                message = "\(pages.text("broken")) \(broken)"
            } else if let checkpoint = verification.brokenCheckpoint {
                // The chain walks cleanly but was rewritten after this signed checkpoint.
                message = "\(pages.text("checkpointBroken")) \(checkpoint)"
            } else {
                message = pages.text("intact")
            }
            values["verification"] =
                [
                    "class": verification.isIntact ? "flash" : "problem",
                    "message": message,
                    "checked": verification.checked,
                    "checkpoints": verification.checkpointsChecked,
                ] as [String: Any]
        }
        return html(pages.render("audit", values))
    }

    private func verifyAudit(_ visit: Visit, _ context: Context) async throws -> Response {
        try await audit(visit, context, verification: try visit.dossier.verifyAudit())
    }

    // MARK: Users (administrators)

    private func users(_ visit: Visit, _ context: Context) async throws -> Response {
        let users = try await visit.dossier.users()
        // Lock-outs are counted in this server's memory: it can say who is locked out now.
        let locked = await signIn.throttle.lockedNames()
        var values = base(pages.text("users"), visit)
        var rows: [[String: Any]] = []
        for user in users {
            let grants = try await visit.dossier.grants(of: user.name)
            let reach =
                user.role == .admin
                ? pages.text("wholeNode")
                : grants.isEmpty
                    ? pages.text("noGrant")
                    : grants.map { "\($0.role.rawValue): \($0.org?.value ?? pages.text("wholeNode"))" }
                        .joined(separator: "; ")
            rows.append([
                "name": user.name, "displayName": user.displayName, "role": user.role.rawValue, "reach": reach,
                "disabled": user.disabled, "self": user.name == visit.dossier.actor.name,
                "locked": locked.contains(user.name.lowercased()),
                "roles": Role.allCases.filter { $0 != user.role }.map(\.rawValue),
                "csrf": visit.session.csrfToken,
            ])
        }
        values["users"] = rows
        return html(pages.render("users", values))
    }

    private func disableUser(_ visit: Visit, _ context: Context) async throws -> Response {
        struct Form: Decodable { var reason: String }
        let form = try visit.form(Form.self)
        try await visit.dossier.setDisabled(true, user: context.parameters.get("name") ?? "", reason: form.reason)
        return redirect("/admin/users?done=userDisabledMessage")
    }

    private func enableUser(_ visit: Visit, _ context: Context) async throws -> Response {
        struct Form: Decodable { var reason: String }
        let form = try visit.form(Form.self)
        try await visit.dossier.setDisabled(false, user: context.parameters.get("name") ?? "", reason: form.reason)
        return redirect("/admin/users?done=userEnabledMessage")
    }

    private func unlockUser(_ visit: Visit, _ context: Context) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        try await visit.dossier.unlock(user: name)
        // This server holds the lock-out: lift it now rather than at the next attempt. The
        // record stays until then, or until a new lock-out clears it.
        await signIn.throttle.lift(user: name)
        return redirect("/admin/users?done=userUnlockedMessage")
    }

    private func changeRole(_ visit: Visit, _ context: Context) async throws -> Response {
        struct Form: Decodable { var role: String }
        guard let role = Role(rawValue: try visit.form(Form.self).role) else {
            throw Problem(.badRequest, "Choose one of the roles offered.", messageKey: "chooseRole")
        }
        try await visit.dossier.setRole(role, user: context.parameters.get("name") ?? "")
        return redirect("/admin/users?done=roleChangedMessage")
    }
}
