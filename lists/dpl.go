package lists

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"

	"annex"
)

// The BIS Denied Persons List (dpl.txt): tab-separated, quoted fields, a
// header line naming the columns Name, Street_Address, City, State,
// Country (ISO codes, with the odd "PRC"), Postal_Code, Effective_Date and
// Expiration_Date (MM/DD/YYYY), Standard_Order, Last_Update (YYYY-MM-DD),
// Action and FR_Citation.
//
// The DPL has no identifier, and it lists a person or firm once per
// address. Rows with the same name (compared without regard to case or
// spacing) and the same effective date are one denial order and become one
// entity with several addresses. The SourceID is that pair, as
// "YYYY-MM-DD/NAME": the effective date of the order, a slash, and the name
// in upper case with single spaces ("2002-03-04/ABDULAH AL NASSER"). It stays
// the same across editions of the list while the order stands; a corrected
// name or effective date gives a new ID, as it is in effect a new entry.
// The list has no type (it mixes people and firms), so Type is empty. The
// file carries no date of its own: Last_Update is per row and not reliable
// (the 2024-12-28 file has rows updated "0222-05-18" and "3017-08-22"), so
// Published is empty.

func parseDPL(f File) (string, []*annex.ListEntity, error) {
	r := csv.NewReader(bytes.NewReader(textData(f.Data)))
	r.Comma = '\t'
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return "", nil, csvError(f, err)
	}
	col, err := columns(f, 1, header, "Name", "Effective_Date")
	if err != nil {
		return "", nil, err
	}
	var ents []*annex.ListEntity
	byKey := make(map[string]*annex.ListEntity)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return "", nil, csvError(f, err)
		}
		line, _ := r.FieldPos(0)
		get := col.getter(rec)
		name := clean(get("Name"))
		if name == "" {
			return "", nil, invalidAt(f.Name, line, "Name is empty")
		}
		eff, ok := mdyDate(get("Effective_Date"))
		if !ok {
			return "", nil, invalidAt(f.Name, line, "Effective_Date %q is not a date (MM/DD/YYYY)", get("Effective_Date"))
		}
		// The expiration date is only informative: one that does not read
		// is kept as written.
		exp := clean(get("Expiration_Date"))
		if iso, ok := mdyDate(exp); ok {
			exp = iso
		}
		key := eff + "/" + strings.ToUpper(name)
		e, ok := byKey[key]
		if !ok {
			e = &annex.ListEntity{
				Source:   annex.SourceBISDPL,
				SourceID: key,
				ListedOn: eff,
				Remarks:  dplRemarks(exp, get("Action"), get("FR_Citation")),
			}
			addName(e, name, annex.NamePrimary)
			byKey[key] = e
			ents = append(ents, e)
		}
		country := get("Country")
		e.Addresses = addText(e.Addresses, joinNonEmpty(", ", get("Street_Address"), get("City"), get("State"), get("Postal_Code"), country))
		if code, ok := codeOrCountry(country); ok {
			addCountry(e, code)
		}
	}
	return "", ents, nil
}

func dplRemarks(expires, action, citation string) string {
	if expires != "" {
		expires = "Expires " + expires
	}
	return joinNonEmpty("; ", expires, action, citation)
}

// columnIndex maps a header's column names to their positions. Names are
// matched exactly, then without regard to case (OFSI and the FCDO spell
// "Name Non-Latin Script" and "Name non-latin script"); each name asked
// for is resolved once.
type columnIndex map[string]int

// columns indexes a header found at a line of f. Every name in required
// must be present; other columns may be missing, and then read as empty.
func columns(f File, line int, header []string, required ...string) (columnIndex, error) {
	col := make(columnIndex, 2*len(header))
	for i, h := range header {
		h = strings.TrimSpace(string(stripBOM([]byte(h))))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
		if low := strings.ToLower(h); low != h {
			if _, dup := col[low]; !dup {
				col[low] = i
			}
		}
	}
	for _, name := range required {
		if !col.has(name) {
			return nil, invalidAt(f.Name, line, "no %s column in the header", name)
		}
	}
	return col, nil
}

// index returns a column's position, or -1.
func (c columnIndex) index(name string) int {
	if i, ok := c[name]; ok {
		return i
	}
	i, ok := c[strings.ToLower(name)]
	if !ok {
		i = -1
	}
	c[name] = i
	return i
}

// has reports whether the header has a column.
func (c columnIndex) has(name string) bool { return c.index(name) >= 0 }

// getter returns a function reading a record's columns by name.
func (c columnIndex) getter(rec []string) func(string) string {
	return func(name string) string {
		if i := c.index(name); i >= 0 && i < len(rec) {
			return rec[i]
		}
		return ""
	}
}
