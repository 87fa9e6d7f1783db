package screen

// Transliteration tables. Each maps a lower-case letter to its usual Latin
// spelling in names; a missing letter falls back to its NFD base letter.

// cyrillicRussian is the Russian alphabet, spelled as English-language
// passports and lists usually spell it (BGN/PCGN without diacritics).
var cyrillicRussian = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	// Ukrainian and Belarusian letters that also appear in Russian texts.
	'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u",
	// Serbian and Macedonian.
	'ђ': "dj", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz",
	'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
	// Kazakh, Kyrgyz, Mongolian, Tatar, Bashkir, Azerbaijani Cyrillic.
	'қ': "q", 'ұ': "u", 'ү': "u", 'ө': "o", 'ә': "a", 'ғ': "gh", 'ң': "ng",
	'һ': "h", 'ҳ': "h", 'ҷ': "j", 'ӣ': "i", 'ӯ': "u", 'ҫ': "s", 'ӑ': "a",
	'ӗ': "e", 'ӳ': "u", 'ҙ': "z", 'ҡ': "q", 'ҝ': "g", 'ӏ': "",
}

// cyrillicUkrainian overrides cyrillicRussian for a name that uses a
// letter found only in Ukrainian (і, ї, є, ґ): г is h and и is y there
// (Шевченко → shevchenko, Зеленський → zelenskyi).
var cyrillicUkrainian = map[rune]string{
	'г': "h", 'ґ': "g", 'и': "y", 'і': "i", 'ї': "yi", 'є': "ye", 'й': "i",
	'х': "kh", 'щ': "shch",
}

// greek is modern Greek, by ELOT 743 without diacritics.
var greek = map[rune]string{
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i",
	'θ': "th", 'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x",
	'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y",
	'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
}

// armenian is Eastern Armenian, by the common passport spelling.
var armenian = map[rune]string{
	'ա': "a", 'բ': "b", 'գ': "g", 'դ': "d", 'ե': "e", 'զ': "z", 'է': "e",
	'ը': "y", 'թ': "t", 'ժ': "zh", 'ի': "i", 'լ': "l", 'խ': "kh", 'ծ': "ts",
	'կ': "k", 'հ': "h", 'ձ': "dz", 'ղ': "gh", 'ճ': "ch", 'մ': "m", 'յ': "y",
	'ն': "n", 'շ': "sh", 'ո': "o", 'չ': "ch", 'պ': "p", 'ջ': "j", 'ռ': "r",
	'ս': "s", 'վ': "v", 'տ': "t", 'ր': "r", 'ց': "ts", 'ւ': "v", 'փ': "p",
	'ք': "k", 'օ': "o", 'ֆ': "f", 'և': "ev",
}

// georgian is Mkhedruli, by the national system without apostrophes.
var georgian = map[rune]string{
	'ა': "a", 'ბ': "b", 'გ': "g", 'დ': "d", 'ე': "e", 'ვ': "v", 'ზ': "z",
	'თ': "t", 'ი': "i", 'კ': "k", 'ლ': "l", 'მ': "m", 'ნ': "n", 'ო': "o",
	'პ': "p", 'ჟ': "zh", 'რ': "r", 'ს': "s", 'ტ': "t", 'უ': "u", 'ფ': "p",
	'ქ': "k", 'ღ': "gh", 'ყ': "q", 'შ': "sh", 'ჩ': "ch", 'ც': "ts", 'ძ': "dz",
	'წ': "ts", 'ჭ': "ch", 'ხ': "kh", 'ჯ': "j", 'ჰ': "h",
}

// hebrew gives consonants only; matres lectionis (ו, י) are handled by
// position in abjadWord, like Arabic.
var hebrew = map[rune]string{
	'א': "a", 'ב': "b", 'ג': "g", 'ד': "d", 'ה': "h", 'ז': "z", 'ח': "kh",
	'ט': "t", 'כ': "k", 'ך': "k", 'ל': "l", 'מ': "m", 'ם': "m", 'נ': "n",
	'ן': "n", 'ס': "s", 'ע': "a", 'פ': "p", 'ף': "f", 'צ': "ts", 'ץ': "ts",
	'ק': "k", 'ר': "r", 'ש': "sh", 'ת': "t",
}

// arabicLetters covers Arabic, Persian, Urdu and Pashto letters after
// unification (arabicUnify). و and ي are decided by position in abjadWord.
// ذ, ض and ظ are "dh": Arabic reads them as d or dh (Ramadan, Fadhil),
// Persian, Urdu and Pashto as z (Ramazan, Fazl); a token holding "dh" is
// compared with both skeletons (abjadSkeletons).
var arabicLetters = map[rune]string{
	'ا': "a", 'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh",
	'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s",
	'ض': "dh", 'ط': "t", 'ظ': "dh", 'ع': "a", 'غ': "gh", 'ف': "f", 'ق': "q",
	'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h",
	'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g",
	// Urdu and Pashto.
	'ٹ': "t", 'ڈ': "d", 'ڑ': "r", 'ں': "n", 'ھ': "h", 'ڭ': "ng", 'ڤ': "v",
	'ځ': "dz", 'څ': "ts", 'ښ': "sh", 'ږ': "zh", 'ډ': "d", 'ړ': "r", 'ټ': "t",
	'ڼ': "n",
}

// arabicUnify folds the spellings of one Arabic or Persian letter to one
// form, so that Arabic and Persian spellings of a name compare equal:
// ي/ى/ی, ك/ک, ة/ه and the hamza carriers. An empty string deletes the rune
// (hamza, tatweel, zero-width non-joiner).
var arabicUnify = map[rune]string{
	'ى': "ي", 'ی': "ي", 'ې': "ي", 'ۍ': "ي", 'ے': "ي", 'ئ': "ي",
	'ک': "ك", 'ڪ': "ك",
	'ة': "ه", 'ۀ': "ه", 'ە': "ه", 'ہ': "ه", 'ۃ': "ه",
	'أ': "ا", 'إ': "ا", 'آ': "ا", 'ٱ': "ا", 'ٲ': "ا", 'ٳ': "ا",
	'ؤ': "و", 'ۆ': "و", 'ۇ': "و", 'ۈ': "و", 'ۋ': "و",
	'ء': "", 'ـ': "", '\u200c': "", '\u200d': "",
}

// koreanSurnames gives the usual Latin spelling of common Korean surnames,
// which Revised Romanization does not produce (김 is "gim" in RR).
var koreanSurnames = map[rune]string{
	'김': "kim", '이': "lee", '리': "ri", '박': "park", '최': "choi", '정': "jung",
	'강': "kang", '조': "cho", '윤': "yoon", '장': "jang", '임': "lim",
	'한': "han", '오': "oh", '서': "seo", '신': "shin", '권': "kwon",
	'황': "hwang", '안': "ahn", '송': "song", '류': "ryu", '유': "yoo",
	'전': "jeon", '홍': "hong", '고': "ko", '문': "moon", '양': "yang",
	'손': "son", '배': "bae", '백': "baek", '허': "heo", '노': "roh",
	'남': "nam", '하': "ha", '곽': "kwak", '성': "sung", '차': "cha",
	'주': "joo", '우': "woo", '구': "koo", '민': "min", '나': "na",
	'진': "jin", '지': "ji", '엄': "um", '채': "chae", '원': "won",
	'천': "cheon", '방': "bang", '공': "kong", '현': "hyun", '함': "ham",
	'변': "byun", '염': "yeom", '여': "yeo", '추': "choo", '도': "do",
	'석': "seok", '선': "sun", '설': "seol", '길': "gil", '연': "yeon",
	'표': "pyo", '명': "myung", '기': "ki", '반': "ban", '왕': "wang",
	'금': "keum", '육': "yook", '인': "in", '맹': "maeng", '탁': "tak",
	'국': "kook", '편': "pyun", '용': "yong", '태': "tae",
}

// Hangul jamo in Revised Romanization: initial consonants, vowels, and
// final consonants (as pronounced at the end of a syllable).
var (
	hangulInitial = [19]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	hangulVowel   = [21]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	hangulFinal   = [28]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
)
