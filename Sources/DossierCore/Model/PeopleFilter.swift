/// An ad-hoc question about people on one date ("the 四级调研员 under 40 with a master's degree
/// in the county bureaus"): every field left empty does not filter. Codes are the code tables'.
public struct PeopleFilter: Sendable, Hashable {
    public var on: CivilDate
    /// The units to look in (nil: every unit).
    public var organizations: Set<Int64>?
    /// The units the user may read in (nil: the whole node): a person is found only while their
    /// file is kept in one of them on `today`, as every read of a person is.
    public var reach: Set<Int64>?
    /// The node's today, for where people belong now.
    public var today: CivilDate
    public var ranks: Set<String> = []
    public var posts: Set<String> = []
    /// 职务职级层次 as the statistical tables count it: a rank or post of the level, and none of a
    /// level above (就高不就低).
    public var level: Level?
    public var categories: Set<String> = []
    /// Statuses on the date; empty: everyone in post (a status that holds a slot).
    public var statuses: Set<String> = []
    public var sexes: Set<String> = []
    public var educations: Set<String> = []
    public var ethnicities: Set<String> = []
    public var politicalStatuses: Set<String> = []
    /// Whole years on the date, both included.
    public var minimumAge: Int?
    public var maximumAge: Int?
    /// Part of the name, as written.
    public var namePart: String?
    /// The pinyin initials the name starts with ("zw" finds 张伟 and 张文华), lower case.
    public var initials: String?

    /// Filters nothing yet: everyone in post on `on`.
    public init(on: CivilDate, today: CivilDate) {
        self.on = on
        self.today = today
    }

    /// One level's ranks and posts, and those of every level above it.
    public struct Level: Sendable, Hashable {
        public var ranks: Set<String>
        public var posts: Set<String>
        public var ranksAbove: Set<String>
        public var postsAbove: Set<String>

        public init(ranks: Set<String>, posts: Set<String>, ranksAbove: Set<String>, postsAbove: Set<String>) {
            self.ranks = ranks
            self.posts = posts
            self.ranksAbove = ranksAbove
            self.postsAbove = postsAbove
        }
    }
}
