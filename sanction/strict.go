package sanction

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// checkJSON checks data against the shape of the struct dst points to
// before it is decoded: malformed JSON, unknown fields and values of the
// wrong type are EINVALID errors naming the field's path, which
// encoding/json's own errors do not.
func checkJSON(data []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		msg := "malformed JSON: " + err.Error()
		if errors.Is(err, io.EOF) {
			msg = "malformed JSON: no input"
		}
		return annex.Invalid(annex.FieldError{Message: msg})
	}
	if _, err := dec.Token(); err != io.EOF {
		return annex.Invalid(annex.FieldError{Message: "malformed JSON: unexpected data after the first value"})
	}
	var errs []annex.FieldError
	checkValue(v, reflect.TypeOf(dst).Elem(), "", &errs)
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b annex.FieldError) int { return strings.Compare(a.Field, b.Field) })
		return annex.Invalid(errs...)
	}
	return nil
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// checkValue checks one decoded JSON value against a Go type.
func checkValue(v any, t reflect.Type, path string, errs *[]annex.FieldError) {
	fail := func(msg string) {
		*errs = append(*errs, annex.FieldError{Field: path, Message: msg})
	}
	if v == nil {
		return // null leaves the zero value
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		b, _ := json.Marshal(v)
		if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(b); err != nil {
			fail(err.Error())
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		checkValue(v, t.Elem(), path, errs)
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			fail("must be an object, got " + jsonType(v))
			return
		}
		fields := jsonFields(t)
		for k, x := range obj {
			f, ok := fields[k]
			if !ok {
				*errs = append(*errs, annex.FieldError{Field: joinPath(path, k), Message: "unknown field"})
				continue
			}
			checkValue(x, f, joinPath(path, k), errs)
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			fail("must be an array, got " + jsonType(v))
			return
		}
		for i, x := range arr {
			checkValue(x, t.Elem(), path+"["+strconv.Itoa(i)+"]", errs)
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			fail("must be an object, got " + jsonType(v))
			return
		}
		for k, x := range obj {
			checkValue(x, t.Elem(), joinPath(path, k), errs)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			fail("must be a string, got " + jsonType(v))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			fail("must be true or false, got " + jsonType(v))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			fail("must be a number, got " + jsonType(v))
		} else if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			fail("must be a whole number")
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			fail("must be a number, got " + jsonType(v))
		}
	}
}

// jsonFields maps the JSON names of a struct's exported fields to their
// types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}

func joinPath(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func jsonType(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "value"
}
