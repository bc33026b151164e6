/// Ethnicity (民族), GB/T 3304: the 56 nationalities in the standard's order, plus 97 其他 and
/// 98 外国血统中国籍人士.
///
/// A struct over a table rather than 58 enum cases; compare with the named constants or by `code`.
public struct Ethnicity: CodedValue {
    /// The two-digit GB/T 3304 code, "01"..."56", "97" or "98".
    public let code: String
    /// The Chinese name, e.g. 汉族.
    public let chineseName: String

    private init(_ code: String, _ chineseName: String) {
        self.code = code
        self.chineseName = chineseName
    }

    /// 01 汉族, the most common value.
    public static let han = Ethnicity("01", "汉族")
    /// 97 其他: not in the list.
    public static let other = Ethnicity("97", "其他")
    /// 98 外国血统中国籍人士: a Chinese citizen of foreign descent.
    public static let foreignOrigin = Ethnicity("98", "外国血统中国籍人士")

    /// All 58 values in code order.
    public static let allCases: [Ethnicity] = [
        han,
        Ethnicity("02", "蒙古族"),
        Ethnicity("03", "回族"),
        Ethnicity("04", "藏族"),
        Ethnicity("05", "维吾尔族"),
        Ethnicity("06", "苗族"),
        Ethnicity("07", "彝族"),
        Ethnicity("08", "壮族"),
        Ethnicity("09", "布依族"),
        Ethnicity("10", "朝鲜族"),
        Ethnicity("11", "满族"),
        Ethnicity("12", "侗族"),
        Ethnicity("13", "瑶族"),
        Ethnicity("14", "白族"),
        Ethnicity("15", "土家族"),
        Ethnicity("16", "哈尼族"),
        Ethnicity("17", "哈萨克族"),
        Ethnicity("18", "傣族"),
        Ethnicity("19", "黎族"),
        Ethnicity("20", "傈僳族"),
        Ethnicity("21", "佤族"),
        Ethnicity("22", "畲族"),
        Ethnicity("23", "高山族"),
        Ethnicity("24", "拉祜族"),
        Ethnicity("25", "水族"),
        Ethnicity("26", "东乡族"),
        Ethnicity("27", "纳西族"),
        Ethnicity("28", "景颇族"),
        Ethnicity("29", "柯尔克孜族"),
        Ethnicity("30", "土族"),
        Ethnicity("31", "达斡尔族"),
        Ethnicity("32", "仫佬族"),
        Ethnicity("33", "羌族"),
        Ethnicity("34", "布朗族"),
        Ethnicity("35", "撒拉族"),
        Ethnicity("36", "毛南族"),
        Ethnicity("37", "仡佬族"),
        Ethnicity("38", "锡伯族"),
        Ethnicity("39", "阿昌族"),
        Ethnicity("40", "普米族"),
        Ethnicity("41", "塔吉克族"),
        Ethnicity("42", "怒族"),
        Ethnicity("43", "乌孜别克族"),
        Ethnicity("44", "俄罗斯族"),
        Ethnicity("45", "鄂温克族"),
        Ethnicity("46", "德昂族"),
        Ethnicity("47", "保安族"),
        Ethnicity("48", "裕固族"),
        Ethnicity("49", "京族"),
        Ethnicity("50", "塔塔尔族"),
        Ethnicity("51", "独龙族"),
        Ethnicity("52", "鄂伦春族"),
        Ethnicity("53", "赫哲族"),
        Ethnicity("54", "门巴族"),
        Ethnicity("55", "珞巴族"),
        Ethnicity("56", "基诺族"),
        other,
        foreignOrigin,
    ]

    /// "ethnicity".
    public static let tableName = "ethnicity"

    /// Codes, names, and each nationality's name without the trailing 族 (汉, 蒙古, ...).
    public static let byCodeOrName: [String: Ethnicity] = {
        var aliases: [String: Ethnicity] = [:]
        for value in allCases where value.chineseName.hasSuffix("族") {
            aliases[String(value.chineseName.dropLast())] = value
        }
        return makeLookup(aliases: aliases)
    }()
}
