import ArgumentParser
import DossierCore
import DossierService
import DossierStorage

struct AssessmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment",
        abstract: "Record annual assessment grades (年度考核), approve them, and see the 优秀 share.",
        discussion: """
            One grade per person and year. Civil servants and staff managed as civil servants (参公) \
            are graded 优秀, 称职, 基本称职, 不称职 or 不定等次 (with a reason); public-institution \
            staff (事业单位) 优秀, 合格, 基本合格 or 不合格. A grade recorded by an administrator is \
            final at once; one recorded by an officer waits for an approver. Only final grades \
            count for promotion. A final 不称职 drafts a demotion by one rank for an approver.
            """,
        subcommands: [Record.self, Import.self, List.self, Pending.self, Approve.self, Reject.self, Share.self]
    )

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record one person's grade for one year.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The person's file number.") var person: Int64
        @Option(help: "The year assessed (YYYY).") var year: Int
        @Option(
            help: "The grade, by name or code (优秀, 称职, … or excellent, competent, …).",
            transform: Parse.coded(AssessmentGrade.self)
        )
        var grade: AssessmentGrade
        @Option(help: "Why no grade was set (required with 不定等次), or a note.") var reason: String?
        @Option(
            name: .customLong("decided-on"),
            help: "The day the grade was decided and notified (YYYY-MM-DD). Default: today.",
            transform: Parse.date
        )
        var decidedOn: CivilDate?

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let outcome = try await node.recordAssessment(
                    AssessmentInput(personID: person, year: year, grade: grade, reason: reason, decidedOn: decidedOn)
                )
                if output.format == .json {
                    print(try JSONOutput.encode(AssessmentJSON(outcome.assessment)))
                } else {
                    let stored = outcome.assessment
                    print(
                        stored.state == .final
                            ? "Recorded grade \(stored.id): \(stored.year) \(stored.grade.chineseName), final."
                            : "Recorded grade \(stored.id): \(stored.year) \(stored.grade.chineseName); it counts once "
                                + "an approver approves it ('dossier assessment approve \(stored.id)')."
                    )
                }
                for warning in outcome.warnings { printError("warning: \(warning)") }
                if let draft = outcome.demotionDraftID {
                    printError("warning: A demotion by one rank was drafted as number \(draft) for an approver.")
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import grades from a CSV file or an Excel workbook (.xlsx, first sheet): all rows or none.",
            discussion: """
                The file is UTF-8 CSV, or an .xlsx workbook whose first sheet holds the same, with a \
                header naming these columns, in any order: id_number or \
                file_number (one of them: who), year, grade, and optionally reason and decided_on \
                (YYYY-MM-DD, the day the grade was decided; empty: today). Every row is checked as \
                'assessment record' checks one grade, and the 优秀 share once per organisation and \
                year over the whole file. If any row has a problem, nothing is written and every \
                problem is listed with its row number (the header is row 1).
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV or .xlsx file.") var file: String
        @Flag(help: "Check the file and report, but write nothing.") var dryRun = false

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let summary = try await node.importAssessments(from: file, dryRun: dryRun) { problem in
                    printError(problem.description)
                }
                if summary.accepted {
                    print(
                        dryRun
                            ? "Checked \(summary.rows) rows: no problems. Nothing was written (dry run)."
                            : "Imported \(summary.imported) grades."
                    )
                } else {
                    printError(
                        "dossier: import refused: \(summary.problems) problems in \(summary.rowsWithProblems) of "
                            + "\(summary.rows) rows; nothing was written."
                    )
                    throw ExitCode.failure
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List one person's grades, every state.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The person's file number.") var person: Int64

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let grades = try await node.assessments(personID: person)
                if output.format == .json {
                    print(try JSONOutput.encode(grades.map(AssessmentJSON.init)))
                } else {
                    print(AssessmentCommand.listing(grades).render(output.format))
                }
            }
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List grades waiting for an approver.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let grades = try await node.pendingAssessments(limit: 1000)
                if output.format == .json {
                    print(try JSONOutput.encode(grades.map(AssessmentJSON.init)))
                } else {
                    print(AssessmentCommand.listing(grades).render(output.format))
                }
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a grade recorded by someone else; it counts from now on."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The grade's number.") var id: Int64

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let outcome = try await node.approveAssessment(id)
                print(
                    "Grade \(id) approved: \(outcome.assessment.year) \(outcome.assessment.grade.chineseName) is final."
                )
                if let draft = outcome.demotionDraftID {
                    printError("warning: A demotion by one rank was drafted as number \(draft) for an approver.")
                }
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject a grade with a reason; it stays, marked, and the year can be graded again."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The grade's number.") var id: Int64
        @Option(help: "Why (required).") var reason: String

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                try await node.rejectAssessment(id, reason: reason)
                print("Grade \(id) rejected.")
            }
        }
    }

    struct Share: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The 优秀 share per organisation for one year, against the policy's limits."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "The year assessed (YYYY).") var year: Int

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let counts = try await node.gradeCounts(year: year)
                let listing = Listing(
                    headers: ["org", "year", "excellent", "graded", "in post", "note"],
                    rows: counts.map { entry in
                        [
                            entry.count.org.value, String(entry.count.year), String(entry.count.excellent),
                            String(entry.count.assessed), String(entry.count.inPost), entry.breach ?? "",
                        ]
                    }
                )
                print(listing.render(output.format == .json ? .csv : output.format))
            }
        }
    }

    static func listing(_ grades: [StoredAssessment]) -> Listing {
        Listing(
            headers: ["grade no.", "person", "year", "grade", "decided on", "state", "reason"],
            rows: grades.map { grade in
                [
                    String(grade.id), String(grade.personID), String(grade.year), grade.grade.chineseName,
                    grade.decidedOn.description, grade.state.rawValue, grade.reason ?? grade.decisionReason ?? "",
                ]
            }
        )
    }
}
