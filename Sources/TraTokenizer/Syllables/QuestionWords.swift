/// The Vietnamese interrogative words: what a question asks with, not what it asks about.
///
/// In a question ("Kim tự tháp được xây vào năm nào?") they carry no topic, yet encyclopedic
/// prose rarely uses them, so their inverse document frequency is high and they would outweigh
/// the words that do name the topic. The search engine leaves them out of questions' scoring
/// (TraRanking's `QueryPlan`); this type only says which syllable sequences they are.
///
/// Entries are lowercase NFC, syllables separated by one space, marks as the canonical key writes
/// them (the analyzer's canonical key of each syllable equals the entry's syllable). The list was
/// chosen on every 8th ViQuAD train question (2,322; MRR@10 0.8088 without, 0.8185 with it;
/// adding "không", "là gì", "như thế nào", "sao", "những" or "các" did not help), then checked
/// on ViQuAD dev (0.7728 to 0.7810) and XQuAD (0.9551 to 0.9569).
public enum QuestionWords {
    /// Interrogative words and phrases (who, what, which, where, how much, when, how many, why, how).
    public static let words: [String] = [
        "gì", "nào", "ai", "đâu", "bao nhiêu", "bao giờ", "mấy", "tại sao", "vì sao", "thế nào",
    ]

    /// Words that begin with an interrogative syllable but name things (Ai Cập is Egypt): never
    /// taken for question words.
    public static let names: [String] = ["ai cập", "ai len", "ai lao"]
}
