package lists

import (
	"slices"
	"strings"

	"annex"
)

// OFAC's Remarks (sdn.csv's last column, continued in sdn_comments.csv) is a
// list of "; "-separated items, each a label and a value:
//
//	DOB 01 Jan 1960; alt. DOB 1961; POB Tehran, Iran; nationality Iran;
//	citizen Iran; Passport A123456 (Iran) expires 01 Jan 2030;
//	National ID No. 1234567890 (Iran); Tax ID No. 7701234567 (Russia);
//	Registration Number 1234567 (Russia); Organization Established Date 2001;
//	Vessel Registration Identification IMO 1234567; a.k.a. 'NAME'.
//
// The a.k.a. (and f.k.a., n.k.a.) items are OFAC's weak aliases, which are
// not in alt.csv: they become weak aliases (watchman issue #450: a weak
// a.k.a. in the remarks was never matched). Dates of birth and of
// establishment become DatesOfBirth, nationality and citizenship Countries,
// and the identifier labels below Identifiers with the country in
// parentheses. Every other item (POB, Gender, Linked To, Email Address...)
// stays in Remarks only, as does any value that does not read: the remarks
// are free text, so they never fail a parse.

// ofacIDLabel is a Remarks label that introduces an identifier.
type ofacIDLabel struct {
	label string
	typ   string
}

// ofacIDLabels are the identifier labels, longest first so that a label
// that begins another ("Passport", "Passport No.") is tried after it.
var ofacIDLabels = sortLabels([]ofacIDLabel{
	{"Passport", annex.IDPassport},
	{"Diplomatic Passport", annex.IDPassport},
	{"National ID No.", annex.IDNationalID},
	{"National Foreign ID Number", annex.IDNationalID},
	{"Identification Number", annex.IDNationalID},
	{"Personal ID Card", annex.IDNationalID},
	{"Cedula No.", annex.IDNationalID},
	{"C.U.R.P.", annex.IDNationalID},
	{"D.N.I.", annex.IDNationalID},
	{"SSN", annex.IDNationalID},
	{"Tax ID No.", annex.IDTax},
	{"R.F.C.", annex.IDTax},
	{"RFC", annex.IDTax},
	{"NIT #", annex.IDTax},
	{"RUC #", annex.IDTax},
	{"RIF #", annex.IDTax},
	{"C.U.I.T.", annex.IDTax},
	{"V.A.T. Number", annex.IDTax},
	{"Registration Number", annex.IDRegistration},
	{"Registration ID", annex.IDRegistration},
	{"Business Registration Number", annex.IDRegistration},
	{"Business Number", annex.IDRegistration},
	{"Company Number", annex.IDRegistration},
	{"Commercial Registry Number", annex.IDRegistration},
	{"Public Registration Number", annex.IDRegistration},
	{"Government Gazette Number", annex.IDRegistration},
	{"Matricula Mercantil No", annex.IDRegistration},
	{"Folio Mercantil No.", annex.IDRegistration},
	{"Chamber of Commerce Number", annex.IDRegistration},
	{"Certificate of Incorporation Number", annex.IDRegistration},
	{"Unified Social Credit Code (USCC)", annex.IDRegistration},
	{"Legal Entity Number", annex.IDRegistration},
	{"Enterprise Number", annex.IDRegistration},
	{"Trade License No.", annex.IDRegistration},
	{"Vessel Registration Identification", annex.IDIMO},
	{"MMSI", annex.IDOther},
	{"SWIFT/BIC", annex.IDOther},
	{"Aircraft Manufacturer's Serial Number (MSN)", annex.IDOther},
	{"Aircraft Tail Number", annex.IDOther},
	{"Driver's License No.", annex.IDOther},
})

func sortLabels(ls []ofacIDLabel) []ofacIDLabel {
	slices.SortStableFunc(ls, func(a, b ofacIDLabel) int { return len(b.label) - len(a.label) })
	return ls
}

// applyRemarks adds to e what its OFAC remarks say.
func applyRemarks(e *annex.ListEntity, remarks string) {
	if remarks == "" {
		return
	}
	for _, item := range strings.Split(remarks, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		applyRemark(e, item)
	}
}

func applyRemark(e *annex.ListEntity, item string) {
	if name, ok := remarkAlias(item); ok {
		addName(e, name, annex.NameWeakAlias)
		return
	}
	item = strings.TrimSuffix(item, ".")
	label := strings.TrimPrefix(item, "alt. ")
	if v, ok := strings.CutPrefix(label, "DOB "); ok {
		addDates(e, v)
		return
	}
	if v, ok := strings.CutPrefix(label, "Organization Established Date "); ok {
		addDates(e, v)
		return
	}
	for _, p := range []string{"nationality ", "citizen "} {
		if v, ok := strings.CutPrefix(label, p); ok {
			addCountryName(e, v)
			return
		}
	}
	for _, l := range ofacIDLabels {
		if v, ok := strings.CutPrefix(label, l.label+" "); ok {
			value, country := remarkIDValue(v)
			addID(e, l.typ, value, country)
			return
		}
	}
}

// remarkAlias reads "a.k.a. 'NAME'" (or f.k.a., n.k.a.). The name runs from
// the first quote to the last, so it may hold quotes itself ("a.k.a.
// 'ABU-'UMAR'"). An item without its closing quote was cut short by OFAC's
// 1,000-character limit and is skipped.
func remarkAlias(item string) (string, bool) {
	var rest string
	var ok bool
	for _, p := range []string{"a.k.a. ", "f.k.a. ", "n.k.a. "} {
		if rest, ok = strings.CutPrefix(item, p); ok {
			break
		}
	}
	if !ok {
		return "", false
	}
	rest = strings.TrimSuffix(strings.TrimSpace(rest), ".")
	if len(rest) < 3 || rest[0] != '\'' || rest[len(rest)-1] != '\'' {
		return "", false
	}
	return rest[1 : len(rest)-1], true
}

// addDates adds the dates of a DOB or establishment-date item; a value that
// does not read is left in the remarks.
func addDates(e *annex.ListEntity, v string) {
	dates, ok := textDates(v)
	if !ok {
		return
	}
	for _, d := range dates {
		e.DatesOfBirth = addText(e.DatesOfBirth, d)
	}
}

// remarkIDValue splits "A123456 (Iran) expires 01 Jan 2030" into the number
// and the country's code. The number ends at the first " (" or, without
// one, at a following " issued" or " expires"; the country is the last
// parenthesised name that is a country ("HRA 736338 (Stuttgart) (Germany)").
func remarkIDValue(v string) (value, country string) {
	value = v
	if i := strings.Index(v, " ("); i > 0 {
		value = v[:i]
		rest := v[i:]
		for {
			open := strings.IndexByte(rest, '(')
			if open < 0 {
				break
			}
			end := strings.IndexByte(rest[open:], ')')
			if end < 0 {
				break
			}
			if code, ok := countryCode(rest[open+1 : open+end]); ok {
				country = code
			}
			rest = rest[open+end+1:]
		}
		return value, country
	}
	for _, stop := range []string{" issued", " expires"} {
		if i := strings.Index(value, stop); i > 0 {
			value = value[:i]
		}
	}
	return value, ""
}
