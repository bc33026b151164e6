import ArgumentParser

/// Catches a mistyped command name before ArgumentParser does ("2 unexpected arguments"), and
/// names the nearest command instead: `dossier persn list` → "Did you mean 'person'?".
enum CommandSuggestion {
    /// The sentence for the first word of `arguments` that names no command where one is
    /// expected; nil when every command word is known.
    static func mistake(in arguments: [String], root: any ParsableCommand.Type) -> String? {
        var command = root
        var path = [root._commandName]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            // Options, and ArgumentParser's own `help` command, are for it to read.
            guard !subcommands.isEmpty, !word.hasPrefix("-"), word != "help" else { return nil }
            let names = subcommands.map { $0._commandName }
            guard let index = names.firstIndex(of: word) else {
                return sentence(for: word, among: names, under: path.joined(separator: " "))
            }
            command = subcommands[index]
            path.append(word)
        }
        return nil
    }

    private static func sentence(for word: String, among names: [String], under path: String) -> String {
        let ranked = names.map { (name: $0, distance: distance(word.lowercased(), $0)) }
            .filter { $0.distance <= max(2, word.count / 3) || $0.name.hasPrefix(word.lowercased()) }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
        var text = "'\(word)' is not a command of '\(path)'."
        if let nearest = ranked.first {
            text += " Did you mean '\(path) \(nearest.name)'?"
        } else {
            text += " The commands are: \(names.joined(separator: ", "))."
        }
        return text + " See '\(path) --help'."
    }

    /// Edit distance (insertions, deletions, substitutions, and swaps of two neighbours).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
