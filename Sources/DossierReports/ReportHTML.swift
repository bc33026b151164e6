import DossierCore

extension ReportTable {
    /// The table as one self-contained page to read on screen or print on A4 landscape: the
    /// cover, the table with its merged header cells, the checks with both figures of any that
    /// failed, and the chart as inline SVG. No script, no external style sheet, font or image,
    /// so the page opens the same from a mail attachment years later; every text is escaped,
    /// as labels come from definition files and organisation names.
    ///
    /// The same table and cover give the same text: no date but the table's, no generated id.
    public func html(cover: ReportCover) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(ReportMarkup.escaped("表\(number)　\(title)"))</title>
            <style>
            \(ReportHTMLStyle.css)
            </style>
            </head>
            <body>
            <p class="number">表\(number)</p>
            <h1>\(ReportMarkup.escaped(title))</h1>

            """
        page += coverHTML(cover)
        page += htmlFragment()
        page += "</body>\n</html>\n"
        return page
    }

    /// The table, its checks and its chart without the page around them: what the admin pages
    /// show as a preview (styled by `stylesheet`, served as a file there, as the pages' policy
    /// allows no inline style).
    public func htmlFragment() -> String {
        var out = tableHTML()
        out += checksHTML()
        if let chart {
            let drawing = ReportChartSVG(table: self, chart: chart)
            if let svg = drawing.svg() {
                out += "<figure class=\"chart\">\n<figcaption>\(ReportMarkup.escaped(drawing.caption))</figcaption>\n"
                out += svg + "</figure>\n"
            }
        }
        return out
    }

    /// The printable page's style sheet.
    public static var stylesheet: String { ReportHTMLStyle.css }

    private func coverHTML(_ cover: ReportCover) -> String {
        var out = "<div class=\"cover\">\n"
        for line in cover.lines(for: self) {
            let value = line.text.map { "<span class=\"value\">\(ReportMarkup.escaped($0))</span>" }
            out += "<span class=\"field\"><span class=\"label\">\(line.label)：</span>"
            out += (value ?? "<span class=\"value blank\"></span>") + "</span>\n"
        }
        return out + "</div>\n"
    }

    private func tableHTML() -> String {
        var out = "<table class=\"report\">\n<thead>\n"
        for headerRow in 0..<headerRows {
            out += "<tr>"
            if headerRow == 0 {
                out += "<th\(Self.spans(width: 1, height: headerRows))>\(ReportMarkup.escaped(rowHeader))</th>"
            }
            for cell in header.filter({ $0.row == headerRow }).sorted(by: { $0.column < $1.column }) {
                out +=
                    "<th\(Self.spans(width: cell.width, height: cell.height))>\(ReportMarkup.escaped(cell.label))</th>"
            }
            out += "</tr>\n"
        }
        out += "</thead>\n<tbody>\n"
        for row in rows {
            out += "<tr class=\"\(row.kind.rawValue)\"><th scope=\"row\">\(ReportMarkup.escaped(row.label))</th>"
            for value in row.values { out += "<td>\(value)</td>" }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    private static func spans(width: Int, height: Int) -> String {
        (width > 1 ? " colspan=\"\(width)\"" : "") + (height > 1 ? " rowspan=\"\(height)\"" : "")
    }

    private func checksHTML() -> String {
        var out = "<section class=\"checks\">\n<h2>校核</h2>\n"
        guard !checks.isEmpty else { return out + "<p>本表没有校核式。</p>\n</section>\n" }
        let failed = checks.filter { !$0.passed }.count
        out +=
            failed == 0
            ? "<p class=\"summary\">全部 \(checks.count) 项校核通过。</p>\n"
            : "<p class=\"summary failed\">\(failed) 项校核未通过（共 \(checks.count) 项）。</p>\n"
        out += "<table>\n<thead><tr><th>校核式</th><th>单元格</th><th>应为</th><th>实为</th><th>结果</th></tr></thead>\n<tbody>\n"
        for check in checks {
            out += "<tr class=\"\(check.passed ? "passed" : "failed")\">"
            out += "<td class=\"rule\">\(ReportMarkup.escaped(check.rule))</td>"
            out += "<td class=\"cell\">\(ReportMarkup.escaped(check.cell))</td>"
            out += "<td class=\"figure\">\(check.expected)</td><td class=\"figure\">\(check.actual)</td>"
            out += "<td class=\"result\">\(check.passed ? "通过" : "✗ 未通过")</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }
}

/// The page's style sheet: A4 landscape, Chinese fonts first with the usual fallbacks, figures
/// right-aligned in a fixed-width digit face so columns line up.
enum ReportHTMLStyle {
    static let css = """
        @page { size: A4 landscape; margin: 12mm }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", \
        "SimSun", sans-serif; font-size: 10.5pt; color: #000; background: #fff; margin: 12mm; }
        @media print { body { margin: 0 } }
        p.number { margin: 0; }
        h1 { font-size: 16pt; text-align: center; margin: 0 0 8pt; }
        h2 { font-size: 12pt; margin: 12pt 0 4pt; }
        .cover { display: flex; flex-wrap: wrap; gap: 4pt 18pt; margin-bottom: 8pt; }
        .cover .blank { display: inline-block; min-width: 7em; border-bottom: 1px solid #000; }
        table { border-collapse: collapse; }
        table.report { width: 100%; }
        table.report thead { display: table-header-group; }
        th, td { border: 1px solid #000; padding: 2pt 4pt; }
        thead th { text-align: center; vertical-align: middle; }
        tbody th { text-align: left; font-weight: normal; }
        td { text-align: right; font-variant-numeric: tabular-nums; }
        tr.subtotal, tr.total, tr.subtotal th, tr.total th { font-weight: bold; }
        .checks td.rule, .checks td.cell, .checks td.result { text-align: left; }
        .checks tr.failed, .checks p.failed { color: #b00000; font-weight: bold; }
        .chart { margin: 12pt 0 0; break-inside: avoid; }
        .chart figcaption { font-weight: bold; margin-bottom: 4pt; }
        .chart svg { max-width: 100%; height: auto; }
        .chart text { font-family: inherit; font-size: 11px; }
        """
}

/// The chart of a table as plain SVG: horizontal bars (long Chinese labels read better beside a
/// bar than under it), each labelled with its figure, scaled to the largest.
struct ReportChartSVG {
    struct Bar {
        var label: String
        /// The segments' figures, left to right (one for a plain bar).
        var segments: [Int]
        /// The figure printed after the bar.
        var caption: String
    }

    var caption: String
    var bars: [Bar]
    /// The segments' CSS classes and fill colours; a legend is drawn when there is more than one.
    var series: [(name: String, label: String, color: String)]

    /// The bars `chart` asks of `table` (see `ReportChart`).
    init(table: ReportTable, chart: ReportChart) {
        let items = table.rows.filter { $0.kind == .item }
        switch chart {
        case .rowBars:
            caption = "各\(table.rowHeader)\(table.columns[table.totalColumn])"
            bars = items.map { Bar(label: $0.label, segments: [$0.values[table.totalColumn]], caption: "") }
            series = [("bar", table.columns[table.totalColumn], "#4a7ab5")]
        case .columnBars:
            caption = "合计行各栏"
            let total = table.rows.last { $0.kind == .total }
            bars = table.columns.indices.filter { $0 != table.totalColumn }.map { column in
                Bar(label: table.columns[column], segments: [total?.values[column] ?? 0], caption: "")
            }
            series = [("bar", "合计", "#4a7ab5")]
        case .stackedBars:
            caption = "编制使用（按\(table.rowHeader)）"
            // Beyond 40 units the bars are unreadable: the 小计 of each level instead.
            let subtotals = table.rows.filter { $0.kind == .subtotal }
            let shown = items.count > 40 && !subtotals.isEmpty ? subtotals : items
            // Columns 0…3 are 核定, 实有, 空缺, 超出 of the 合计 group. Occupied within the quota is
            // 实有 − 超出, which stays right for a 小计 (a sum of per-unit figures, never netted).
            bars = shown.map { row in
                let values = row.values + Array(repeating: 0, count: max(0, 4 - row.values.count))
                return Bar(
                    label: row.label,
                    segments: [values[1] - values[3], values[2], values[3]],
                    caption: "实有 \(values[1]) / 核定 \(values[0])"
                )
            }
            series = [("within", "编制内在编", "#4a7ab5"), ("vacant", "空缺", "#c9d7ea"), ("over", "超出", "#c0392b")]
        }
        bars = bars.map { bar in
            var bar = bar
            if bar.caption.isEmpty { bar.caption = String(bar.segments.reduce(0, +)) }
            return bar
        }
    }

    static let width = 960
    static let rowHeight = 22
    static let barHeight = 14

    /// The SVG element, or nil when there is nothing to draw (a table of one 合计 row).
    func svg() -> String? {
        guard !bars.isEmpty else { return nil }
        let legendHeight = series.count > 1 ? 24 : 0
        let labelWidth = min(max(bars.map { Self.displayWidth($0.label) }.max() ?? 0, 4) * 6 + 12, 260)
        let plotWidth = Self.width - labelWidth - 150
        let largest = bars.map { $0.segments.reduce(0, +) }.max() ?? 0
        let height = legendHeight + bars.count * Self.rowHeight + 8
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.width)\" height=\"\(height)\""
        out +=
            " viewBox=\"0 0 \(Self.width) \(height)\" role=\"img\" aria-label=\"\(ReportMarkup.escaped(caption))\">\n"
        out += "<title>\(ReportMarkup.escaped(caption))</title>\n"
        if series.count > 1 {
            var x = labelWidth
            for entry in series {
                out += "<rect class=\"legend\" x=\"\(x)\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(entry.color)\"/>"
                out += "<text x=\"\(x + 16)\" y=\"14\">\(ReportMarkup.escaped(entry.label))</text>\n"
                x += 24 + Self.displayWidth(entry.label) * 6 + 12
            }
        }
        for (index, bar) in bars.enumerated() {
            let top = legendHeight + index * Self.rowHeight + 4
            let baseline = top + Self.barHeight - 3
            out += "<g><title>\(ReportMarkup.escaped(bar.label))：\(ReportMarkup.escaped(bar.caption))</title>"
            out += "<text x=\"\(labelWidth - 6)\" y=\"\(baseline)\" text-anchor=\"end\">"
            out += "\(ReportMarkup.escaped(Self.shortened(bar.label, to: (labelWidth - 12) / 6)))</text>"
            var x = labelWidth
            for (segment, value) in bar.segments.enumerated() {
                // An all-zero table draws empty bars rather than dividing by zero.
                let width = largest > 0 ? max(value, 0) * plotWidth / largest : 0
                let entry = series[min(segment, series.count - 1)]
                out += "<rect class=\"\(entry.name)\" x=\"\(x)\" y=\"\(top)\" width=\"\(width)\""
                out += " height=\"\(Self.barHeight)\" fill=\"\(entry.color)\"/>"
                x += width
            }
            out +=
                "<text class=\"value\" x=\"\(x + 4)\" y=\"\(baseline)\">\(ReportMarkup.escaped(bar.caption))</text></g>\n"
        }
        return out + "</svg>\n"
    }

    /// Width in half-width characters: a Chinese character counts two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
    }

    /// `text`, cut with an ellipsis to fit `width` half-width characters (the whole label stays
    /// in the bar's tooltip).
    static func shortened(_ text: String, to width: Int) -> String {
        guard displayWidth(text) > width else { return text }
        var out = ""
        var used = 0
        for character in text {
            let size = displayWidth(String(character))
            guard used + size <= width - 2 else { break }
            out.append(character)
            used += size
        }
        return out + "…"
    }
}
