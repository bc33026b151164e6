import Foundation
import HTTPTypes
import Testing

@testable import DossierHTTP

/// The admin pages take every text from one catalogue (Resources/messages.json): each text a
/// template asks for must exist in Simplified Chinese and in English, and the two languages must
/// have the same keys, so switching to English never shows a bare key.
@Suite struct MessageCatalogueTests {
    private static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/DossierHTTP/Resources")

    private func catalogue() throws -> [String: [String: String]] {
        try JSONDecoder().decode(
            [String: [String: String]].self,
            from: Data(contentsOf: Self.resources.appendingPathComponent("messages.json"))
        )
    }

    /// Every `{{t.key}}` (or `{{#t.key}}`…) used by the templates.
    private func keysUsed() throws -> Set<String> {
        let folder = Self.resources.appendingPathComponent("templates")
        var keys: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            var rest = text[...]
            while let open = rest.range(of: "{{") {
                guard let close = rest[open.upperBound...].range(of: "}}") else { break }
                var tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if let first = tag.first, "#^/&".contains(first) { tag.removeFirst() }
                if tag.hasPrefix("t.") { keys.insert(String(tag.dropFirst(2))) }
                rest = rest[close.upperBound...]
            }
        }
        return keys
    }

    @Test func bothLanguagesHaveTheSameKeys() throws {
        let catalogue = try catalogue()
        let chinese = try #require(catalogue["zh-CN"])
        let english = try #require(catalogue["en"])
        #expect(Set(chinese.keys) == Set(english.keys))
        #expect(chinese.values.allSatisfy { !$0.isEmpty } && english.values.allSatisfy { !$0.isEmpty })
    }

    /// Every `messageKey: "key"` (or `messageKey = "key"`) the HTTP module's sources give a
    /// refusal that a page shows in the catalogue's words.
    private func refusalKeysUsed() throws -> Set<String> {
        let sources = Self.resources.deletingLastPathComponent()
        var keys: Set<String> = []
        let files = try #require(FileManager.default.enumerator(atPath: sources.path))
        for case let name as String in files where name.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(name), encoding: .utf8)
            for marker in ["messageKey: \"", "messageKey = \""] {
                var rest = text[...]
                while let open = rest.range(of: marker) {
                    guard let close = rest[open.upperBound...].firstIndex(of: "\"") else { break }
                    keys.insert(String(rest[open.upperBound..<close]))
                    rest = rest[close...]
                }
            }
        }
        return keys
    }

    @Test func everyRefusalAPageShowsInTheCataloguesWordsIsInTheCatalogue() throws {
        let used = try refusalKeysUsed().union(Problem.Kind.allCases.map(\.titleKey))
        #expect(used.isSuperset(of: ["formIncomplete", "chooseRank", "wrongPassword", "problemRefused"]), "\(used)")
        let catalogue = try catalogue()
        for language in ["zh-CN", "en"] {
            let known = Set(try #require(catalogue[language]).keys)
            #expect(used.subtracting(known).isEmpty, "\(language) lacks \(used.subtracting(known).sorted())")
        }
    }

    @Test func everyTextATemplateUsesIsInTheCatalogue() throws {
        let used = try keysUsed()
        #expect(used.count > 40, "the templates were not found or use no texts: \(used)")
        let catalogue = try catalogue()
        for language in ["zh-CN", "en"] {
            let known = Set(try #require(catalogue[language]).keys)
            #expect(used.subtracting(known).isEmpty, "\(language) lacks \(used.subtracting(known).sorted())")
        }
    }
}

/// The sign-in page in each language, as the server renders it.
@Suite struct PageLanguageTests {
    @Test(arguments: [(false, "登录"), (true, "Sign in")])
    func theSignInPageIsInTheConfiguredLanguage(_ english: Bool, _ title: String) async throws {
        var settings = HTTPFixture.settings()
        settings.english = english
        let fixture = try await HTTPFixture(settings: settings)
        let page = try await fixture.withAPI { api in try await api.send(.get, "/admin/login") }
        #expect(page.code == 200)
        #expect(page.text.contains("<h1>\(title)</h1>"), "\(page.text.prefix(600))")
        #expect(page.text.contains("lang=\"\(english ? "en" : "zh-CN")\""))
    }
}
