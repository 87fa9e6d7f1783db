package lists

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"

	"annex"
)

// The US Consolidated Screening List (trade.gov) combines eleven lists of
// Commerce, State and the Treasury. Its CSV has a header; the current file
// has 29 columns beginning with _id, the older one 28 without it:
//
//	_id, source, entity_number, type, programs, name, title, addresses,
//	federal_register_notice, start_date, end_date, standard_order,
//	license_requirement, license_policy, call_sign, vessel_type,
//	gross_tonnage, gross_registered_tonnage, vessel_flag, vessel_owner,
//	remarks, source_list_url, alt_names, citizenships, dates_of_birth,
//	nationalities, places_of_birth, source_information_url, ids
//
// Multiple values are "; "-separated. An address ends with the country's
// ISO code ("Shenyang, CN; Pyongyang, KP"). An identifier is "type, number,
// country" in the current file ("Passport, 836238033, KP") and "country,
// number, type" or "number, type" in the older one ("US, 80-0890696, Tax ID
// No."); only the types that are identifiers (the labels OFAC uses for
// passports, national IDs, tax and registration numbers and IMO numbers)
// are kept, not "Gender" or "Website". Each row is one entity; the source
// column ("Entity List (EL) - Bureau of Industry and Security") becomes
// SourceList.
//
// The SourceID is _id; without one (the older file), the entity_number
// OFAC gives its own entries; without either (the older file's Entity List,
// DPL, ISN... rows), the list's abbreviation and the name: "EL:32 Group
// China Ltd.".

// cslRecord is one CSL entry, from the CSV or the JSON.
type cslRecord struct {
	id, source, entityNumber, typ, name, startDate, remarks, vesselFlag string
	programs, altNames, addresses, addressCountries, citizenships       []string
	datesOfBirth                                                        []string
	ids                                                                 []cslID
}

type cslID struct{ typ, number, country string }

func parseCSLCSV(f File) (string, []*annex.ListEntity, error) {
	r := csv.NewReader(bytes.NewReader(textData(f.Data)))
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return "", nil, csvError(f, err)
	}
	col, err := columns(f, 1, header, "source", "name")
	if err != nil {
		return "", nil, err
	}
	current := col.has("_id")
	var ents []*annex.ListEntity
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return "", nil, csvError(f, err)
		}
		line, _ := r.FieldPos(0)
		get := col.getter(rec)
		c := cslRecord{
			id: clean(get("_id")), source: clean(get("source")), entityNumber: clean(get("entity_number")),
			typ: get("type"), name: get("name"), startDate: get("start_date"), remarks: get("remarks"),
			vesselFlag:   get("vessel_flag"),
			programs:     splitList(get("programs"), ";"),
			altNames:     splitList(get("alt_names"), ";"),
			citizenships: splitList(get("citizenships"), ";"),
			datesOfBirth: splitList(get("dates_of_birth"), ";"),
		}
		c.citizenships = append(c.citizenships, splitList(get("nationalities"), ";")...)
		for _, a := range splitList(get("addresses"), ";") {
			a = strings.TrimPrefix(a, "and ")
			c.addresses = append(c.addresses, a)
			if i := strings.LastIndex(a, ","); i >= 0 || len(a) == 2 {
				c.addressCountries = append(c.addressCountries, a[i+1:])
			}
		}
		for _, s := range splitList(get("ids"), ";") {
			c.ids = append(c.ids, cslCSVID(s, current))
		}
		e, err := cslEntity(&c, f.Name, line)
		if err != nil {
			return "", nil, err
		}
		ents = append(ents, e)
	}
	return "", ents, nil
}

// cslCSVID reads one identifier of the CSV's ids column.
func cslCSVID(s string, current bool) cslID {
	parts := strings.Split(s, ", ")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	if current {
		// type, number[, country]; the number may hold ", ".
		id := cslID{typ: parts[0]}
		rest := parts[1:]
		if len(rest) > 1 {
			if code, ok := isoCode(rest[len(rest)-1]); ok {
				id.country = code
				rest = rest[:len(rest)-1]
			}
		}
		id.number = strings.Join(rest, ", ")
		return id
	}
	// [country, ]number, type
	id := cslID{typ: parts[len(parts)-1]}
	rest := parts[:len(parts)-1]
	if len(rest) > 1 {
		if code, ok := isoCode(rest[0]); ok {
			id.country = code
			rest = rest[1:]
		}
	}
	id.number = strings.Join(rest, ", ")
	return id
}

// cslEntity builds the entity of one CSL record.
func cslEntity(c *cslRecord, file string, line int) (*annex.ListEntity, error) {
	e := &annex.ListEntity{
		Source:     annex.SourceUSCSL,
		SourceID:   c.id,
		Type:       cslType(c.typ),
		SourceList: c.source,
		Remarks:    clean(c.remarks),
	}
	if e.SourceID == "" {
		e.SourceID = c.entityNumber
	}
	if e.SourceID == "" && clean(c.name) != "" {
		e.SourceID = cslAbbreviation(c.source) + ":" + clean(c.name)
	}
	addName(e, c.name, annex.NamePrimary)
	for _, a := range c.altNames {
		addName(e, strings.TrimPrefix(a, "and "), annex.NameAlias)
	}
	for _, p := range c.programs {
		e.Programs = addText(e.Programs, p)
	}
	if v := clean(c.startDate); v != "" {
		date, ok := isoDate(v)
		if !ok {
			return nil, invalidAt(file, line, "%s: start_date %q is not a date (YYYY-MM-DD)", e.SourceID, v)
		}
		e.ListedOn = date
	}
	for _, s := range c.citizenships {
		if code, ok := codeOrCountry(s); ok {
			addCountry(e, code)
		}
	}
	for _, a := range c.addresses {
		e.Addresses = addText(e.Addresses, a)
	}
	for _, s := range c.addressCountries {
		if code, ok := codeOrCountry(s); ok {
			addCountry(e, code)
		}
	}
	addCountryName(e, c.vesselFlag)
	for _, s := range c.datesOfBirth {
		dates, ok := textDates(s)
		if !ok {
			return nil, invalidAt(file, line, "%s: date of birth %q is not a date", e.SourceID, s)
		}
		for _, d := range dates {
			e.DatesOfBirth = addText(e.DatesOfBirth, d)
		}
	}
	for _, id := range c.ids {
		if typ, ok := identifierType(id.typ); ok {
			addID(e, typ, id.number, id.country)
		}
	}
	if err := checkEntity(e, file, line); err != nil {
		return nil, err
	}
	return e, nil
}

func cslType(t string) annex.EntityType {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "individual":
		return annex.EntityPerson
	case "entity":
		return annex.EntityOrganization
	case "vessel":
		return annex.EntityVessel
	case "aircraft":
		return annex.EntityAircraft
	}
	return ""
}

// cslAbbreviation returns the abbreviation in a CSL source name, "EL" in
// "Entity List (EL) - Bureau of Industry and Security", or the whole name.
func cslAbbreviation(source string) string {
	open := strings.IndexByte(source, '(')
	end := strings.IndexByte(source, ')')
	if open >= 0 && end > open+1 {
		return source[open+1 : end]
	}
	return source
}

// identifierType maps an identifier label, as OFAC and the CSL write it
// ("Passport", "Tax ID No.", "Vessel Registration Identification"), to an
// identifier type; a label that is not an identifier ("Gender", "Website",
// "Email Address") gives false.
func identifierType(label string) (string, bool) {
	label = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(label), ":"))
	for _, l := range ofacIDLabels {
		if strings.EqualFold(label, l.label) || strings.EqualFold(label, strings.TrimSpace(strings.TrimSuffix(l.label, "#"))) {
			return l.typ, true
		}
	}
	return "", false
}
