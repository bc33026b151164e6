import ArgumentParser
import DossierCore
import DossierService

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Users and their roles.",
        subcommands: [Add.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with a role.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name: lower-case letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "admin, officer, approver, viewer, statistician or inspector.") var role: String
        @Option(help: "The person's name as shown on screens.") var displayName: String?

        func run() throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be admin, officer, approver, viewer, statistician or inspector.")
            }
            try DossierCommand.perform {
                try global.open().addUser(User(name: name, role: role, displayName: displayName ?? name))
                print("Added user \(name) (\(role.rawValue)).")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        func run() throws {
            try DossierCommand.perform {
                let users = try global.open().users()
                if output.format == .json {
                    print(try JSONOutput.encode(users))
                } else {
                    print(
                        Listing(
                            headers: ["name", "role", "display name"],
                            rows: users.map { [$0.name, $0.role.rawValue, $0.displayName] }
                        )
                        .render(output.format)
                    )
                }
            }
        }
    }
}
