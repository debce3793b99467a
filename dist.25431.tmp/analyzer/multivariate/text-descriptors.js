/**
 * Text features turned into numeric descriptors that the ordinary drift tests can run on, after Evidently's
 * text descriptors (TextLength, WordCount / sentence length, OOV share). A shift in what users type — longer
 * prompts, another language, new jargon — moves these even when the model's inputs are opaque strings.
 */
import { DEFAULT_VOCABULARY_MAX_SIZE, DEFAULT_VOCABULARY_MIN_COUNT } from "./const.js";
import { requireInteger } from "./validate.js";
// A token is a maximal run of letters, combining marks and digits (Unicode categories L, M, N); everything
// else — spaces, punctuation, symbols, emoji, underscores — separates tokens. Marks belong to tokens so that
// "naïve" written with a combining diaeresis stays one word.
const TOKEN = /[\p{L}\p{M}\p{N}]+/gu;
/**
 * The one tokeniser of the analyzer: NFC-normalise, lower-case (locale-independent `toLowerCase`), then take
 * maximal runs of Unicode letters, marks and digits. "Don't stop_now!" → ["don", "t", "stop", "now"].
 * No stemming and no word segmentation for scripts written without spaces (a Chinese sentence is one token).
 */
export function tokenize(text) {
    return text.normalize('NFC').toLowerCase().match(TOKEN) ?? [];
}
/**
 * The tokens seen in reference texts at least `minCount` times, the `maxSize` most frequent kept
 * (ties broken by code-unit order of the token, so the result does not depend on the input order).
 */
export function buildVocabulary(referenceTexts, options = {}) {
    const { maxSize = DEFAULT_VOCABULARY_MAX_SIZE, minCount = DEFAULT_VOCABULARY_MIN_COUNT } = options;
    requireInteger('maxSize', maxSize, 0);
    requireInteger('minCount', minCount, 1);
    const counts = new Map();
    for (const text of referenceTexts)
        for (const token of tokenize(text))
            counts.set(token, (counts.get(token) ?? 0) + 1);
    const kept = [...counts].filter(([, count]) => count >= minCount);
    kept.sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0));
    return new Set(kept.slice(0, maxSize).map(([token]) => token));
}
/**
 * Length (Unicode code points of the raw text), token count and out-of-vocabulary share of each text.
 * A text without tokens has OOV share 0 (none of its tokens is unknown); its length and token count of 0
 * are what a drift test on those descriptors sees.
 */
export function textDescriptors(texts, vocabulary) {
    const length = [];
    const tokens = [];
    const oovShare = [];
    for (const text of texts) {
        const words = tokenize(text);
        let unknown = 0;
        for (const word of words)
            if (!vocabulary.has(word))
                unknown++;
        length.push(codePointCount(text));
        tokens.push(words.length);
        oovShare.push(words.length === 0 ? 0 : unknown / words.length);
    }
    return { length, tokens, oovShare };
}
// String.length counts UTF-16 code units, so an emoji would count 2; Python's len(), used by Evidently, counts code points.
function codePointCount(text) {
    let count = 0;
    for (let i = 0; i < text.length; i++) {
        const unit = text.charCodeAt(i);
        // A high surrogate followed by a low surrogate is one code point.
        if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
            const next = text.charCodeAt(i + 1);
            if (next >= 0xdc00 && next <= 0xdfff)
                i++;
        }
        count++;
    }
    return count;
}
//# sourceMappingURL=text-descriptors.js.map