package lists

import (
	"encoding/xml"
	"strconv"
	"strings"

	"annex"
)

// The EU consolidated list of persons, groups and entities subject to
// financial sanctions (the Financial Sanctions Files, FSF), version 1.1, as
// XML: an export root (namespace http://eu.europa.ec/fpi/fsd/export) with
// generationDate, and one sanctionEntity per entry with the attributes
// logicalId, euReferenceNumber, unitedNationId and designationDate, and the
// elements remark, regulation (programme, publicationDate), subjectType
// (code person or enterprise, classificationCode P or E), nameAlias
// (wholeName, firstName, middleName, lastName, nameLanguage, strong),
// citizenship (countryIso2Code), birthdate (birthdate, year, monthOfYear,
// dayOfMonth, yearRangeFrom, yearRangeTo, circa), address (street, city,
// zipCode, poBox, region, place, countryIso2Code, countryDescription) and
// identification (number, latinNumber, identificationTypeCode,
// identificationTypeDescription, countryIso2Code). The EU writes "00" as
// the code of an unknown country. The names were checked against public
// copies of the export (find_string "<sanctionEntity designationDetails").
//
// The SourceID is logicalId. The first strong nameAlias is the primary
// name, the other strong ones aliases (the EU gives translations as
// aliases: Bulgarian, Greek... spellings are aliases, not original names),
// and strong="false" gives weak aliases. The EU reference number and the
// UN's reference, when given, open Remarks ("EU.27.28; UN QDi.001; ...").

type euEntity struct {
	LogicalID       string         `xml:"logicalId,attr"`
	EURef           string         `xml:"euReferenceNumber,attr"`
	UNID            string         `xml:"unitedNationId,attr"`
	DesignationDate string         `xml:"designationDate,attr"`
	Remarks         []string       `xml:"remark"`
	Regulations     []euRegulation `xml:"regulation"`
	Subject         euSubject      `xml:"subjectType"`
	Names           []euName       `xml:"nameAlias"`
	Citizenships    []euCountry    `xml:"citizenship"`
	Births          []euBirth      `xml:"birthdate"`
	Addresses       []euAddress    `xml:"address"`
	IDs             []euIdentifier `xml:"identification"`
}

type euRegulation struct {
	Programme       string `xml:"programme,attr"`
	PublicationDate string `xml:"publicationDate,attr"`
}

type euSubject struct {
	Code  string `xml:"code,attr"`
	Class string `xml:"classificationCode,attr"`
}

type euName struct {
	Whole  string `xml:"wholeName,attr"`
	First  string `xml:"firstName,attr"`
	Middle string `xml:"middleName,attr"`
	Last   string `xml:"lastName,attr"`
	Strong string `xml:"strong,attr"`
}

type euCountry struct {
	ISO  string `xml:"countryIso2Code,attr"`
	Desc string `xml:"countryDescription,attr"`
}

type euBirth struct {
	Date  string `xml:"birthdate,attr"`
	Year  string `xml:"year,attr"`
	Month string `xml:"monthOfYear,attr"`
	Day   string `xml:"dayOfMonth,attr"`
	From  string `xml:"yearRangeFrom,attr"`
	To    string `xml:"yearRangeTo,attr"`
}

type euAddress struct {
	Street string `xml:"street,attr"`
	PoBox  string `xml:"poBox,attr"`
	City   string `xml:"city,attr"`
	Zip    string `xml:"zipCode,attr"`
	Region string `xml:"region,attr"`
	Place  string `xml:"place,attr"`
	euCountry
}

type euIdentifier struct {
	Number      string `xml:"number,attr"`
	LatinNumber string `xml:"latinNumber,attr"`
	TypeCode    string `xml:"identificationTypeCode,attr"`
	TypeDesc    string `xml:"identificationTypeDescription,attr"`
	euCountry
}

func parseEUXML(f File) (string, []*annex.ListEntity, error) {
	var published string
	var ents []*annex.ListEntity
	onRoot := func(se xml.StartElement) error {
		if v := attr(se, "generationDate"); v != "" {
			date, ok := isoDate(v)
			if !ok {
				return invalidAt(f.Name, 1, "generationDate %q is not a date", v)
			}
			published = date
		}
		return nil
	}
	onEntry := func(d *xml.Decoder, se xml.StartElement, line int) error {
		var x euEntity
		if err := d.DecodeElement(&x, &se); err != nil {
			return err
		}
		e, err := euXMLEntity(&x, f.Name, line)
		if err != nil {
			return err
		}
		ents = append(ents, e)
		return nil
	}
	if err := xmlStream(f, "export", onRoot, map[string]bool{"sanctionEntity": true}, onEntry); err != nil {
		return "", nil, err
	}
	return published, ents, nil
}

func euXMLEntity(x *euEntity, file string, line int) (*annex.ListEntity, error) {
	e := &annex.ListEntity{
		Source:   annex.SourceEU,
		SourceID: clean(x.LogicalID),
		Type:     euType(x.Subject.Code, x.Subject.Class),
		Remarks:  euRemarks(x.EURef, x.UNID, x.Remarks...),
	}
	for _, n := range euNameOrder(x.Names) {
		addName(e, euWholeName(n.Whole, n.First, n.Middle, n.Last), n.kind)
	}
	listed := clean(x.DesignationDate)
	for _, r := range x.Regulations {
		e.Programs = addText(e.Programs, r.Programme)
		if x.DesignationDate == "" {
			listed = earliest(listed, clean(r.PublicationDate))
		}
	}
	if listed != "" {
		date, ok := isoDate(listed)
		if !ok {
			return nil, invalidAt(file, line, "%s: designation date %q is not a date", e.SourceID, listed)
		}
		e.ListedOn = date
	}
	for _, c := range x.Citizenships {
		euAddCountry(e, c)
	}
	for _, a := range x.Addresses {
		e.Addresses = addText(e.Addresses, joinNonEmpty(", ", a.Street, a.PoBox, a.City, a.Zip, a.Region, a.Place, euCountryName(a.euCountry)))
		euAddCountry(e, a.euCountry)
	}
	for _, b := range x.Births {
		dates, msg := euBirthDates(b.Date, b.Year, b.Month, b.Day, b.From, b.To)
		if msg != "" {
			return nil, invalidAt(file, line, "%s: birthdate: %s", e.SourceID, msg)
		}
		for _, d := range dates {
			e.DatesOfBirth = addText(e.DatesOfBirth, d)
		}
	}
	for _, id := range x.IDs {
		number := id.Number
		if clean(number) == "" {
			number = id.LatinNumber
		}
		country, _ := isoCode(id.ISO)
		addID(e, euIDType(id.TypeCode, id.TypeDesc), number, country)
	}
	if err := checkEntity(e, file, line); err != nil {
		return nil, err
	}
	return e, nil
}

// euType reads the subject type from its code ("person", "enterprise") or
// its classification code ("P", "E"), whichever is given.
func euType(values ...string) annex.EntityType {
	for _, v := range values {
		switch strings.ToLower(clean(v)) {
		case "person", "p":
			return annex.EntityPerson
		case "enterprise", "e":
			return annex.EntityOrganization
		}
	}
	return ""
}

// euKindName is a name with the kind the EU's strong flag and its place
// give it.
type euKindName struct {
	euName
	kind annex.NameKind
}

// euNameOrder puts the first strong name first, as the primary name, and
// the others after it in the list's order: strong ones as aliases, the
// others as weak aliases. A list of only weak names has its first as
// primary.
func euNameOrder(names []euName) []euKindName {
	primary := 0
	for i, n := range names {
		if !strings.EqualFold(clean(n.Strong), "false") {
			primary = i
			break
		}
	}
	out := make([]euKindName, 0, len(names))
	for i, n := range names {
		kind := annex.NameAlias
		if strings.EqualFold(clean(n.Strong), "false") {
			kind = annex.NameWeakAlias
		}
		if i == primary {
			out = append([]euKindName{{n, annex.NamePrimary}}, out...)
			continue
		}
		out = append(out, euKindName{n, kind})
	}
	return out
}

// euWholeName is wholeName, or the parts when it is empty.
func euWholeName(whole, first, middle, last string) string {
	if w := clean(whole); w != "" {
		return w
	}
	return joinNonEmpty(" ", first, middle, last)
}

// euRemarks opens the remarks with the EU's and the UN's references.
func euRemarks(euRef, unID string, remarks ...string) string {
	parts := []string{euRef}
	if u := clean(unID); u != "" {
		parts = append(parts, "UN "+u)
	}
	var seen []string
	for _, r := range remarks {
		seen = addText(seen, r)
	}
	return joinNonEmpty("; ", append(parts, seen...)...)
}

// earliest returns the earlier of two ISO dates, ignoring empty ones.
func earliest(a, b string) string {
	if a == "" || (b != "" && b < a) {
		return b
	}
	return a
}

// euAddCountry adds a country given by code, or by name when the code is
// missing or "00" (unknown).
func euAddCountry(e *annex.ListEntity, c euCountry) {
	if code, ok := isoCode(c.ISO); ok {
		addCountry(e, code)
		return
	}
	addCountryName(e, c.Desc)
}

// euCountryName is the country's description for an address, without the
// EU's "UNKNOWN".
func euCountryName(c euCountry) string {
	if strings.EqualFold(clean(c.Desc), "unknown") {
		return ""
	}
	return c.Desc
}

// euBirthDates reads a birth date given as a date, as year, month and day
// (any of which may be missing), or as a range of years. It returns a
// message when a value is not a date.
func euBirthDates(date, year, month, day, from, to string) ([]string, string) {
	if v := clean(date); v != "" {
		if iso, ok := isoDate(v); ok {
			return []string{iso}, ""
		}
		if dmy, ok := dmyDate(v); ok {
			return []string{dmy}, ""
		}
		return nil, strconv.Quote(v) + " is not a date"
	}
	if y := clean(year); y != "" {
		yy, ok := atoiN(y, 4)
		m, _ := atoiN(clean(month), 0)
		d, _ := atoiN(clean(day), 0)
		if m == 0 {
			d = 0
		}
		if !ok || !validYMD(yy, m, d) {
			return nil, "year " + strconv.Quote(y) + ", month " + strconv.Quote(month) + ", day " + strconv.Quote(day) + " is not a date"
		}
		return []string{formatYMD(yy, m, d)}, ""
	}
	from, to = clean(from), clean(to)
	if from == "" && to == "" {
		return nil, ""
	}
	if from == "" {
		from = to
	}
	if to == "" {
		to = from
	}
	y1, ok1 := atoiN(from, 4)
	y2, ok2 := atoiN(to, 4)
	if !ok1 || !ok2 || y2 < y1 || !validYMD(y1, 0, 0) {
		return nil, "years " + strconv.Quote(from) + " to " + strconv.Quote(to) + " are not a range"
	}
	return yearsBetween(y1, y2), ""
}

// euIDType maps the EU's identificationTypeCode (passport, id, ...) to an
// identifier type.
func euIDType(code, desc string) string {
	code, desc = strings.ToLower(clean(code)), strings.ToLower(clean(desc))
	switch {
	case code == "passport" || strings.Contains(desc, "passport"):
		return annex.IDPassport
	case code == "id" || code == "ssn" || strings.Contains(desc, "identity") || strings.Contains(desc, "identification"):
		return annex.IDNationalID
	case code == "fiscalcode" || code == "tin" || strings.Contains(desc, "tax"):
		return annex.IDTax
	case code == "regnumber" || strings.Contains(desc, "registration"):
		return annex.IDRegistration
	case code == "imo" || strings.Contains(desc, "imo"):
		return annex.IDIMO
	}
	return annex.IDOther
}
