/// Characters that change how text is shown without being seen themselves: Unicode's format
/// characters (general category Cf). Among them the bidirectional controls — U+202A–U+202E
/// (U+202E, RIGHT-TO-LEFT OVERRIDE, makes `report_\u{202E}fdp.exe` show as `report_exe.pdf`),
/// U+2066–U+2069, U+200E/U+200F and U+061C — and the zero-width ones: U+200B–U+200D, U+2060,
/// U+FEFF and U+180E, which make two names that look the same differ, or hide words from a
/// search. Tag characters (U+E0000 block) hide whole sentences the same way.
///
/// One rule for every name a person reads: names of people, titles, notes and reasons (the
/// service) and names inside archive packages (the archive). The zero-width joiner U+200D is
/// needed in emoji sequences, and the zero-width non-joiner U+200C in a few scripts, but never
/// in a civil servant's name or a document's title, so refusing them loses nothing a personnel
/// file needs. Variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF), which choose the glyph of
/// a rare Chinese character in a name, are not format characters and stay allowed.
public enum InvisibleFormatting {
    /// True for printable ASCII and the CJK ideographs, most of every name and title: never a
    /// format or control character, answered without a Unicode property look-up (which shows
    /// in a bulk import of a million names). Rules over characters ask this first.
    public static func isPlainPrintable(_ scalar: Unicode.Scalar) -> Bool {
        (0x20..<0x7F).contains(scalar.value) || (0x4E00...0x9FFF).contains(scalar.value)
    }

    /// True for a character that is refused wherever people type a name or a text.
    public static func contains(_ scalar: Unicode.Scalar) -> Bool {
        if isPlainPrintable(scalar) { return false }
        // U+180E was a space before Unicode 6.3 and is a format character since: named here so
        // the rule holds whatever Unicode version the standard library carries.
        return scalar.properties.generalCategory == .format || scalar == "\u{180E}"
    }

    /// True when `text` holds any such character.
    public static func isIn(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains(where: contains)
    }

    /// The sentence shown when `what` (e.g. "The title") holds one.
    public static func refusal(_ what: String) -> String {
        "\(what) cannot contain invisible formatting characters (such as right-to-left marks or zero-width spaces)."
    }
}
