import Foundation
import Mustache

/// The admin pages' templates (Resources/templates) and their message catalogue
/// (Resources/messages.json): every text on a page comes from the catalogue, Simplified
/// Chinese first, English when the server is set to it.
struct Pages: Sendable {
    /// The catalogue's languages.
    enum Language: String, Sendable, CaseIterable {
        case chinese = "zh-CN"
        case english = "en"
    }

    let library: MustacheLibrary
    let messages: [String: String]
    let language: Language
    /// The stylesheet, served at /admin/static/dossier.css.
    let stylesheet: String

    /// Loads the templates and the catalogue shipped with the module; fails when either is
    /// missing or broken (an installation problem, found at start).
    init(language: Language) throws {
        guard let resources = Bundle.module.resourceURL else { throw PagesError("The page resources are missing.") }
        var library = MustacheLibrary()
        let folder = resources.appendingPathComponent("templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".mustache")
        }
        for name in names.sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        let catalogue = try JSONDecoder().decode(
            [String: [String: String]].self,
            from: Data(contentsOf: resources.appendingPathComponent("messages.json"))
        )
        guard let messages = catalogue[language.rawValue] else {
            throw PagesError("The message catalogue has no \(language.rawValue) texts.")
        }
        self.library = library
        self.messages = messages
        self.language = language
        stylesheet = try String(contentsOf: resources.appendingPathComponent("static/dossier.css"), encoding: .utf8)
    }

    /// Renders `template` with `values` plus the catalogue (`t`) and the language (`lang`).
    func render(_ template: String, _ values: [String: Any]) -> String {
        var all = values
        all["t"] = messages
        all["lang"] = language.rawValue
        return library.render(all, withTemplate: template) ?? ""
    }

    /// A catalogue text by key (the key itself when missing, so a gap shows instead of hiding).
    func text(_ key: String) -> String { messages[key] ?? key }
}

struct PagesError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
