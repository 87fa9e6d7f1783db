package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"annex"
	"annex/screen"
)

// screener implements annex.ScreenService over an index of the loaded lists
// that is replaced whole when a list changes, so searches never see a list
// half loaded.
type screener struct {
	state atomic.Pointer[screenerState]
}

type screenerState struct {
	index     *screen.Index
	hashes    map[string]string // "source/source_id" → entity hash
	snapshots []*annex.ListSnapshot
}

var _ annex.ScreenService = (*screener)(nil)

// load replaces the index with one of the given lists.
func (s *screener) load(snapshots []*annex.ListSnapshot, lists [][]*annex.ListEntity) {
	var all []*annex.ListEntity
	hashes := make(map[string]string)
	for _, l := range lists {
		for _, e := range l {
			all = append(all, e)
			hashes[string(e.Source)+"/"+e.SourceID] = annex.EntityHash(e)
		}
	}
	s.state.Store(&screenerState{index: screen.NewIndex(all, screen.Options{}), hashes: hashes, snapshots: snapshots})
}

// Snapshots returns the lists the index holds.
func (s *screener) Snapshots() []*annex.ListSnapshot {
	if st := s.state.Load(); st != nil {
		return st.snapshots
	}
	return nil
}

// Screen searches the index. A threshold of zero means the calibrated
// default.
func (s *screener) Screen(ctx context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
	st := s.state.Load()
	if st == nil || st.index.Len() == 0 {
		return nil, annex.Errorf(annex.ECONFLICT, "no screening list is loaded: import one with annex lists import or annex lists update")
	}
	if q.Name == "" {
		return nil, annex.Invalid(annex.FieldError{Field: "name", Message: "required"})
	}
	if threshold < 0 || threshold > 1 {
		return nil, annex.Invalid(annex.FieldError{Field: "threshold", Message: fmt.Sprintf("must be between 0 and 1, got %g", threshold)})
	}
	r := st.index.Screen(q, threshold, limit)
	r.Threshold = threshold
	if threshold == 0 {
		r.Threshold = screen.DefaultThreshold
	}
	for i := range r.Matches {
		m := &r.Matches[i]
		m.EntityHash = st.hashes[string(m.Source)+"/"+m.SourceID]
	}
	if r.Matches == nil {
		r.Matches = []annex.ScreenMatch{}
	}
	return &r, nil
}
