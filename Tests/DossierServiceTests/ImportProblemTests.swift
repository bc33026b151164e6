import DossierCore
import DossierService
import Foundation
import Testing

/// Each class of problem the strict bulk import must catch: the file is refused, the problem is
/// reported at its row and column, and the node is exactly as before (a valid row before the bad
/// one proves nothing half-written survives).
@Suite struct ImportProblemTests {
    let fixture: ServiceFixture

    init() async throws {
        fixture = try await ServiceFixture()
    }

    /// Header, one valid row (row 2), then `bad` (row 3).
    func fileWithBadThirdRow(_ bad: String) -> String {
        csvText([ImportRow(1).line(), bad])
    }

    @Test func badCheckCharacterIsReportedWithMaskedValueAndNothingIsWritten() async throws {
        let id = residentID(3)
        let wrong = withWrongCheckCharacter(id)
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).with("id_number", wrong).line()))
        #expect(outcome.places == [.init(row: 3, column: "id_number")])
        let problem = try #require(outcome.problems.first)
        #expect(problem.shownValue == masked(wrong))
        #expect(problem.message.contains("check character"))
        #expect(!problem.description.contains(wrong))
        #expect(!problem.description.contains(String(wrong.prefix(14))))
    }

    @Test func impossibleDateInTheIdentityNumberIsReportedAndNothingIsWritten() async throws {
        let impossible = withCheckCharacter("390102" + "19900230" + "123")
        let outcome = try await fixture.refusedImport(
            fileWithBadThirdRow(ImportRow(3).with("id_number", impossible).line())
        )
        #expect(outcome.places == [.init(row: 3, column: "id_number")])
        #expect(outcome.problems.first?.message.contains("not a real date") == true)
        #expect(outcome.problems.first?.shownValue == masked(impossible))
    }

    @Test func birthDateAfterTodayInTheIdentityNumberIsReported() async throws {
        let future = ResidentID.make(addressCode: "390102", birthDate: today.adding(days: 1), sequence: 5).value
        let outcome = try await fixture.refusedImport(
            fileWithBadThirdRow(ImportRow(3).with("id_number", future).line())
        )
        #expect(outcome.places == [.init(row: 3, column: "id_number")])
    }

    @Test func sexDisagreeingWithTheIdentityNumberIsReportedAndNothingIsWritten() async throws {
        // Sequence 3 is odd: a man. 2 is 女.
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).with("sex", "2").line()))
        #expect(outcome.places == [.init(row: 3, column: "sex")])
        #expect(outcome.problems.first?.shownValue == "2")
        #expect(outcome.problems.first?.message.contains("disagrees") == true)
    }

    @Test func sexAgreeingWithTheIdentityNumberByCodeOrNameIsAccepted() async throws {
        let text = csvText([ImportRow(1).with("sex", "1").line(), ImportRow(3).with("sex", "男").line()])
        _ = try await fixture.acceptedImport(text)
    }

    @Test func birthDateDisagreeingWithTheIdentityNumberIsReportedAndNothingIsWritten() async throws {
        let outcome = try await fixture.refusedImport(
            fileWithBadThirdRow(ImportRow(3).with("birth_date", "1985-06-16").line())
        )
        #expect(outcome.places == [.init(row: 3, column: "birth_date")])
        #expect(outcome.problems.first?.shownValue == "1985-06-16")
        #expect(outcome.problems.first?.message.contains("disagrees") == true)
    }

    @Test(
        arguments: [
            ("ethnicity", "99"), ("ethnicity", "火星族"), ("education", "55"), ("political_status", "99"),
            ("category", "admin-x"), ("category", "事业编制"), ("rank", "L3-clerk"), ("post", "head"),
            ("status", "busy"),
        ]
    )
    func unknownCodeIsReportedInItsColumnAndNothingIsWritten(column: String, value: String) async throws {
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).with(column, value).line()))
        #expect(outcome.places == [.init(row: 3, column: column)])
        #expect(outcome.problems.first?.shownValue == value)
    }

    @Test(arguments: ["retired", "退休", "transferred-out", "awol"])
    func newHireWithAStatusOtherThanProbationOrActiveIsReported(status: String) async throws {
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).with("status", status).line()))
        #expect(outcome.places == [.init(row: 3, column: "status")])
    }

    @Test func unknownOrganisationIsReportedAndNothingIsWritten() async throws {
        let outcome = try await fixture.refusedImport(
            fileWithBadThirdRow(ImportRow(3, org: ServiceFixture.unregistered).line())
        )
        #expect(outcome.places == [.init(row: 3, column: "org_code")])
        #expect(outcome.problems.first?.shownValue == ServiceFixture.unregistered.value)
    }

    @Test func malformedCreditCodeIsReportedAndNothingIsWritten() async throws {
        let malformed = String(ServiceFixture.finance.value.dropLast()) + "I"
        let outcome = try await fixture.refusedImport(
            fileWithBadThirdRow(ImportRow(3).with("org_code", malformed).line())
        )
        #expect(outcome.places == [.init(row: 3, column: "org_code")])
    }

    @Test func duplicateIdentityNumberWithinTheFileIsReportedAtTheSecondOccurrence() async throws {
        let text = csvText([ImportRow(1).line(), ImportRow(3).line(), ImportRow(5).line(), ImportRow(3).line()])
        let outcome = try await fixture.refusedImport(text)
        #expect(outcome.places == [.init(row: 5, column: "id_number")])
        let problem = try #require(outcome.problems.first)
        #expect(problem.message.contains("earlier row"))
        #expect(problem.shownValue == residentID(3).masked)
    }

    @Test func duplicateIdentityNumberIsReportedEvenWhenItsFirstOccurrenceHasAnotherProblem() async throws {
        // Row 2 is refused for its ethnicity; row 3 repeats its identity number. Both are problems of
        // the file, and the import promises every problem, not just the first.
        let text = csvText([ImportRow(3).with("ethnicity", "99").line(), ImportRow(3).line()])
        let outcome = try await fixture.refusedImport(text)
        #expect(Set(outcome.places) == [.init(row: 2, column: "ethnicity"), .init(row: 3, column: "id_number")])
    }

    @Test func identityNumberAlreadyOnFileIsReportedAndNothingIsWritten() async throws {
        let row = ImportRow(3).with("id_number", ServiceFixture.onFile.value)
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(row.line()))
        #expect(outcome.places == [.init(row: 3, column: "id_number")])
        let problem = try #require(outcome.problems.first)
        #expect(problem.message.contains("already on file"))
        #expect(problem.shownValue == ServiceFixture.onFile.masked)
    }

    @Test func identityNumberOnFileWithALowerCaseCheckCharacterIsStillADuplicate() async throws {
        // 11010519491231002X (DOMAIN.md §6) written with a lower-case x is the same person.
        let id = try ResidentID("11010519491231002X")
        let first = ImportRow(3).with("id_number", id.value).with("sex", "2")
        _ = try await fixture.acceptedImport(csvText([first.line()]))
        let again = ImportRow(5).with("id_number", "11010519491231002x").with("sex", "女")
        let outcome = try await fixture.refusedImport(csvText([again.line()]))
        #expect(outcome.places == [.init(row: 2, column: "id_number")])
    }

    @Test func rowThatWouldExceedTheQuotaCountingTheRowsBeforeItIsReported() async throws {
        // 东海省档案馆 has 2 参公 slots and nobody in them: rows 2 and 3 fit, row 4 does not.
        let rows = [3, 5, 7].map { ImportRow($0, org: ServiceFixture.archives, category: "pscs").line() }
        let outcome = try await fixture.refusedImport(csvText(rows))
        #expect(outcome.places == [.init(row: 4, column: "category")])
        let problem = try #require(outcome.problems.first)
        #expect(problem.message.contains("no vacancy"))
        #expect(problem.shownValue == "pscs")
    }

    @Test func quotaCountsPeopleAlreadyOnFile() async throws {
        // 东海省财政厅: 10 slots, one taken by the person on file; nine rows fit, the tenth does not.
        let rows = (0..<10).map { ImportRow(2 * $0 + 1).line() }
        let outcome = try await fixture.refusedImport(csvText(rows))
        #expect(outcome.places == [.init(row: 11, column: "category")])
    }

    @Test func hireBeforeTheQuotaWasEstablishedIsReported() async throws {
        let row = ImportRow(3, born: "1970-01-01", hiredOn: "1999-12-31")
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(row.line()))
        #expect(outcome.places == [.init(row: 3, column: "category")])
    }

    @Test func leadershipPostBeyondItsQuotaIsReported() async throws {
        // One 县处级正职 post: the first row takes it, the second is refused on the post column.
        let text = csvText([
            ImportRow(3).with("post", "division-head").line(), ImportRow(5).with("post", "县处级正职").line(),
        ])
        let outcome = try await fixture.refusedImport(text)
        #expect(outcome.places == [.init(row: 3, column: "post")])
        #expect(outcome.problems.first?.shownValue == "division-head")
    }

    @Test func hireIntoACategoryTheOrganisationDoesNotHaveIsReported() async throws {
        // 东海省财政厅 has administrative slots only: no 政法专项编制, no 差额事业编制.
        let text = csvText([
            ImportRow(1).line(), ImportRow(3, category: "legal").line(), ImportRow(5, category: "差额事业编制").line(),
        ])
        let outcome = try await fixture.refusedImport(text)
        #expect(outcome.places == [.init(row: 3, column: "category"), .init(row: 4, column: "category")])
        #expect(outcome.problems.allSatisfy { $0.message.contains("no ") && $0.message.contains("quota") })
    }

    @Test(arguments: [-1, 1])
    func wrongColumnCountIsReportedForTheWholeRow(extra: Int) async throws {
        let full = ImportRow(3).line()
        let bad = extra < 0 ? String(full[..<full.lastIndex(of: ",")!]) : full + ",surplus"
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(bad))
        #expect(outcome.places == [.init(row: 3, column: nil)])
        #expect(outcome.problems.first?.message.contains("\(PersonInput.columns.count + extra) values") == true)
    }

    @Test(
        arguments: [
            "id_number", "name", "ethnicity", "education", "political_status", "org_code", "category", "status",
            "hired_on",
        ]
    )
    func missingRequiredValueIsReportedAndNothingIsWritten(column: String) async throws {
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).with(column, "").line()))
        #expect(outcome.places == [.init(row: 3, column: column)])
        #expect(outcome.problems.first?.message.contains("required") == true)
    }

    @Test func nameOfOnlySpacesCountsAsMissing() async throws {
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).with("name", "   ").line()))
        #expect(outcome.places == [.init(row: 3, column: "name")])
    }

    @Test func nameLongerThanFiftyCharactersIsReported() async throws {
        let long = String(repeating: "长", count: 51)
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).with("name", long).line()))
        #expect(outcome.places == [.init(row: 3, column: "name")])
    }

    @Test(arguments: ["王\u{0}五", "王\u{7}五", "王\u{1B}五"])
    func nameWithAControlCharacterIsReported(name: String) async throws {
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).with("name", name).line()))
        #expect(outcome.places == [.init(row: 3, column: "name")])
        #expect(outcome.problems.first?.message.contains("control character") == true)
    }

    /// Day-first or month-first orders are a guess, a day that does not exist is no date, and mixed
    /// separators are a slip: each is refused naming the spellings accepted.
    @Test(arguments: ["05-01-2024", "1/5/2024", "2024-02-30", "2024/1-5", "2024-13-01", "24-01-05", "2024年1月"])
    func badDateFormatInHiredOnIsReportedAndNothingIsWritten(value: String) async throws {
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).with("hired_on", value).line()))
        #expect(outcome.places == [.init(row: 3, column: "hired_on")])
        #expect(outcome.problems.first?.shownValue == value)
        #expect(outcome.problems.first?.message.contains("2024/3/1") == true)
    }

    /// The year-first spellings people type are unambiguous, and are filed as the date they name.
    @Test(arguments: ["2024/01/05", "2024/1/5", "2024-1-5", "2024.1.5", "2024年1月5日", "20240105", "2024-01-05 "])
    func commonDateSpellingsAreAcceptedAsTheDateTheyName(value: String) async throws {
        let outcome = try await fixture.acceptedImport(fileWithBadThirdRow(ImportRow(3).with("hired_on", value).line()))
        #expect(outcome.summary.imported == 2)
        let filed = try await fixture.dossier.people(limit: 100).compactMap(\.since)
        #expect(filed.filter { $0 == CivilDate(iso: "2024-01-05") }.count == 2, "\(filed)")
    }

    @Test func anIdentityNumberASpreadsheetTurnedIntoScientificNotationIsExplained() async throws {
        let outcome = try await fixture.refusedImport(
            fileWithBadThirdRow(ImportRow(3).with("id_number", "3.90301E+17").line())
        )
        #expect(outcome.places == [.init(row: 3, column: "id_number")])
        #expect(outcome.problems.first?.message.contains("scientific notation") == true)
        #expect(outcome.problems.first?.message.contains("Format the column as Text") == true)
    }

    @Test(arguments: ["15/06/1985", "1985-06-31", "1985/6-15"])
    func badDateFormatInBirthDateIsReported(value: String) async throws {
        let outcome = try await fixture.refusedImport(
            fileWithBadThirdRow(ImportRow(3).with("birth_date", value).line())
        )
        #expect(outcome.places == [.init(row: 3, column: "birth_date")])
    }

    @Test func hireBeforeTheSixteenthBirthdayIsReported() async throws {
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3, hiredOn: "2001-06-14").line()))
        #expect(outcome.places == [.init(row: 3, column: "hired_on")])
    }

    @Test func implausiblePhoneIsReportedMasked() async throws {
        let outcome = try await fixture.refusedImport(
            fileWithBadThirdRow(ImportRow(3).with("phone", "138-0013-80OO").line())
        )
        #expect(outcome.places == [.init(row: 3, column: "phone")])
        #expect(outcome.problems.first?.shownValue.contains("0013") == false)
    }

    @Test func invalidUTF8InAFieldIsReportedInItsColumnAndNothingIsWritten() async throws {
        // 张 followed by bytes that are no UTF-8 at all, then a truncated two-byte sequence.
        let parts = ImportRow(3).line(raw: ["name": "NAME"]).components(separatedBy: "NAME")
        let row = Array(parts[0].utf8) + [0xE5, 0xBC, 0xA0, 0xFF, 0xFE, 0xC3] + Array(parts[1].utf8)
        let bytes = Array(csvText([ImportRow(1).line()]).utf8) + row + Array("\n".utf8)
        let outcome = try await fixture.refusedImport(bytes: bytes)
        #expect(outcome.places == [.init(row: 3, column: "name")])
        #expect(outcome.problems.first?.message.contains("UTF-8") == true)
    }

    @Test func unterminatedQuoteIsReportedAndNothingIsWritten() async throws {
        // The name opens a quote that never closes: the rest of the file is one unfinished value.
        let bad = ImportRow(3).line(raw: ["name": "\"张三"])
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(bad))
        #expect(outcome.places == [.init(row: 3, column: nil)])
        #expect(outcome.problems.first?.message.contains("never closed") == true)
    }

    @Test func unterminatedQuoteInTheFirstColumnIsReported() async throws {
        let bad = ImportRow(3).line(raw: ["id_number": "\"" + residentID(3).value])
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(bad))
        #expect(outcome.places == [.init(row: 3, column: nil)])
        #expect(outcome.problems.first?.message.contains("never closed") == true)
    }

    @Test func strayQuoteInsideAnUnquotedValueIsReported() async throws {
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(ImportRow(3).line(raw: ["name": "张\"三"])))
        #expect(outcome.places == [.init(row: 3, column: "name")])
        #expect(outcome.problems.first?.message.contains("double quote") == true)
    }

    @Test(
        arguments: [
            (PersonInput.columns.filter { $0 != "hired_on" }, "missing column 'hired_on'"),
            (PersonInput.columns + ["salary"], "unknown column 'salary'"),
            (PersonInput.columns.map { $0 == "org_code" ? "org" : $0 }, "unknown column 'org'"),
            (PersonInput.columns + ["name"], "column 'name' appears twice"),
        ]
    )
    func headerProblemIsRefusedAsInvalidAndNothingIsWritten(columns: [String], complaint: String) async throws {
        let before = try await ServiceSnapshot(fixture.dossier)
        let row = ImportRow(3).line(columns)
        let path = try fixture.file(csvText([row], columns: columns))
        let error = await #expect(throws: ServiceError.self) { try await fixture.importFile(path) }
        #expect(error?.kind == .invalid)
        #expect(error?.message.contains(complaint) == true)
        await #expect(try await ServiceSnapshot(fixture.dossier) == before)
    }

    @Test func aHeaderTypedWithFullWidthCommasIsRefusedSayingSo() async throws {
        let path = try fixture.file(
            PersonInput.columns.joined(separator: "，") + "\n" + ImportRow(3).line() + "\n"
        )
        let error = await #expect(throws: ServiceError.self) { try await fixture.importFile(path) }
        #expect(error?.message.contains("full-width commas (，)") == true, "\(String(describing: error))")
    }

    @Test func aRowTypedWithFullWidthCommasIsReportedSayingSo() async throws {
        let row = PersonInput.columns.map { ImportRow(3)[$0] }.joined(separator: "，")
        let outcome = try await fixture.refusedImport(fileWithBadThirdRow(row))
        #expect(outcome.places == [.init(row: 3, column: nil)])
        #expect(outcome.problems.first?.message.contains("full-width commas") == true)
    }

    @Test func chineseColumnHeadersNameTheSameColumns() async throws {
        let chinese = Dictionary(PersonInput.chineseColumns.map { ($1, $0) }, uniquingKeysWith: min)
        let headers = PersonInput.columns.map { chinese[$0] ?? $0 }
        #expect(headers.allSatisfy { !$0.contains(where: \.isASCII) }, "every column has a Chinese name: \(headers)")
        let outcome = try await fixture.acceptedImport(
            csvText([ImportRow(1).line(), ImportRow(3).line()], columns: headers)
        )
        #expect(outcome.summary.imported == 2)
    }

    @Test func emptyFileIsRefusedAsInvalid() async throws {
        let path = try fixture.file("")
        let error = await #expect(throws: ServiceError.self) { try await fixture.importFile(path) }
        #expect(error?.kind == .invalid)
    }

    @Test func missingFileIsReportedAsNotFound() async throws {
        let path = fixture.directory.appendingPathComponent("absent.csv").path
        let error = await #expect(throws: ServiceError.self) { try await fixture.importFile(path) }
        #expect(error?.kind == .notFound)
    }
}
