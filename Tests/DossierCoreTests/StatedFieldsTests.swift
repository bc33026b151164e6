import DossierCore
import Testing

@Suite struct StatedFieldsTests {
    @Test func everySetReadsBackFromItsCanonicalText() {
        for bits in UInt8(0)..<32 {
            let fields = StatedFields(rawValue: bits)
            #expect(StatedFields(text: fields.text) == fields, "\(fields.text)")
        }
        #expect(StatedFields([.status, .org, .rank]).text == "org,rank,status")
        #expect(StatedFields(text: "status,org") == [.org, .status])
        #expect(StatedFields(text: "") == [])
    }

    @Test func anUnknownNameIsNoSet() {
        #expect(StatedFields(text: "org,salary") == nil)
        #expect(StatedFields(text: "Org") == nil)
    }

    @Test func anActionStatesWhatItNames() {
        let hire = TimelineFold.Action(
            id: 1,
            kind: .hire,
            effectiveOn: CivilDate(iso: "2024-01-01")!,
            org: 7,
            category: .administrative,
            status: .active
        )
        #expect(hire.statedFields == [.org, .category, .status])
        #expect(
            TimelineFold.Action(id: 2, kind: .resign, effectiveOn: CivilDate(iso: "2024-02-01")!).statedFields == []
        )
    }
}
