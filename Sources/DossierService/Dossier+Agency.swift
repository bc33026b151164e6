public import DossierCore
import DossierStorage

extension Dossier {
    /// The agency this node speaks for in exchange envelopes; nil until an administrator sets it.
    public func agency() async throws -> Agency? {
        try await mapErrors { try await store.nodeAgency() }
    }

    /// The node's agency, or a refusal saying how to set it: every exchange needs it.
    func requireAgency() async throws -> Agency {
        guard let agency = try await agency() else {
            throw ServiceError(
                .refused,
                "This node does not yet say which agency it speaks for; an administrator sets it with 'dossier agency set CODE --name NAME'.",
                zh: "本节点尚未写明代表哪个机关；请管理员用“dossier agency set CODE --name NAME”设置。"
            )
        }
        return agency
    }

    /// Sets (or changes) the agency this node speaks for: its unified social credit code and name.
    public func setAgency(_ agency: Agency) async throws {
        try require(.manageUsers)
        let name = try FreeText.checked(agency.name, "The agency's name", zh: "本机关名称", maxLength: 100)
        let agency = Agency(code: agency.code, name: name)
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                let before = try tx.nodeAgency()
                try tx.setNodeAgency(agency, by: actor.name)
                try audit(
                    tx,
                    action: "agency.set",
                    subject: "agency:\(agency.code)",
                    details: ["name": agency.name, "before": before.map { "\($0.code) \($0.name)" } ?? ""]
                )
            }
        }
    }
}
