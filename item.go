package annex

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Item is a product to classify: a kind the control list knows, and the
// technical parameters that decide it. Scripts depend on these JSON names.
type Item struct {
	Name        string `json:"name,omitempty"`
	Kind        string `json:"kind"`
	Description string `json:"description,omitempty"`
	// Params maps parameter names to values: numbers (float64, int or
	// json.Number), booleans or strings, as the kind declares them.
	Params map[string]any `json:"params,omitempty"`
	// Components are items incorporated in this one. A system holding a
	// Category I item is Category I unless that item cannot be separated,
	// removed or duplicated.
	Components []Item `json:"components,omitempty"`
	// Inseparable, on a component, says that it cannot be separated, removed
	// or duplicated.
	Inseparable bool `json:"inseparable,omitempty"`
	// Missile, on a rocket_system, describes it by its stages instead of a
	// range: the classifier computes its range/payload capability.
	Missile *Missile `json:"missile,omitempty"`
}

// MaxItems is the largest number of items one request may classify.
const MaxItems = 10000

// DecodeItems reads one item (a JSON object) or several (a JSON array of
// objects) from r. It reports whether the input was a single object. Errors
// are EINVALID and name the path of the offending field, as "kind" for a
// single item or "[2].params" within an array. Parameters are checked against
// the kinds of the control list later, by the classifier.
func DecodeItems(r io.Reader) (items []Item, single bool, err error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, false, fmt.Errorf("read items: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false, malformed(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false, Invalid(FieldError{"", "malformed JSON: unexpected data after the first value"})
	}
	switch v := v.(type) {
	case map[string]any:
		it, err := decodeItem(v, "")
		if err != nil {
			return nil, true, err
		}
		return []Item{it}, true, nil
	case []any:
		if len(v) > MaxItems {
			return nil, false, Invalid(FieldError{"", fmt.Sprintf("too many items: %d, at most %d", len(v), MaxItems)})
		}
		var errs []FieldError
		items = make([]Item, 0, len(v))
		for i, x := range v {
			path := "[" + strconv.Itoa(i) + "]"
			obj, ok := x.(map[string]any)
			if !ok {
				errs = append(errs, FieldError{path, "must be an object, got " + jsonType(x)})
				continue
			}
			it, err := decodeItem(obj, path)
			if err != nil {
				errs = append(errs, ErrorFields(err)...)
				continue
			}
			items = append(items, it)
		}
		if len(errs) > 0 {
			return nil, false, Invalid(errs...)
		}
		return items, false, nil
	}
	return nil, false, Invalid(FieldError{"", "must be an item object or an array of items, got " + jsonType(v)})
}

// malformed turns a JSON syntax error into an EINVALID error that gives the
// line and column.
func malformed(data []byte, err error) error {
	var se *json.SyntaxError
	off := int64(-1)
	if errors.As(err, &se) {
		off = max(se.Offset-1, 0) // Offset counts the offending byte
	} else if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		off = int64(len(data))
	}
	if off < 0 {
		return Invalid(FieldError{"", "malformed JSON: " + err.Error()})
	}
	line, col := 1, 1
	for _, c := range data[:min(int(off), len(data))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	msg := err.Error()
	if len(data) == 0 || errors.Is(err, io.EOF) {
		msg = "no input"
	}
	return Invalid(FieldError{"", fmt.Sprintf("malformed JSON at line %d, column %d: %s", line, col, msg)})
}

func join(path, field string) string {
	if field == "" {
		field = `""`
	}
	if path == "" {
		return field
	}
	if field[0] == '[' {
		return path + field
	}
	return path + "." + field
}

func decodeItem(m map[string]any, path string, extra ...string) (Item, error) {
	var it Item
	var errs []FieldError
	str := func(key string, dst *string) {
		if x, ok := m[key]; ok {
			if s, ok := x.(string); ok {
				*dst = s
			} else {
				errs = append(errs, FieldError{join(path, key), "must be a string, got " + jsonType(x)})
			}
		}
	}
	for key := range m {
		switch key {
		case "name", "kind", "description", "params", "components", "inseparable", "missile":
		default:
			if !slices.Contains(extra, key) {
				errs = append(errs, FieldError{join(path, key), "unknown field"})
			}
		}
	}
	str("name", &it.Name)
	str("description", &it.Description)
	if _, ok := m["kind"]; !ok {
		errs = append(errs, FieldError{join(path, "kind"), "required"})
	} else {
		str("kind", &it.Kind)
	}
	if x, ok := m["params"]; ok && x != nil {
		if p, ok := x.(map[string]any); ok {
			it.Params = p
			for k, v := range p {
				switch v.(type) {
				case json.Number, bool, string:
				default:
					errs = append(errs, FieldError{join(path, "params."+k), "must be a number, boolean or string, got " + jsonType(v)})
				}
			}
		} else {
			errs = append(errs, FieldError{join(path, "params"), "must be an object, got " + jsonType(x)})
		}
	}
	if x, ok := m["inseparable"]; ok {
		if b, ok := x.(bool); ok {
			it.Inseparable = b
		} else {
			errs = append(errs, FieldError{join(path, "inseparable"), "must be a boolean, got " + jsonType(x)})
		}
	}
	if x, ok := m["missile"]; ok && x != nil {
		mp := join(path, "missile")
		if obj, ok := x.(map[string]any); !ok {
			errs = append(errs, FieldError{mp, "must be a missile object, got " + jsonType(x)})
		} else if ms, merrs := decodeMissile(obj, mp); len(merrs) > 0 {
			errs = append(errs, merrs...)
		} else if verrs := ms.validate(mp); len(verrs) > 0 {
			errs = append(errs, verrs...)
		} else {
			it.Missile = ms
		}
	}
	if x, ok := m["components"]; ok && x != nil {
		arr, ok := x.([]any)
		if !ok {
			errs = append(errs, FieldError{join(path, "components"), "must be an array, got " + jsonType(x)})
		}
		for i, c := range arr {
			cpath := join(path, "components["+strconv.Itoa(i)+"]")
			obj, ok := c.(map[string]any)
			if !ok {
				errs = append(errs, FieldError{cpath, "must be an object, got " + jsonType(c)})
				continue
			}
			ci, err := decodeItem(obj, cpath)
			if err != nil {
				errs = append(errs, ErrorFields(err)...)
				continue
			}
			it.Components = append(it.Components, ci)
		}
	}
	if len(errs) > 0 {
		sortFieldErrors(errs)
		return it, Invalid(errs...)
	}
	return it, nil
}

func jsonType(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float64, int, int64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", x)
}
