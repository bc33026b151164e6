/// 拼音首字母: the first letter of each character's pinyin (张伟 → "zw"), so an officer can find a
/// person by typing initials. Covers the 3,755 common characters of GB 2312's first level, which
/// hold nearly every name; a rarer character, or one read two ways (单 as shàn in a surname), may
/// not match its initial. Latin letters in a name stand for themselves.
public enum PinyinInitials {
    private static let lookup: [Character: Character] = {
        var lookup: [Character: Character] = [:]
        for (initial, characters) in table {
            for character in characters { lookup[character] = initial }
        }
        return lookup
    }()

    /// The initials of `name`, lower case; characters without one are left out.
    public static func of(_ name: String) -> String {
        var initials = ""
        for character in name {
            if let initial = lookup[character] {
                initials.append(initial)
            } else if character.isASCII, character.isLetter {
                initials.append(Character(character.lowercased()))
            }
        }
        return initials
    }

    /// Whether `text` is initials (Latin letters only) rather than part of a name.
    public static func areInitials(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isLetter }
    }
}
