import DossierHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A zstd frame that expands to `gibibytes` GiB of zeros from about 32 KB: RLE blocks of
/// 128 KiB (RFC 8878 §3.1.1.2: a 3-byte block header and the one byte to repeat), zstd's
/// highest ratio. libarchive reads it as a tar of end-of-archive blocks, skipping them all
/// looking for the next header: the 33 KB upload of the issue that cost seconds of CPU.
func zstdOfZeros(gibibytes: Int) async -> [UInt8] {
    let blockSize = 128 << 10
    let blocks = (gibibytes << 30) / blockSize
    // Magic number, then a frame header with only a window descriptor (window 2^17).
    var frame: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0x00, 7 << 3]
    frame.reserveCapacity(frame.count + blocks * 4)
    for index in 0..<blocks {
        let last = index == blocks - 1 ? 1 : 0
        let header = blockSize << 3 | 1 << 1 | last
        frame += [UInt8(header & 0xFF), UInt8(header >> 8 & 0xFF), UInt8(header >> 16 & 0xFF), 0x00]
    }
    return frame
}

/// `POST /api/v1/archive/verify`: a small upload buys a bounded amount of work, and only a few
/// checks run at once.
@Suite struct PackageCheckTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    private func verify(_ api: API, _ bytes: [UInt8]) async throws -> Reply {
        try await api.client.execute(
            uri: "/api/v1/archive/verify",
            method: .post,
            headers: [
                .authorization: "Bearer " + (fixture.tokens["inspector"] ?? ""),
                .contentType: "application/x-tar",
            ],
            body: ByteBuffer(bytes: bytes)
        ) { response in Reply(status: response.status, headers: response.headers, body: response.body) }
    }

    @Test func aSmallUploadThatExpandsToAGibibyteIsRefusedAsABomb() async throws {
        let bomb = await zstdOfZeros(gibibytes: 1)
        #expect(bomb.count < 40_000)
        let reply = try await fixture.withAPI { api in try await verify(api, bomb) }
        #expect(reply.code == 200, "\(reply.text)")
        let report = try reply.object()
        #expect(report["passed"] as? Bool == false)
        let problems = try #require(report["problems"] as? [String: [String]])
        #expect(
            problems["security"] == [
                "The package expands to more than 100 times its size (a compression bomb); it is refused."
            ],
            "\(problems)"
        )
    }

    @Test func theSlotsGiveAtMostTheirLimitAndEachReleaseFreesOne() {
        let slots = VerificationSlots(limit: 3)
        #expect((0..<5).map { _ in slots.tryAcquire() } == [true, true, true, false, false])
        slots.release()
        #expect(slots.tryAcquire())
        #expect(!slots.tryAcquire())
    }

    @Test func byDefaultANodeChecksOnePackagePerCoreAtOnce() {
        #expect(ServerSettings().maximumConcurrentVerifications == ProcessInfo.processInfo.activeProcessorCount)
    }

    @Test func aCheckBeyondTheNodesLimitIsRefusedWith503AndRetryAfterUntilASlotIsFree() async throws {
        let slots = VerificationSlots(limit: 2)
        #expect(slots.tryAcquire() && slots.tryAcquire())
        let garbage = Array("not a package".utf8)
        try await fixture.withAPI(verifications: slots) { api in
            let refused = try await verify(api, garbage)
            let problem = try expectProblem(refused, 503, type: "/problems/unavailable")
            #expect(refused.headers[.retryAfter] == "30")
            #expect(
                problem["detail"] as? String
                    == "The node is already checking 2 packages; send this one again in a moment."
            )
            // The refusal took no slot; when one is given back, the next check runs.
            slots.release()
            let checked = try await verify(api, garbage)
            #expect(checked.code == 200, "\(checked.text)")
            #expect(try checked.object()["passed"] as? Bool == false)
            // And gave its slot back: one is still free after it.
            #expect(slots.tryAcquire())
            #expect(!slots.tryAcquire())
        }
    }
}
