import DossierCore
import Foundation
import Testing

/// The classes of archive material of the 2018 《干部人事档案工作条例》 (DOMAIN.md §4): ten main
/// classes, with classes 4 and 9 filed only under their sub-classes.
@Suite struct ArchiveClassTests {
    /// Code, name and main class of every class a document may be filed under.
    static let table: [(ArchiveClass, String, String, Int)] = [
        (.resume, "1", "履历类", 1),
        (.autobiography, "2", "自传和思想类", 2),
        (.assessment, "3", "考核鉴定类", 3),
        (.degrees, "4-1", "学历学位类", 4),
        (.titles, "4-2", "职称类", 4),
        (.academicReviews, "4-3", "学术评鉴类", 4),
        (.training, "4-4", "教育培训类", 4),
        (.vetting, "5", "政审、审计和审核类", 5),
        (.party, "6", "党、团类", 6),
        (.awards, "7", "表彰奖励类", 7),
        (.sanctions, "8", "违规违纪违法处理处分类", 8),
        (.salary, "9-1", "工资类", 9),
        (.appointments, "9-2", "任免类", 9),
        (.travelAbroad, "9-3", "出国（境）类", 9),
        (.delegate, "9-4", "会议代表类", 9),
        (.other, "10", "其他可供组织参考的材料", 10),
    ]

    @Test func thereAreSixteenClassesEachWithItsCodeNameAndMainClass() {
        #expect(ArchiveClass.allCases.count == 16)
        #expect(Set(Self.table.map(\.0)) == Set(ArchiveClass.allCases))
        for (value, code, name, main) in Self.table {
            #expect(value.code == code)
            #expect(value.chineseName == name)
            #expect(value.description == name)
            #expect(value.mainClass == main, "\(code)")
        }
    }

    @Test func aClassIsFoundByItsCodeOrItsName() {
        for (value, code, name, _) in Self.table {
            #expect(ArchiveClass(codeOrName: code) == value, "\(code)")
            #expect(ArchiveClass(codeOrName: name) == value, "\(name)")
            #expect(ArchiveClass(codeOrName: " \(code)\t") == value, "\(code) with spaces")
        }
    }

    @Test func everyMainClassFromOneToTenIsCoveredAndOnlyFourAndNineHaveSubClasses() {
        #expect(Set(ArchiveClass.allCases.map(\.mainClass)) == Set(1...10))
        let withSubClasses = Set(ArchiveClass.allCases.filter { $0.code.contains("-") }.map(\.mainClass))
        #expect(withSubClasses == [4, 9])
        for main in [4, 9] {
            let codes = ArchiveClass.allCases.filter { $0.mainClass == main }.map(\.code).sorted()
            #expect(codes == (1...4).map { "\(main)-\($0)" })
        }
    }

    @Test func aMainClassThatHasSubClassesIsNotAClassOfItsOwn() {
        // Class 4 and class 9 material is filed under 4-1…4-4 or 9-1…9-4, never under 4 or 9.
        for text in ["4", "9", "4-0", "4-5", "9-5", "0", "11", "1-1", "4-", "-1", ""] {
            #expect(ArchiveClass(codeOrName: text) == nil, "\(text)")
        }
    }

    @Test func jsonCarriesTheCodeAndReadsBackFromCodeOrName() throws {
        let all = ArchiveClass.allCases.map { $0 }
        let json = try JSONEncoder().encode(all)
        #expect(
            String(decoding: json, as: UTF8.self) == "[" + all.map { "\"\($0.code)\"" }.joined(separator: ",") + "]"
        )
        #expect(try JSONDecoder().decode([ArchiveClass].self, from: json) == all)
        let byName = try JSONEncoder().encode(all.map(\.chineseName))
        #expect(try JSONDecoder().decode([ArchiveClass].self, from: byName) == all)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ArchiveClass].self, from: Data(#"["9"]"#.utf8))
        }
    }
}
