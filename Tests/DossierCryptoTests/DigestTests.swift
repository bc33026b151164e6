import DossierCrypto
import Testing

@Suite struct DigestTests {
    private let millionA = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)

    @Test func sha256MatchesPublishedVectors() {
        #expect(Hex.encode(Digest.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Hex.encode(Digest.sha256(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(
            Hex.encode(Digest.sha256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        #expect(
            Hex.encode(Digest.sha256(millionA)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
    }

    @Test func sm3MatchesTheGBT32905Examples() {
        #expect(
            Hex.encode(Digest.sm3(Array("abc".utf8)))
                == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        )
        let sixtyFourBytes = Array(String(repeating: "abcd", count: 16).utf8)
        #expect(
            Hex.encode(Digest.sm3(sixtyFourBytes)) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        )
    }

    @Test func digestsHaveThirtyTwoBytes() {
        for algorithm in DigestAlgorithm.allCases {
            #expect(Digest.hash(algorithm, Array("x".utf8)).count == 32)
        }
    }

    @Test func hashDispatchesToTheNamedAlgorithm() {
        let bytes = Array("dossier".utf8)
        #expect(Digest.hash(.sha256, bytes) == Digest.sha256(bytes))
        #expect(Digest.hash(.sm3, bytes) == Digest.sm3(bytes))
        #expect(Digest.sha256(bytes) != Digest.sm3(bytes))
    }

    @Test(arguments: DigestAlgorithm.allCases)
    func incrementalHashingEqualsOneShot(_ algorithm: DigestAlgorithm) {
        let hasher = Hasher(algorithm)
        // Uneven pieces through each update overload, crossing the 64-byte block boundary.
        hasher.update(millionA[0..<1])
        hasher.update(Array(millionA[1..<63]))
        millionA[63..<100_000].withUnsafeBytes { hasher.update($0) }
        hasher.update(String(repeating: "a", count: 400_000))
        // A sequence without contiguous storage takes the copying path.
        hasher.update((0..<500_000).lazy.map { _ in UInt8(ascii: "a") })
        #expect(hasher.finish() == Digest.hash(algorithm, millionA))
    }

    @Test func stringUpdateHashesTheUTF8Bytes() {
        let text = "编制 quota"
        let hasher = Hasher(.sha256)
        hasher.update(text)
        #expect(hasher.finish() == Digest.sha256(Array(text.utf8)))
    }

    @Test func emptyIncrementalHashIsTheHashOfNothing() {
        #expect(Hasher(.sm3).finish() == Digest.sm3([]))
        #expect(
            Hex.encode(Hasher(.sm3).finish()) == "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
        )
    }
}
