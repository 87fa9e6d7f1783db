package lists

import (
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"strings"

	"annex"
)

// The UK's lists as CSV. Two layouts are read, told apart by their header:
//
//   - The FCDO's UK Sanctions List (UK-Sanctions-List.csv), the UK's one
//     list since OFSI's Consolidated List closed in January 2026. Its first
//     line is "Report Date: 13-Feb-2026", then a 58-column header: Last
//     Updated, Unique ID, OFSI Group ID, UN Reference Number, Name 6, Name
//     1..Name 5, Name type (Primary Name, Alias...), Alias strength (Good
//     quality, Low quality), Title, Name non-latin script, ..., Regime Name,
//     Designation Type (Individual, Entity, Ship), ..., Other Information,
//     UK Statement of Reasons, Address Line 1..6, Address Postal Code,
//     Address Country, ..., Date Designated, D.O.B, Nationality(/ies),
//     National Identifier number, ..., Passport number, ..., Business
//     registration number (s), IMO number, ..., Current believed flag of ship.
//   - OFSI's older Consolidated List (ConList.csv): a "Last Updated,DD/MM/YYYY"
//     line, then Name 6, Name 1..Name 5, Title, Name Non-Latin Script, ...,
//     DOB, Town of Birth, Country of Birth, Nationality, Passport Number, ...,
//     National Identification Number, ..., Address 1..6, Post/Zip Code,
//     Country, Other Information, Group Type, Alias Type (Primary name, AKA,
//     Primary name variation), Alias Quality, Regime, Listed On, UK
//     Sanctions List Date Designated, Last Updated, Group ID.
//
// Both have one row per name (and address...), grouped into one entity by
// Unique ID (the SourceID, "AFG0001") or Group ID. Names are written in
// the order given name(s), surname: Name 1 to Name 5, then Name 6 (Name 6
// alone for entities and ships). The primary name comes first; aliases of
// low quality are weak aliases; the non-Latin-script name is an original
// name. D.O.B uses 00 or dd/mm for unknown parts ("00/00/1975",
// "dd/mm/1971"). The column names were confirmed against public copies of
// both headers (find_string "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title"
// and "Alias strength"; moov-io/watchman pkg/sources/csl_uk).

// ukLayout names the columns of one UK layout.
type ukLayout struct {
	id, nameType, quality, nonLatin, dob, nationality, passport, nationalID string
	regime, listed, other, country, postal, unRef, regNumber, imo, flag     string
	types                                                                   []string
	address                                                                 []string
}

var ukFCDO = ukLayout{
	id: "Unique ID", nameType: "Name type", quality: "Alias strength", nonLatin: "Name non-latin script",
	dob: "D.O.B", nationality: "Nationality(/ies)", passport: "Passport number", nationalID: "National Identifier number",
	regime: "Regime Name", listed: "Date Designated", other: "Other Information", country: "Address Country",
	postal: "Address Postal Code", unRef: "UN Reference Number", regNumber: "Business registration number (s)",
	imo: "IMO number", flag: "Current believed flag of ship",
	types:   []string{"Designation Type", "Individual/Entity/Ship"},
	address: []string{"Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5", "Address Line 6"},
}

var ukOFSI = ukLayout{
	id: "Group ID", nameType: "Alias Type", quality: "Alias Quality", nonLatin: "Name Non-Latin Script",
	dob: "DOB", nationality: "Nationality", passport: "Passport Number", nationalID: "National Identification Number",
	regime: "Regime", listed: "Listed On", other: "Other Information", country: "Country", postal: "Post/Zip Code",
	types:   []string{"Group Type"},
	address: []string{"Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6"},
}

// ukGroup collects the rows of one UK entity.
type ukGroup struct {
	e         *annex.ListEntity
	line      int
	names     []annex.EntityName // in row order, primary names marked
	originals []string           // non-Latin-script names
	remarks   []string
}

func parseUKCSV(f File) (string, []*annex.ListEntity, error) {
	r := csv.NewReader(bytes.NewReader(textData(f.Data)))
	r.FieldsPerRecord = -1
	published, header, headerLine, err := ukHeader(f, r)
	if err != nil {
		return "", nil, err
	}
	col, err := columns(f, headerLine, header)
	if err != nil {
		return "", nil, err
	}
	layout := ukFCDO
	if !col.has(layout.id) {
		layout = ukOFSI
	}
	if !col.has(layout.id) || !col.has("Name 6") {
		return "", nil, invalidAt(f.Name, headerLine, "no Unique ID or Group ID and Name 6 columns in the header")
	}
	r.FieldsPerRecord = len(header)
	r.ReuseRecord = true
	var groups []*ukGroup
	byID := make(map[string]*ukGroup)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return "", nil, csvError(f, err)
		}
		line, _ := r.FieldPos(0)
		get := col.getter(rec)
		id := clean(get(layout.id))
		if id == "" {
			return "", nil, invalidAt(f.Name, line, "%s is empty", layout.id)
		}
		g, ok := byID[id]
		if !ok {
			g = &ukGroup{e: &annex.ListEntity{Source: annex.SourceUK, SourceID: id}, line: line}
			if ref := clean(get(layout.unRef)); ref != "" {
				g.remarks = []string{"UN " + ref}
			}
			byID[id] = g
			groups = append(groups, g)
		}
		if err := g.addRow(layout, get, f.Name, line); err != nil {
			return "", nil, err
		}
	}
	ents := make([]*annex.ListEntity, 0, len(groups))
	for _, g := range groups {
		if err := g.finish(f.Name); err != nil {
			return "", nil, err
		}
		ents = append(ents, g.e)
	}
	return published, ents, nil
}

// ukHeader reads the optional first line with the list's date ("Report
// Date: 13-Feb-2026" or "Last Updated,13/02/2026") and the header.
func ukHeader(f File, r *csv.Reader) (published string, header []string, line int, err error) {
	rec, err := r.Read()
	if err != nil {
		return "", nil, 0, csvError(f, err)
	}
	first := strings.TrimSuffix(strings.TrimSpace(rec[0]), ":")
	var ok bool
	switch {
	case strings.HasPrefix(first, "Report Date:"):
		v := strings.TrimPrefix(first, "Report Date:")
		if published, ok = dashMonDate(v); !ok {
			return "", nil, 0, invalidAt(f.Name, 1, "report date %q is not a date (DD-Mon-YYYY)", strings.TrimSpace(v))
		}
	case first == "Last Updated" && len(rec) > 1 && (len(rec) < 3 || clean(rec[2]) == ""):
		if published, ok = dmyDate(rec[1]); !ok {
			return "", nil, 0, invalidAt(f.Name, 1, "last updated %q is not a date (DD/MM/YYYY)", rec[1])
		}
	default:
		return "", slices.Clone(rec), 1, nil // no date line: this is the header
	}
	if header, err = r.Read(); err != nil {
		return "", nil, 0, csvError(f, err)
	}
	return published, slices.Clone(header), 2, nil
}

// addRow reads one row of a UK entity.
func (g *ukGroup) addRow(l ukLayout, get func(string) string, file string, line int) error {
	e := g.e
	if e.Type == "" {
		for _, c := range l.types {
			if e.Type = ukType(get(c)); e.Type != "" {
				break
			}
		}
	}
	name := joinNonEmpty(" ", get("Name 1"), get("Name 2"), get("Name 3"), get("Name 4"), get("Name 5"), get("Name 6"))
	g.names = append(g.names, annex.EntityName{Name: name, Kind: ukNameKind(get(l.nameType), get(l.quality))})
	g.originals = append(g.originals, get(l.nonLatin))
	e.Programs = addText(e.Programs, get(l.regime))
	if v := clean(get(l.dob)); v != "" {
		date, ok := dmyDate(v)
		if !ok {
			return invalidAt(file, line, "%s: %s %q is not a date (DD/MM/YYYY)", e.SourceID, l.dob, v)
		}
		e.DatesOfBirth = addText(e.DatesOfBirth, date)
	}
	if v := clean(get(l.listed)); v != "" && e.ListedOn == "" {
		date, ok := dmyDate(v)
		if !ok {
			return invalidAt(file, line, "%s: %s %q is not a date (DD/MM/YYYY)", e.SourceID, l.listed, v)
		}
		e.ListedOn = date
	}
	addCountries(e, get(l.nationality))
	addCountries(e, get(l.flag))
	lines := make([]string, 0, len(l.address)+2)
	for _, a := range l.address {
		lines = append(lines, get(a))
	}
	e.Addresses = addText(e.Addresses, joinNonEmpty(", ", append(lines, get(l.postal), get(l.country))...))
	addCountries(e, get(l.country))
	addID(e, annex.IDPassport, get(l.passport), "")
	addID(e, annex.IDNationalID, get(l.nationalID), "")
	addID(e, annex.IDRegistration, get(l.regNumber), "")
	addID(e, annex.IDIMO, get(l.imo), "")
	g.remarks = addText(g.remarks, get(l.other))
	return nil
}

// finish orders the names (primary, then the others in the list's order,
// then the non-Latin ones) and checks the entity.
func (g *ukGroup) finish(file string) error {
	e := g.e
	for _, n := range g.names {
		if n.Kind == annex.NamePrimary {
			addName(e, n.Name, n.Kind)
		}
	}
	for _, n := range g.names {
		kind := n.Kind
		if kind == annex.NamePrimary {
			kind = annex.NameAlias // a second primary name of one entity
		}
		addName(e, n.Name, kind)
	}
	for _, n := range g.originals {
		addName(e, n, annex.NameOriginal)
	}
	if len(e.Names) > 0 && e.Names[0].Kind != annex.NamePrimary {
		e.Names[0].Kind = annex.NamePrimary // no row said which name is primary
	}
	e.Remarks = joinNonEmpty("; ", g.remarks...)
	return checkEntity(e, file, g.line)
}

func ukType(t string) annex.EntityType {
	switch strings.ToLower(clean(t)) {
	case "individual":
		return annex.EntityPerson
	case "entity":
		return annex.EntityOrganization
	case "ship":
		return annex.EntityVessel
	}
	return ""
}

// ukNameKind reads a name type ("Primary Name", "Primary name variation",
// "Alias", "AKA") and an alias strength or quality ("Low quality a.k.a",
// "Low").
func ukNameKind(typ, quality string) annex.NameKind {
	typ = strings.ToLower(clean(typ))
	switch {
	case strings.Contains(strings.ToLower(quality), "low"):
		return annex.NameWeakAlias
	case strings.HasPrefix(typ, "primary") && !strings.Contains(typ, "variation"):
		return annex.NamePrimary
	}
	return annex.NameAlias
}

// addCountries adds the countries of a value that may name several ("Iraq,
// Jordan" or "Iraq|Jordan"); the whole value is tried first, for names with
// a comma ("Korea, North").
func addCountries(e *annex.ListEntity, s string) {
	if clean(s) == "" {
		return
	}
	if code, ok := codeOrCountry(s); ok {
		addCountry(e, code)
		return
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == '/' }) {
		if code, ok := codeOrCountry(part); ok {
			addCountry(e, code)
		}
	}
}
