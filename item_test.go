package annex_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

func TestDecodeItems(t *testing.T) {
	t.Run("one item", func(t *testing.T) {
		items, single, err := annex.DecodeItems(strings.NewReader(`{"name": "SRM-7 motor", "kind": "solid_rocket_motor", "params": {"total_impulse_ns": 1.2e6}}`))
		if err != nil || !single || len(items) != 1 {
			t.Fatalf("items=%v single=%v err=%v", items, single, err)
		}
		want := annex.Item{Name: "SRM-7 motor", Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": json.Number("1.2e6")}}
		if diff := cmp.Diff(want, items[0]); diff != "" {
			t.Errorf("item (-want +got):\n%s", diff)
		}
	})
	t.Run("array with components", func(t *testing.T) {
		items, single, err := annex.DecodeItems(strings.NewReader(`[{"kind": "other"}, {"kind": "rocket_system", "components": [{"kind": "guidance_set", "inseparable": true}]}]`))
		if err != nil || single || len(items) != 2 || !items[1].Components[0].Inseparable {
			t.Fatalf("items=%+v single=%v err=%v", items, single, err)
		}
	})
	tests := []struct {
		name string
		in   string
		want []annex.FieldError
	}{
		{"malformed", "{\"kind\": \"other\",\n \"params\": {,}}", []annex.FieldError{{Field: "", Message: "malformed JSON at line 2, column 13: invalid character ',' looking for beginning of object key string"}}},
		{"truncated", `{"kind": "other"`, []annex.FieldError{{Field: "", Message: "malformed JSON at line 1, column 17: unexpected EOF"}}},
		{"empty", ``, []annex.FieldError{{Field: "", Message: "malformed JSON at line 1, column 1: no input"}}},
		{"trailing data", `{"kind": "other"} {}`, []annex.FieldError{{Field: "", Message: "malformed JSON: unexpected data after the first value"}}},
		{"not an object", `42`, []annex.FieldError{{Field: "", Message: "must be an item object or an array of items, got number"}}},
		{"missing kind", `{"name": "x"}`, []annex.FieldError{{Field: "kind", Message: "required"}}},
		{"kind not a string", `{"kind": 3}`, []annex.FieldError{{Field: "kind", Message: "must be a string, got number"}}},
		{"unknown field", `{"kind": "other", "mass": 3}`, []annex.FieldError{{Field: "mass", Message: "unknown field"}}},
		{"params not an object", `{"kind": "other", "params": [1]}`, []annex.FieldError{{Field: "params", Message: "must be an object, got array"}}},
		{"param value an object", `{"kind": "other", "params": {"a": {}}}`, []annex.FieldError{{Field: "params.a", Message: "must be a number, boolean or string, got object"}}},
		{"array element", `[{"kind": "other"}, 7, {"kind": "x", "params": {"p": null}}]`, []annex.FieldError{
			{Field: "[1]", Message: "must be an object, got number"},
			{Field: "[2].params.p", Message: "must be a number, boolean or string, got null"},
		}},
		{"component path", `{"kind": "rocket_system", "components": [{"kind": "gyroscope", "inseparable": "no"}]}`, []annex.FieldError{{Field: "components[0].inseparable", Message: "must be a boolean, got string"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := annex.DecodeItems(strings.NewReader(tt.in))
			if code := annex.ErrorCode(err); code != annex.EINVALID {
				t.Fatalf("ErrorCode=%q, want %q (%v)", code, annex.EINVALID, err)
			}
			if diff := cmp.Diff(tt.want, annex.ErrorFields(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzDecodeItems(f *testing.F) {
	f.Add(`{"kind": "solid_rocket_motor", "params": {"total_impulse_ns": 1.2e6}}`)
	f.Add(`[{"kind": "other", "components": [{"kind": "x"}]}]`)
	f.Fuzz(func(t *testing.T, in string) {
		items, _, err := annex.DecodeItems(strings.NewReader(in))
		if err != nil && annex.ErrorCode(err) != annex.EINVALID {
			t.Fatalf("ErrorCode=%q for %q", annex.ErrorCode(err), in)
		}
		if err == nil && len(items) == 0 && !strings.Contains(in, "[") {
			t.Fatalf("no items and no error for %q", in)
		}
	})
}

func TestErrors(t *testing.T) {
	if got := annex.ErrorMessage(errString("db exploded")); got != "Internal error." {
		t.Errorf("ErrorMessage=%q, want Internal error.", got)
	}
	if got := annex.ErrorCode(nil); got != "" {
		t.Errorf("ErrorCode(nil)=%q", got)
	}
	err := annex.Invalid(annex.FieldError{Field: "kind", Message: "required"}, annex.FieldError{Field: "params.x", Message: "unknown"})
	if got, want := annex.ErrorMessage(err), "kind: required; params.x: unknown"; got != want {
		t.Errorf("ErrorMessage=%q, want %q", got, want)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
