package lists

import (
	"encoding/xml"
	"strconv"
	"strings"

	"annex"
)

// The UN Security Council consolidated list (consolidated.xml): a
// CONSOLIDATED_LIST root with dateGenerated, INDIVIDUALS/INDIVIDUAL and
// ENTITIES/ENTITY entries. The SourceID is the REFERENCE_NUMBER ("IQi.001").
//
// Alias QUALITY is "Good" or "Low" for individuals and "a.k.a." or "f.k.a."
// for entities (the values in the 2026-02-27 file): Good and a.k.a. give
// aliases, Low a weak alias and f.k.a. a former name. NAME_ORIGINAL_SCRIPT
// gives an original-script name. UN_LIST_TYPE is the program.

type unEntry struct {
	DataID    string      `xml:"DATAID"`
	First     string      `xml:"FIRST_NAME"`
	Second    string      `xml:"SECOND_NAME"`
	Third     string      `xml:"THIRD_NAME"`
	Fourth    string      `xml:"FOURTH_NAME"`
	ListType  string      `xml:"UN_LIST_TYPE"`
	Reference string      `xml:"REFERENCE_NUMBER"`
	ListedOn  string      `xml:"LISTED_ON"`
	Original  []string    `xml:"NAME_ORIGINAL_SCRIPT"`
	Comments  string      `xml:"COMMENTS1"`
	Nations   []string    `xml:"NATIONALITY>VALUE"`
	IndAlias  []unAlias   `xml:"INDIVIDUAL_ALIAS"`
	EntAlias  []unAlias   `xml:"ENTITY_ALIAS"`
	IndAddr   []unAddress `xml:"INDIVIDUAL_ADDRESS"`
	EntAddr   []unAddress `xml:"ENTITY_ADDRESS"`
	Births    []unBirth   `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
	Documents []unDoc     `xml:"INDIVIDUAL_DOCUMENT"`
}

type unAlias struct {
	Quality string `xml:"QUALITY"`
	Name    string `xml:"ALIAS_NAME"`
}

type unAddress struct {
	Street  string `xml:"STREET"`
	City    string `xml:"CITY"`
	State   string `xml:"STATE_PROVINCE"`
	Zip     string `xml:"ZIP_CODE"`
	Country string `xml:"COUNTRY"`
}

type unBirth struct {
	Type     string `xml:"TYPE_OF_DATE"`
	Date     string `xml:"DATE"`
	Year     string `xml:"YEAR"`
	FromYear string `xml:"FROM_YEAR"`
	ToYear   string `xml:"TO_YEAR"`
}

type unDoc struct {
	Type          string `xml:"TYPE_OF_DOCUMENT"`
	Number        string `xml:"NUMBER"`
	IssuingCtry   string `xml:"ISSUING_COUNTRY"`
	CountryOfIssu string `xml:"COUNTRY_OF_ISSUE"`
}

func parseUN(f File) (string, []*annex.ListEntity, error) {
	var published string
	var ents []*annex.ListEntity
	onRoot := func(se xml.StartElement) error {
		if v := attr(se, "dateGenerated"); v != "" {
			date, ok := isoDate(v)
			if !ok {
				return invalidAt(f.Name, 1, "dateGenerated %q is not a date", v)
			}
			published = date
		}
		return nil
	}
	onEntry := func(d *xml.Decoder, se xml.StartElement, line int) error {
		var u unEntry
		if err := d.DecodeElement(&u, &se); err != nil {
			return err
		}
		e, err := unEntity(&u, se.Name.Local == "INDIVIDUAL", f.Name, line)
		if err != nil {
			return err
		}
		ents = append(ents, e)
		return nil
	}
	err := xmlStream(f, "CONSOLIDATED_LIST", onRoot, map[string]bool{"INDIVIDUAL": true, "ENTITY": true}, onEntry)
	if err != nil {
		return "", nil, err
	}
	return published, ents, nil
}

func unEntity(u *unEntry, person bool, file string, line int) (*annex.ListEntity, error) {
	e := &annex.ListEntity{
		Source:   annex.SourceUN,
		SourceID: clean(u.Reference),
		Type:     annex.EntityOrganization,
		Remarks:  clean(u.Comments),
	}
	if e.SourceID == "" && clean(u.DataID) != "" {
		e.SourceID = "DATAID " + clean(u.DataID)
	}
	if person {
		e.Type = annex.EntityPerson
	}
	addName(e, joinNonEmpty(" ", u.First, u.Second, u.Third, u.Fourth), annex.NamePrimary)
	for _, o := range u.Original {
		addName(e, o, annex.NameOriginal)
	}
	for _, a := range append(u.IndAlias, u.EntAlias...) {
		addName(e, a.Name, unAliasKind(a.Quality))
	}
	if p := clean(u.ListType); p != "" {
		e.Programs = []string{p}
	}
	if v := clean(u.ListedOn); v != "" {
		date, ok := isoDate(v)
		if !ok {
			return nil, invalidAt(file, line, "%s: LISTED_ON %q is not a date", e.SourceID, v)
		}
		e.ListedOn = date
	}
	for _, n := range u.Nations {
		addCountryName(e, n)
	}
	for _, a := range append(u.IndAddr, u.EntAddr...) {
		e.Addresses = addText(e.Addresses, joinNonEmpty(", ", a.Street, a.City, a.State, a.Zip, a.Country))
		addCountryName(e, a.Country)
	}
	for _, b := range u.Births {
		dates, err := unBirthDates(b)
		if err != nil {
			return nil, invalidAt(file, line, "%s: date of birth: %s", e.SourceID, err.Message)
		}
		for _, d := range dates {
			e.DatesOfBirth = addText(e.DatesOfBirth, d)
		}
	}
	for _, doc := range u.Documents {
		country, _ := countryCode(doc.IssuingCtry)
		if country == "" {
			country, _ = countryCode(doc.CountryOfIssu)
		}
		addID(e, unDocType(doc.Type), doc.Number, country)
	}
	if err := checkEntity(e, file, line); err != nil {
		return nil, err
	}
	return e, nil
}

func unAliasKind(quality string) annex.NameKind {
	switch strings.ToLower(clean(quality)) {
	case "low":
		return annex.NameWeakAlias
	case "f.k.a.", "fka":
		return annex.NameFormer
	}
	return annex.NameAlias
}

func unDocType(t string) string {
	t = strings.ToLower(clean(t))
	switch {
	case strings.Contains(t, "passport"), strings.Contains(t, "passeport"), strings.Contains(t, "pasaporte"):
		return annex.IDPassport
	case strings.Contains(t, "national identification"), strings.Contains(t, "identity"):
		return annex.IDNationalID
	}
	return annex.IDOther
}

// unBirthDates reads one INDIVIDUAL_DATE_OF_BIRTH. An entry with neither a
// date nor a year (the UN writes some with only a NOTE) gives no date.
func unBirthDates(b unBirth) ([]string, *annex.Error) {
	if v := clean(b.Date); v != "" {
		date, ok := isoDate(v)
		if !ok {
			return nil, annex.Errorf(annex.EINVALID, "DATE %q is not a date", v)
		}
		return []string{date}, nil
	}
	if v := clean(b.Year); v != "" {
		y, ok := atoiN(v, 4)
		if !ok || !validYMD(y, 0, 0) {
			return nil, annex.Errorf(annex.EINVALID, "YEAR %q is not a year", v)
		}
		return []string{v}, nil
	}
	from, to := clean(b.FromYear), clean(b.ToYear)
	if from == "" && to == "" {
		return nil, nil
	}
	y1, err1 := strconv.Atoi(from)
	y2, err2 := strconv.Atoi(to)
	if err1 != nil || err2 != nil || y2 < y1 || !validYMD(y1, 0, 0) || !validYMD(y2, 0, 0) {
		return nil, annex.Errorf(annex.EINVALID, "FROM_YEAR %q TO_YEAR %q is not a range of years", from, to)
	}
	return yearsBetween(y1, y2), nil
}
