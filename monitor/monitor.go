// Package monitor keeps stored parties screened: when a list changes, it
// screens every party again and raises an alert for each new hit, unless an
// officer already decided that pair for the entry as it now stands.
package monitor

import (
	"context"
	"fmt"

	"annex"
)

// pageSize is how many parties are read at a time.
const pageSize = 500

// Monitor re-screens stored parties.
type Monitor struct {
	Parties  annex.PartyService
	Screener annex.ScreenService
	// Threshold is the screening threshold; zero means the default.
	Threshold float64
}

// Result counts what a re-screening did.
type Result struct {
	Parties int            `json:"parties"`
	Alerts  []*annex.Alert `json:"alerts"`
}

// Rescreen screens every stored party against the lists now loaded and
// stores an alert per new hit. The context's user scopes the parties: run
// it as the system (no user) to cover every organisation.
func (m *Monitor) Rescreen(ctx context.Context) (*Result, error) {
	res := &Result{Alerts: []*annex.Alert{}}
	open := annex.AlertOpen
	for offset := 0; ; offset += pageSize {
		parties, _, err := m.Parties.FindParties(ctx, annex.PartyFilter{Offset: offset, Limit: pageSize})
		if err != nil {
			return nil, fmt.Errorf("rescreen: find parties: %w", err)
		}
		for _, p := range parties {
			alerts, err := m.rescreenParty(ctx, p, &open)
			if err != nil {
				return nil, err
			}
			res.Alerts = append(res.Alerts, alerts...)
			res.Parties++
		}
		if len(parties) < pageSize {
			return res, nil
		}
	}
}

func (m *Monitor) rescreenParty(ctx context.Context, p *annex.Party, open *annex.AlertStatus) ([]*annex.Alert, error) {
	r, err := m.Screener.Screen(ctx, p.Query(), m.Threshold, 0)
	if err != nil {
		return nil, fmt.Errorf("rescreen party %d: %w", p.ID, err)
	}
	id := p.ID
	decided, _, err := m.Parties.FindAdjudications(ctx, annex.AdjudicationFilter{PartyID: &id})
	if err != nil {
		return nil, fmt.Errorf("rescreen party %d: adjudications: %w", p.ID, err)
	}
	standing, _, err := m.Parties.FindAlerts(ctx, annex.AlertFilter{PartyID: &id, Status: open})
	if err != nil {
		return nil, fmt.Errorf("rescreen party %d: alerts: %w", p.ID, err)
	}
	alerts := annex.NewAlerts(p, r.Matches, decided, standing)
	if len(alerts) == 0 {
		return nil, nil
	}
	if err := m.Parties.CreateAlerts(ctx, alerts); err != nil {
		return nil, fmt.Errorf("rescreen party %d: %w", p.ID, err)
	}
	return alerts, nil
}
