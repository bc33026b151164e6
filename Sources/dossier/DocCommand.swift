import ArgumentParser
import DossierCore
import DossierService

struct DocCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc",
        abstract: "Archive material (档案材料): add documents to a person's file, list, export, retire.",
        discussion: """
            Classes: 1 履历类, 2 自传和思想类, 3 考核鉴定类, 4-1 学历学位, 4-2 职称, 4-3 学术评鉴, 4-4 教育培训, \
            5 政审审计审核类, 6 党团类, 7 表彰奖励类, 8 处理处分类, 9-1 工资, 9-2 任免, 9-3 出国（境）, 9-4 会议代表, \
            10 其他. Files are kept as they are (PDF, OFD, JPEG, PNG, TIFF, recognised from their content) with \
            their SHA-256 and SM3 digests.
            """,
        subcommands: [Add.self, List.self, Show.self, Get.self, Retire.self]
    )

    static func listing(_ documents: [Document]) -> Listing {
        Listing(
            headers: ["doc", "class", "title", "date", "pages", "format", "bytes", "sha256", "state"],
            rows: documents.map {
                [
                    String($0.id), "\($0.archiveClass.code) \($0.archiveClass.chineseName)", $0.title,
                    $0.date.description, $0.pages.map(String.init) ?? "", $0.mediaType.rawValue, String($0.size),
                    String($0.sha256.prefix(16)) + "…", $0.retiredAt == nil ? "" : "retired: \($0.retireReason ?? "")",
                ]
            }
        )
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a document to a person's file.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's file number.") var person: Int64
        @Argument(help: "The file.") var file: String
        @Option(
            name: .customLong("class"),
            help: "The archive class, e.g. 4-1 or 学历学位类.",
            transform: Parse.coded(ArchiveClass.self)
        )
        var archiveClass: ArchiveClass
        @Option(help: "The document's title.") var title: String
        @Option(help: "The document's date (YYYY-MM-DD).", transform: Parse.date) var date: CivilDate
        @Option(help: "The number of pages.") var pages: Int?

        func run() async throws {
            try await DossierCommand.perform {
                let id = try await global.open().addDocument(
                    personID: person,
                    file: file,
                    description: DocumentDescription(archiveClass: archiveClass, title: title, date: date, pages: pages)
                )
                print("Added as document \(id).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a person's documents.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The person's file number.") var person: Int64
        @Flag(help: "Include retired documents.") var all = false

        func run() async throws {
            try await DossierCommand.perform {
                let documents = try await global.open().documents(personID: person, includeRetired: all)
                if output.format == .json {
                    print(try JSONOutput.encode(documents.map(DocumentJSON.init)))
                } else {
                    print(DocCommand.listing(documents).render(output.format))
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one document's record with its digests.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The document number.") var id: Int64

        func run() async throws {
            try await DossierCommand.perform {
                let document = try await global.open().document(id)
                if output.format == .json {
                    print(try JSONOutput.encode(DocumentJSON(document)))
                } else {
                    print(DocCommand.listing([document]).render(output.format))
                    print("sha256 \(document.sha256)")
                    print("sm3    \(document.sm3)")
                }
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a document's file out, checking its digest.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document number.") var id: Int64
        @Option(help: "Where to write it (must not exist yet).") var out: String

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().exportDocument(id, to: out)
                print("Wrote document \(id) to \(out).")
            }
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retire a document: it is kept, marked, with the reason."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The document number.") var id: Int64
        @Option(help: "Why it is retired.") var reason: String

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().retireDocument(id, reason: reason)
                print("Retired document \(id).")
            }
        }
    }
}
