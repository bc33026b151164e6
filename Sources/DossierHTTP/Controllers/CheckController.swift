import DossierService
import Hummingbird

/// `POST /api/v1/check`: the node's consistency check (`dossier check`), for administrators and
/// monitoring. It answers 200 whether or not the node is consistent (`passed` says which): the
/// request succeeded; what it found is the answer. Repairs are left to the command line.
struct CheckController {
    func addRoutes(to group: APIGroup) {
        group.post("check") { _, _, dossier -> JSONBody<NodeCheckJSON> in
            // Reads every table, file and timeline: seconds to minutes, so off the event loops.
            JSONBody(NodeCheckJSON(try await SlowWork.run { try await dossier.checkNode() }))
        }
    }
}
