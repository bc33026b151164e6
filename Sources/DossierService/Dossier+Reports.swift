public import DossierCore
import DossierPolicy
public import DossierReports
import DossierStorage
import Foundation
import Synchronization

/// 统计报表: the statistical tables, run as of any date over the timeline.
extension Dossier {
    /// Every table this node can run (the shipped ones and the node's own `reports/` files),
    /// with the groupings they use. A broken definition stops with its file, line and reason.
    public func reportCatalog() throws -> ReportCatalog {
        try require(.readAggregates)
        return try reports.catalog.get()
    }

    /// The groupings in force on `date` (age bands, levels, education groups …): the node's,
    /// else the shipped ones, so that a broken table definition does not stand in the way of
    /// finding people.
    func reportDimensions(on date: CivilDate) -> ReportDimensions {
        let catalog = (try? reports.catalog.get()) ?? Self.shippedReports
        return catalog.dimensions.at(date)
    }

    /// The shipped tables and groupings (checked by the tests: they always load).
    static let shippedReports: ReportCatalog = {
        guard case .success(let catalog) = ReportCatalogCache.load(nil, ladder: shippedPolicies.rankLadder) else {
            fatalError("the shipped report definitions do not load")
        }
        return catalog
    }()

    /// Runs the table `name` as of `asOf` (for movements, over the period from `from`, by default
    /// 1 January of that year), over `org` and every unit under it (nil: every unit the user may
    /// read), with its checks: a failed check is in the table, marked, and the table still runs.
    public func runReport(
        _ name: String,
        asOf: CivilDate,
        from: CivilDate? = nil,
        org: CreditCode? = nil
    ) async throws -> ReportTable {
        let catalog = try reportCatalog()
        guard let definition = catalog.definition(name) else {
            let known = catalog.definitions.map(\.name).joined(separator: ", ")
            throw ServiceError(
                .notFound,
                "There is no table called '\(name)'. The tables are: \(known).",
                zh: "没有名为“\(name)”的报表。现有报表：\(known)。"
            )
        }
        let period = try self.period(definition, asOf: asOf, from: from)
        let scope = try await reportScope(org)
        var table = try await build(definition, catalog: catalog, asOf: asOf, from: period, scope: scope)
        if definition.checks.contains(.previousPeriod), let start = period {
            table.checks += try await previousPeriodCheck(table, endingBefore: start, org: org)
        }
        for case .sameTotalAs(let otherName) in definition.checks {
            guard let other = catalog.definition(otherName) else { continue }
            table.checks.append(
                ReportBuilder.sameTotal(
                    table,
                    as: other,
                    total: try await total(of: other, catalog: catalog, asOf: asOf, from: from, scope: scope)
                )
            )
        }
        return table
    }

    /// The total another table has on the same date and scope, for a `same-total-as` check. A
    /// table of people in post totals everyone in post it counts, once each, which its own
    /// rows-add-up check holds its cells to, so that count stands for the table without
    /// building it; other tables are built.
    private func total(
        of other: ReportDefinition,
        catalog: ReportCatalog,
        asOf: CivilDate,
        from: CivilDate?,
        scope: (units: [ReportUnit], ids: Set<Int64>?, label: String)
    ) async throws -> Int {
        switch other.measure {
        case .headcount, .movements, .establishment:
            // Everyone in post holds a slot of some category: the establishment table's 实有.
            let filter = other.measure == .establishment ? [:] : other.filter
            return try await mapErrors {
                try await store.reportCount(on: asOf, filter: filter, organizations: scope.ids)
            }
        case .leadershipPosts, .rankQuotas, .grades, .cases:
            let period = try self.period(other, asOf: asOf, from: from)
            return try await build(other, catalog: catalog, asOf: asOf, from: period, scope: scope).total
        }
    }

    /// Runs table `name` and keeps its figures as filed (报出), for the next period's table to
    /// check its start against; the table is returned as filed.
    public func fileReport(
        _ name: String,
        asOf: CivilDate,
        from: CivilDate? = nil,
        org: CreditCode? = nil
    ) async throws -> ReportTable {
        let table = try await runReport(name, asOf: asOf, from: from, org: org)
        let figures = String(decoding: try table.json(), as: UTF8.self)
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                try tx.insertReportFiling(
                    name: name,
                    asOf: asOf,
                    from: table.from,
                    org: org,
                    scope: table.scope,
                    figures: figures,
                    by: actor.name
                )
                try audit(
                    tx,
                    action: "report.file",
                    subject: "report:\(name)",
                    details: [
                        "as_of": asOf.description, "from": table.from?.description ?? "", "org": org?.value ?? "",
                        "passed": table.passed ? "yes" : "no",
                    ]
                )
            }
        }
        return table
    }

    /// 期初 against 期末 of the same table as filed for the period ending the day before `start`,
    /// for the same unit; no check when none was filed.
    private func previousPeriodCheck(
        _ table: ReportTable,
        endingBefore start: CivilDate,
        org: CreditCode?
    ) async throws -> [ReportTable.CheckResult] {
        let end = start.adding(days: -1)
        guard
            let text = try await mapErrors({
                try await store.filedReport(name: table.name, asOf: end, org: org, scope: table.scope)
            })
        else { return [] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let filed = try? decoder.decode(ReportTable.self, from: Data(text.utf8)),
            let filedEnd = filed.rows.last?.values.last, let startNow = table.rows.last?.values.first
        else {
            throw ServiceError(
                .setup,
                "The figures filed for \(table.name) as of \(end) cannot be read.",
                zh: "\(table.name) 截至 \(end) 的已报数据无法读取。"
            )
        }
        return [
            ReportTable.CheckResult(
                check: ReportCheck.previousPeriod.name,
                rule: "期初人数 = 上期报出的期末人数（\(end)）",
                cell: "合计/期初人数",
                expected: filedEnd,
                actual: startNow
            )
        ]
    }

    /// The first day of a movements table's period (nil for tables of one date).
    private func period(_ definition: ReportDefinition, asOf: CivilDate, from: CivilDate?) throws -> CivilDate? {
        guard case .movements = definition.measure else { return nil }
        let start = from ?? CivilDate(year: asOf.year, month: 1, day: 1)!
        guard start <= asOf else {
            throw ServiceError(
                .invalid,
                "The period's first day (\(start)) is after the table's date (\(asOf)): give a first day on or before it.",
                zh: "统计期的起始日（\(start)）晚于报表日期（\(asOf)）：请填写不晚于报表日期的起始日。"
            )
        }
        return start
    }

    /// The units a run covers: `org` and those under it, within what the user may read; all of
    /// them (and nil ids: no restriction) for a node-wide reader without `org`.
    private func reportScope(
        _ org: CreditCode?
    ) async throws -> (units: [ReportUnit], ids: Set<Int64>?, label: String) {
        let (tree, organizations, ids) = try await unitsInReach(under: org)
        var label = try await agency()?.name ?? "全部单位"
        if let org {
            label = tree[org]?.name ?? label
        } else if ids != nil {
            // 填报单位 of a user limited to some units: the top ones they may read.
            let inReach = Set(organizations.map(\.id))
            label = organizations.filter { unit in
                !(unit.parentCode.flatMap { tree[$0] }.map { inReach.contains($0.id) } ?? false)
            }.map(\.name).joined(separator: "、")
        }
        let units = organizations.map { ReportUnit(code: $0.code.description, name: $0.name, level: $0.level) }
        return (units, ids, label)
    }

    /// The organisations in the user's reach under `org` (itself and every unit below it; nil:
    /// the whole tree), in tree order, and their ids (nil: everywhere, for a node-wide reader
    /// without `org`). An `org` outside the user's reach is "not found", so existence does not
    /// leak.
    func unitsInReach(
        under org: CreditCode?
    ) async throws -> (tree: OrganizationTree, units: [Organization], ids: Set<Int64>?) {
        let readable = try await readableScope()
        let tree = OrganizationTree(try await mapErrors { try await store.organizations() })
        var units = tree.roots.flatMap { tree.subtree(of: $0.code) }
        if let org {
            guard let unit = tree[org], readable?.contains(unit.id) ?? true else {
                throw ServiceError(
                    .notFound,
                    "There is no organisation \(org) within your organisations.",
                    zh: "您所管辖的机构中没有 \(org)。"
                )
            }
            units = tree.subtree(of: org)
        }
        if let readable { units.removeAll { !readable.contains($0.id) } }
        let ids: Set<Int64>? = org == nil && readable == nil ? nil : Set(units.map(\.id))
        return (tree, units, ids)
    }

    private func build(
        _ definition: ReportDefinition,
        catalog: ReportCatalog,
        asOf: CivilDate,
        from: CivilDate?,
        scope: (units: [ReportUnit], ids: Set<Int64>?, label: String)
    ) async throws -> ReportTable {
        let builder = ReportBuilder(
            definition: definition,
            dimensions: catalog.dimensions.at(asOf),
            units: scope.units,
            asOf: asOf,
            from: from,
            scope: scope.label
        )
        let inScope = Set(scope.units.map(\.code))
        switch definition.measure {
        case .headcount:
            let facts = try await mapErrors {
                try await store.reportHeadcount(
                    on: asOf,
                    facts: definition.facts,
                    filter: definition.filter,
                    organizations: scope.ids
                )
            }
            return builder.headcount(facts)
        case .movements:
            let facts = try await mapErrors {
                try await store.reportMovements(
                    from: from!,
                    to: asOf,
                    filter: definition.filter,
                    organizations: scope.ids
                )
            }
            return builder.movements(facts)
        case .establishment, .leadershipPosts:
            let rows = try await mapErrors { try await store.headcount(on: asOf, org: nil, withUnitsBelow: false) }
                .filter { inScope.contains($0.orgCode.description) }
            if definition.measure == .establishment {
                return builder.quota(
                    rows.filter { if case .category = $0.subject { true } else { false } },
                    subjects: EstablishmentCategory.allCases.map { ($0.code, $0.chineseName) }
                )
            }
            return builder.quota(
                rows.filter { if case .post = $0.subject { true } else { false } },
                subjects: LeadershipPost.allCases.map { ($0.code, $0.chineseName) }
            )
        case .grades:
            return builder.grades(
                try await mapErrors { try await store.reportGrades(year: asOf.year, organizations: scope.ids) }
            )
        case .cases:
            return builder.cases(
                try await mapErrors { try await store.reportCases(on: asOf, organizations: scope.ids) }
            )
        case .rankQuotas:
            let bands = policies.rankQuotas.at(asOf).bands
            let rows = try await mapErrors { try await store.rankHeadcount(on: asOf, bands: bands, org: nil) }
                .filter { inScope.contains($0.orgCode.description) }
            return builder.quota(rows, subjects: bands.map { ($0.code, $0.name) })
        }
    }
}

/// A node's statistical tables, read from its files the first time they are asked for (most
/// commands never need them) and kept: a broken definition is kept too, as the refusal every
/// later ask answers with.
final class ReportCatalogCache: Sendable {
    private let directory: DataDirectory?
    private let ladder: Dated<RankLadder>
    private let loaded = Mutex<Result<ReportCatalog, ServiceError>?>(nil)

    init(directory: DataDirectory?, ladder: Dated<RankLadder>) {
        self.directory = directory
        self.ladder = ladder
    }

    var catalog: Result<ReportCatalog, ServiceError> {
        loaded.withLock { cached in
            if let cached { return cached }
            let result = Self.load(directory, ladder: ladder)
            cached = result
            return result
        }
    }

    /// Reads the tables of a node's `reports/` folder and the shipped ones.
    static func load(_ directory: DataDirectory?, ladder: Dated<RankLadder>) -> Result<ReportCatalog, ServiceError> {
        do {
            return .success(try ReportSource(folder: directory?.reportsPath).catalog(ladder: ladder))
        } catch {
            return .failure(ServiceError(.setup, error.description, zh: "报表无法生成。"))
        }
    }
}
