package lists

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"annex"
)

// OpenSanctions' entities in FollowTheMoney JSON lines (entities.ftm.json):
// one JSON object per line, {"id", "schema", "properties", "datasets",
// "target", ...}, every property a list of strings. The entities of the
// schemata Person, Organization, Company, LegalEntity, PublicBody, Vessel
// and Airplane become list entities unless "target" is false (a related
// party, not a listed one); Sanction entities add their "program" to the
// entity they name; every other schema (Address, Ownership, Family...) is
// skipped. The file is read one line at a time.
//
// The SourceID is the FtM id ("NK-..." or "ofac-12345"). The first "name"
// is the primary name, the others and "alias" aliases, "weakAlias" weak
// aliases and "previousName" former names. Dates of birth are "birthDate"
// (and "incorporationDate"), already ISO. Countries are "nationality",
// "citizenship", "country", "jurisdiction", "mainCountry" and a vessel's
// "flag", lower-case ISO codes (non-ISO codes such as "suhh" are left out).
// Identifiers are "passportNumber", "idNumber", "registrationNumber" and
// "ogrnCode", "taxNumber", "innCode" and "vatCode", and "imoNumber".
// SourceList is the entity's datasets ("us_ofac_sdn, eu_fsf").

type ftmEntity struct {
	ID         string        `json:"id"`
	Schema     string        `json:"schema"`
	Target     *bool         `json:"target"`
	Datasets   []string      `json:"datasets"`
	Properties ftmProperties `json:"properties"`
}

type ftmProperties struct {
	Name              jsonStrings `json:"name"`
	FirstName         jsonStrings `json:"firstName"`
	LastName          jsonStrings `json:"lastName"`
	Alias             jsonStrings `json:"alias"`
	WeakAlias         jsonStrings `json:"weakAlias"`
	PreviousName      jsonStrings `json:"previousName"`
	BirthDate         jsonStrings `json:"birthDate"`
	IncorporationDate jsonStrings `json:"incorporationDate"`
	Nationality       jsonStrings `json:"nationality"`
	Citizenship       jsonStrings `json:"citizenship"`
	Country           jsonStrings `json:"country"`
	Jurisdiction      jsonStrings `json:"jurisdiction"`
	MainCountry       jsonStrings `json:"mainCountry"`
	Flag              jsonStrings `json:"flag"`
	Address           jsonStrings `json:"address"`
	PassportNumber    jsonStrings `json:"passportNumber"`
	IDNumber          jsonStrings `json:"idNumber"`
	RegistrationNum   jsonStrings `json:"registrationNumber"`
	OGRNCode          jsonStrings `json:"ogrnCode"`
	TaxNumber         jsonStrings `json:"taxNumber"`
	INNCode           jsonStrings `json:"innCode"`
	VATCode           jsonStrings `json:"vatCode"`
	IMONumber         jsonStrings `json:"imoNumber"`
	Program           jsonStrings `json:"program"`
	Notes             jsonStrings `json:"notes"`
	Entity            jsonStrings `json:"entity"` // of a Sanction
}

// ftmTypes are the schemata read as list entities.
var ftmTypes = map[string]annex.EntityType{
	"Person":       annex.EntityPerson,
	"Organization": annex.EntityOrganization,
	"Company":      annex.EntityOrganization,
	"LegalEntity":  annex.EntityOrganization,
	"PublicBody":   annex.EntityOrganization,
	"Vessel":       annex.EntityVessel,
	"Airplane":     annex.EntityAircraft,
}

func parseFTM(f File) (string, []*annex.ListEntity, error) {
	data := stripBOM(f.Data)
	var ents []*annex.ListEntity
	byID := make(map[string]*annex.ListEntity)
	var sanctions []ftmProperties // applied in file order, for determinism
	for line := 1; len(data) > 0; line++ {
		raw := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		var x ftmEntity
		if err := json.Unmarshal(raw, &x); err != nil {
			return "", nil, invalidAt(f.Name, line, "not a FollowTheMoney entity: %s", ftmErrorText(err))
		}
		if x.Schema == "" || x.ID == "" {
			return "", nil, invalidAt(f.Name, line, "an entity needs an id and a schema")
		}
		if x.Schema == "Sanction" {
			sanctions = append(sanctions, ftmProperties{Entity: x.Properties.Entity, Program: x.Properties.Program})
			continue
		}
		typ, ok := ftmTypes[x.Schema]
		if !ok || (x.Target != nil && !*x.Target) {
			continue
		}
		if byID[x.ID] != nil {
			return "", nil, invalidAt(f.Name, line, "entity %s appears twice", x.ID)
		}
		e, err := ftmListEntity(&x, typ, f.Name, line)
		if err != nil {
			return "", nil, err
		}
		byID[x.ID] = e
		ents = append(ents, e)
	}
	for _, s := range sanctions {
		for _, id := range s.Entity {
			if e := byID[id]; e != nil {
				for _, p := range s.Program {
					e.Programs = addText(e.Programs, p)
				}
			}
		}
	}
	return "", ents, nil
}

func ftmListEntity(x *ftmEntity, typ annex.EntityType, file string, line int) (*annex.ListEntity, error) {
	p := &x.Properties
	e := &annex.ListEntity{
		Source:     annex.SourceOpenSanctions,
		SourceID:   clean(x.ID),
		Type:       typ,
		SourceList: strings.Join(x.Datasets, ", "),
		Remarks:    joinNonEmpty("; ", p.Notes...),
	}
	names := p.Name
	if len(names) == 0 {
		names = []string{joinNonEmpty(" ", joinNonEmpty(" ", p.FirstName...), joinNonEmpty(" ", p.LastName...))}
	}
	for i, n := range names {
		kind := annex.NameAlias
		if i == 0 {
			kind = annex.NamePrimary
		}
		addName(e, n, kind)
	}
	for _, set := range []struct {
		names []string
		kind  annex.NameKind
	}{{p.Alias, annex.NameAlias}, {p.WeakAlias, annex.NameWeakAlias}, {p.PreviousName, annex.NameFormer}} {
		for _, n := range set.names {
			addName(e, n, set.kind)
		}
	}
	if len(e.Names) > 0 && e.Names[0].Kind != annex.NamePrimary {
		e.Names[0].Kind = annex.NamePrimary
	}
	for _, d := range append(append([]string{}, p.BirthDate...), p.IncorporationDate...) {
		date, ok := isoDate(d)
		if !ok {
			return nil, invalidAt(file, line, "%s: date %q is not a date (YYYY-MM-DD)", e.SourceID, d)
		}
		e.DatesOfBirth = addText(e.DatesOfBirth, date)
	}
	for _, list := range [][]string{p.Nationality, p.Citizenship, p.Country, p.Jurisdiction, p.MainCountry, p.Flag} {
		for _, c := range list {
			if code, ok := isoCode(c); ok {
				addCountry(e, code)
			}
		}
	}
	for _, a := range p.Address {
		e.Addresses = addText(e.Addresses, a)
	}
	for _, set := range []struct {
		values []string
		typ    string
	}{
		{p.PassportNumber, annex.IDPassport}, {p.IDNumber, annex.IDNationalID},
		{p.RegistrationNum, annex.IDRegistration}, {p.OGRNCode, annex.IDRegistration},
		{p.TaxNumber, annex.IDTax}, {p.INNCode, annex.IDTax}, {p.VATCode, annex.IDTax},
		{p.IMONumber, annex.IDIMO},
	} {
		for _, v := range set.values {
			addID(e, set.typ, v, "")
		}
	}
	for _, prog := range p.Program {
		e.Programs = addText(e.Programs, prog)
	}
	if err := checkEntity(e, file, line); err != nil {
		return nil, err
	}
	return e, nil
}

// ftmErrorText is a JSON error without the package prefix.
func ftmErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field + ": want " + te.Type.String() + ", not a JSON " + te.Value
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
