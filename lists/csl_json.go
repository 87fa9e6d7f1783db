package lists

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"annex"
)

// The CSL as JSON, from trade.gov's consolidated.json download or its API:
// an object whose "results" array holds the entries (an array of entries
// alone is accepted too). The fields are the CSV's columns, with lists as
// arrays, "addresses" as objects (address, city, state, postal_code,
// country) and "ids" as objects (type, number, country). The JSON has
// varied over the years in whether a field is a string, a number or a list,
// so every field accepts each of them. The entries are read one at a time.

// jsonString accepts a JSON string, number or null.
type jsonString string

func (s *jsonString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = jsonString(v)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		*s = jsonString(b)
	default:
		return errors.New("want a string")
	}
	return nil
}

// jsonStrings accepts an array of strings or numbers, a "; "-separated
// string, or null.
type jsonStrings []string

func (s *jsonStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var vs []jsonString
		if err := json.Unmarshal(b, &vs); err != nil {
			return err
		}
		out := make([]string, 0, len(vs))
		for _, v := range vs {
			if c := clean(string(v)); c != "" {
				out = append(out, c)
			}
		}
		*s = out
		return nil
	}
	var v jsonString
	if err := v.UnmarshalJSON(b); err != nil {
		return errors.New("want a string or a list of strings")
	}
	*s = splitList(string(v), ";")
	return nil
}

type cslJSONResult struct {
	ID            jsonString    `json:"id"`
	UID           jsonString    `json:"_id"`
	Source        jsonString    `json:"source"`
	EntityNumber  jsonString    `json:"entity_number"`
	Type          jsonString    `json:"type"`
	Programs      jsonStrings   `json:"programs"`
	Name          jsonString    `json:"name"`
	AltNames      jsonStrings   `json:"alt_names"`
	Addresses     []cslJSONAddr `json:"addresses"`
	StartDate     jsonString    `json:"start_date"`
	Remarks       jsonString    `json:"remarks"`
	VesselFlag    jsonString    `json:"vessel_flag"`
	Citizenships  jsonStrings   `json:"citizenships"`
	Nationalities jsonStrings   `json:"nationalities"`
	DatesOfBirth  jsonStrings   `json:"dates_of_birth"`
	IDs           []cslJSONID   `json:"ids"`
}

type cslJSONAddr struct {
	Address    jsonString `json:"address"`
	City       jsonString `json:"city"`
	State      jsonString `json:"state"`
	PostalCode jsonString `json:"postal_code"`
	Country    jsonString `json:"country"`
}

type cslJSONID struct {
	Type    jsonString `json:"type"`
	Number  jsonString `json:"number"`
	Country jsonString `json:"country"`
}

func parseCSLJSON(f File) (string, []*annex.ListEntity, error) {
	data := stripBOM(f.Data)
	dec := json.NewDecoder(bytes.NewReader(data))
	lines := &lineCounter{data: data}
	fail := func(err error) error { return jsonError(f, data, dec, err) }
	tok, err := dec.Token()
	if err != nil {
		return "", nil, fail(err)
	}
	var ents []*annex.ListEntity
	readResults := func() error {
		if tok, err := dec.Token(); err != nil {
			return err
		} else if tok != json.Delim('[') {
			return invalidAt(f.Name, lines.at(dec.InputOffset()), `"results" is not a list`)
		}
		return readResultsAfterOpen(dec, f, lines, &ents)
	}
	switch tok {
	case json.Delim('['):
		if err := readResultsAfterOpen(dec, f, lines, &ents); err != nil {
			return "", nil, fail(err)
		}
	case json.Delim('{'):
		found := false
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return "", nil, fail(err)
			}
			if key == "results" {
				found = true
				if err := readResults(); err != nil {
					return "", nil, fail(err)
				}
				continue
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return "", nil, fail(err)
			}
		}
		if !found {
			return "", nil, invalidAt(f.Name, 1, `no "results" list`)
		}
		if _, err := dec.Token(); err != nil {
			return "", nil, fail(err)
		}
	default:
		return "", nil, invalidAt(f.Name, 1, "not a JSON object or list")
	}
	if _, err := dec.Token(); err != io.EOF {
		return "", nil, invalidAt(f.Name, lines.at(dec.InputOffset()), "data after the end of the JSON document")
	}
	return "", ents, nil
}

// readResultsAfterOpen reads the entries of a top-level array whose "[" has
// been read.
func readResultsAfterOpen(dec *json.Decoder, f File, lines *lineCounter, ents *[]*annex.ListEntity) error {
	for dec.More() {
		line := lines.at(nextValue(lines.data, dec.InputOffset()))
		var r cslJSONResult
		if err := dec.Decode(&r); err != nil {
			var se *json.SyntaxError
			var te *json.UnmarshalTypeError
			if errors.As(err, &se) || errors.As(err, &te) || errors.Is(err, io.ErrUnexpectedEOF) {
				return err
			}
			return invalidAt(f.Name, line, "entry: %s", strings.TrimPrefix(err.Error(), "json: "))
		}
		e, err := cslEntity(r.record(), f.Name, line)
		if err != nil {
			return err
		}
		*ents = append(*ents, e)
	}
	_, err := dec.Token()
	return err
}

// nextValue skips the white space and comma between JSON values, so that
// an offset from json.Decoder.InputOffset points at the next value.
func nextValue(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// record converts a JSON entry to the record the CSV gives.
func (r *cslJSONResult) record() *cslRecord {
	c := &cslRecord{
		id: clean(string(r.UID)), source: clean(string(r.Source)), entityNumber: clean(string(r.EntityNumber)),
		typ: string(r.Type), name: string(r.Name), startDate: string(r.StartDate), remarks: string(r.Remarks),
		vesselFlag: string(r.VesselFlag), programs: r.Programs, altNames: r.AltNames,
		citizenships: append(append([]string{}, r.Citizenships...), r.Nationalities...),
		datesOfBirth: r.DatesOfBirth,
	}
	if c.id == "" {
		c.id = clean(string(r.ID))
	}
	for _, a := range r.Addresses {
		c.addresses = append(c.addresses, joinNonEmpty(", ", string(a.Address), string(a.City), string(a.State), string(a.PostalCode), string(a.Country)))
		c.addressCountries = append(c.addressCountries, string(a.Country))
	}
	for _, id := range r.IDs {
		country, _ := codeOrCountry(string(id.Country))
		c.ids = append(c.ids, cslID{typ: string(id.Type), number: string(id.Number), country: country})
	}
	return c
}

// lineCounter turns increasing byte offsets into line numbers without
// rescanning the data from the start each time.
type lineCounter struct {
	data []byte
	off  int64
	line int
}

func (l *lineCounter) at(offset int64) int {
	if l.line == 0 {
		l.line = 1
	}
	if offset > int64(len(l.data)) {
		offset = int64(len(l.data))
	}
	if offset < l.off {
		return lineAt(l.data, offset)
	}
	l.line += bytes.Count(l.data[l.off:offset], []byte{'\n'})
	l.off = offset
	return l.line
}

// jsonError turns a JSON decoding error into an EINVALID error at its line.
func jsonError(f File, data []byte, dec *json.Decoder, err error) error {
	var ae *annex.Error
	if errors.As(err, &ae) {
		return err
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return invalidAt(f.Name, lineAt(data, se.Offset), "malformed JSON: %v", se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return invalidAt(f.Name, lineAt(data, te.Offset), "%s: want %s, not a JSON %s", te.Field, te.Type, te.Value)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return invalidAt(f.Name, lineAt(data, int64(len(data))), "JSON ends early")
	}
	line := lineAt(data, dec.InputOffset())
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return invalidAt(f.Name, line, "malformed JSON: %s", msg)
}
