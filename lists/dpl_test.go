package lists_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
	"annex/lists"
)

func TestParseDPLFixture(t *testing.T) {
	f := fixture(t, "dpl.txt")
	snap, ents := mustParse(t, f)
	if snap.Format != "bis-dpl-tsv" || snap.Source != annex.SourceBISDPL || snap.Published != "" || snap.SHA256 != sha256Hex(f.Data) {
		t.Errorf("snapshot=%+v", snap)
	}
	want := []*annex.ListEntity{{
		Source: annex.SourceBISDPL, SourceID: "2029-03-15/QUILLON AEROSPACE TRADING",
		Names:     []annex.EntityName{{Name: "QUILLON AEROSPACE TRADING", Kind: annex.NamePrimary}},
		Countries: []string{"US", "AE"},
		Addresses: []string{"14 HANGAR ROAD, SOMEWHERE, TX, 75001, US", "P.O. BOX 1234, DUBAI, AE"},
		ListedOn:  "2029-03-15",
		Remarks:   "Expires 2034-03-15; FR NOTICE ADDED; 94 F.R. 10001 3/20/2029",
	}, {
		// CO is the state (Colorado), not the country.
		Source: annex.SourceBISDPL, SourceID: "2030-07-01/MARLOW T. FENWICK",
		Names:     []annex.EntityName{{Name: "MARLOW T. FENWICK", Kind: annex.NamePrimary}},
		Addresses: []string{"INMATE NUMBER: 00000-000, FCI NOWHERE, NOWHERE, CO, 80000"},
		ListedOn:  "2030-07-01",
		Remarks:   "NEW",
	}, {
		Source: annex.SourceBISDPL, SourceID: "2031-11-30/JIANG FICTIONAL TECH",
		Names:     []annex.EntityName{{Name: "JIANG FICTIONAL TECH", Kind: annex.NamePrimary}},
		Countries: []string{"CN"},
		Addresses: []string{"88 EXAMPLE ROAD, SHENZHEN, GUANGDONG, 518000, PRC"},
		ListedOn:  "2031-11-30",
		Remarks:   "Expires 2041-11-30; F.R. NOTICE ADDED; 96 F.R. 20002 12/3/2031",
	}}
	if diff := cmp.Diff(want, ents); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
}

func TestParseDPLMalformed(t *testing.T) {
	f := fixture(t, "dpl.txt")
	tests := []struct {
		name  string
		file  lists.File
		field string
	}{
		{"bad effective date", replace(t, f, `"07/01/2030"`, `"07/32/2030"`), "dpl.txt:4"},
		{"day first", replace(t, f, `"11/30/2031"`, `"30/11/2031"`), "dpl.txt:5"},
		{"missing field", replace(t, f, "\t\"NEW\"", ""), "dpl.txt:4"},
		{"no name", replace(t, f, `"MARLOW T. FENWICK"`, `""`), "dpl.txt:4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := lists.Parse(tt.file)
			wantInvalid(t, err, tt.field)
		})
	}
	// A header Detect no longer knows is still checked when the format is given.
	_, _, err := lists.ParseFormat(lists.FormatBISDPLTSV, replace(t, f, `"Effective_Date"`, `"Effective"`))
	wantInvalid(t, err, "dpl.txt:1")
}

// TestParseDPLReal checks the DPL of 2024-12-28: 581 rows, which are 461
// denial orders once the rows of one name and effective date are merged,
// with 579 distinct addresses.
func TestParseDPLReal(t *testing.T) {
	snap, ents := mustParse(t, realFile(t, "bis-dpl-2024-12-28.txt"))
	if snap.Entities != 461 || snap.Names != 461 {
		t.Errorf("snapshot=%+v, want 461 entities and names", snap)
	}
	addresses, withCountry := 0, 0
	for _, e := range ents {
		addresses += len(e.Addresses)
		if len(e.Countries) > 0 {
			withCountry++
		}
	}
	if addresses != 579 || withCountry != 289 {
		t.Errorf("addresses=%d withCountry=%d, want 579, 289", addresses, withCountry)
	}
	e := entity(t, ents, "2002-03-04/ABDULAH AL NASSER")
	if len(e.Addresses) != 2 || e.ListedOn != "2002-03-04" || e.Countries[0] != "US" {
		t.Errorf("ABDULAH AL NASSER=%+v, want two addresses in the US", e)
	}
}
