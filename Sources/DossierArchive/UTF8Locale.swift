import Glibc

/// Runs `body` with a UTF-8 character locale on this thread only: libarchive 3.6 needs one to
/// write pax headers for non-ASCII names (in the C locale it fails), and changing the process
/// locale from a library would surprise its callers.
func withUTF8Locale<T>(_ body: () throws -> T) rethrows -> T {
    guard let utf8 = UTF8Locale.shared.handle else { return try body() }
    let previous = uselocale(utf8)
    defer { uselocale(previous) }
    return try body()
}

/// The UTF-8 character locale, made once: `newlocale` opens and maps the locale's file on
/// every call, and every entry of a package read or written asks for it. Never freed, so it
/// may be installed by any number of threads at once (`uselocale` changes only the caller's).
private final class UTF8Locale: @unchecked Sendable {
    static let shared = UTF8Locale()
    let handle = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)
}
