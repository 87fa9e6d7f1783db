// Package lists reads the published sanctions and denied-party lists into
// Annex's common model (annex.ListEntity and annex.ListSnapshot).
//
// Each list is parsed from the files its publisher distributes, unchanged:
// the UN Security Council consolidated XML, OFAC's SDN files (sdn.csv with
// alt.csv, add.csv and sdn_comments.csv, or sdn.xml), the US Consolidated
// Screening List (CSV or the trade.gov JSON), the BIS Denied Persons List,
// the EU financial sanctions file (XML or CSV), the UK Sanctions List (CSV
// or XML, and OFSI's older ConList.csv) and OpenSanctions' FollowTheMoney
// entity export. Detect names a file's format from its content; Parse reads
// one list; ParseAll sorts a pile of files into lists. Downloader fetches
// the lists from their official addresses.
//
// Parsing is all or nothing. Bad input gives an annex.EINVALID error whose
// field names the file and the line ("sdn.csv:123"), and no entities.
// Unknown values in free-text fields (an OFAC remark the grammar does not
// know, a country name not in the table) are kept as text and never fail a
// parse, and neither do informative dates the model does not store (the
// DPL's Last_Update); malformed structure (a row with the wrong number of
// fields, an XML element cut short, a missing name or identifier, a date of
// birth or listing in a date field that is not a date) always does.
//
// The package does no I/O except in Downloader and keeps no state.
package lists

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"annex"
)

// Format names a list file format.
type Format string

// The formats Detect recognises.
const (
	FormatUNXML           Format = "un-xml"            // UN SC consolidated.xml
	FormatOFACSDNCSV      Format = "ofac-sdn-csv"      // OFAC sdn.csv
	FormatOFACAltCSV      Format = "ofac-alt-csv"      // OFAC alt.csv (aliases)
	FormatOFACAddCSV      Format = "ofac-add-csv"      // OFAC add.csv (addresses)
	FormatOFACCommentsCSV Format = "ofac-comments-csv" // OFAC sdn_comments.csv (remarks past 1,000 characters)
	FormatOFACSDNXML      Format = "ofac-sdn-xml"      // OFAC sdn.xml
	FormatCSLCSV          Format = "csl-csv"           // trade.gov consolidated.csv, with or without _id
	FormatCSLJSON         Format = "csl-json"          // trade.gov consolidated.json / API results
	FormatBISDPLTSV       Format = "bis-dpl-tsv"       // BIS dpl.txt
	FormatEUXML           Format = "eu-xml"            // EU xmlFullSanctionsList_1_1
	FormatEUCSV           Format = "eu-csv"            // EU csvFullSanctionsList_1_1
	FormatUKCSV           Format = "uk-csv"            // FCDO UK-Sanctions-List.csv or OFSI ConList.csv
	FormatUKXML           Format = "uk-xml"            // FCDO UK-Sanctions-List.xml
	FormatFTMJSON         Format = "ftm-json"          // OpenSanctions entities.ftm.json
)

// Formats lists every format, in the order of annex.ListSources.
var Formats = []Format{
	FormatUNXML, FormatOFACSDNCSV, FormatOFACAltCSV, FormatOFACAddCSV, FormatOFACCommentsCSV,
	FormatOFACSDNXML, FormatCSLCSV, FormatCSLJSON, FormatBISDPLTSV, FormatEUXML, FormatEUCSV,
	FormatUKCSV, FormatUKXML, FormatFTMJSON,
}

// Source returns the list a format belongs to, or "" for an unknown format.
func (f Format) Source() annex.ListSource {
	switch f {
	case FormatUNXML:
		return annex.SourceUN
	case FormatOFACSDNCSV, FormatOFACAltCSV, FormatOFACAddCSV, FormatOFACCommentsCSV, FormatOFACSDNXML:
		return annex.SourceOFACSDN
	case FormatCSLCSV, FormatCSLJSON:
		return annex.SourceUSCSL
	case FormatBISDPLTSV:
		return annex.SourceBISDPL
	case FormatEUXML, FormatEUCSV:
		return annex.SourceEU
	case FormatUKCSV, FormatUKXML:
		return annex.SourceUK
	case FormatFTMJSON:
		return annex.SourceOpenSanctions
	}
	return ""
}

// File is one list file: its name (used in errors and in the snapshot, and
// as a tie-breaker for detection) and its whole content.
type File struct {
	Name string
	Data []byte
}

// Result is one parsed list.
type Result struct {
	Snapshot *annex.ListSnapshot
	Entities []*annex.ListEntity
}

// Parse parses one list from one or more files of the same source: OFAC's
// sdn.csv with, optionally, its alt.csv, add.csv and sdn_comments.csv, in
// any order; any other list is exactly one file. It is all or nothing: an
// EINVALID error names the file and line, and nothing is returned.
//
// The snapshot's Files are in canonical order (sdn, alt, add, comments) and
// its SHA256 is the hash of the files' contents concatenated in that order,
// so the hash of a one-file list is the file's own sha256sum. LoadedAt is
// left zero for the caller to set.
func Parse(files ...File) (*annex.ListSnapshot, []*annex.ListEntity, error) {
	if len(files) == 0 {
		return nil, nil, annex.Errorf(annex.EINVALID, "No list file given.")
	}
	formats := make([]Format, len(files))
	for i, f := range files {
		format, err := Detect(f)
		if err != nil {
			return nil, nil, err
		}
		formats[i] = format
	}
	return parseDetected(files, formats)
}

// ParseFormat parses one file in a format given by the caller instead of
// detected, for a file Detect cannot tell apart. OFAC's CSV files are
// parsed with Parse.
func ParseFormat(format Format, f File) (*annex.ListSnapshot, []*annex.ListEntity, error) {
	if format.Source() == "" {
		return nil, nil, annex.Errorf(annex.EINVALID, "Unknown list format %q.", format)
	}
	return parseDetected([]File{f}, []Format{format})
}

// ParseAll detects the format of each file, groups the files by list (the
// OFAC CSV files together, every other file alone) and parses each group.
// The results are in the order of annex.ListSources. Two copies of one list
// (two UN files, or OFAC's sdn.csv and sdn.xml) are an error, as is any
// error of any list.
func ParseAll(files ...File) ([]Result, error) {
	formats := make([]Format, len(files))
	groups := make(map[annex.ListSource][]int)
	for i, f := range files {
		format, err := Detect(f)
		if err != nil {
			return nil, err
		}
		formats[i] = format
		src := format.Source()
		if prev, ok := groups[src]; ok && !(isOFACCSV(format) && isOFACCSV(formats[prev[0]])) {
			return nil, annex.Invalid(annex.FieldError{Field: f.Name,
				Message: fmt.Sprintf("a second %s list (the first is %s)", src, files[prev[0]].Name)})
		}
		groups[src] = append(groups[src], i)
	}
	var results []Result
	for _, src := range annex.ListSources {
		idx, ok := groups[src]
		if !ok {
			continue
		}
		group := make([]File, len(idx))
		groupFormats := make([]Format, len(idx))
		for i, j := range idx {
			group[i], groupFormats[i] = files[j], formats[j]
		}
		snap, ents, err := parseDetected(group, groupFormats)
		if err != nil {
			return nil, err
		}
		results = append(results, Result{Snapshot: snap, Entities: ents})
	}
	return results, nil
}

func isOFACCSV(f Format) bool {
	switch f {
	case FormatOFACSDNCSV, FormatOFACAltCSV, FormatOFACAddCSV, FormatOFACCommentsCSV:
		return true
	}
	return false
}

// listParser parses the main file of a one-file list. It returns the list's
// own date (YYYY-MM-DD, or "") and the entities.
type listParser func(f File) (published string, ents []*annex.ListEntity, err error)

var parsers = map[Format]listParser{
	FormatUNXML:      parseUN,
	FormatCSLCSV:     parseCSLCSV,
	FormatCSLJSON:    parseCSLJSON,
	FormatBISDPLTSV:  parseDPL,
	FormatOFACSDNXML: parseOFACXML,
	FormatEUXML:      parseEUXML,
	FormatEUCSV:      parseEUCSV,
	FormatUKCSV:      parseUKCSV,
	FormatUKXML:      parseUKXML,
	FormatFTMJSON:    parseFTM,
}

// parseDetected parses files whose formats are known.
func parseDetected(files []File, formats []Format) (*annex.ListSnapshot, []*annex.ListEntity, error) {
	src := formats[0].Source()
	for i, f := range formats {
		if f.Source() != src {
			return nil, nil, annex.Invalid(annex.FieldError{Field: files[i].Name,
				Message: fmt.Sprintf("is a %s file, not %s like %s", f.Source(), src, files[0].Name)})
		}
	}
	var (
		published string
		ents      []*annex.ListEntity
		err       error
		format    = formats[0]
	)
	if isOFACCSV(format) {
		var set ofacFiles
		if set, err = sortOFACFiles(files, formats); err != nil {
			return nil, nil, err
		}
		files = set.ordered()
		format = FormatOFACSDNCSV
		ents, err = parseOFACCSV(set)
	} else {
		if len(files) != 1 {
			return nil, nil, annex.Invalid(annex.FieldError{Field: files[1].Name,
				Message: fmt.Sprintf("a %s list is one file; %s is another", src, files[0].Name)})
		}
		parse, ok := parsers[format]
		if !ok {
			return nil, nil, invalidAt(files[0].Name, 0, "is %s, which Annex cannot parse yet", format)
		}
		published, ents, err = parse(files[0])
	}
	if err != nil {
		return nil, nil, err
	}
	uniqueIDs(ents)
	snap := &annex.ListSnapshot{
		Source:    src,
		Format:    string(format),
		Published: published,
		SHA256:    hashFiles(files),
		Entities:  len(ents),
	}
	for _, f := range files {
		snap.Files = append(snap.Files, f.Name)
	}
	for _, e := range ents {
		snap.Names += len(e.Names)
	}
	return snap, ents, nil
}

// hashFiles is the hex SHA-256 of the files' contents in order.
func hashFiles(files []File) string {
	h := sha256.New()
	for _, f := range files {
		h.Write(f.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// uniqueIDs makes the entities' SourceIDs unique within the list by
// suffixing "#2", "#3"... to the later copies of a repeated ID, so that
// source and source ID always name one entity. No real list tested repeats
// an ID; the rule exists so that one publisher's mistake cannot merge two
// entities downstream.
func uniqueIDs(ents []*annex.ListEntity) {
	seen := make(map[string]int, len(ents))
	for _, e := range ents {
		n := seen[e.SourceID] + 1
		seen[e.SourceID] = n
		if n > 1 {
			id := fmt.Sprintf("%s#%d", e.SourceID, n)
			for seen[id] > 0 {
				n++
				id = fmt.Sprintf("%s#%d", e.SourceID, n)
			}
			seen[id] = 1
			e.SourceID = id
		}
	}
}

// invalidAt returns the EINVALID error for a problem at a line of a file;
// line 0 means the whole file.
func invalidAt(file string, line int, format string, args ...any) *annex.Error {
	field := file
	if line > 0 {
		field = fmt.Sprintf("%s:%d", file, line)
	}
	return annex.Invalid(annex.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// checkEntity reports an entity the matcher could not use: one without an
// identifier or without a primary name (aliases alone do not make one).
func checkEntity(e *annex.ListEntity, file string, line int) error {
	if e.SourceID == "" {
		return invalidAt(file, line, "entry has no identifier")
	}
	if len(e.Names) == 0 || e.Names[0].Kind != annex.NamePrimary {
		return invalidAt(file, line, "entry %s has no name", e.SourceID)
	}
	return nil
}

// addName adds a name of the given kind unless the entity already has it
// (compared without regard to case); the first kind given wins, so a primary
// name repeated as an alias stays primary.
func addName(e *annex.ListEntity, name string, kind annex.NameKind) {
	name = clean(name)
	if name == "" {
		return
	}
	for _, n := range e.Names {
		if equalFold(n.Name, name) {
			return
		}
	}
	e.Names = append(e.Names, annex.EntityName{Name: name, Kind: kind})
}

// addCountry adds an ISO code once.
func addCountry(e *annex.ListEntity, code string) {
	if code != "" && !slices.Contains(e.Countries, code) {
		e.Countries = append(e.Countries, code)
	}
}

// addCountryName adds the code of a country named in text, if it has one.
func addCountryName(e *annex.ListEntity, name string) {
	if code, ok := countryCode(name); ok {
		addCountry(e, code)
	}
}

// addText appends a cleaned value to a list of strings once.
func addText(list []string, s string) []string {
	s = clean(s)
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// addID adds an identifier once; IMO numbers are reduced to their digits.
func addID(e *annex.ListEntity, typ, value, country string) {
	value = clean(value)
	if typ == annex.IDIMO {
		value = imoDigits(value)
	}
	if value == "" {
		return
	}
	id := annex.Identifier{Type: typ, Value: value, Country: country}
	if !slices.Contains(e.Identifiers, id) {
		e.Identifiers = append(e.Identifiers, id)
	}
}
