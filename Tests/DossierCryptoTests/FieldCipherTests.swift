import Testing

@testable import DossierCrypto

@Suite struct FieldCipherTests {
    private let keys = FieldKeys.generate()
    private let idNumber = Array("11010519900307001X".utf8)

    /// Runs `body` and returns the `CryptoError` it throws, or nil if it did not throw.
    private func cryptoError(_ body: () throws -> [UInt8]) -> CryptoError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? CryptoError
        }
    }

    @Test func sealedValueOpensBackToThePlaintext() throws {
        let cipher = try FieldCipher(keys: keys)
        let sealed = try cipher.seal(idNumber, context: "person.id_number")
        #expect(try cipher.open(sealed, context: "person.id_number") == idNumber)
    }

    @Test func sealedValueHasVersionNonceBodyAndTag() throws {
        let cipher = try FieldCipher(keys: keys)
        let sealed = try cipher.seal(idNumber, context: "person.id_number")
        #expect(sealed.count == 1 + 12 + idNumber.count + 16)
        #expect(sealed[0] == 1)
        // The clear value does not appear inside the sealed bytes.
        #expect(!sealed.containsRun(idNumber))
    }

    @Test func emptyAndLongValuesRoundTrip() throws {
        let cipher = try FieldCipher(keys: keys)
        let long = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for value in [[], [0x00], long] {
            let sealed = try cipher.seal(value, context: "person.phone")
            #expect(try cipher.open(sealed, context: "person.phone") == value)
        }
    }

    @Test func anotherCipherFromTheSameKeysOpensTheValue() throws {
        let sealed = try FieldCipher(keys: keys).seal(idNumber, context: "person.id_number")
        #expect(try FieldCipher(keys: keys).open(sealed, context: "person.id_number") == idNumber)
    }

    @Test func twoSealsOfTheSameValueDiffer() throws {
        let cipher = try FieldCipher(keys: keys)
        let first = try cipher.seal(idNumber, context: "person.id_number")
        let second = try cipher.seal(idNumber, context: "person.id_number")
        #expect(first != second)
        #expect(first[1...12] != second[1...12], "each seal draws a fresh nonce")
        #expect(try cipher.open(first, context: "person.id_number") == idNumber)
        #expect(try cipher.open(second, context: "person.id_number") == idNumber)
    }

    @Test func valueSealedForOneColumnDoesNotOpenInAnother() throws {
        let cipher = try FieldCipher(keys: keys)
        let sealed = try cipher.seal(idNumber, context: "person.id_number")
        let error = cryptoError { try cipher.open(sealed, context: "person.phone") }
        #expect(error?.isAuthenticationFailure == true)
        // The failure leaves the cipher usable.
        #expect(try cipher.open(sealed, context: "person.id_number") == idNumber)
    }

    @Test func everyFlippedByteAfterTheVersionIsDetected() throws {
        let cipher = try FieldCipher(keys: keys)
        let sealed = try cipher.seal(idNumber, context: "person.id_number")
        for index in 1..<sealed.count {
            var tampered = sealed
            tampered[index] ^= 0x01
            let error = cryptoError { try cipher.open(tampered, context: "person.id_number") }
            #expect(error?.isAuthenticationFailure == true, "flipping byte \(index) went unnoticed")
        }
    }

    @Test func unknownVersionIsMalformed() throws {
        let cipher = try FieldCipher(keys: keys)
        var sealed = try cipher.seal(idNumber, context: "person.id_number")
        sealed[0] = 2
        let error = cryptoError { try cipher.open(sealed, context: "person.id_number") }
        #expect(error == CryptoError.malformedCiphertext)
        #expect(error?.isAuthenticationFailure == false)
    }

    @Test func differentKeyFailsAuthentication() throws {
        let sealed = try FieldCipher(keys: keys).seal(idNumber, context: "person.id_number")
        let other = try FieldCipher(keys: FieldKeys.generate())
        let error = cryptoError { try other.open(sealed, context: "person.id_number") }
        #expect(error?.isAuthenticationFailure == true)
    }

    @Test func truncatedValueIsMalformed() throws {
        let cipher = try FieldCipher(keys: keys)
        let sealed = try cipher.seal(idNumber, context: "person.id_number")
        // Anything shorter than version, nonce and tag cannot be a sealed value.
        for length in [0, 1, 13, 28] {
            let truncated = Array(sealed.prefix(length))
            let error = cryptoError {
                try cipher.open(truncated, context: "person.id_number")
            }
            #expect(error == CryptoError.malformedCiphertext, "length \(length)")
        }
        // Long enough to parse but missing bytes: the tag no longer matches.
        let shortened = Array(sealed.dropLast())
        let error = cryptoError { try cipher.open(shortened, context: "person.id_number") }
        #expect(error?.isAuthenticationFailure == true)
    }

    @Test func blindIndexIsDeterministicPerKeyAndContext() throws {
        let cipher = try FieldCipher(keys: keys)
        let index = try cipher.blindIndex(idNumber, context: "person.id_number")
        #expect(index.count == FieldCipher.indexLength)
        #expect(FieldCipher.indexLength == 16)
        #expect(try cipher.blindIndex(idNumber, context: "person.id_number") == index)
        #expect(try FieldCipher(keys: keys).blindIndex(idNumber, context: "person.id_number") == index)
        #expect(try cipher.blindIndex(idNumber, context: "person.phone") != index)
        #expect(try FieldCipher(keys: FieldKeys.generate()).blindIndex(idNumber, context: "person.id_number") != index)
        var other = idNumber
        other[16] = UInt8(ascii: "2")
        #expect(try cipher.blindIndex(other, context: "person.id_number") != index)
    }

    @Test func blindIndexIsTruncatedHMACOverContextSeparatorAndValue() throws {
        let cipher = try FieldCipher(keys: keys)
        let message = Array("person.id_number".utf8) + [0x00] + idNumber
        let full = FieldCipher.hmacSHA256(key: keys.indexKey, message: message)
        #expect(try cipher.blindIndex(idNumber, context: "person.id_number") == Array(full.prefix(16)))
    }

    @Test func blindIndexSeparatesContextFromValue() throws {
        // Without the separator, ("ab", "c") and ("a", "bc") would hash the same bytes.
        let cipher = try FieldCipher(keys: keys)
        #expect(
            try cipher.blindIndex(Array("c".utf8), context: "ab") != cipher.blindIndex(Array("bc".utf8), context: "a")
        )
    }

    @Test func hmacSHA256MatchesRFC4231() {
        // Test case 1.
        #expect(
            Hex.encode(
                FieldCipher.hmacSHA256(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8))
            )
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        )
        // Test case 2.
        #expect(
            Hex.encode(
                FieldCipher.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
            ) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        )
        // Test case 6: a key longer than the block size is hashed first.
        #expect(
            Hex.encode(
                FieldCipher.hmacSHA256(
                    key: [UInt8](repeating: 0xAA, count: 131),
                    message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
                )
            ) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        )
    }
}

extension Array where Element == UInt8 {
    /// Whether `run` occurs as a contiguous run of bytes.
    fileprivate func containsRun(_ run: [UInt8]) -> Bool {
        guard !run.isEmpty, run.count <= count else { return run.isEmpty }
        return (0...(count - run.count)).contains { self[$0..<($0 + run.count)].elementsEqual(run) }
    }
}
