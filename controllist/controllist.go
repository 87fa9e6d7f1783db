// Package controllist holds the MTCR Equipment, Software and Technology Annex
// as versioned data, and classifies items against it.
//
// A list version is data: entries in the Annex's own numbering, each with
// machine-checkable criteria on an item's technical parameters (thresholds in
// SI units), the entry's notes and exceptions as explicit rules, and the
// sources and confidence of every fact. The built-in version is embedded
// from data/; administrators may import others as JSON in the same shape.
//
// The classifier is pure: it takes items and returns classifications, with
// no clock, no I/O and no globals. A version is compiled once, by
// NewClassifier, into an index by item kind, so that classifying an item
// evaluates only the entries that an item of its kind can fall under.
package controllist

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"annex"
)

//go:embed data
var dataFS embed.FS

// BuiltIn returns the list versions compiled into Annex, validated.
func BuiltIn() ([]*annex.ListVersion, error) {
	kinds, err := loadKinds(dataFS, "data/kinds")
	if err != nil {
		return nil, err
	}
	dirs, err := fs.ReadDir(dataFS, "data")
	if err != nil {
		return nil, fmt.Errorf("read built-in lists: %w", err)
	}
	var out []*annex.ListVersion
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "kinds" {
			continue
		}
		v, err := loadVersionDir(dataFS, path.Join("data", d.Name()))
		if err != nil {
			return nil, err
		}
		v.Kinds = kinds
		if err := Validate(v); err != nil {
			return nil, fmt.Errorf("built-in list %s: %w", d.Name(), err)
		}
		out = append(out, v)
	}
	return out, nil
}

// loadKinds reads every *.json file of dir, each {"kinds": [...]}, in name order.
func loadKinds(fsys fs.FS, dir string) ([]*annex.Kind, error) {
	files, err := fs.Glob(fsys, dir+"/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var kinds []*annex.Kind
	for _, f := range files {
		var doc struct {
			Kinds []*annex.Kind `json:"kinds"`
		}
		if err := decodeFile(fsys, f, &doc); err != nil {
			return nil, err
		}
		kinds = append(kinds, doc.Kinds...)
	}
	return kinds, nil
}

// loadVersionDir reads version.json and then every item*.json of dir, in
// name order, appending their entries.
func loadVersionDir(fsys fs.FS, dir string) (*annex.ListVersion, error) {
	var v annex.ListVersion
	if err := decodeFile(fsys, path.Join(dir, "version.json"), &v); err != nil {
		return nil, err
	}
	files, err := fs.Glob(fsys, dir+"/item*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		var doc struct {
			Entries []*annex.Entry `json:"entries"`
		}
		if err := decodeFile(fsys, f, &doc); err != nil {
			return nil, err
		}
		v.Entries = append(v.Entries, doc.Entries...)
	}
	return &v, nil
}

func decodeFile(fsys fs.FS, name string, dst any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if err := unmarshalStrict(b, dst); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Parse decodes a list version from JSON, as exported by the API or written
// by hand, and validates it. A version without kinds takes the built-in kinds.
func Parse(data []byte) (*annex.ListVersion, error) {
	var v annex.ListVersion
	if err := unmarshalStrict(data, &v); err != nil {
		return nil, annex.Invalid(annex.FieldError{Field: "", Message: "malformed list version: " + err.Error()})
	}
	if len(v.Kinds) == 0 {
		kinds, err := loadKinds(dataFS, "data/kinds")
		if err != nil {
			return nil, err
		}
		v.Kinds = kinds
	}
	for _, e := range v.Entries {
		e.Children = nil
	}
	if err := Validate(&v); err != nil {
		return nil, err
	}
	return &v, nil
}

func unmarshalStrict(b []byte, dst any) error {
	dec := json.NewDecoder(bytesReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(dst)
}
