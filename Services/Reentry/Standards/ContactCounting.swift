/// What a logged contact counts as. Only a completed, direct (in person) contact counts as
/// face-to-face; a home visit counts only at the residence; a phone check-in is met by any
/// completed conversation with the person themself (phone, video or in person).
public enum ContactCounting {
    public static let methods = ["in_person", "video", "phone", "via_family"]
    public static let locations = ["residence", "office", "workplace", "other", "remote"]
    public static let outcomes = ["completed", "not_home", "refused", "unreachable"]

    public static func counts(method: String, location: String, outcome: String) -> Set<ContactType> {
        guard outcome == "completed" else { return [] }
        switch method {
        case "in_person": return location == "residence" ? [.faceToFace, .homeVisit, .phone] : [.faceToFace, .phone]
        case "video", "phone": return [.phone]
        default: return []
        }
    }
}
