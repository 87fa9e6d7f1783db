package lists

import (
	"encoding/xml"

	"annex"
)

// The FCDO's UK Sanctions List as XML (UK-Sanctions-List.xml): a
// Designations root with DateGenerated (DD/MM/YYYY) and one Designation per
// entry, with UniqueID, UNReferenceNumber, DateDesignated, Names/Name
// (Name1..Name6, NameType, AliasStrength), NonLatinNames/NonLatinName/
// NameNonLatinScript, RegimeName, IndividualEntityShip, OtherInformation,
// Addresses/Address (AddressLine1..6, AddressPostalCode, AddressCountry),
// IndividualDetails/Individual (DOBs/DOB, Nationalities/Nationality,
// PassportDetails/Passport/PassportNumber,
// NationalIdentifierDetails/NationalIdentifier/NationalIdentifierNumber),
// EntityDetails/Entity/BusinessRegistrationNumbers/BusinessRegistrationNumber
// and ShipDetails/Ship/IMONumbers/IMONumber. The entities mean what the
// CSV's do (uk.go). The element names were confirmed against public copies
// of the file (find_string "<NationalIdentifierNumber>").

type ukDesignation struct {
	UniqueID       string       `xml:"UniqueID"`
	UNReference    string       `xml:"UNReferenceNumber"`
	DateDesignated string       `xml:"DateDesignated"`
	Names          []ukXMLName  `xml:"Names>Name"`
	NonLatin       []string     `xml:"NonLatinNames>NonLatinName>NameNonLatinScript"`
	Regime         string       `xml:"RegimeName"`
	Type           string       `xml:"IndividualEntityShip"`
	Other          string       `xml:"OtherInformation"`
	Addresses      []ukXMLAddr  `xml:"Addresses>Address"`
	Individuals    []ukXMLIndiv `xml:"IndividualDetails>Individual"`
	RegNumbers     []string     `xml:"EntityDetails>Entity>BusinessRegistrationNumbers>BusinessRegistrationNumber"`
	IMONumbers     []string     `xml:"ShipDetails>Ship>IMONumbers>IMONumber"`
}

type ukXMLName struct {
	Name1    string `xml:"Name1"`
	Name2    string `xml:"Name2"`
	Name3    string `xml:"Name3"`
	Name4    string `xml:"Name4"`
	Name5    string `xml:"Name5"`
	Name6    string `xml:"Name6"`
	Type     string `xml:"NameType"`
	Strength string `xml:"AliasStrength"`
}

type ukXMLAddr struct {
	Line1   string `xml:"AddressLine1"`
	Line2   string `xml:"AddressLine2"`
	Line3   string `xml:"AddressLine3"`
	Line4   string `xml:"AddressLine4"`
	Line5   string `xml:"AddressLine5"`
	Line6   string `xml:"AddressLine6"`
	Postal  string `xml:"AddressPostalCode"`
	Country string `xml:"AddressCountry"`
}

type ukXMLIndiv struct {
	DOBs          []string `xml:"DOBs>DOB"`
	Nationalities []string `xml:"Nationalities>Nationality"`
	Passports     []string `xml:"PassportDetails>Passport>PassportNumber"`
	NationalIDs   []string `xml:"NationalIdentifierDetails>NationalIdentifier>NationalIdentifierNumber"`
}

func parseUKXML(f File) (string, []*annex.ListEntity, error) {
	var published string
	var ents []*annex.ListEntity
	onEntry := func(d *xml.Decoder, se xml.StartElement, line int) error {
		if se.Name.Local == "DateGenerated" {
			var v string
			if err := d.DecodeElement(&v, &se); err != nil {
				return err
			}
			date, ok := dmyDate(v)
			if !ok {
				if date, ok = isoDate(v); !ok {
					return invalidAt(f.Name, line, "DateGenerated %q is not a date (DD/MM/YYYY)", clean(v))
				}
			}
			published = date
			return nil
		}
		var x ukDesignation
		if err := d.DecodeElement(&x, &se); err != nil {
			return err
		}
		e, err := ukXMLEntity(&x, f.Name, line)
		if err != nil {
			return err
		}
		ents = append(ents, e)
		return nil
	}
	entries := map[string]bool{"DateGenerated": true, "Designation": true}
	if err := xmlStream(f, "Designations", nil, entries, onEntry); err != nil {
		return "", nil, err
	}
	return published, ents, nil
}

func ukXMLEntity(x *ukDesignation, file string, line int) (*annex.ListEntity, error) {
	g := &ukGroup{
		e:    &annex.ListEntity{Source: annex.SourceUK, SourceID: clean(x.UniqueID), Type: ukType(x.Type)},
		line: line,
	}
	e := g.e
	if ref := clean(x.UNReference); ref != "" {
		g.remarks = []string{"UN " + ref}
	}
	g.remarks = addText(g.remarks, x.Other)
	for _, n := range x.Names {
		name := joinNonEmpty(" ", n.Name1, n.Name2, n.Name3, n.Name4, n.Name5, n.Name6)
		g.names = append(g.names, annex.EntityName{Name: name, Kind: ukNameKind(n.Type, n.Strength)})
	}
	g.originals = x.NonLatin
	e.Programs = addText(e.Programs, x.Regime)
	if v := clean(x.DateDesignated); v != "" {
		date, ok := dmyDate(v)
		if !ok {
			return nil, invalidAt(file, line, "%s: DateDesignated %q is not a date (DD/MM/YYYY)", e.SourceID, v)
		}
		e.ListedOn = date
	}
	for _, ind := range x.Individuals {
		for _, v := range ind.DOBs {
			date, ok := dmyDate(v)
			if !ok {
				return nil, invalidAt(file, line, "%s: DOB %q is not a date (DD/MM/YYYY)", e.SourceID, clean(v))
			}
			e.DatesOfBirth = addText(e.DatesOfBirth, date)
		}
		for _, n := range ind.Nationalities {
			addCountries(e, n)
		}
		for _, p := range ind.Passports {
			addID(e, annex.IDPassport, p, "")
		}
		for _, n := range ind.NationalIDs {
			addID(e, annex.IDNationalID, n, "")
		}
	}
	for _, a := range x.Addresses {
		e.Addresses = addText(e.Addresses, joinNonEmpty(", ", a.Line1, a.Line2, a.Line3, a.Line4, a.Line5, a.Line6, a.Postal, a.Country))
		addCountries(e, a.Country)
	}
	for _, r := range x.RegNumbers {
		addID(e, annex.IDRegistration, r, "")
	}
	for _, n := range x.IMONumbers {
		addID(e, annex.IDIMO, n, "")
	}
	if err := g.finish(file); err != nil {
		return nil, err
	}
	return e, nil
}
