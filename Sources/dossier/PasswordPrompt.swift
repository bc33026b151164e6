import Foundation

/// Reads a password typed at the terminal on standard input, without showing it.
enum PasswordPrompt {
    /// Whether a person is at a terminal to type one (standard input is a terminal; a script's
    /// input is a file or a pipe, and it must use a token instead).
    static var isAvailable: Bool { isatty(STDIN_FILENO) == 1 }

    /// Prints `prompt` on standard error and reads one line with echo off; nil at end of input.
    static func read(_ prompt: String) -> String? {
        var saved = termios()
        let hidden = tcgetattr(STDIN_FILENO, &saved) == 0
        if hidden {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            // TCSANOW: what was typed ahead stays to be read.
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        }
        // Echo goes off before the prompt shows: whatever is typed once it shows stays hidden.
        FileHandle.standardError.write(Data(prompt.utf8))
        defer {
            if hidden { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
            // The Enter the user typed was not echoed either.
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
