import Testing

@testable import DossierHTTP

/// The sign-in throttle's bookkeeping, attempt by attempt: failures slow and lock, attempts
/// under way bound how many passwords are checked at once, and correct ones never count.
@Suite struct LoginThrottleTests {
    let policy = LoginPolicy(
        window: .seconds(600),
        slowAfter: 2,
        delay: .milliseconds(1),
        lockAfter: 3,
        lockFor: .seconds(900),
        addressSlowAfter: 2,
        addressLockAfter: 3
    )

    private func proceeds(_ verdict: LoginThrottle.Verdict) -> Bool {
        if case .proceed = verdict { return true } else { return false }
    }

    @Test func correctSignInsUnderWayFromOneAddressDoNotCountAsFailures() async {
        let throttle = LoginThrottle(policy: policy)
        // Colleagues behind one office address, all at once, then two failures by one of them.
        for name in ["a", "b", "c", "d", "e", "f", "g"] {
            #expect(proceeds(await throttle.begin(user: name, client: "10.0.0.1")), "\(name)")
        }
        for name in ["a", "b", "c", "d", "e", "f", "g"] { await throttle.succeeded(user: name, client: "10.0.0.1") }
        for _ in 1...2 {
            #expect(proceeds(await throttle.begin(user: "a", client: "10.0.0.1")))
            #expect(await throttle.failed(user: "a", client: "10.0.0.1") == false)
        }
        // A correct sign-in under way does not tip the address into a lock-out with one more failure.
        #expect(proceeds(await throttle.begin(user: "b", client: "10.0.0.1")))
        #expect(proceeds(await throttle.begin(user: "c", client: "10.0.0.1")))
        #expect(await throttle.failed(user: "c", client: "10.0.0.1"), "the third failure locks")
        await throttle.succeeded(user: "b", client: "10.0.0.1")
        #expect(!proceeds(await throttle.begin(user: "d", client: "10.0.0.1")), "the address is locked")
    }

    @Test func attemptsUnderWayForOneNameStopAtTheLockOutLimit() async {
        let throttle = LoginThrottle(policy: policy)
        var letThrough = 0
        for _ in 1...10 where proceeds(await throttle.begin(user: "victim", client: nil)) { letThrough += 1 }
        #expect(letThrough == policy.lockAfter)
        // An abandoned attempt (cancelled, or the check failed) frees its place without counting.
        await throttle.abandoned(user: "victim", client: nil)
        #expect(proceeds(await throttle.begin(user: "victim", client: nil)))
    }

    @Test func aSuccessClearsTheNamesFailuresButNotTheAddresses() async {
        let throttle = LoginThrottle(policy: policy)
        for _ in 1...2 {
            _ = await throttle.begin(user: "a", client: "10.0.0.2")
            _ = await throttle.failed(user: "a", client: "10.0.0.2")
        }
        _ = await throttle.begin(user: "a", client: "10.0.0.2")
        await throttle.succeeded(user: "a", client: "10.0.0.2")
        // The address has two failures left: one more from anyone there locks it.
        _ = await throttle.begin(user: "z", client: "10.0.0.2")
        #expect(await throttle.failed(user: "z", client: "10.0.0.2"))
        // The name itself starts afresh elsewhere.
        #expect(proceeds(await throttle.begin(user: "a", client: "10.0.0.3")))
    }

    @Test func onePersonsWrongPasswordsLockTheirNameButNotTheirColleaguesBehindTheSameAddress() async {
        let throttle = LoginThrottle(policy: LoginPolicy(delay: .milliseconds(1)))
        let office = "10.0.0.9"
        for _ in 1...5 {
            #expect(proceeds(await throttle.begin(user: "wang", client: office)))
            _ = await throttle.failed(user: "wang", client: office)
        }
        #expect(!proceeds(await throttle.begin(user: "wang", client: office)), "the name is locked after 5")
        // Everyone else in the office signs in, without waiting: the address has 5 of its 50.
        for colleague in ["li", "zhao", "chen"] {
            #expect(await throttle.begin(user: colleague, client: office) == .proceed(after: .zero), "\(colleague)")
            await throttle.succeeded(user: colleague, client: office)
        }
        // An address guessing many names is still stopped: 50 failures in the window lock it.
        for n in 6...50 {
            _ = await throttle.begin(user: "guess\(n)", client: office)
            _ = await throttle.failed(user: "guess\(n)", client: office)
        }
        #expect(!proceeds(await throttle.begin(user: "li", client: office)), "the address is locked after 50")
    }
}
