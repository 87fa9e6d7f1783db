package lists

import (
	"encoding/xml"
	"strings"

	"annex"
)

// OFAC's SDN list as XML (sdn.xml): an sdnList root, a publshInformation
// element (sic) with Publish_Date (MM/DD/YYYY), and one sdnEntry per entry
// with uid, firstName, lastName, title, sdnType, remarks, programList/
// program, idList/id (idType, idNumber, idCountry), akaList/aka (type
// a.k.a./f.k.a./n.k.a., category strong/weak, firstName, lastName),
// addressList/address, nationalityList/nationality,
// citizenshipList/citizenship, dateOfBirthList/dateOfBirthItem and
// vesselInfo. Unlike the CSV, the weak a.k.a.s are in akaList with
// category weak, and dates of birth and identifiers have their own
// elements (the date an organisation was established is an id of type
// "Organization Established Date"), so Remarks is kept as text only. Names are written as in the
// CSV, "LASTNAME, First", so both formats give the same names. The element
// names were checked against public parsers of the file (the Go model in
// uvuv-643/Remote_XML_Parser, server/internal/parser/model.go).

type ofacXMLEntry struct {
	UID       string        `xml:"uid"`
	FirstName string        `xml:"firstName"`
	LastName  string        `xml:"lastName"`
	SDNType   string        `xml:"sdnType"`
	Remarks   string        `xml:"remarks"`
	Programs  []string      `xml:"programList>program"`
	IDs       []ofacXMLID   `xml:"idList>id"`
	AKAs      []ofacXMLAKA  `xml:"akaList>aka"`
	Addresses []ofacXMLAddr `xml:"addressList>address"`
	Nations   []string      `xml:"nationalityList>nationality>country"`
	Citizens  []string      `xml:"citizenshipList>citizenship>country"`
	Births    []string      `xml:"dateOfBirthList>dateOfBirthItem>dateOfBirth"`
	Flag      string        `xml:"vesselInfo>vesselFlag"`
}

type ofacXMLID struct {
	Type    string `xml:"idType"`
	Number  string `xml:"idNumber"`
	Country string `xml:"idCountry"`
}

type ofacXMLAKA struct {
	Type      string `xml:"type"`
	Category  string `xml:"category"`
	FirstName string `xml:"firstName"`
	LastName  string `xml:"lastName"`
}

type ofacXMLAddr struct {
	Address1 string `xml:"address1"`
	Address2 string `xml:"address2"`
	Address3 string `xml:"address3"`
	City     string `xml:"city"`
	State    string `xml:"stateOrProvince"`
	Postal   string `xml:"postalCode"`
	Country  string `xml:"country"`
}

func parseOFACXML(f File) (string, []*annex.ListEntity, error) {
	var published string
	var ents []*annex.ListEntity
	seen := make(map[string]bool)
	onEntry := func(d *xml.Decoder, se xml.StartElement, line int) error {
		if se.Name.Local == "publshInformation" {
			var info struct {
				Date string `xml:"Publish_Date"`
			}
			if err := d.DecodeElement(&info, &se); err != nil {
				return err
			}
			if v := clean(info.Date); v != "" {
				date, ok := mdyDate(v)
				if !ok {
					return invalidAt(f.Name, line, "Publish_Date %q is not a date (MM/DD/YYYY)", v)
				}
				published = date
			}
			return nil
		}
		var x ofacXMLEntry
		if err := d.DecodeElement(&x, &se); err != nil {
			return err
		}
		e, err := ofacXMLEntity(&x, f.Name, line)
		if err != nil {
			return err
		}
		if seen[e.SourceID] {
			return invalidAt(f.Name, line, "uid %s appears twice", e.SourceID)
		}
		seen[e.SourceID] = true
		ents = append(ents, e)
		return nil
	}
	entries := map[string]bool{"publshInformation": true, "sdnEntry": true}
	if err := xmlStream(f, "sdnList", nil, entries, onEntry); err != nil {
		return "", nil, err
	}
	return published, ents, nil
}

// ofacName writes a name as the CSV does: "LAST, First", or "LAST" alone.
func ofacName(first, last string) string {
	first, last = clean(first), clean(last)
	if first == "" {
		return last
	}
	if last == "" {
		return first
	}
	return last + ", " + first
}

func ofacXMLEntity(x *ofacXMLEntry, file string, line int) (*annex.ListEntity, error) {
	e := &annex.ListEntity{
		Source:   annex.SourceOFACSDN,
		SourceID: clean(x.UID),
		Type:     ofacType(x.SDNType),
		Remarks:  clean(x.Remarks),
	}
	if _, ok := atoiN(e.SourceID, 0); !ok {
		return nil, invalidAt(file, line, "uid %q is not a number", x.UID)
	}
	if e.Type == annex.EntityOrganization && !strings.EqualFold(clean(x.SDNType), "entity") {
		return nil, invalidAt(file, line, "%s: sdnType %q is not Individual, Entity, Vessel or Aircraft", e.SourceID, x.SDNType)
	}
	addName(e, ofacName(x.FirstName, x.LastName), annex.NamePrimary)
	for _, a := range x.AKAs {
		kind := ofacAltKind(strings.ReplaceAll(a.Type, ".", ""))
		if strings.EqualFold(clean(a.Category), "weak") {
			kind = annex.NameWeakAlias
		}
		addName(e, ofacName(a.FirstName, a.LastName), kind)
	}
	for _, p := range x.Programs {
		e.Programs = addText(e.Programs, p)
	}
	for _, c := range append(x.Nations, x.Citizens...) {
		addCountryName(e, c)
	}
	for _, a := range x.Addresses {
		e.Addresses = addText(e.Addresses, joinNonEmpty(", ", a.Address1, a.Address2, a.Address3, a.City, a.State, a.Postal, a.Country))
		addCountryName(e, a.Country)
	}
	addCountryName(e, x.Flag)
	for _, b := range x.Births {
		dates, ok := textDates(b)
		if !ok {
			return nil, invalidAt(file, line, "%s: dateOfBirth %q is not a date", e.SourceID, clean(b))
		}
		for _, d := range dates {
			e.DatesOfBirth = addText(e.DatesOfBirth, d)
		}
	}
	for _, id := range x.IDs {
		if strings.EqualFold(clean(id.Type), "Organization Established Date") {
			addDates(e, id.Number)
			continue
		}
		if typ, ok := identifierType(id.Type); ok {
			country, _ := countryCode(id.Country)
			addID(e, typ, id.Number, country)
		}
	}
	if err := checkEntity(e, file, line); err != nil {
		return nil, err
	}
	return e, nil
}
