package annex_test

import (
	"testing"

	"annex"
)

func TestNewAlerts(t *testing.T) {
	p := &annex.Party{ID: 7, Name: "Defence Industries Organisation"}
	m := func(id, hash string, match bool) annex.ScreenMatch {
		return annex.ScreenMatch{Source: annex.SourceUN, SourceID: id, Name: "DIO", EntityHash: hash, Score: 0.95, Match: match}
	}
	tests := []struct {
		name    string
		matches []annex.ScreenMatch
		decided []*annex.Adjudication
		open    []*annex.Alert
		want    []string // source IDs alerted
	}{
		{"new hit", []annex.ScreenMatch{m("IRe.001", "h1", true)}, nil, nil, []string{"IRe.001"}},
		{"below the threshold", []annex.ScreenMatch{m("IRe.001", "h1", false)}, nil, nil, nil},
		{"dismissed for the same entry", []annex.ScreenMatch{m("IRe.001", "h1", true)},
			[]*annex.Adjudication{{PartyID: 7, Source: annex.SourceUN, SourceID: "IRe.001", EntityHash: "h1", Decision: annex.DecisionDismiss}}, nil, nil},
		{"dismissed, but the list changed the entry", []annex.ScreenMatch{m("IRe.001", "h2", true)},
			[]*annex.Adjudication{{PartyID: 7, Source: annex.SourceUN, SourceID: "IRe.001", EntityHash: "h1", Decision: annex.DecisionDismiss}}, nil, []string{"IRe.001"}},
		{"dismissed for another party", []annex.ScreenMatch{m("IRe.001", "h1", true)},
			[]*annex.Adjudication{{PartyID: 8, Source: annex.SourceUN, SourceID: "IRe.001", EntityHash: "h1", Decision: annex.DecisionDismiss}}, nil, []string{"IRe.001"}},
		{"already open", []annex.ScreenMatch{m("IRe.001", "h1", true)}, nil,
			[]*annex.Alert{{PartyID: 7, Source: annex.SourceUN, SourceID: "IRe.001", EntityHash: "h1", Status: annex.AlertOpen}}, nil},
		{"closed alert does not block", []annex.ScreenMatch{m("IRe.001", "h2", true)}, nil,
			[]*annex.Alert{{PartyID: 7, Source: annex.SourceUN, SourceID: "IRe.001", EntityHash: "h1", Status: annex.AlertDismissed}}, []string{"IRe.001"}},
		{"two entries, one duplicate", []annex.ScreenMatch{m("IRe.001", "h1", true), m("IRe.002", "h3", true), m("IRe.002", "h3", true)}, nil, nil, []string{"IRe.001", "IRe.002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, a := range annex.NewAlerts(p, tt.matches, tt.decided, tt.open) {
				if a.PartyID != 7 || a.Status != annex.AlertOpen || a.PartyName != p.Name {
					t.Errorf("alert=%+v", a)
				}
				got = append(got, a.SourceID)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("alerts=%v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("alerts=%v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestEntityHash(t *testing.T) {
	e := &annex.ListEntity{Source: annex.SourceUN, SourceID: "KPe.001", Names: []annex.EntityName{{Name: "KOREA MINING DEVELOPMENT TRADING CORPORATION", Kind: annex.NamePrimary}}}
	h1 := annex.EntityHash(e)
	e.Names = append(e.Names, annex.EntityName{Name: "KOMID", Kind: annex.NameAlias})
	if h2 := annex.EntityHash(e); h1 == h2 || len(h1) != 64 {
		t.Errorf("hash did not change with the entry: %s %s", h1, h2)
	}
}

func TestPartyValidate(t *testing.T) {
	p := &annex.Party{Name: " ", Type: "ship", Country: "pak", DOB: "1960/01/01"}
	var got []string
	for _, f := range annex.ErrorFields(p.Validate()) {
		got = append(got, f.Field)
	}
	if want := []string{"name", "type", "country", "dob"}; len(got) != 4 {
		t.Errorf("fields=%v, want %v", got, want)
	}
	ok := &annex.Party{Name: "Space and Upper Atmosphere Research Commission", Type: annex.EntityOrganization, Country: "PK"}
	if err := ok.Validate(); err != nil {
		t.Error(err)
	}
}
