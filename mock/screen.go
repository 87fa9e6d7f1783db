package mock

import (
	"context"

	"annex"
)

var (
	_ annex.ScreenService = (*ScreenService)(nil)
	_ annex.PartyService  = (*PartyService)(nil)
	_ annex.ListStore     = (*ListStore)(nil)
)

// ScreenService is a mock of annex.ScreenService.
type ScreenService struct {
	// ScreenFn stands in for Screen.
	ScreenFn func(ctx context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error)
}

// Screen calls ScreenFn.
func (s *ScreenService) Screen(ctx context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
	return s.ScreenFn(ctx, q, threshold, limit)
}

// PartyService is a mock of annex.PartyService.
type PartyService struct {
	// Each field stands in for the method of the same name without "Fn".
	CreatePartyFn       func(ctx context.Context, p *annex.Party) error
	FindPartyByIDFn     func(ctx context.Context, id int64) (*annex.Party, error)
	FindPartiesFn       func(ctx context.Context, f annex.PartyFilter) ([]*annex.Party, int, error)
	AdjudicateFn        func(ctx context.Context, a *annex.Adjudication) error
	FindAdjudicationsFn func(ctx context.Context, f annex.AdjudicationFilter) ([]*annex.Adjudication, int, error)
	CreateAlertsFn      func(ctx context.Context, alerts []*annex.Alert) error
	FindAlertsFn        func(ctx context.Context, f annex.AlertFilter) ([]*annex.Alert, int, error)
}

// CreateParty calls CreatePartyFn.
func (s *PartyService) CreateParty(ctx context.Context, p *annex.Party) error {
	return s.CreatePartyFn(ctx, p)
}

// FindPartyByID calls FindPartyByIDFn.
func (s *PartyService) FindPartyByID(ctx context.Context, id int64) (*annex.Party, error) {
	return s.FindPartyByIDFn(ctx, id)
}

// FindParties calls FindPartiesFn.
func (s *PartyService) FindParties(ctx context.Context, f annex.PartyFilter) ([]*annex.Party, int, error) {
	return s.FindPartiesFn(ctx, f)
}

// Adjudicate calls AdjudicateFn.
func (s *PartyService) Adjudicate(ctx context.Context, a *annex.Adjudication) error {
	return s.AdjudicateFn(ctx, a)
}

// FindAdjudications calls FindAdjudicationsFn.
func (s *PartyService) FindAdjudications(ctx context.Context, f annex.AdjudicationFilter) ([]*annex.Adjudication, int, error) {
	return s.FindAdjudicationsFn(ctx, f)
}

// CreateAlerts calls CreateAlertsFn.
func (s *PartyService) CreateAlerts(ctx context.Context, alerts []*annex.Alert) error {
	return s.CreateAlertsFn(ctx, alerts)
}

// FindAlerts calls FindAlertsFn.
func (s *PartyService) FindAlerts(ctx context.Context, f annex.AlertFilter) ([]*annex.Alert, int, error) {
	return s.FindAlertsFn(ctx, f)
}

// ListStore is a mock of annex.ListStore.
type ListStore struct {
	// Each field stands in for the method of the same name without "Fn".
	CreateSnapshotFn func(ctx context.Context, s *annex.ListSnapshot, entities []*annex.ListEntity) error
	FindSnapshotsFn  func(ctx context.Context, f annex.ListSnapshotFilter) ([]*annex.ListSnapshot, int, error)
	ActiveListsFn    func(ctx context.Context) ([]*annex.ListSnapshot, [][]*annex.ListEntity, error)
	ActiveSnapshotFn func(ctx context.Context, source annex.ListSource) (*annex.ListSnapshot, error)
}

// ActiveSnapshot calls ActiveSnapshotFn.
func (s *ListStore) ActiveSnapshot(ctx context.Context, source annex.ListSource) (*annex.ListSnapshot, error) {
	return s.ActiveSnapshotFn(ctx, source)
}

// CreateSnapshot calls CreateSnapshotFn.
func (s *ListStore) CreateSnapshot(ctx context.Context, snap *annex.ListSnapshot, entities []*annex.ListEntity) error {
	return s.CreateSnapshotFn(ctx, snap, entities)
}

// FindSnapshots calls FindSnapshotsFn.
func (s *ListStore) FindSnapshots(ctx context.Context, f annex.ListSnapshotFilter) ([]*annex.ListSnapshot, int, error) {
	return s.FindSnapshotsFn(ctx, f)
}

// ActiveLists calls ActiveListsFn.
func (s *ListStore) ActiveLists(ctx context.Context) ([]*annex.ListSnapshot, [][]*annex.ListEntity, error) {
	return s.ActiveListsFn(ctx)
}
