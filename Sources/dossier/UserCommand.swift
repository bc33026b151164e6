import ArgumentParser
import DossierCore
import DossierService

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Users and their roles.",
        subcommands: [
            Add.self, List.self, Grant.self, Revoke.self, Disable.self, Enable.self, Unlock.self, SetRole.self,
            Password.self, Token.self, Tokens.self, RevokeToken.self,
        ]
    )

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a user act in a role over an organisation and everything under it.",
            discussion: """
                Without --org the role covers the whole node. A user acts only where a grant reaches: \
                a user with no grant reaches nothing (administrators reach everything).
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Option(help: "officer, approver, viewer, statistician or inspector.") var role: String
        @Option(help: "The organisation (credit code); omit for the whole node.", transform: Parse.code)
        var org: CreditCode?

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role is not a known role.") }
            try await DossierCommand.perform {
                try await global.open().grant(user: name, role: role, org: org)
                print("Granted \(role.rawValue) to \(name) over \(org?.value ?? "the whole node").")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a grant.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Option(help: "The role of the grant.") var role: String
        @Option(help: "The organisation of the grant; omit for a whole-node grant.", transform: Parse.code)
        var org: CreditCode?

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role is not a known role.") }
            try await DossierCommand.perform {
                try await global.open().revoke(user: name, role: role, org: org)
                print("Revoked \(role.rawValue) from \(name) over \(org?.value ?? "the whole node").")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Switch a user off: no sign-in, no token, no command acts as them.",
            discussion: """
                Their web sessions and API tokens end at once (a running server notices within two \
                seconds). Their records and audit entries stay. 'dossier user enable' switches them on again.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Option(help: "Why, for the audit log (e.g. 'left the department').") var reason: String

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().setDisabled(true, user: name, reason: reason)
                print("Switched off \(name); their sessions and tokens have ended.")
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lift a user's sign-in lock-out (after too many wrong passwords).",
            discussion: """
                The running server lets the name in at its next attempt. Recorded in the audit log. \
                A lock-out on the address the attempts came from stays until it runs out.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().unlock(user: name)
                print("Unlocked \(name): they can sign in again at once.")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Switch a user on again.",
            discussion: "Tokens revoked when they were switched off stay revoked: issue new ones if needed."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Option(help: "Why, for the audit log.") var reason: String

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().setDisabled(false, user: name, reason: reason)
                print("Switched on \(name).")
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "role",
            abstract: "Change a user's role.",
            discussion: """
                Their web sessions and API tokens end at once. Their grants stay as they were: grants name \
                a role, so check them with the API or grant the new role where it is needed.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Option(help: "admin, officer, approver, viewer, statistician or inspector.") var role: String

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be admin, officer, approver, viewer, statistician or inspector.")
            }
            try await DossierCommand.perform {
                try await global.open().setRole(role, user: name)
                print("\(name) is now \(role.rawValue); their sessions and tokens have ended.")
            }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password for signing in to the web pages, or remove it.",
            discussion: """
                At a terminal it asks for the new password twice, without showing it; otherwise it reads the \
                first line of standard input (e.g. 'dossier user password officer < file'). Never from the \
                command line, where others could see it. At least 10 characters. Administrators set anyone's; \
                others only their own. A new password ends the user's web sessions and API tokens. With --remove \
                (administrators) the user can no longer sign in with a password.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Flag(help: "Remove the password instead of setting one.") var remove = false

        func run() async throws {
            if remove {
                try await DossierCommand.perform {
                    try await global.open().removePassword(user: name)
                    print("Removed the password of \(name); their sessions and tokens have ended.")
                }
                return
            }
            // A script gives the new password on standard input; a person types it twice, unseen
            // (after their own password, when they act as someone who must prove it).
            var given: String?
            if !PasswordPrompt.isAvailable {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("Give the password on standard input (one line).")
                }
                given = line
            }
            try await DossierCommand.perform {
                let node = try await global.open()
                let password: String
                if let given {
                    password = given
                } else {
                    guard let typed = PasswordPrompt.read("New password for \(name): "), !typed.isEmpty else {
                        throw ServiceError(.invalid, "No password was typed; nothing was changed.", zh: "未输入密码；未作任何更改。")
                    }
                    guard PasswordPrompt.read("Type the new password again: ") == typed else {
                        throw ServiceError(
                            .invalid,
                            "The two passwords typed differ; nothing was changed.",
                            zh: "两次输入的密码不同；未作任何更改。"
                        )
                    }
                    password = typed
                }
                try await node.setPassword(user: name, password: password)
                print("Set the password of \(name).")
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an API token for scripts (sent as 'Authorization: Bearer TOKEN').",
            discussion: "The token is printed once and cannot be shown again; only a digest of it is kept."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user the token acts as.") var name: String
        @Option(help: "What the token is for, e.g. 'nightly statistics export'.") var label: String

        func run() async throws {
            try await DossierCommand.perform {
                let token = try await global.open().issueToken(user: name, label: label)
                printError("Token \(token.id) for \(name); keep it secret, it is shown only now:")
                print(token.secret)
            }
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's API tokens (never their secrets).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            try await DossierCommand.perform {
                let tokens = try await global.open().tokens(of: name)
                if output.format == .json {
                    print(try JSONOutput.encode(tokens.map(TokenJSON.init)))
                } else {
                    print(
                        Listing(
                            headers: ["id", "label", "created", "state"],
                            rows: tokens.map {
                                [String($0.id), $0.label, $0.createdAt, $0.revokedAt == nil ? "live" : "revoked"]
                            },
                            chineseHeaders: ["令牌号", "用途", "创建时间", "状态"]
                        ).render(output.format)
                    )
                }
            }
        }
    }

    struct RevokeToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-token",
            abstract: "Revoke an API token so that it no longer works.",
            discussion: """
                A server that is already running refuses it within two seconds (it remembers who \
                a token belongs to for that long); a token revoked through the server's own API \
                is refused at once.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The token's id (from 'dossier user tokens').") var id: Int64

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().revokeToken(id)
                print("Revoked token \(id).")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user with a role.",
            discussion: """
                Say where the user may act: --org CODE (that organisation and everything under it) or \
                --whole-node. Without either the user reaches nothing until 'dossier user grant'. \
                Administrators reach everything.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user name: lower-case letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "admin, officer, approver, viewer, statistician or inspector.") var role: String
        @Option(help: "The person's name as shown on screens.") var displayName: String?
        @Option(
            help: "The organisation (credit code) the role covers, with everything under it.",
            transform: Parse.code
        )
        var org: CreditCode?
        @Flag(help: "The role covers the whole node.") var wholeNode = false

        func validate() throws {
            if org != nil, wholeNode { throw ValidationError("Give --org or --whole-node, not both.") }
        }

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be admin, officer, approver, viewer, statistician or inspector.")
            }
            let reach: Reach? = wholeNode ? .wholeNode : org.map(Reach.organization)
            try await DossierCommand.perform {
                try await global.open().addUser(
                    User(name: name, role: role, displayName: displayName ?? name),
                    reach: reach
                )
                switch (role, reach) {
                case (.admin, _): print("Added user \(name) (admin).")
                case (_, .wholeNode?): print("Added user \(name) (\(role.rawValue) over the whole node).")
                case (_, .organization(let code)?): print("Added user \(name) (\(role.rawValue) over \(code.value)).")
                case (_, nil):
                    print(
                        "Added user \(name) (\(role.rawValue)). They reach nothing until granted: dossier user grant."
                    )
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        func run() async throws {
            try await DossierCommand.perform {
                let users = try await global.open().users()
                if output.format == .json {
                    print(try JSONOutput.encode(users.map(UserJSON.init)))
                } else {
                    print(
                        Listing(
                            headers: ["name", "role", "display name", "state"],
                            rows: users.map {
                                [$0.name, $0.role.rawValue, $0.displayName, $0.disabled ? "off" : "on"]
                            },
                            chineseHeaders: ["用户名", "角色", "显示名", "状态"]
                        )
                        .render(output.format)
                    )
                }
            }
        }
    }
}
