package controllist_test

import (
	"strings"
	"testing"

	"annex"
)

// FuzzClassify feeds arbitrary JSON through decoding and classification:
// every input is either classified or refused as EINVALID, never a panic or
// an internal error, and a classification is always consistent.
func FuzzClassify(f *testing.F) {
	c := mustClassifier(f)
	f.Add(`{"kind": "solid_rocket_motor", "params": {"total_impulse_ns": 1.2e6}}`)
	f.Add(`{"kind": "guidance_set", "params": {"cep_m": 0, "designed_for_range_km": 0}}`)
	f.Add(`[{"kind": "other", "components": [{"kind": "liquid_rocket_engine", "params": {"satellite_use": true}}]}]`)
	f.Add(`{"kind": "chemical", "params": {"cas_number": "302-01-2", "concentration_percent": 70}}`)
	f.Fuzz(func(t *testing.T, in string) {
		items, _, err := annex.DecodeItems(strings.NewReader(in))
		if err != nil {
			return
		}
		cls, err := c.Classify(items)
		if err != nil {
			if annex.ErrorCode(err) != annex.EINVALID {
				t.Fatalf("ErrorCode=%q for %q", annex.ErrorCode(err), in)
			}
			return
		}
		for _, cl := range cls {
			if cl.Controlled != (len(cl.Entries) > 0) || cl.Controlled != (cl.Category != "") {
				t.Fatalf("inconsistent classification %+v for %q", cl, in)
			}
		}
	})
}
