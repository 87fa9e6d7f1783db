package lists

import (
	"bytes"
	"encoding/csv"
	"io"

	"annex"
)

// The EU financial sanctions file as CSV (csvFullSanctionsList_1_1):
// semicolon-separated, with a header, and one row per entity and name,
// address, birth date, identification or citizenship, so that an entity
// spans several rows sharing its Entity_LogicalId. The columns read are
// fileGenerationDate (DD/MM/YYYY), Entity_LogicalId,
// Entity_EU_ReferenceNumber, Entity_UnitedNationId, Entity_DesignationDate,
// Entity_Remark, Entity_SubjectType and Entity_SubjectType_ClassificationCode
// (which of them holds "person" and which "P" has varied, so both are read),
// Entity_Regulation_Programme, Entity_Regulation_PublicationDate,
// NameAlias_WholeName (or _FirstName, _MiddleName, _LastName), NameAlias_Strong
// when present, Address_Street, _PoBox, _City, _ZipCode, _Region, _Place,
// _CountryIso2Code, _CountryDescription, BirthDate_BirthDate, _Year, _Month,
// _Day, _YearRangeFrom, _YearRangeTo, Identification_Number,
// _LatinNumber, _TypeCode, _TypeDescription, _CountryIso2Code and
// Citizenship_CountryIso2Code, _CountryDescription. The names were
// checked against public parsers of the file (find_string
// "Entity_LogicalId"; moov-io/watchman pkg/sources/csl_eu/csl.go lists the
// 118 columns). The entities mean what the XML's do (eu.go).

// euGroup collects the rows of one entity.
type euGroup struct {
	e            *annex.ListEntity
	line         int
	names        []euName
	remarks      []string
	euRef, unID  string
	designation  string
	firstPublish string
}

func parseEUCSV(f File) (string, []*annex.ListEntity, error) {
	r := csv.NewReader(bytes.NewReader(textData(f.Data)))
	r.Comma = ';'
	r.LazyQuotes = true
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return "", nil, csvError(f, err)
	}
	col, err := columns(f, 1, header, "Entity_LogicalId")
	if err != nil {
		return "", nil, err
	}
	var groups []*euGroup
	byID := make(map[string]*euGroup)
	published := ""
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return "", nil, csvError(f, err)
		}
		line, _ := r.FieldPos(0)
		get := col.getter(rec)
		if published == "" {
			if v := clean(get("fileGenerationDate")); v != "" {
				date, ok := dmyDate(v)
				if !ok {
					if date, ok = isoDate(v); !ok {
						return "", nil, invalidAt(f.Name, line, "fileGenerationDate %q is not a date", v)
					}
				}
				published = date
			}
		}
		id := clean(get("Entity_LogicalId"))
		if id == "" {
			return "", nil, invalidAt(f.Name, line, "Entity_LogicalId is empty")
		}
		g, ok := byID[id]
		if !ok {
			g = &euGroup{
				e: &annex.ListEntity{
					Source:   annex.SourceEU,
					SourceID: id,
					Type:     euType(get("Entity_SubjectType"), get("Entity_SubjectType_ClassificationCode")),
				},
				line:        line,
				euRef:       get("Entity_EU_ReferenceNumber"),
				unID:        get("Entity_UnitedNationId"),
				designation: clean(get("Entity_DesignationDate")),
			}
			byID[id] = g
			groups = append(groups, g)
		}
		if err := g.add(get, f.Name, line); err != nil {
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

// add reads one row of the group's entity.
func (g *euGroup) add(get func(string) string, file string, line int) error {
	e := g.e
	if n := (euName{Whole: get("NameAlias_WholeName"), First: get("NameAlias_FirstName"),
		Middle: get("NameAlias_MiddleName"), Last: get("NameAlias_LastName"), Strong: get("NameAlias_Strong")}); euWholeName(n.Whole, n.First, n.Middle, n.Last) != "" {
		g.names = append(g.names, n)
	}
	g.remarks = addText(g.remarks, get("Entity_Remark"))
	e.Programs = addText(e.Programs, get("Entity_Regulation_Programme"))
	g.firstPublish = earliest(g.firstPublish, clean(get("Entity_Regulation_PublicationDate")))
	euAddCountry(e, euCountry{ISO: get("Citizenship_CountryIso2Code"), Desc: get("Citizenship_CountryDescription")})
	addr := euCountry{ISO: get("Address_CountryIso2Code"), Desc: get("Address_CountryDescription")}
	e.Addresses = addText(e.Addresses, joinNonEmpty(", ", get("Address_Street"), get("Address_PoBox"), get("Address_City"),
		get("Address_ZipCode"), get("Address_Region"), get("Address_Place"), euCountryName(addr)))
	euAddCountry(e, addr)
	dates, msg := euBirthDates(get("BirthDate_BirthDate"), get("BirthDate_Year"), get("BirthDate_Month"),
		get("BirthDate_Day"), get("BirthDate_YearRangeFrom"), get("BirthDate_YearRangeTo"))
	if msg != "" {
		return invalidAt(file, line, "%s: birth date: %s", e.SourceID, msg)
	}
	for _, d := range dates {
		e.DatesOfBirth = addText(e.DatesOfBirth, d)
	}
	number := get("Identification_Number")
	if clean(number) == "" {
		number = get("Identification_LatinNumber")
	}
	country, _ := isoCode(get("Identification_CountryIso2Code"))
	addID(e, euIDType(get("Identification_TypeCode"), get("Identification_TypeDescription")), number, country)
	return nil
}

// finish sets what needs all the rows: the names in order, the remarks and
// the listing date.
func (g *euGroup) finish(file string) error {
	e := g.e
	for _, n := range euNameOrder(g.names) {
		addName(e, euWholeName(n.Whole, n.First, n.Middle, n.Last), n.kind)
	}
	e.Remarks = euRemarks(g.euRef, g.unID, g.remarks...)
	listed := g.designation
	if listed == "" {
		listed = g.firstPublish
	}
	if listed != "" {
		date, ok := isoDate(listed)
		if !ok {
			if date, ok = dmyDate(listed); !ok {
				return invalidAt(file, g.line, "%s: designation date %q is not a date", e.SourceID, listed)
			}
		}
		e.ListedOn = date
	}
	return checkEntity(e, file, g.line)
}
