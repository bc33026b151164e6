import Glibc

/// Runs `body` with a UTF-8 character locale on this thread only: libarchive 3.6 needs one to
/// write pax headers for non-ASCII names (in the C locale it fails), and changing the process
/// locale from a library would surprise its callers.
func withUTF8Locale<T>(_ body: () throws -> T) rethrows -> T {
    guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { return try body() }
    let previous = uselocale(utf8)
    defer {
        uselocale(previous)
        freelocale(utf8)
    }
    return try body()
}
