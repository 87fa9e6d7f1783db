package annex_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"annex"
)

func TestDecodeDeterminationInput(t *testing.T) {
	in, err := annex.DecodeDeterminationInput(strings.NewReader(`{
		"date": "2000-11-21", "transfer_date": "2000-06-01",
		"supplier": {"name": " Chinese entities ", "country": "cn"},
		"recipient": {"name": "Ministry of Defence", "country": "PK", "entity_id": 4},
		"others": [{"name": "Agent C", "country": "AE", "role": "agent"}],
		"category": "I", "substantially_contributed": true, "authorized_by_adherent": false,
		"items": [{"kind": "solid_rocket_motor", "params": {"total_impulse_ns": 1.2e6}}],
		"packs": ["us-missile", "us-inksna"]
	}`))
	if err != nil {
		t.Fatalf("DecodeDeterminationInput: %v", err)
	}
	want := &annex.DeterminationInput{
		Date: "2000-11-21", TransferDate: "2000-06-01",
		Supplier:                 annex.TransferParty{Name: "Chinese entities", Country: "CN"},
		Recipient:                annex.TransferParty{Name: "Ministry of Defence", Country: "PK", EntityID: 4},
		Others:                   []annex.TransferParty{{Name: "Agent C", Country: "AE", Role: annex.TransferAgent}},
		Category:                 annex.CategoryI,
		SubstantiallyContributed: true,
		Items:                    []annex.Item{{Kind: "solid_rocket_motor", Params: map[string]any{"total_impulse_ns": json.Number("1.2e6")}}},
		Packs:                    []string{"us-missile", "us-inksna"},
	}
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("input (-want +got):\n%s", diff)
	}

	// Null category with items is allowed: the items decide.
	if _, err := annex.DecodeDeterminationInput(strings.NewReader(`{"date": "2000-11-21", "supplier": {"name": "A", "country": "CN"}, "recipient": {"name": "B", "country": "PK"}, "category": null, "items": [{"kind": "x"}]}`)); err != nil {
		t.Errorf("null category with items: %v", err)
	}
}

func TestDecodeDeterminationInputErrors(t *testing.T) {
	const parties = `"supplier": {"name": "A", "country": "CN"}, "recipient": {"name": "B", "country": "PK"}`
	tests := []struct {
		name, in string
		fields   []string // every field the error must name
		message  string   // a substring of the message, when set
	}{
		{"malformed", `{"date": "2000-11-21",`, []string{""}, "malformed JSON at line 1"},
		{"empty", ``, []string{""}, "no input"},
		{"trailing data", `{} {}`, []string{""}, "unexpected data"},
		{"array", `[]`, []string{""}, "must be a determination object"},
		{"unknown field", `{"date": "2000-11-21", ` + parties + `, "category": "I", "colour": "red"}`, []string{"colour"}, "unknown field"},
		{"unknown party field", `{"date": "2000-11-21", "supplier": {"name": "A", "country": "CN", "age": 3}, "recipient": {"name": "B", "country": "PK"}, "category": "I"}`, []string{"supplier.age"}, ""},
		{"country a number", `{"date": "2000-11-21", "supplier": {"name": "A", "country": 86}, "recipient": {"name": "B", "country": "PK"}, "category": "I"}`, []string{"supplier.country"}, "must be a string"},
		{"category a number", `{"date": "2000-11-21", ` + parties + `, "category": 1}`, []string{"category"}, "must be a string"},
		{"category III", `{"date": "2000-11-21", ` + parties + `, "category": "III"}`, []string{"category"}, `not "III"`},
		{"item without kind", `{"date": "2000-11-21", ` + parties + `, "items": [{"name": "motor"}]}`, []string{"items[0].kind"}, "required"},
		{"item kind a number", `{"date": "2000-11-21", ` + parties + `, "items": [{"kind": "x"}, {"kind": 3}]}`, []string{"items[1].kind"}, ""},
		{"unknown item field", `{"date": "2000-11-21", ` + parties + `, "items": [{"kind": "x", "weight": 3}]}`, []string{"items[0].weight"}, ""},
		{"items an object", `{"date": "2000-11-21", ` + parties + `, "items": {"kind": "x"}}`, []string{"items"}, "must be an array"},
		{"flag a string", `{"date": "2000-11-21", ` + parties + `, "category": "I", "substantially_contributed": "yes"}`, []string{"substantially_contributed"}, "true or false"},
		{"packs a string", `{"date": "2000-11-21", ` + parties + `, "category": "I", "packs": "us-missile"}`, []string{"packs"}, ""},
		{"pack a number", `{"date": "2000-11-21", ` + parties + `, "category": "I", "packs": ["us-missile", 2]}`, []string{"packs[1]"}, ""},
		{"entity_id fractional", `{"date": "2000-11-21", "supplier": {"name": "A", "country": "CN", "entity_id": 1.5}, "recipient": {"name": "B", "country": "PK"}, "category": "I"}`, []string{"supplier.entity_id"}, ""},
		{"no supplier", `{"date": "2000-11-21", "recipient": {"name": "B", "country": "PK"}, "category": "I"}`, []string{"supplier"}, "required"},
		{"other not an object", `{"date": "2000-11-21", ` + parties + `, "category": "I", "others": ["C"]}`, []string{"others[0]"}, ""},
		{"several at once", `{"date": 2000, "supplier": {"name": "A", "country": "CN", "x": 1}, "recipient": {"name": "B", "country": "PK"}, "category": "I", "items": [{}]}`, []string{"date", "supplier.x", "items[0].kind"}, ""},
		// Validation, after decoding.
		{"bad date", `{"date": "2000-02-30", ` + parties + `, "category": "I"}`, []string{"date"}, "YYYY-MM-DD"},
		{"transfer after the date", `{"date": "2000-11-21", "transfer_date": "2000-12-01", ` + parties + `, "category": "I"}`, []string{"transfer_date"}, ""},
		{"no category, no items", `{"date": "2000-11-21", ` + parties + `}`, []string{"category"}, ""},
		{"bad role", `{"date": "2000-11-21", ` + parties + `, "category": "I", "others": [{"name": "C", "country": "AE", "role": "banker"}]}`, []string{"others[0].role"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := annex.DecodeDeterminationInput(strings.NewReader(tt.in))
			if annex.ErrorCode(err) != annex.EINVALID || in != nil {
				t.Fatalf("in=%v err=%v, want EINVALID", in, err)
			}
			var got []string
			for _, f := range annex.ErrorFields(err) {
				got = append(got, f.Field)
			}
			for _, f := range tt.fields {
				if !slices.Contains(got, f) {
					t.Errorf("fields %q, want %q among them (%v)", got, f, err)
				}
			}
			if tt.message != "" && !strings.Contains(annex.ErrorMessage(err), tt.message) {
				t.Errorf("message %q, want %q in it", annex.ErrorMessage(err), tt.message)
			}
		})
	}
}

// FuzzDecodeDeterminationInput: any input decodes to a valid determination
// input or an EINVALID error, never a panic or an internal error; a valid
// input survives a JSON round trip unchanged.
func FuzzDecodeDeterminationInput(f *testing.F) {
	f.Add(`{"date": "2000-11-21", "supplier": {"name": "A", "country": "CN"}, "recipient": {"name": "B", "country": "PK"}, "category": "I"}`)
	f.Add(`{"date": "2000-11-21", "supplier": {"name": "A", "country": "CN"}, "recipient": {"name": "B", "country": "IR"}, "items": [{"kind": "rocket_system", "params": {"range_km": 300, "payload_kg": 500}}], "substantially_contributed": true, "others": [{"name": "C", "country": "AE", "role": "agent"}], "packs": ["us-inksna"]}`)
	f.Fuzz(func(t *testing.T, in string) {
		got, err := annex.DecodeDeterminationInput(strings.NewReader(in))
		if err != nil {
			if annex.ErrorCode(err) != annex.EINVALID {
				t.Fatalf("ErrorCode=%q (%v) for %q", annex.ErrorCode(err), err, in)
			}
			return
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("decoded input does not validate: %v", err)
		}
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		again, err := annex.DecodeDeterminationInput(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if diff := cmp.Diff(got, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip changed the input (-first +again):\n%s", diff)
		}
	})
}
