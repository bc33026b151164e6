public import DossierCore
import DossierStorage
import Foundation

/// An ad-hoc question as an officer types it: every value a code or a name of its code table (or
/// of a statistical group: 研究生, 县处级副职, 少数民族), lists comma-separated; empty filters nothing.
public struct PeopleQuestion: Sendable, Hashable {
    public var on: CivilDate?
    /// This unit and those under it.
    public var org: CreditCode?
    /// 职务职级层次 as the statistical tables group them (县处级副职 = 三级、四级调研员 or 县处级副职).
    public var level: String?
    public var rank: String?
    public var post: String?
    public var category: String?
    public var status: String?
    public var sex: String?
    public var education: String?
    public var ethnicity: String?
    public var politicalStatus: String?
    public var minimumAge: Int?
    public var maximumAge: Int?
    /// A full name, part of one, or pinyin initials (zw for 张伟).
    public var name: String?

    public init() {}
}

/// 查询: finding people on a date by their placement and file, as a count or a list.
extension Dossier {
    /// How many people answer `question`. Statisticians may count too, but not by name: a count
    /// of one named person with a filter would tell them that person's details.
    public func countPeople(_ question: PeopleQuestion) async throws -> Int {
        try require(.readAggregates)
        if question.name?.contains(where: { !$0.isWhitespace }) == true { try require(.readPeople) }
        let filter = try await filter(question)
        return try await mapErrors { try await store.countPeople(filter) }
    }

    /// The people who answer `question`, masked, by file number after `after`, at most `limit`.
    public func searchPeople(
        _ question: PeopleQuestion,
        after: Int64 = 0,
        limit: Int = 100
    ) async throws -> [PersonView] {
        try require(Permission.readPeople)
        let filter = try await filter(question)
        let records = try await mapErrors { try await store.searchPeople(filter, after: after, limit: limit) }
        return records.map { PersonView($0, reveal: false) }
    }

    /// The question in codes, over the units the user may read (and under `org`).
    func filter(_ question: PeopleQuestion) async throws -> PeopleFilter {
        let date = question.on ?? today
        var filter = PeopleFilter(on: date, today: today)
        filter.organizations = try await unitsInReach(under: question.org).ids
        filter.reach = try await readableScope()
        let ladder = rankLadder(on: date)
        let dimensions = reportDimensions(on: date)
        func codes(_ text: String?, _ what: String, _ lookup: (String) -> Set<String>?) throws -> Set<String> {
            var result: Set<String> = []
            for part in (text ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }) {
                let item = part.trimmingCharacters(in: .whitespaces)
                guard !item.isEmpty else { continue }
                guard let found = lookup(item) else {
                    throw ServiceError(.invalid, "'\(item)' is not \(what).", zh: "“\(item)”不是有效的代码或名称。")
                }
                result.formUnion(found)
            }
            return result
        }
        func coded<Value: CodedValue>(_ type: Value.Type, _ groups: [CodeGroup] = []) -> (String) -> Set<String>? {
            { text in
                // A group's label first: 研究生 asked means every postgraduate code, not the one
                // code of that name.
                guard let group = groups.first(where: { $0.label == text }) else {
                    return Value(codeOrName: text).map { [$0.code] }
                }
                // A group that takes the rest (少数民族) is every code the others do not name.
                if group.isRest {
                    let named = groups.filter { !$0.isRest }.reduce(into: Set<String>()) { $0.formUnion($1.codes) }
                    return Set(Value.allCases.map(\.code)).subtracting(named)
                }
                return group.codes
            }
        }
        filter.ranks = try codes(question.rank, "a rank of the rank ladder") {
            ladder.rank(codeOrName: $0).map { [$0.code] }
        }
        filter.posts = try codes(question.post, "a leadership post") {
            LeadershipPost(codeOrName: $0).map { [$0.code] }
        }
        if let level = question.level?.trimmingCharacters(in: .whitespaces), !level.isEmpty {
            guard let index = dimensions.levels.firstIndex(where: { $0.label == level && !$0.isRest }) else {
                let known = dimensions.levels.filter { !$0.isRest }.map(\.label).joined(separator: ", ")
                throw ServiceError(
                    .invalid,
                    "'\(level)' is not a level (known: \(known)).",
                    zh: "“\(level)”不是有效的层级（可用：\(known)）。"
                )
            }
            let above = dimensions.levels[..<index]
            filter.level = PeopleFilter.Level(
                ranks: dimensions.levels[index].ranks,
                posts: dimensions.levels[index].posts,
                ranksAbove: above.reduce(into: []) { $0.formUnion($1.ranks) },
                postsAbove: above.reduce(into: []) { $0.formUnion($1.posts) }
            )
        }
        filter.categories = try codes(question.category, "an establishment category", coded(EstablishmentCategory.self))
        filter.statuses = try codes(question.status, "a status", coded(PersonStatus.self))
        filter.sexes = try codes(question.sex, "a sex (男 or 女)", coded(Sex.self))
        filter.educations = try codes(
            question.education,
            "an education code, name or group",
            coded(Education.self, dimensions.education)
        )
        filter.ethnicities = try codes(
            question.ethnicity,
            "an ethnicity or group",
            coded(Ethnicity.self, dimensions.ethnicity)
        )
        filter.politicalStatuses = try codes(
            question.politicalStatus,
            "a political status or group",
            coded(PoliticalStatus.self, dimensions.politicalStatus)
        )
        if let minimum = question.minimumAge, let maximum = question.maximumAge, minimum > maximum {
            throw ServiceError(
                .invalid,
                "The youngest age asked (\(minimum)) is above the oldest (\(maximum)).",
                zh: "所查最小年龄（\(minimum)）大于最大年龄（\(maximum)）。"
            )
        }
        filter.minimumAge = question.minimumAge
        filter.maximumAge = question.maximumAge
        if let name = question.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
            if PinyinInitials.areInitials(name) {
                filter.initials = name.lowercased()
            } else {
                filter.namePart = name
            }
        }
        return filter
    }
}
