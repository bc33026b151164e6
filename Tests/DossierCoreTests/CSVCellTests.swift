import DossierCore
import Testing

/// The one rule for CSV cells: quoting as RFC 4180 asks, and a `'` before anything a
/// spreadsheet would run as a formula, which the importer takes off again.
@Suite struct CSVCellTests {
    @Test(arguments: [
        ("=1+2", "'=1+2"),
        ("+8613800138000", "'+8613800138000"),
        ("-3", "'-3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tx", "'\tx"),
        ("\r=1", "\"'\r=1\""),
        (#"=HYPERLINK("http://evil.example/","x")"#, #""'=HYPERLINK(""http://evil.example/"",""x"")""#),
    ])
    func aCellThatCouldStartAFormulaIsWrittenAsText(value: String, cell: String) {
        #expect(CSVCell.field(value) == cell)
    }

    @Test(arguments: [
        ("张三", "张三"), ("", ""), ("a,b", "\"a,b\""), (#"say "hi""#, #""say ""hi""""#), ("a\nb", "\"a\nb\""),
        ("1=1", "1=1"), ("'quoted'", "'quoted'"), ("13800138000", "13800138000"),
    ])
    func anOrdinaryCellIsQuotedOnlyWhereRFC4180AsksFor(value: String, cell: String) {
        #expect(CSVCell.field(value) == cell)
    }

    @Test(arguments: ["=1+2", "+86-138", "-3", "@x", "\tx", "\rx", "plain", "a,\"b\""])
    func theImporterReadsBackWhatTheWriterWrote(value: String) {
        var bytes: [UInt8] = []
        CSVCell.append(value, to: &bytes)
        let written = String(decoding: bytes, as: UTF8.self)
        #expect(written == CSVCell.field(value))
        // Undo RFC 4180 quoting as a reader does, then the import rule.
        var read = written
        if read.hasPrefix("\"") {
            read = String(read.dropFirst().dropLast()).replacing("\"\"", with: "\"")
        }
        #expect(CSVCell.importedValue(read) == value)
    }

    @Test func theImporterRemovesOnlyOneApostropheAndOnlyBeforeAFormulaCharacter() {
        #expect(CSVCell.importedValue("'+86") == "+86")
        #expect(CSVCell.importedValue("''+86") == "''+86")
        #expect(CSVCell.importedValue("'abc") == "'abc")
        #expect(CSVCell.importedValue("'") == "'")
        #expect(CSVCell.importedValue("+86") == "+86")
    }
}
