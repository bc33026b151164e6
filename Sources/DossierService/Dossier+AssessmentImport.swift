import DossierCore
import DossierCrypto
import DossierStorage

extension Dossier {
    /// The columns of an assessment import file: the person by `id_number` or `file_number`
    /// (one of them), `year`, `grade`; optionally `reason` and `decided_on`.
    public static let assessmentColumns = ["id_number", "file_number", "year", "grade", "reason", "decided_on"]

    /// Imports annual grades from a CSV file or the first sheet of an `.xlsx` workbook, all or nothing, as `person import` files people:
    /// every row is checked (the person on file and in reach, the year, a grade of the person's
    /// scale, the sanctions of that year, one grade a year), the 优秀 share once per
    /// organisation and year over the whole file, and only a file without problems is recorded,
    /// in one transaction; otherwise, or with `dryRun`, nothing is. Each problem names its row
    /// and column, never an identity number. Grades are final when an administrator imports
    /// them, else pending for an approver.
    public func importAssessments(
        from path: String,
        dryRun: Bool,
        report: (ImportProblem) -> Void
    ) async throws -> ImportSummary {
        try require(.writePeople)
        let organizations = try await mapErrors { try await store.organizations() }
        let reach = try await actingReach(organizations)
        let sealer = try mapErrorsSync { try store.personSealer() }
        let hasher = Hasher(.sha256)
        let reader = try RecordFileFormat(path: path).open(path: path, onBytes: { hasher.update($0) })
        guard case .success(let header)? = try reader.nextRecord()?.fields else {
            throw ServiceError(
                .invalid,
                "The file \(path) has no header row that can be read.",
                zh: "文件 \(path) 没有可读取的表头行。"
            )
        }
        let columns = header.map { $0.trimmingSpaces() }
        if let unknown = columns.first(where: { !Self.assessmentColumns.contains($0) }) {
            throw ServiceError(
                .invalid,
                "The header names a column '\(unknown)' that an assessment import does not know; the columns are "
                    + Self.assessmentColumns.joined(separator: ", ") + ".",
                zh: "表头中的列“\(unknown)”不是考核导入所知的列；可用的列为" + Self.assessmentColumns.joined(separator: "、") + "。"
            )
        }
        guard Set(columns).count == columns.count else {
            throw ServiceError(.invalid, "The header names a column twice.", zh: "表头中有一列出现了两次。")
        }
        for needed in ["year", "grade"] where !columns.contains(needed) {
            throw ServiceError(.invalid, "The header has no '\(needed)' column.", zh: "表头中没有“\(needed)”列。")
        }
        guard columns.contains("id_number") != columns.contains("file_number") else {
            throw ServiceError(
                .invalid,
                "The header must name the person by exactly one of id_number or file_number.",
                zh: "表头须以 id_number 或 file_number 二者之一（且只能其一）指明人员。"
            )
        }

        // Read and check every row's own values first.
        struct Row {
            var line: Int
            var person: Int64?
            var identity: [UInt8]?
            var input: AssessmentInput
            var reason: String?
        }
        var rows: [Row] = []
        var summary = ImportSummary()
        summary.dryRun = dryRun
        var problems: [ImportProblem] = []
        if let idColumn = columns.firstIndex(of: "id_number") { reader.requireText(inColumns: [idColumn]) }
        while let record = try reader.nextRecord() {
            let line = record.row
            summary.rows += 1
            let before = problems.count
            func problem(_ column: String?, _ shown: String, _ message: String) {
                problems.append(ImportProblem(row: line, column: column, shownValue: shown, message: message))
            }
            let fields: [String]
            switch record.fields {
            case .success(let read): fields = read
            case .failure(let failure):
                let described = failure.described(encoding: "UTF-8")
                problem(
                    described.field.map { columns.indices.contains($0 - 1) ? columns[$0 - 1] : "?" },
                    "",
                    described.message
                )
                continue
            }
            guard fields.count == columns.count else {
                problem(nil, "", "the row has \(fields.count) fields where the header has \(columns.count)")
                continue
            }
            var values: [String: String] = [:]
            for (column, field) in zip(columns, fields) { values[column] = field.trimmingSpaces() }
            var person: Int64?
            var identity: [UInt8]?
            if let text = values["id_number"] {
                if let id = try? ResidentID(text) {
                    identity = try mapErrorsSync { try sealer.index(id) }
                } else {
                    problem("id_number", "", "not a valid identity number")
                }
            } else if let text = values["file_number"] {
                if let number = Int64(text), number > 0 {
                    person = number
                } else {
                    problem("file_number", text, "not a file number")
                }
            }
            let year = Int(values["year"] ?? "")
            if year == nil { problem("year", values["year"] ?? "", "not a year (YYYY)") }
            let grade = AssessmentGrade(codeOrName: values["grade"] ?? "")
            if grade == nil {
                problem("grade", values["grade"] ?? "", "not a grade (优秀, 称职, 基本称职, 不称职, 不定等次, 合格, 基本合格, 不合格)")
            }
            var decidedOn: CivilDate?
            if let text = values["decided_on"], !text.isEmpty {
                decidedOn = CivilDate(iso: text)
                if decidedOn == nil { problem("decided_on", text, "not a date written YYYY-MM-DD") }
                if let date = decidedOn, date > today { problem("decided_on", text, "the day has not come yet") }
                if let date = decidedOn, date.year < 1950 { problem("decided_on", text, "before 1950") }
            }
            let reason = values["reason"].flatMap { $0.isEmpty ? nil : $0 }
            if let reason, reason.unicodeScalars.count > 200 { problem("reason", "", "longer than 200 characters") }
            if grade == .undetermined, reason == nil { problem("reason", "", "不定等次 needs a reason") }
            guard problems.count == before, let year, let grade else { continue }
            if year < 1950 || year > (decidedOn ?? today).year {
                problem("year", String(year), "cannot have been graded by the decision day")
                continue
            }
            rows.append(
                Row(
                    line: line,
                    person: person,
                    identity: identity,
                    input: AssessmentInput(
                        personID: person ?? 0,
                        year: year,
                        grade: grade,
                        reason: reason,
                        decidedOn: decidedOn
                    ),
                    reason: reason
                )
            )
        }
        summary.fileSHA256 = Hex.encode(hasher.finish())

        // Then file them, in one transaction kept only if the whole file holds.
        let state: AssessmentState = actor.role == .admin ? .final : .pending
        let today = today
        let prepared = rows
        let readProblems = problems
        let result = try await mapErrors {
            try await store.write(bulk: true) { tx -> StorageOutcome<(problems: [ImportProblem], filed: Int)> in
                try tx.requireUser(actor.name)
                var problems = readProblems
                var filed: [FiledAssessment] = []
                var shares: [String: (orgID: Int64, year: Int, line: Int, scale: AssessmentScale, on: CivilDate)] = [:]
                var seen: Set<String> = []
                for row in prepared {
                    var input = row.input
                    let resolved = try row.identity.map { try tx.personID(identityIndex: $0) } ?? row.person
                    guard let personID = resolved, try tx.personExists(personID) else {
                        problems.append(
                            ImportProblem(
                                row: row.line,
                                column: row.identity == nil ? "file_number" : "id_number",
                                shownValue: "",
                                message: "no such person on file"
                            )
                        )
                        continue
                    }
                    input.personID = personID
                    guard seen.insert("\(personID)|\(input.year)").inserted else {
                        problems.append(
                            ImportProblem(
                                row: row.line,
                                column: "year",
                                shownValue: String(input.year),
                                message: "the file grades this person twice for the year"
                            )
                        )
                        continue
                    }
                    let decidedOn = input.decidedOn ?? today
                    do {
                        let done = try fileAssessment(
                            input,
                            decidedOn: decidedOn,
                            reason: row.reason,
                            state: state,
                            reach: reach,
                            checkShare: false,
                            in: tx
                        )
                        filed.append(done)
                        if input.grade == .excellent {
                            shares["\(done.orgID)|\(input.year)"] = (
                                done.orgID, input.year, row.line, done.scale, decidedOn
                            )
                        }
                    } catch let refusal as RuleRefusal {
                        problems.append(
                            ImportProblem(row: row.line, column: nil, shownValue: "", message: refusal.description)
                        )
                    } catch let error as StoreError {
                        problems.append(
                            ImportProblem(row: row.line, column: nil, shownValue: "", message: error.description)
                        )
                    }
                }
                for share in shares.values.sorted(by: { $0.line < $1.line }) {
                    do {
                        _ = try checkExcellentShare(
                            orgID: share.orgID,
                            year: share.year,
                            scale: share.scale,
                            on: share.on,
                            in: tx
                        )
                    } catch let refusal as RuleRefusal {
                        problems.append(
                            ImportProblem(
                                row: share.line,
                                column: "grade",
                                shownValue: "优秀",
                                message: refusal.description
                            )
                        )
                    }
                }
                if problems.isEmpty, !dryRun, state == .final {
                    for grade in filed { _ = try consequences(ofFinal: grade.id, placements: grade.placements, in: tx) }
                }
                if problems.isEmpty, !dryRun {
                    try audit(
                        tx,
                        action: "assessment.import",
                        subject: "assessments",
                        details: [
                            "rows": String(filed.count), "file_sha256": summary.fileSHA256, "state": state.rawValue,
                        ]
                    )
                    return .commit((problems, filed.count))
                }
                return .rollBack((problems, 0))
            }
        }
        let sorted = result.problems.sorted { ($0.row, $0.column ?? "") < ($1.row, $1.column ?? "") }
        for problem in sorted { report(problem) }
        summary.problems = sorted.count
        summary.rowsWithProblems = Set(sorted.map(\.row)).count
        summary.imported = result.filed
        return summary
    }
}
