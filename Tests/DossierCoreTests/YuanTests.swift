import DossierCore
import Testing

/// Amounts written in yuan with two decimals, from fen.
@Suite struct YuanTests {
    @Test func fenAreWrittenAsYuanWithTwoDecimals() {
        #expect(Yuan.text(fen: 123_450) == "1234.50")
        #expect(Yuan.text(fen: 5) == "0.05")
        #expect(Yuan.text(fen: 0) == "0.00")
        #expect(Yuan.text(fen: -1205) == "-12.05")
    }
}
