import DossierCore
import DossierService
import Logging

/// Signs the node's audit checkpoint once a day while the server runs: at start when none was
/// made today (by the node's clock), then every 24 hours. A node without a signing key, or a
/// server run by a user who may not sign, logs a fixed line and goes on serving.
struct DailyCheckpoint: Sendable {
    let node: Dossier
    let logger: Logger
    var interval: Duration = .seconds(86_400)

    /// Runs until cancelled (the server stopping).
    func run() async {
        while !Task.isCancelled {
            await makeIfDue()
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// Makes today's checkpoint unless one was made today; logs what happened, never the
    /// error's own text (it could name files or keys).
    func makeIfDue() async {
        guard node.hasSigningKey else {
            logger.warning("No audit checkpoint signed: this node has no signing key (run 'dossier keys generate').")
            return
        }
        let node = self.node
        do {
            // Signing and the write wait for the database: not on the event loops.
            if let checkpoint = try await SlowWork.run({ try await node.makeDailyCheckpoint() }) {
                logger.info(
                    "Signed today's audit checkpoint.",
                    metadata: ["checkpoint.number": "\(checkpoint.number)", "audit.seq": "\(checkpoint.seq)"]
                )
            }
        } catch let error as ServiceError where error.kind == .forbidden {
            logger.warning("No audit checkpoint signed: the user the server runs as may not sign checkpoints.")
        } catch {
            logger.error("The daily audit checkpoint could not be signed; 'dossier audit checkpoint' says why.")
        }
    }
}
