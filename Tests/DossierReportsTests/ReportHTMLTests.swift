import DossierCore
import DossierReports
import Foundation
import Testing

/// The printable page: escaped text, the header grid as spans, the checks and the bars.
@Suite struct ReportHTMLTests {
    @Test func theSameTableGivesTheSameText() {
        let table = RenderFixtures.politics(chart: .rowBars)
        let cover = RenderFixtures.cover(for: table)
        #expect(table.html(cover: cover) == table.html(cover: cover))
    }

    @Test func labelsAndNamesAreEscapedAndThePageHoldsNoScript() {
        var table = RenderFixtures.politics(chart: .rowBars)
        table.rows[0].label = "<script>alert(1)</script>"
        table.scope = "甲&乙<局>"
        let page = table.html(cover: RenderFixtures.cover(for: table))
        #expect(page.contains("<th scope=\"row\">&lt;script&gt;alert(1)&lt;/script&gt;</th>"))
        #expect(page.contains("<span class=\"value\">甲&amp;乙&lt;局&gt;</span>"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("甲&乙"))
        #expect(page.contains("size: A4 landscape"))
    }

    @Test func headerSpansFollowTheGrid() throws {
        let table = RenderFixtures.politics()
        let page = table.html(cover: RenderFixtures.cover(for: table))
        let start = try #require(page.range(of: "<thead>"))
        let end = try #require(page.range(of: "</thead>"))
        let cells = Self.headerCells(String(page[start.upperBound..<end.lowerBound]))
        let grid = table.header.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
        let expected =
            [HeaderSpan(label: table.rowHeader, colspan: 1, rowspan: table.headerRows)]
            + grid.map { HeaderSpan(label: $0.label, colspan: $0.width, rowspan: $0.height) }
        #expect(cells == expected)
        #expect(cells.contains(HeaderSpan(label: "少数民族", colspan: 2, rowspan: 1)))
        #expect(cells.contains(HeaderSpan(label: "合计", colspan: 1, rowspan: 2)))
    }

    @Test func rowBarsDrawOneBarPerItemRowWithItsTotal() {
        let table = RenderFixtures.politics(chart: .rowBars)
        let page = table.html(cover: RenderFixtures.cover(for: table))
        #expect(Self.count("<rect class=\"bar\"", in: page) == 3)
        #expect(page.contains("<svg"))
        #expect(page.contains(">县处级正职</text>"))
        // The largest bar is drawn full width; the others in proportion (2 : 1 : 2).
        let widths = Self.barWidths(page)
        #expect(widths.count == 3 && widths[0] == widths[2] && widths[1] * 2 == widths[0])
    }

    @Test func anAllZeroTableDrawsEmptyBarsWithoutDividingByZero() {
        let table = RenderFixtures.politics(everyone: 0, chart: .rowBars)
        let page = table.html(cover: RenderFixtures.cover(for: table))
        #expect(Self.barWidths(page) == [0, 0, 0])
    }

    @Test func columnBarsDrawEveryColumnButTheTotal() {
        let table = RenderFixtures.politics(chart: .columnBars)
        let page = table.html(cover: RenderFixtures.cover(for: table))
        #expect(Self.count("<rect class=\"bar\"", in: page) == table.columns.count - 1)
        #expect(page.contains(">少数民族/群众</text>"))
    }

    @Test func stackedBarsSplitEachUnitIntoWithinVacantAndOver() {
        let table = RenderFixtures.establishment()
        let page = table.html(cover: RenderFixtures.cover(for: table))
        for segment in ["within", "vacant", "over"] {
            #expect(Self.count("<rect class=\"\(segment)\"", in: page) == 2, "\(segment)")
        }
        #expect(page.contains("实有 12 / 核定 10"))
        #expect(page.contains("实有 9 / 核定 12"))
    }

    @Test func aFailedCheckShowsItsCellAndBothFigures() {
        let table = RenderFixtures.politics()
        let page = table.html(cover: RenderFixtures.cover(for: table))
        #expect(page.contains("1 项校核未通过"))
        #expect(
            page.contains(
                "<tr class=\"failed\"><td class=\"rule\">\(table.checks[0].rule)</td><td class=\"cell\">合计/合计</td>"
                    + "<td class=\"figure\">6</td><td class=\"figure\">5</td><td class=\"result\">✗ 未通过</td></tr>"
            )
        )
        let balanced = RenderFixtures.politics(everyone: 5)
        #expect(balanced.html(cover: RenderFixtures.cover(for: balanced)).contains("全部 1 项校核通过"))
    }

    // MARK: Helpers

    struct HeaderSpan: Equatable {
        var label: String
        var colspan: Int
        var rowspan: Int
    }

    /// The `<th>` cells of a header, in order, with their spans.
    static func headerCells(_ html: String) -> [HeaderSpan] {
        html.components(separatedBy: "<th").dropFirst().compactMap { piece in
            guard let close = piece.firstIndex(of: ">"), let end = piece.range(of: "</th>") else { return nil }
            let attributes = String(piece[..<close])
            func span(_ name: String) -> Int {
                guard let range = attributes.range(of: "\(name)=\"") else { return 1 }
                return Int(attributes[range.upperBound...].prefix { $0.isNumber }) ?? 1
            }
            let label = String(piece[piece.index(after: close)..<end.lowerBound])
            return HeaderSpan(label: label, colspan: span("colspan"), rowspan: span("rowspan"))
        }
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The widths of the plain bars, in order.
    static func barWidths(_ page: String) -> [Int] {
        page.components(separatedBy: "<rect class=\"bar\"").dropFirst().compactMap { piece in
            guard let range = piece.range(of: "width=\"") else { return nil }
            return Int(piece[range.upperBound...].prefix { $0.isNumber })
        }
    }
}
