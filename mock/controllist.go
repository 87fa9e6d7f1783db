package mock

import (
	"context"

	"annex"
)

var _ annex.ControlListService = (*ControlListService)(nil)

// ControlListService is a mock of annex.ControlListService.
type ControlListService struct {
	// Each field stands in for the method of the same name without "Fn".
	FindVersionsFn  func(ctx context.Context) ([]*annex.ListVersionInfo, error)
	FindVersionFn   func(ctx context.Context, id string) (*annex.ListVersion, error)
	FindEntriesFn   func(ctx context.Context, filter annex.EntryFilter) ([]*annex.Entry, int, error)
	FindEntryByIDFn func(ctx context.Context, version, id string) (*annex.Entry, error)
	ClassifyFn      func(ctx context.Context, version string, items []annex.Item) ([]*annex.Classification, error)
}

// FindVersions calls FindVersionsFn.
func (s *ControlListService) FindVersions(ctx context.Context) ([]*annex.ListVersionInfo, error) {
	return s.FindVersionsFn(ctx)
}

// FindVersion calls FindVersionFn.
func (s *ControlListService) FindVersion(ctx context.Context, id string) (*annex.ListVersion, error) {
	return s.FindVersionFn(ctx, id)
}

// FindEntries calls FindEntriesFn.
func (s *ControlListService) FindEntries(ctx context.Context, filter annex.EntryFilter) ([]*annex.Entry, int, error) {
	return s.FindEntriesFn(ctx, filter)
}

// FindEntryByID calls FindEntryByIDFn.
func (s *ControlListService) FindEntryByID(ctx context.Context, version, id string) (*annex.Entry, error) {
	return s.FindEntryByIDFn(ctx, version, id)
}

// Classify calls ClassifyFn.
func (s *ControlListService) Classify(ctx context.Context, version string, items []annex.Item) ([]*annex.Classification, error) {
	return s.ClassifyFn(ctx, version, items)
}
