package lists

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"annex"
)

// OFAC's SDN list as CSV: four headerless files published together.
//
//	sdn.csv           ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
//	                  Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
//	alt.csv           ent_num, alt_num, alt_type (aka, fka, nka), alt_name, alt_remarks
//	add.csv           ent_num, add_num, address, city/state/postal code, country, add_remarks
//	sdn_comments.csv  ent_num, the rest of a Remarks cut at 1,000 characters
//
// "-0-" (with trailing blanks) means null, and OFAC ends each file with a
// DOS end-of-file byte (0x1A). SDN_Name keeps OFAC's form ("SURNAME, Given"
// for individuals). The SourceID is ent_num. Program is "SDGT] [IFSR" for
// several programs. The Remarks grammar (ofac_remarks.go) gives dates of
// birth, nationalities, identifiers and the weak a.k.a.s that are not in
// alt.csv.

// ofacFiles is one OFAC CSV set; only sdn is required.
type ofacFiles struct {
	sdn                File
	alt, add, comments *File
}

// ordered returns the files in canonical order.
func (s ofacFiles) ordered() []File {
	out := []File{s.sdn}
	for _, f := range []*File{s.alt, s.add, s.comments} {
		if f != nil {
			out = append(out, *f)
		}
	}
	return out
}

// sortOFACFiles assigns detected OFAC CSV files to their roles.
func sortOFACFiles(files []File, formats []Format) (ofacFiles, error) {
	var set ofacFiles
	seen := make(map[Format]string)
	for i, f := range files {
		if prev, ok := seen[formats[i]]; ok {
			return set, invalidAt(f.Name, 0, "a second %s file (the first is %s)", formats[i], prev)
		}
		seen[formats[i]] = f.Name
		f := f
		switch formats[i] {
		case FormatOFACSDNCSV:
			set.sdn = f
		case FormatOFACAltCSV:
			set.alt = &f
		case FormatOFACAddCSV:
			set.add = &f
		case FormatOFACCommentsCSV:
			set.comments = &f
		default:
			return set, invalidAt(f.Name, 0, "is %s, which cannot be parsed with OFAC's CSV files", formats[i])
		}
	}
	if _, ok := seen[FormatOFACSDNCSV]; !ok {
		return set, invalidAt(files[0].Name, 0, "OFAC's alt.csv, add.csv and sdn_comments.csv need their sdn.csv")
	}
	return set, nil
}

// ofacCSV reads one of OFAC's headerless CSV files record by record.
type ofacCSV struct {
	file File
	r    *csv.Reader
}

func newOFACCSV(f File, fields int) *ofacCSV {
	data := bytes.TrimRight(textData(f.Data), "\x1a\r\n\t ")
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = fields
	r.ReuseRecord = true
	return &ofacCSV{file: f, r: r}
}

// next returns the next record with OFAC's nulls made empty, its line, or
// io.EOF at the end.
func (c *ofacCSV) next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, 0, err
	} else if err != nil {
		return nil, 0, csvError(c.file, err)
	}
	line, _ := c.r.FieldPos(0)
	for i, v := range rec {
		rec[i] = ofacNull(v)
	}
	return rec, line, nil
}

// ofacNull turns OFAC's "-0-" null into "".
func ofacNull(s string) string {
	t := strings.TrimSpace(s)
	if t == "-0-" {
		return ""
	}
	return t
}

// csvError turns an encoding/csv error into an EINVALID error at its line.
func csvError(f File, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		line := pe.Line
		if pe.StartLine > 0 && errors.Is(pe.Err, csv.ErrFieldCount) {
			line = pe.StartLine
		}
		return invalidAt(f.Name, line, "%v", pe.Err)
	}
	return invalidAt(f.Name, 0, "%v", err)
}

func parseOFACCSV(set ofacFiles) ([]*annex.ListEntity, error) {
	rows := bytes.Count(set.sdn.Data, []byte{'\n'}) + 1
	ents := make([]*annex.ListEntity, 0, rows)
	remarks := make([]string, 0, rows)
	byID := make(map[string]int, rows)
	sdn := newOFACCSV(set.sdn, 12)
	for {
		rec, line, err := sdn.next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if _, ok := atoiN(rec[0], 0); !ok {
			return nil, invalidAt(set.sdn.Name, line, "ent_num %q is not a number", rec[0])
		}
		if _, dup := byID[rec[0]]; dup {
			return nil, invalidAt(set.sdn.Name, line, "ent_num %s appears twice", rec[0])
		}
		e := ofacEntity(rec)
		if err := checkEntity(e, set.sdn.Name, line); err != nil {
			return nil, err
		}
		byID[rec[0]] = len(ents)
		ents = append(ents, e)
		remarks = append(remarks, rec[11])
	}
	// Each side file refers to sdn.csv by ent_num.
	lookup := func(c *ofacCSV, rec []string, line int) (int, error) {
		i, ok := byID[rec[0]]
		if !ok {
			return 0, invalidAt(c.file.Name, line, "ent_num %q is not in %s", rec[0], set.sdn.Name)
		}
		return i, nil
	}
	if set.comments != nil {
		err := eachOFAC(set.comments, 2, lookup, func(i int, rec []string) {
			remarks[i] += rec[1]
		})
		if err != nil {
			return nil, err
		}
	}
	if set.alt != nil {
		err := eachOFAC(set.alt, 5, lookup, func(i int, rec []string) {
			addName(ents[i], rec[3], ofacAltKind(rec[2]))
		})
		if err != nil {
			return nil, err
		}
	}
	if set.add != nil {
		err := eachOFAC(set.add, 6, lookup, func(i int, rec []string) {
			e := ents[i]
			e.Addresses = addText(e.Addresses, joinNonEmpty(", ", rec[2], rec[3], rec[4]))
			addCountryName(e, rec[4])
		})
		if err != nil {
			return nil, err
		}
	}
	for i, e := range ents {
		e.Remarks = clean(remarks[i])
		applyRemarks(e, e.Remarks)
	}
	return ents, nil
}

// eachOFAC reads a side file and calls fn with the index of the entity each
// record belongs to.
func eachOFAC(f *File, fields int, lookup func(*ofacCSV, []string, int) (int, error), fn func(int, []string)) error {
	c := newOFACCSV(*f, fields)
	for {
		rec, line, err := c.next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		i, err := lookup(c, rec, line)
		if err != nil {
			return err
		}
		fn(i, rec)
	}
}

// ofacEntity builds an entity from an sdn.csv record (nulls removed).
func ofacEntity(rec []string) *annex.ListEntity {
	e := &annex.ListEntity{
		Source:   annex.SourceOFACSDN,
		SourceID: rec[0],
		Type:     ofacType(rec[2]),
		Programs: ofacPrograms(rec[3]),
	}
	addName(e, rec[1], annex.NamePrimary)
	addCountryName(e, rec[9]) // vessel flag
	return e
}

func ofacType(t string) annex.EntityType {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "individual":
		return annex.EntityPerson
	case "vessel":
		return annex.EntityVessel
	case "aircraft":
		return annex.EntityAircraft
	}
	return annex.EntityOrganization
}

// ofacPrograms splits "IRAN] [SDGT] [IFSR" into its programs.
func ofacPrograms(s string) []string {
	s = strings.Trim(strings.TrimSpace(s), "[]")
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, "] [") {
		out = addText(out, strings.Trim(p, "[] "))
	}
	return out
}

func ofacAltKind(t string) annex.NameKind {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "fka":
		return annex.NameFormer
	case "weak aka", "weak":
		return annex.NameWeakAlias
	}
	return annex.NameAlias
}
