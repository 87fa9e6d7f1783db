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
// Two names are compared token by token (compareNames). Every query token
// is aligned one-to-one with a list token, in any order, greedily by
// similarity; adjacent tokens may be joined to meet one token ("vanderbilt"
// ~ "van der bilt", "jalaluddin" ~ "jalal al din"). A token pair scores by
// the best of: the optimal-string-alignment edit distance; a phonetic edit
// distance where vowels, doubled letters, h and letters of one sound class
// cost less (Mohammad ~ Muhammad); an initial; a Korean romanization
// variant (jeong ~ jong); or, when one name was written in Arabic or Hebrew
// script, which omit short vowels, the consonant skeletons under every
// reading of the ambiguous letters (محمد ~ Mohammed, ضیا ~ Zia).
//
// Each pair weighs the rarity (IDF over the index's names) of its listed
// token, times a class factor (legal forms, generic words, honorifics,
// particles and patronymics weigh less). The name score is
//
//	Σ sim·w / (Σ w + Σ extra query w·f_q + Σ extra listed w·f_l)
//
// where a query token left over counts fully (f_q = 1) and a listed token
// left over counts ExtraListWeight (a list may carry middle names). A
// listed name found whole in a longer query makes the query's extras cheap
// too; left-overs on both sides are different names and count fully.
// Guards: a match resting only on legal forms, generic words or particles
// is capped at GenericCap (0.5); one resting on a single part of a longer
// name at SingleTokenCap (0.75); names written in Han or Hangul also
// compare their characters. Identical names after normalisation score 1.
//
// The entity score is the best name score (weak aliases ×0.9), plus the
// evidence of the query: an identifier equal to one of the entity's is
// decisive (1.0); a date of birth, a country and the entity type raise the
// score a little when they agree and lower it when they disagree; absent
// evidence is neutral. Every step is a ScorePiece of the match's
// explanation, rounded to 4 decimals (the digits below are float noise),
// and the final score is the sum of the rounded pieces clamped to [0,1]:
// the score reported is the one compared with the threshold, so a
// reported 0.8 is a match at 0.8.
// DefaultThreshold was calibrated on public benchmarks; see
// docs/screening-accuracy.md.
//
// # Candidates
//
// An Index holds an inverted index from keys to tokens: the token itself,
// its consonant skeleton and its single-character deletions (so one typo on
// either side still meets), and from tokens to the names that hold them.
// A search scores only the names that share enough token mass with the
// query.
package screen
