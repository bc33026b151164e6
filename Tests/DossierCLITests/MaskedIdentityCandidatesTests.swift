import Foundation
import Testing

/// What a role without the right to see identity numbers is shown about a person (the masked
/// number, the birth date, the sex) must leave at least 100 valid identity numbers possible:
/// otherwise the mask hides nothing. Counted here with a check-digit implementation of GB 11643
/// written apart from Dossier's own.
@Suite struct MaskedIdentityCandidatesTests {
    /// ISO 7064 MOD 11-2 as GB 11643-1999 states it.
    static func checkCharacter(_ first17: [UInt8]) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (digit, weight) in zip(first17, weights) { sum += Int(digit) * weight }
        return Array("10X98765432")[sum % 11]
    }

    /// How many valid identity numbers agree with everything shown: each character the mask
    /// leaves visible, the birth date (as much of it as is shown) and the sex.
    static func candidates(masked: String, birthDate: String?, sex: String?) -> Int {
        let shown = Array(masked)
        guard shown.count == 18 else { return 0 }
        func fits(_ position: Int, _ character: Character) -> Bool {
            shown[position] == "*" || shown[position] == character
        }
        guard (0..<6).allSatisfy({ shown[$0] != "*" }) else { return Int.max }  // never the case here
        // Birth dates that agree with the visible digits and with the birth date field, whole or
        // as a year or year-month prefix.
        var dates: [[UInt8]] = []
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.calendar = utc
        formatter.timeZone = utc.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        var day = utc.date(from: DateComponents(year: 1900, month: 1, day: 1))!
        let last = utc.date(from: DateComponents(year: 2026, month: 12, day: 31))!
        while day <= last {
            let text = formatter.string(from: day)
            if birthDate.map({ text.hasPrefix($0) }) ?? true {
                let digits = Array(text.replacingOccurrences(of: "-", with: ""))
                if digits.enumerated().allSatisfy({ fits(6 + $0.offset, $0.element) }) {
                    dates.append(digits.map { UInt8(String($0))! })
                }
            }
            day = utc.date(byAdding: .day, value: 1, to: day)!
        }
        let region = shown[0..<6].map { UInt8(String($0))! }
        let male: Bool? = sex.flatMap { ["1": true, "男": true, "2": false, "女": false][$0] }
        var count = 0
        for date in dates {
            for sequence in 0..<1000 {
                let digits = [UInt8(sequence / 100), UInt8(sequence / 10 % 10), UInt8(sequence % 10)]
                if let male, (digits[2] % 2 == 1) != male { continue }
                guard digits.enumerated().allSatisfy({ fits(14 + $0.offset, Character(String($0.element))) }) else {
                    continue
                }
                let first17 = region + date + digits
                if fits(17, checkCharacter(first17)) { count += 1 }
            }
        }
        return count
    }

    @Test func theIndependentCountFindsExactlyOneForTheOldMaskAndTheStandardsExample() {
        // GB 11643's example, shown as the mask of first 6 and last 4 used to show it, with its
        // birth date and sex beside it: exactly one number fits, the real one.
        #expect(Self.candidates(masked: "110105********002X", birthDate: "1949-12-31", sex: "2") == 1)
        #expect(Self.checkCharacter(Array("11010519491231002").map { UInt8(String($0))! }) == "X")
    }

    @Test func aViewerOfDemoPeopleCannotNarrowAnyNumberBelowAHundredCandidates() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "120", "--seed", "3"])
            let truth = try await node.people(reveal: true)
            let real = Dictionary(uniqueKeysWithValues: truth.map { ($0.id, $0.idNumber) })

            // Everything the viewer is shown: the list as JSON and as CSV, and each person's file.
            let listed = try await node.succeed([
                "person", "list", "--as", "viewer", "--format", "json", "--limit", "1000",
            ])
            let people = try #require(try JSONSerialization.jsonObject(with: listed.stdoutData) as? [[String: Any]])
            #expect(people.count == 120)
            var fewest = Int.max
            for person in people.prefix(40) {
                let id = try #require(person["id"] as? Int)
                let shown = try await node.succeed(["person", "show", String(id), "--as", "viewer", "--format", "json"])
                let file = try #require(try JSONSerialization.jsonObject(with: shown.stdoutData) as? [String: Any])
                for view in [person, file] {
                    let masked = try #require(view["id_number"] as? String)
                    let count = Self.candidates(
                        masked: masked,
                        birthDate: view["birth_date"] as? String,
                        sex: view["sex"] as? String
                    )
                    #expect(count >= 100, "person \(id): \(count) candidates")
                    fewest = min(fewest, count)
                    // The real number is among them: the count is of the right thing.
                    let number = try #require(real[Int64(id)])
                    #expect(masked.prefix(6) == number.prefix(6))
                }
            }
            #expect(fewest >= 100 && fewest < Int.max)
        }
    }
}
