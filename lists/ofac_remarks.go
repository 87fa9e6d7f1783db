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
	label  string
	typ    string
	prefix string // label and a space, set by sortLabels
}

// ofacIDLabels are the identifier labels, longest first so that a label
// that begins another ("Passport", "Passport No.") is tried after it.
var ofacIDLabels = sortLabels([]ofacIDLabel{
	{label: "Passport", typ: annex.IDPassport},
	{label: "Diplomatic Passport", typ: annex.IDPassport},
	{label: "National ID No.", typ: annex.IDNationalID},
	{label: "National Foreign ID Number", typ: annex.IDNationalID},
	{label: "Identification Number", typ: annex.IDNationalID},
	{label: "Personal ID Card", typ: annex.IDNationalID},
	{label: "Cedula No.", typ: annex.IDNationalID},
	{label: "C.U.R.P.", typ: annex.IDNationalID},
	{label: "D.N.I.", typ: annex.IDNationalID},
	{label: "SSN", typ: annex.IDNationalID},
	{label: "Tax ID No.", typ: annex.IDTax},
	{label: "R.F.C.", typ: annex.IDTax},
	{label: "RFC", typ: annex.IDTax},
	{label: "NIT #", typ: annex.IDTax},
	{label: "RUC #", typ: annex.IDTax},
	{label: "RIF #", typ: annex.IDTax},
	{label: "C.U.I.T.", typ: annex.IDTax},
	{label: "V.A.T. Number", typ: annex.IDTax},
	{label: "Registration Number", typ: annex.IDRegistration},
	{label: "Registration ID", typ: annex.IDRegistration},
	{label: "Business Registration Number", typ: annex.IDRegistration},
	{label: "Business Number", typ: annex.IDRegistration},
	{label: "Company Number", typ: annex.IDRegistration},
	{label: "Commercial Registry Number", typ: annex.IDRegistration},
	{label: "Public Registration Number", typ: annex.IDRegistration},
	{label: "Government Gazette Number", typ: annex.IDRegistration},
	{label: "Matricula Mercantil No", typ: annex.IDRegistration},
	{label: "Folio Mercantil No.", typ: annex.IDRegistration},
	{label: "Chamber of Commerce Number", typ: annex.IDRegistration},
	{label: "Certificate of Incorporation Number", typ: annex.IDRegistration},
	{label: "Unified Social Credit Code (USCC)", typ: annex.IDRegistration},
	{label: "Legal Entity Number", typ: annex.IDRegistration},
	{label: "Enterprise Number", typ: annex.IDRegistration},
	{label: "Trade License No.", typ: annex.IDRegistration},
	{label: "Vessel Registration Identification", typ: annex.IDIMO},
	{label: "MMSI", typ: annex.IDOther},
	{label: "SWIFT/BIC", typ: annex.IDOther},
	{label: "Aircraft Manufacturer's Serial Number (MSN)", typ: annex.IDOther},
	{label: "Aircraft Tail Number", typ: annex.IDOther},
	{label: "Driver's License No.", typ: annex.IDOther},
})

func sortLabels(ls []ofacIDLabel) []ofacIDLabel {
	slices.SortStableFunc(ls, func(a, b ofacIDLabel) int { return len(b.label) - len(a.label) })
	for i := range ls {
		ls[i].prefix = ls[i].label + " "
	}
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
		if v, ok := strings.CutPrefix(label, l.prefix); ok {
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
