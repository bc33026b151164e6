import DossierCore
import DossierCrypto
import DossierService
import DossierTestSupport
import Foundation
import Testing

/// The bulk import as a whole: every problem reported, identity numbers masked, the file format
/// (column order, quoting, BOM, CRLF) and what an accepted import or a dry run writes.
@Suite struct ImportTests {
    let fixture: ServiceFixture

    init() async throws {
        fixture = try await ServiceFixture()
    }

    /// Dossier's CSV writer puts a `'` before a cell a spreadsheet would run as a formula (a
    /// phone number `+86…`); the import removes that one `'`, so what Dossier writes reads back.
    @Test func aLeadingApostropheBeforeAFormulaCharacterIsNotPartOfTheImportedValue() async throws {
        let row = ImportRow(21).with("phone", "'+86-138-0013-8000").with("name", "'=张21")
        _ = try await fixture.acceptedImport(csvText([row.line()]))
        let person = try await fixture.person(residentID(21))
        #expect(person.phone == "+86-138-0013-8000")
        #expect(person.name == "=张21")
    }

    @Test func everyProblemIsReportedWithItsRowAndColumnNotJustTheFirst() async throws {
        let rows = [
            ImportRow(1).line(),  // row 2: fine
            ImportRow(3)  // row 3: three columns wrong
                .with("id_number", withWrongCheckCharacter(residentID(3)))
                .with("ethnicity", "99")
                .with("hired_on", "05/01/2024")
                .line(),
            ImportRow(5).line(),  // row 4: fine
            ImportRow(7).line() + ",extra",  // row 5: one value too many
            ImportRow(9, org: ServiceFixture.unregistered).line(),  // row 6: unknown organisation
            ImportRow(11).with("sex", "女").with("education", "99").with("political_status", "").line(),  // row 7
            ImportRow(13).with("id_number", ServiceFixture.onFile.value).line(),  // row 8: already on file
            ImportRow(15).line(),  // row 9: fine
            ImportRow(5).line(),  // row 10: repeats row 4
        ]
        let outcome = try await fixture.refusedImport(csvText(rows))
        let expected: [ImportOutcome.Place] = [
            .init(row: 3, column: "id_number"), .init(row: 3, column: "ethnicity"), .init(row: 3, column: "hired_on"),
            .init(row: 5, column: nil), .init(row: 6, column: "org_code"), .init(row: 7, column: "sex"),
            .init(row: 7, column: "education"), .init(row: 7, column: "political_status"),
            .init(row: 8, column: "id_number"), .init(row: 10, column: "id_number"),
        ]
        #expect(outcome.places == expected)
        #expect(outcome.summary.rows == 9)
        #expect(outcome.summary.rowsWithProblems == 6)
        #expect(outcome.summary.problems == expected.count)
        for problem in outcome.problems {
            #expect(problem.description.hasPrefix("row \(problem.row)"))
            if let column = problem.column { #expect(problem.description.contains(column)) }
        }
    }

    @Test func problemsOfBothKindsInOneRowAreAllReported() async throws {
        // A bad code and an unknown organisation in the same row are two problems; the officer should
        // learn of both at once rather than one per attempt.
        let row = ImportRow(3, org: ServiceFixture.unregistered).with("ethnicity", "99")
        let outcome = try await fixture.refusedImport(csvText([row.line()]))
        #expect(Set(outcome.places) == [.init(row: 2, column: "ethnicity"), .init(row: 2, column: "org_code")])
    }

    @Test func rowNumbersCountRecordsNotLinesWhenAValueHoldsALineBreak() async throws {
        let rows = [
            ImportRow(1).with("name", "李\n四").line(),  // row 2, two lines of text
            ImportRow(3).with("ethnicity", "99").line(),  // row 3
        ]
        let outcome = try await fixture.refusedImport(csvText(rows))
        #expect(outcome.places == [.init(row: 3, column: "ethnicity")])
        #expect(outcome.summary.rows == 2)
    }

    @Test func identityNumbersAreMaskedInEveryReportedProblem() async throws {
        let badCheck = withWrongCheckCharacter(residentID(21))
        let impossibleDate = withCheckCharacter("390102" + "19850231" + "023")
        let tooShort = String(residentID(23).value.dropLast())
        let lowerInvalid = String(residentID(25).value.dropLast()) + "x"
        let archivist = { (sequence: Int) in ImportRow(sequence, org: ServiceFixture.archives, category: "pscs") }
        let rows = [
            ImportRow(1).with("id_number", badCheck),
            ImportRow(3).with("id_number", impossibleDate),
            ImportRow(5).with("id_number", tooShort),
            ImportRow(7).with("id_number", lowerInvalid),
            ImportRow(9).with("sex", "女"),
            ImportRow(11).with("birth_date", "1985-06-14"),
            ImportRow(13).with("id_number", ServiceFixture.onFile.value),
            ImportRow(15),
            ImportRow(15),
            ImportRow(17, org: ServiceFixture.unregistered),
            archivist(19), archivist(27), archivist(29),
            ImportRow(31).with("ethnicity", "99").with("phone", "1380013800x"),
            ImportRow(33),
        ]
        let text = csvText(rows.map { $0.line() } + [ImportRow(35).line() + ",extra"])
        let outcome = try await fixture.refusedImport(text)
        #expect(outcome.problems.count >= 13)
        let ids = rows.map { $0["id_number"] } + [residentID(35).value, ServiceFixture.onFile.value]
        for problem in outcome.problems {
            for id in ids where id.count >= 14 {
                #expect(!problem.description.contains(id), "\(problem)")
                #expect(!problem.description.contains(String(id.prefix(14))), "\(problem)")
            }
        }
    }

    @Test func identityNumberTypedIntoTheOrganisationColumnIsStillMasked() async throws {
        // Both are 18-character codes, and swapping the two columns is an easy slip; the problem
        // lines must not then print the identity number in full.
        let id = residentID(3).value
        let row = ImportRow(3).with("id_number", ServiceFixture.finance.value).with("org_code", id)
        let outcome = try await fixture.refusedImport(csvText([row.line()]))
        #expect(outcome.problems.contains { $0.column == "org_code" })
        for problem in outcome.problems {
            #expect(!problem.description.contains(id), "\(problem)")
            #expect(!problem.description.contains(String(id.prefix(14))), "\(problem)")
        }
    }

    @Test func columnsMayComeInAnyOrder() async throws {
        let columns = [
            "hired_on", "org_code", "name", "status", "phone", "id_number", "category", "rank", "sex", "post",
            "ethnicity", "birth_date", "political_status", "education",
        ]
        #expect(Set(columns) == Set(PersonInput.columns))
        let row = ImportRow(3, org: ServiceFixture.hospital, category: "inst-partial", hiredOn: "2023-04-01")
            .with("name", "赵敏").with("rank", "四级主任科员").with("status", "probation").with("phone", "+86-13912345678")
            .with("ethnicity", "03").with("education", "14").with("political_status", "01")
        let outcome = try await fixture.acceptedImport(csvText([row.line(columns)], columns: columns))
        #expect(outcome.summary.imported == 1)
        let person = try await fixture.person(residentID(3))
        #expect(person.name == "赵敏")
        #expect(person.org == ServiceFixture.hospital)
        #expect(person.category == .partiallyFundedInstitution)
        #expect(person.rank == .principal4)
        #expect(person.status == .probation)
        #expect(person.since == day("2023-04-01"))
        #expect(person.phone == "+86-13912345678")
        #expect(person.ethnicity.code == "03")
        #expect(person.education.code == "14")
        #expect(person.politicalStatus.code == "01")
    }

    @Test func quotedValuesFollowRFC4180() async throws {
        let rows = [
            ImportRow(1).with("name", "欧阳,明"),  // a comma inside a quoted value
            ImportRow(3).with("name", "Wang \"Junior\" Li"),  // doubled quotes inside
            ImportRow(5).with("name", "李\n四"),  // a line break inside: still one record
            ImportRow(7).with("name", "周\r\n五"),
        ]
        let text = csvText(rows.map { $0.line() })
        #expect(text.contains("\"欧阳,明\""))
        let outcome = try await fixture.acceptedImport(text)
        #expect(outcome.summary.rows == 4)
        #expect(outcome.summary.imported == 4)
        await #expect(try fixture.person(residentID(1)).name == "欧阳,明")
        await #expect(try fixture.person(residentID(3)).name == "Wang \"Junior\" Li")
        await #expect(try fixture.person(residentID(5)).name == "李\n四")
        await #expect(try fixture.person(residentID(7)).name == "周\r\n五")
    }

    @Test func everyValueMayBeQuoted() async throws {
        let row = ImportRow(3)
        let line = PersonInput.columns.map { "\"" + row[$0] + "\"" }.joined(separator: ",")
        let outcome = try await fixture.acceptedImport(csvText([line]))
        #expect(outcome.summary.imported == 1)
        await #expect(try fixture.person(residentID(3)).name == row["name"])
    }

    @Test func byteOrderMarkBeforeTheHeaderIsTolerated() async throws {
        let outcome = try await fixture.acceptedImport("\u{FEFF}" + csvText([ImportRow(3).line()]))
        #expect(outcome.summary.imported == 1)
    }

    @Test func crlfLineEndsAreAccepted() async throws {
        let text = csvText([ImportRow(3).line(), ImportRow(5).line()], lineEnd: "\r\n")
        let outcome = try await fixture.acceptedImport(text)
        #expect(outcome.summary.imported == 2)
        // The last value of each line must not keep the carriage return.
        await #expect(try fixture.person(residentID(5)).since == day("2024-01-05"))
    }

    @Test func byteOrderMarkAndCRLFTogetherAreAccepted() async throws {
        let text = "\u{FEFF}" + csvText([ImportRow(3).line()], lineEnd: "\r\n")
        await #expect(try fixture.acceptedImport(text).summary.imported == 1)
    }

    @Test func lastRecordWithoutALineEndIsRead() async throws {
        let text = csvText([ImportRow(3).line(), ImportRow(5).line()]).dropLast()
        let outcome = try await fixture.acceptedImport(String(text))
        #expect(outcome.summary.rows == 2)
        #expect(outcome.summary.imported == 2)
    }

    @Test func emptySexBirthDatePhoneAndPostAreDerivedOrLeftEmpty() async throws {
        // Sequence 4 is even: a woman.
        let woman = ImportRow(4)
        #expect(woman["sex"].isEmpty && woman["birth_date"].isEmpty && woman["phone"].isEmpty && woman["post"].isEmpty)
        _ = try await fixture.acceptedImport(csvText([woman.line()]))
        let person = try await fixture.person(residentID(4))
        #expect(person.sex == .female)
        #expect(person.birthDate == day("1985-06-15"))
        #expect(person.phone == nil)
        #expect(person.post == nil)
    }

    @Test func codesAndChineseNamesAreBothAccepted() async throws {
        let byName = ImportRow(3).with("ethnicity", "回族").with("education", "硕士").with("political_status", "中共党员")
            .with("category", "行政编制").with("rank", "二级科员").with("post", "县处级正职").with("status", "在职")
            .with("sex", "男").with("birth_date", "1985-06-15")
        _ = try await fixture.acceptedImport(csvText([byName.line()]))
        let person = try await fixture.person(residentID(3))
        #expect(person.category == .administrative)
        #expect(person.rank == .clerk2)
        #expect(person.post == .divisionHead)
        #expect(person.status == .active)
    }

    @Test func validFileImportsEveryRowWithOneAuditEntry() async throws {
        let headBefore = try await #require(try fixture.dossier.auditLog(limit: 1_000_000).last)
        let peopleBefore = try await fixture.dossier.people(on: today, limit: 1_000_000).count
        let financeBefore = try await #require(
            try fixture.occupancy(ServiceFixture.finance, .category(.administrative))
        )
        let rows =
            [1, 3, 5, 7].map { ImportRow($0).line() }
            + [9, 11].map { ImportRow($0, org: ServiceFixture.archives, category: "pscs").line() }
        let text = csvText(rows)
        let outcome = try await fixture.acceptedImport(text)
        #expect(outcome.summary.rows == 6)
        #expect(outcome.summary.imported == 6)
        #expect(!outcome.summary.dryRun)

        await #expect(try fixture.dossier.people(on: today, limit: 1_000_000).count == peopleBefore + 6)
        await #expect(
            try fixture.occupancy(ServiceFixture.finance, .category(.administrative))?.occupied == financeBefore
                .occupied + 4
        )
        let archives = try await #require(
            try fixture.occupancy(ServiceFixture.archives, .category(.civilServiceManagedInstitution))
        )
        #expect(archives.approved == 2 && archives.occupied == 2)
        // Hired on 2024-01-05: not yet counted the day before.
        await #expect(
            try fixture.occupancy(
                ServiceFixture.archives,
                .category(.civilServiceManagedInstitution),
                on: day("2024-01-04")
            )?
            .occupied == 0
        )

        let sha256 = Hex.encode(Digest.sha256(Array(text.utf8)))
        #expect(outcome.summary.fileSHA256 == sha256)
        let newEntries = try await fixture.dossier.auditLog(after: headBefore.seq, limit: 1_000_000)
        #expect(newEntries.count == 1)
        let entry = try #require(newEntries.first)
        #expect(entry.action == "person.import")
        #expect(entry.actor == "admin")
        #expect(entry.details.contains(sha256))
        for sequence in [1, 3, 5, 7, 9, 11] {
            let id = residentID(sequence).value
            #expect(!entry.details.contains(String(id.prefix(14))))
            #expect(!entry.details.contains(id))
        }
        await #expect(try fixture.dossier.verifyAudit().isIntact)
        await #expect(try fixture.dossier.storageProblems().isEmpty)
    }

    @Test func dryRunOfAValidFileReportsSuccessAndWritesNothing() async throws {
        let before = try await ServiceSnapshot(fixture.dossier)
        let text = csvText([1, 3, 5].map { ImportRow($0).line() })
        let outcome = try await fixture.importFile(try fixture.file(text), dryRun: true)
        #expect(outcome.problems.isEmpty)
        #expect(outcome.summary.accepted)
        #expect(outcome.summary.dryRun)
        #expect(outcome.summary.rows == 3)
        #expect(outcome.summary.imported == 0)
        #expect(outcome.summary.fileSHA256 == Hex.encode(Digest.sha256(Array(text.utf8))))
        await #expect(try ServiceSnapshot(fixture.dossier) == before)
    }

    @Test func dryRunReportsTheSameProblemsAsARealImport() async throws {
        let text = csvText([
            ImportRow(1).line(), ImportRow(3).with("ethnicity", "99").line(),
            ImportRow(5, org: ServiceFixture.unregistered).line(),
        ])
        let before = try await ServiceSnapshot(fixture.dossier)
        let rehearsal = try await fixture.importFile(try fixture.file(text), dryRun: true)
        await #expect(try ServiceSnapshot(fixture.dossier) == before)
        let real = try await fixture.refusedImport(text)
        #expect(rehearsal.problems == real.problems)
        #expect(!rehearsal.problems.isEmpty)
    }

    @Test func sameFileImportedTwiceIsRefusedTheSecondTime() async throws {
        let text = csvText([1, 3].map { ImportRow($0).line() })
        _ = try await fixture.acceptedImport(text)
        let again = try await fixture.refusedImport(text)
        #expect(again.places == [.init(row: 2, column: "id_number"), .init(row: 3, column: "id_number")])
        #expect(again.problems.allSatisfy { $0.message.contains("already on file") })
    }

    @Test func headerOnlyFileImportsNobody() async throws {
        let before = try await ServiceSnapshot(fixture.dossier)
        let outcome = try await fixture.importFile(try fixture.file(csvText([])))
        #expect(outcome.problems.isEmpty)
        #expect(outcome.summary.rows == 0)
        #expect(outcome.summary.imported == 0)
        await #expect(try fixture.dossier.people(on: today, limit: 1_000).count == before.people[5].count)
    }
}
