package screen

import "strings"

// tokenClass says what part a token plays in a name. Classes other than
// className carry less weight (Options) and cannot make a match alone.
type tokenClass uint8

const (
	className       tokenClass = iota // an ordinary name part
	classNumber                       // digits: must agree exactly
	classInitial                      // one letter: matches a token it starts
	classLegal                        // a legal form: llc, gmbh, jsc, ooo
	classGeneric                      // a generic organisation word: trading, group
	classHonorific                    // a title: mr, dr, sheikh, haji
	classParticle                     // a name particle: al, bin, van, de
	classPatronymic                   // a patronymic: -ovich, -ovna, ogly
)

// String names the class, for explanations.
func (c tokenClass) String() string {
	switch c {
	case classNumber:
		return "number"
	case classInitial:
		return "initial"
	case classLegal:
		return "legal form"
	case classGeneric:
		return "generic word"
	case classHonorific:
		return "honorific"
	case classParticle:
		return "particle"
	case classPatronymic:
		return "patronymic"
	}
	return "name"
}

// substantive reports whether a token of the class can carry a match.
func (c tokenClass) substantive() bool {
	return c == className || c == classNumber || c == classInitial || c == classPatronymic
}

// legalForms maps the spellings of legal forms, after transliteration and
// tokenisation, to one canonical token. Multi-word forms are matched as
// phrases. Forms that differ (jsc vs ojsc) stay different tokens.
var legalForms = map[string]string{
	"llc": "llc", "limited liability company": "llc", "l l c": "llc",
	"ltd": "ltd", "limited": "ltd", "ltda": "ltd", "ltee": "ltd",
	"co": "co", "company": "co", "compagnie": "co", "cia": "co", "compania": "co", "companhia": "co", "kompaniya": "co",
	"corp": "corp", "corporation": "corp", "korporatsiya": "corp",
	"inc": "inc", "incorporated": "inc",
	"plc": "plc", "public limited company": "plc",
	"gmbh": "gmbh", "gesellschaft mit beschrankter haftung": "gmbh",
	"ag": "ag", "aktiengesellschaft": "ag", "kg": "kg", "kommanditgesellschaft": "kg",
	"sa": "sa", "sociedad anonima": "sa", "societe anonyme": "sa", "sociedade anonima": "sa", "societa anonima": "sa",
	"srl": "srl", "sarl": "srl", "societatea cu raspundere limitata": "srl", "societa a responsabilita limitata": "srl",
	"societe a responsabilite limitee": "srl", "sociedad de responsabilidad limitada": "srl",
	"ooo": "ooo", "obshchestvo s ogranichennoy otvetstvennostyu": "ooo", "tov": "ooo", "too": "ooo",
	"tovarystvo z obmezhenoyu vidpovidalnistyu": "ooo",
	"jsc": "jsc", "ao": "jsc", "joint stock company": "jsc", "aktsionernoe obshchestvo": "jsc", "at": "jsc",
	"ojsc": "ojsc", "oao": "ojsc", "open joint stock company": "ojsc", "otkrytoe aktsionernoe obshchestvo": "ojsc",
	"cjsc": "cjsc", "zao": "cjsc", "closed joint stock company": "cjsc", "zakrytoe aktsionernoe obshchestvo": "cjsc",
	"pjsc": "pjsc", "pao": "pjsc", "public joint stock company": "pjsc", "publichnoe aktsionernoe obshchestvo": "pjsc",
	"fze": "fze", "fzco": "fzco", "fzc": "fzco", "fzllc": "fzllc", "llp": "llp", "lp": "lp", "bv": "bv", "nv": "nv",
	"oy": "oy", "ab": "ab", "as": "as", "asa": "as", "spa": "spa", "sas": "sas", "sl": "sl", "pte": "pte",
	"pvt": "pvt", "private": "pvt", "sdn bhd": "sdnbhd", "sdnbhd": "sdnbhd", "bhd": "bhd", "pty": "pty", "kft": "kft",
	"doo": "doo", "ad": "ad", "ood": "ood", "eood": "ood", "sro": "sro", "kk": "kk", "kabushiki kaisha": "kk",
	"gk": "gk", "jv": "jv", "joint venture": "jv", "sac": "sac", "saic": "sa", "sae": "sa", "sal": "sa",
	"tic": "tic", "sti": "sti", "ltd sti": "sti", "ehf": "ehf", "aps": "aps", "se": "se", "bvba": "bvba", "cv": "cv",
	"sa de cv": "sadecv", "sadecv": "sadecv", "s de rl": "srl", "ug": "ug", "ek": "ek", "ohg": "ohg", "sp z o o": "spzoo",
	"spzoo": "spzoo", "sp z oo": "spzoo", "sp": "sp",
}

// legalFamily groups legal forms of the same kind, which match each other
// better than forms of different kinds: limited-liability companies,
// joint-stock companies, corporations.
var legalFamily = map[string]int{
	"llc": 1, "ltd": 1, "gmbh": 1, "srl": 1, "ooo": 1, "pvt": 1, "pty": 1, "spzoo": 1, "sdnbhd": 1, "bhd": 1, "kft": 1, "doo": 1, "sro": 1, "ood": 1, "sp": 1, "ug": 1,
	"jsc": 2, "ojsc": 2, "cjsc": 2, "pjsc": 2, "ag": 2, "sa": 2, "plc": 2, "as": 2, "ab": 2, "oy": 2, "nv": 2, "spa": 2, "kk": 2, "ad": 2, "sadecv": 2, "sae": 2,
	"corp": 3, "inc": 3, "co": 3,
}

// honorifics are titles and forms of address; they weigh almost nothing.
var honorifics = set("mr", "mrs", "ms", "miss", "mister", "dr", "doctor", "prof", "professor", "sir", "dame", "lord",
	"lady", "sheikh", "shaikh", "sheik", "shaykh", "cheikh", "haji", "hajji", "hadji", "alhaji", "alhaj", "hajj",
	"mullah", "mulla", "maulana", "maulvi", "mawlawi", "mawlavi", "imam", "president", "prasident",
	"col", "colonel", "capt", "captain", "lt", "lieutenant", "rev", "reverend", "brig", "brigadier", "admiral", "gen",
	"minister", "herr", "frau", "monsieur", "mme", "madame", "senor", "senora", "jr", "sr", "ii", "iii",
	"hon", "honorable", "honourable", "excellency", "hrh", "king", "prince", "princess", "emir", "mufti",
	"ayatollah", "hojatoleslam", "hojjatoleslam", "qazi", "ustad", "ustadh", "commander", "eng", "engineer")

// genericWords are words common in organisation names that say little
// about which organisation is meant.
var genericWords = set("the", "and", "of", "for", "und", "et", "international", "trading", "trade", "traders",
	"group", "holding", "holdings", "industries", "industry", "industrial", "technology", "technologies",
	"services", "service", "enterprise", "enterprises", "import", "export", "general", "national", "global",
	"shipping", "investment", "investments", "development", "construction", "engineering", "manufacturing",
	"systems", "solutions", "management", "association", "foundation", "organization", "organisation",
	"institute", "center", "centre", "factory", "plant", "works", "products", "commercial", "logistics",
	"consulting", "partners", "bank", "banco", "banque", "trust", "capital", "resources", "energy", "electronics",
	"zavod", "obedinenie", "nauchno", "proizvodstvennoe", "tsentr", "firma", "sherkat", "sanaye", "tejarat",
	"company", "establishment", "agency", "office", "bureau", "department", "ministry", "university", "import-export")

// particles are name particles and articles: part of a name, but weak.
var particles = set("al", "bin", "ibn", "bint", "ben", "abu", "abou", "de", "del", "della", "der", "den", "van",
	"von", "da", "di", "do", "dos", "das", "du", "la", "le", "los", "las", "y", "ould", "ter", "ten", "st", "san")

// particleCanon folds spellings of the Arabic article and of "son of".
var particleCanon = map[string]string{"el": "al", "ul": "al", "ibn": "bin", "ben": "bin", "abou": "abu"}

// abbreviations expands common abbreviations to their full word.
var abbreviations = map[string]string{
	"intl": "international", "int": "international", "natl": "national", "mfg": "manufacturing",
	"bros": "brothers", "assn": "association", "assoc": "association", "dept": "department", "univ": "university",
	"inst": "institute", "svcs": "services", "svc": "services", "grp": "group", "hldgs": "holdings",
	"mgmt": "management", "tech": "technology", "ind": "industries", "inds": "industries", "engg": "engineering",
	"1st": "first", "2nd": "second", "3rd": "third", "mohd": "mohammad", "muhd": "muhammad",
}

// patronymicSuffixes mark Russian, Ukrainian and Turkic patronymics.
var patronymicSuffixes = []string{"ovich", "evich", "ovych", "evych", "ovna", "evna", "ichna", "ogly", "oglu", "kyzy", "qizi", "uly"}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// classify returns the class of a normalised token.
func classify(t string) tokenClass {
	switch {
	case isDigits(t):
		return classNumber
	case isLegalCanon[t]:
		return classLegal
	case honorifics[t]:
		return classHonorific
	case genericWords[t]:
		return classGeneric
	case particles[t]:
		return classParticle
	case len(t) == 1:
		return classInitial
	}
	for _, s := range patronymicSuffixes {
		if len(t) > len(s)+2 && strings.HasSuffix(t, s) {
			return classPatronymic
		}
	}
	return className
}

// isLegalCanon holds the canonical legal-form tokens.
var isLegalCanon = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range legalForms {
		m[c] = true
	}
	return m
}()

// legalPhrases lists the multi-word legal forms by their first word,
// longest first.
var legalPhrases = func() map[string][][]string {
	m := map[string][][]string{}
	for p := range legalForms {
		w := strings.Fields(p)
		if len(w) > 1 {
			m[w[0]] = append(m[w[0]], w)
		}
	}
	for _, ps := range m {
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j]) > len(ps[j-1]); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
	}
	return m
}()

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
