import DossierCore
import DossierService
import Foundation
import Hummingbird

extension PagesController {
    /// The choices of the person page's form for a change or correction of personal details:
    /// each code table with "unchanged" first.
    static func detailsChoices() -> [String: Any] {
        func choices<T: CodedValue>(_ type: T.Type) -> [[String: Any]] {
            T.allCases.map { ["code": $0.code, "name": $0.chineseName] }
        }
        return [
            "ethnicities": choices(Ethnicity.self), "educations": choices(Education.self),
            "politicalStatuses": choices(PoliticalStatus.self),
        ]
    }

    /// Drafts a change of personal details (信息变更, from its date) or a correction of a detail
    /// filed wrong (信息更正, from the filing date), from the person page: what is left empty
    /// stays as it is. The draft waits for an approver as every personnel action does.
    func draftDetails(_ visit: Visit, _ context: Context) async throws -> Response {
        struct Form: Decodable {
            var kind: String
            var effectiveOn: String?
            var name: String?
            var ethnicity: String?
            var education: String?
            var politicalStatus: String?
            var phone: String?
            var note: String?
            private enum CodingKeys: String, CodingKey {
                case kind, name, ethnicity, education, phone, note
                case effectiveOn = "effective_on"
                case politicalStatus = "political_status"
            }
        }
        let id = try Parameter.id(context)
        let form = try visit.form(Form.self)
        func given(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func coded<T: CodedValue>(_ text: String?) throws -> T? {
            guard let text = given(text) else { return nil }
            guard let value = T(codeOrName: text) else {
                throw Problem(.invalid, "Choose a value from the list.", messageKey: "chooseValue")
            }
            return value
        }
        let kind: ActionKind
        switch form.kind {
        case ActionKind.changeDetails.rawValue: kind = .changeDetails
        case ActionKind.correctDetails.rawValue: kind = .correctDetails
        default: throw Problem(.badRequest, "Choose a change or a correction.", messageKey: "chooseDetailsKind")
        }
        // A correction takes effect from the filing date, whatever the form says; a change from
        // the date given.
        let date: CivilDate
        if kind == .changeDetails {
            guard let text = given(form.effectiveOn), let day = CivilDate(iso: text) else {
                throw Problem(
                    .invalid,
                    "The effective date must be written YYYY-MM-DD.",
                    messageKey: "badEffectiveDate"
                )
            }
            date = day
        } else {
            date = visit.dossier.today
        }
        let details = DetailsChange(
            name: given(form.name),
            ethnicity: try coded(form.ethnicity),
            education: try coded(form.education),
            politicalStatus: try coded(form.politicalStatus),
            phone: given(form.phone)
        )
        _ = try await visit.dossier.draftAction(
            ActionDraftInput(
                personID: id,
                kind: kind,
                effectiveOn: date,
                details: details.isEmpty ? nil : details,
                note: form.note ?? ""
            )
        )
        return redirect("/admin/people/\(id)?done=draftSaved")
    }
}
