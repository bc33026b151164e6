import DossierCrypto
import Testing

@Suite struct HexTests {
    @Test func encodesLowerCaseTwoDigitsPerByte() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x01, 0x0F, 0x10, 0xAB, 0xFF]) == "00010f10abff")
    }

    @Test func roundTripsEveryByteValue() {
        let bytes = (0...255).map { UInt8($0) }
        let text = Hex.encode(bytes)
        #expect(text.count == 512)
        #expect(Hex.decode(text) == bytes)
    }

    @Test func decodesEitherCase() {
        #expect(Hex.decode("ABcdEf09") == [0xAB, 0xCD, 0xEF, 0x09])
        #expect(Hex.decode("") == [])
    }

    @Test(arguments: ["a", "abc", "0g", "zz", "12 4", " 1234", "12-4", "0x12", "é1", "１２"])
    func rejectsOddLengthAndNonHex(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }
}
