/*
 * Text → tokens, exactly as contract/signature.ts describes the text transform:
 * NFKC, then lower case, then every maximal run of [a-z0-9] is a token (1-character tokens COUNT: SMS shorthand
 * such as "u", "r", "2" and "4" carries signal, and the contract's pattern is `[a-z0-9]+`; scikit-learn's default
 * `\b\w\w+\b` would drop them, so the golden script passes `token_pattern=r"[a-z0-9]+"`).
 * Bigrams are two consecutive tokens joined by one space, as scikit-learn's `_word_ngrams` does.
 */
const TOKEN = /[a-z0-9]+/g;
/** NFKC then lower case: the normalisation every text feature goes through before tokenising. */
export function normalizeText(text) {
    return text.normalize('NFKC').toLowerCase();
}
/** Terms of one document: its tokens, then (ngrams = 2) its bigrams, in document order. */
export function tokenize(text, ngrams = 1) {
    const tokens = normalizeText(text).match(TOKEN) ?? [];
    if (ngrams === 1)
        return tokens;
    const terms = tokens.slice();
    for (let i = 1; i < tokens.length; i++)
        terms.push(`${tokens[i - 1]} ${tokens[i]}`);
    return terms;
}
//# sourceMappingURL=tokenize.js.map