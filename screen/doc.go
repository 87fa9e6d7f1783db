// Package screen matches the name of a party against the names of listed
// entities (sanctions and denied-party lists) and explains every score.
//
// It is a pure engine: values in, values out. There is no I/O, no clock and
// no state outside constant tables; tunables are fields of Options.
//
// # Pipeline
//
// A name goes through an ordered pipeline before any scoring (Normalize):
//
//  1. Unicode NFKC (full-width forms, ligatures, Arabic presentation forms).
//  2. Transliteration to lower-case Latin (Latin): in-house tables for
//     Arabic and Persian (letter unification, harakat, tatweel and ZWNJ
//     removed, the article split off), Cyrillic (Russian, Ukrainian, Serbian,
//     Kazakh letters), Greek, Armenian, Georgian and Hebrew; Revised
//     Romanization for Hangul, computed from the syllable's jamo, with a
//     table of the usual spellings of common surnames; pinyin for Han
//     characters, with the given-name syllables joined; Latin letters lose
//     their diacritics. Scripts without a table are kept as they are and
//     only match the same script.
//  3. Tokenisation: punctuation splits, apostrophes join, dotted
//     abbreviations ("S.A.", "U.S.") join.
//  4. Classification: multi-word legal forms become one canonical token
//     ("gesellschaft mit beschrankter haftung" → "gmbh"); legal forms,
//     honorifics, generic organisation words and name particles are kept but
//     carry low weight.
//
// # Scoring
//
// Two names are compared token by token (compareNames): every query token
// is aligned one-to-one with a list token, in any order, also joining
// adjacent tokens ("vanderbilt" ~ "van der bilt", "xi jinping" ~ "xi jin
// ping"). A token pair scores by edit distance, by edit distance after vowel
// folding, by an initial, or, for names from scripts that omit short vowels
// (Arabic, Hebrew), by their consonant skeletons. Pairs weigh by the rarity
// (IDF) of the listed token in the index. The name score is the weighted
// mean of the pair scores, where unmatched query tokens count fully and
// unmatched list tokens count less (Options.ExtraListWeight). Guards stop a
// match made only of legal forms or generic words, or of one token of a
// longer name. Identical names after normalisation score 1.
//
// The entity score is the best name score (weak aliases scaled down), then
// adjusted by the evidence of the query: an identifier equal to one of the
// entity's is decisive (1.0); dates of birth, countries and the entity type
// raise a score a little when they agree and lower it when they disagree.
// Every step is a ScorePiece of the match's explanation.
//
// # Candidates
//
// An Index holds an inverted index from keys to tokens: the token itself,
// its consonant skeleton and its single-character deletions (so one typo on
// either side still meets), and from tokens to the names that hold them.
// A search scores only the names that share enough token mass with the
// query.
package screen
