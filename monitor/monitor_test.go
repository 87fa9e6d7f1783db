package monitor_test

import (
	"context"
	"testing"

	"annex"
	"annex/mock"
	"annex/monitor"
)

// TestRescreen checks that a re-screening raises one alert per new hit and
// none for a pair dismissed for the entry as it stands.
func TestRescreen(t *testing.T) {
	parties := []*annex.Party{{ID: 1, Name: "Defence Industries Organisation"}, {ID: 2, Name: "Acme Tools"}}
	var stored []*annex.Alert
	ps := &mock.PartyService{
		FindPartiesFn: func(ctx context.Context, f annex.PartyFilter) ([]*annex.Party, int, error) {
			if f.Offset > 0 {
				return nil, len(parties), nil
			}
			return parties, len(parties), nil
		},
		FindAdjudicationsFn: func(ctx context.Context, f annex.AdjudicationFilter) ([]*annex.Adjudication, int, error) {
			if *f.PartyID == 1 {
				return []*annex.Adjudication{{PartyID: 1, Source: annex.SourceUN, SourceID: "IRe.003", EntityHash: "old", Decision: annex.DecisionDismiss}}, 1, nil
			}
			return nil, 0, nil
		},
		FindAlertsFn: func(ctx context.Context, f annex.AlertFilter) ([]*annex.Alert, int, error) {
			if *f.Status != annex.AlertOpen {
				t.Errorf("Status=%v, want open alerts only", *f.Status)
			}
			return nil, 0, nil
		},
		CreateAlertsFn: func(ctx context.Context, alerts []*annex.Alert) error {
			stored = append(stored, alerts...)
			return nil
		},
	}
	ss := &mock.ScreenService{ScreenFn: func(ctx context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
		if q.Name != parties[0].Name {
			return &annex.ScreenResult{Query: q.Name, Matches: []annex.ScreenMatch{}}, nil
		}
		return &annex.ScreenResult{Query: q.Name, Matches: []annex.ScreenMatch{
			{Source: annex.SourceUN, SourceID: "IRe.003", Name: "DEFENCE INDUSTRIES ORGANISATION", EntityHash: "old", Score: 1, Match: true},
			{Source: annex.SourceOFACSDN, SourceID: "9647", Name: "DEFENSE INDUSTRIES ORGANIZATION", EntityHash: "h", Score: 0.97, Match: true},
			{Source: annex.SourceUSCSL, SourceID: "x", Name: "DEFENCE SYSTEMS", EntityHash: "h2", Score: 0.5, Match: false},
		}}, nil
	}}
	m := &monitor.Monitor{Parties: ps, Screener: ss}
	res, err := m.Rescreen(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Parties != 2 || len(res.Alerts) != 1 || len(stored) != 1 || stored[0].SourceID != "9647" || stored[0].PartyID != 1 {
		t.Errorf("result=%+v stored=%v, want one alert for party 1 on OFAC 9647", res, stored)
	}
}
