package lists

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"path"
	"strings"
)

// detectHead is how much of a file Detect reads.
const detectHead = 64 << 10

// Detect names the format of a file from its content: the root element of
// an XML file, the shape of a JSON file, the header of a CSV file, or, for
// OFAC's headerless CSV files, the number of fields of the first row (12 in
// sdn.csv, 5 in alt.csv, 6 in add.csv, 2 in sdn_comments.csv). The name is
// used only to break a tie the content leaves open. A file Detect cannot
// name is an EINVALID error about the file.
func Detect(f File) (Format, error) {
	head := f.Data
	if len(head) > detectHead {
		head = head[:detectHead]
	}
	head = bytes.TrimLeft(stripBOM(head), " \t\r\n")
	if len(head) == 0 {
		return "", invalidAt(f.Name, 0, "the file is empty")
	}
	var format Format
	switch head[0] {
	case '<':
		format = detectXML(head)
		if format == "" {
			if root := xmlRoot(head); root != "" {
				return "", invalidAt(f.Name, 0, "an XML file whose root <%s> is not a list Annex reads", root)
			}
		}
	case '{', '[':
		format = detectJSON(head)
	default:
		format = detectText(head, f.Name)
	}
	if format == "" {
		return "", invalidAt(f.Name, 0, "not a list format Annex reads")
	}
	return format, nil
}

// xmlRoot returns the local name of the first element of an XML document.
// A declared encoding it cannot read is read as is: element names are
// ASCII, and the parse will report the encoding.
func xmlRoot(head []byte) string {
	d := xml.NewDecoder(bytes.NewReader(head))
	d.CharsetReader = func(charset string, r io.Reader) (io.Reader, error) {
		if cr, err := charsetReader(charset, r); err == nil {
			return cr, nil
		}
		return r, nil
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}

func detectXML(head []byte) Format {
	switch xmlRoot(head) {
	case "CONSOLIDATED_LIST":
		return FormatUNXML
	case "sdnList":
		return FormatOFACSDNXML
	case "export":
		if bytes.Contains(head, []byte("fsd/export")) || bytes.Contains(head, []byte("<sanctionEntity")) {
			return FormatEUXML
		}
	case "Designations":
		return FormatUKXML
	}
	return ""
}

// detectJSON tells OpenSanctions' FollowTheMoney lines (one entity object
// with "schema" and "properties" per line) from the CSL's JSON (an object
// with "results", or an array of results). An FtM line may be longer than
// the head Detect reads, so the first line is searched, not decoded.
func detectJSON(head []byte) Format {
	first, _, _ := bytes.Cut(head, []byte("\n"))
	switch {
	case bytes.Contains(first, []byte(`"results"`)):
		return FormatCSLJSON
	case first[0] == '{' && bytes.Contains(first, []byte(`"schema"`)) && bytes.Contains(first, []byte(`"properties"`)):
		return FormatFTMJSON
	case bytes.Contains(head, []byte(`"results"`)),
		head[0] == '[' && bytes.Contains(head, []byte(`"alt_names"`)):
		return FormatCSLJSON
	}
	return ""
}

// detectText reads a CSV or TSV file's first lines.
func detectText(head []byte, name string) Format {
	first, rest, _ := bytes.Cut(head, []byte("\n"))
	line := strings.TrimRight(string(first), "\r")
	second, _, _ := bytes.Cut(rest, []byte("\n"))
	switch {
	case strings.HasPrefix(line, "Report Date"):
		return FormatUKCSV
	case strings.HasPrefix(line, "Last Updated") && bytes.HasPrefix(second, []byte("Name 6")):
		return FormatUKCSV
	}
	fields := headerFields(line)
	has := func(names ...string) bool {
		for _, n := range names {
			if !fields[n] {
				return false
			}
		}
		return true
	}
	switch {
	case has("Unique ID", "Name 6"), has("Group ID", "Name 6"):
		return FormatUKCSV
	case has("Name", "Effective_Date"):
		return FormatBISDPLTSV
	case has("Entity_LogicalId"):
		return FormatEUCSV
	case has("source", "name", "alt_names"), has("source", "name", "entity_number"):
		return FormatCSLCSV
	}
	return detectOFAC(head, name)
}

// headerFields splits a header line on its most likely separator (tab,
// semicolon or comma) and returns the set of unquoted field names.
func headerFields(line string) map[string]bool {
	sep := ","
	switch {
	case strings.Contains(line, "\t"):
		sep = "\t"
	case strings.Count(line, ";") > strings.Count(line, ","):
		sep = ";"
	}
	set := make(map[string]bool)
	for _, f := range strings.Split(line, sep) {
		set[strings.Trim(strings.TrimSpace(f), `"`)] = true
	}
	return set
}

// detectOFAC recognises OFAC's headerless CSV files by their first row: a
// numeric ent_num and 12, 5, 6 or 2 fields. The file name breaks the tie for
// a file whose first row cannot be read.
func detectOFAC(head []byte, name string) Format {
	r := csv.NewReader(bytes.NewReader(head))
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if err == nil && len(rec) > 0 {
		if _, ok := atoiN(strings.TrimSpace(rec[0]), 0); ok {
			switch len(rec) {
			case 12:
				return FormatOFACSDNCSV
			case 5:
				return FormatOFACAltCSV
			case 6:
				return FormatOFACAddCSV
			case 2:
				return FormatOFACCommentsCSV
			}
		}
	}
	switch strings.ToLower(path.Base(name)) {
	case "sdn.csv":
		return FormatOFACSDNCSV
	case "alt.csv":
		return FormatOFACAltCSV
	case "add.csv":
		return FormatOFACAddCSV
	case "sdn_comments.csv":
		return FormatOFACCommentsCSV
	}
	return ""
}
