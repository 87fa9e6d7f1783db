package policy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"annex"
)

// DefaultScreenLimit is how many results per party an assessment keeps.
const DefaultScreenLimit = 5

// Service implements annex.AssessService: it classifies every line with the
// control list, screens every party, reads the policy holds and the
// partners' denials, and applies Assess.
type Service struct {
	ControlList annex.ControlListService
	// Screener may be nil when no list is loaded; every party is then
	// reported as not screened.
	Screener annex.ScreenService
	// Holds returns the policy holds; nil means none.
	Holds func(ctx context.Context) ([]annex.Hold, error)
	// Denials returns the partners' denial notifications for the
	// no-undercut rule; nil means none.
	Denials      func(ctx context.Context) ([]annex.Denial, error)
	Destinations *Destinations
	Now          func() time.Time
}

var _ annex.AssessService = (*Service)(nil)

// Assess validates the application, classifies its lines, screens its
// parties and applies the policy. Errors in the items name their path in
// the application, as "items[1].params.total_impulse_ns".
func (s *Service) Assess(ctx context.Context, spec *annex.ApplicationSpec) (*annex.Assessment, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	items := make([]annex.Item, len(spec.Items))
	for i, l := range spec.Items {
		items[i] = l.Item
	}
	lines, err := s.ControlList.Classify(ctx, "", items)
	if err != nil {
		return nil, itemPaths(err, len(items))
	}
	in := Inputs{Lines: lines, Parties: make([]*annex.ScreenResult, len(spec.Parties)), Destinations: s.Destinations, Now: s.now()}
	for i, p := range spec.Parties {
		r, err := s.screen(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("screen party %d: %w", i, err)
		}
		in.Parties[i] = r
		if r != nil && r.Threshold > 0 {
			in.Threshold = r.Threshold
		}
	}
	if s.Holds != nil {
		if in.Holds, err = s.Holds(ctx); err != nil {
			return nil, fmt.Errorf("read policy holds: %w", err)
		}
	}
	if s.Denials != nil {
		if in.Denials, err = s.Denials(ctx); err != nil {
			return nil, fmt.Errorf("read partner denials: %w", err)
		}
	}
	return Assess(spec, in), nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// screen screens one party; it returns nil when no list is loaded.
func (s *Service) screen(ctx context.Context, p annex.ApplicationParty) (*annex.ScreenResult, error) {
	if s.Screener == nil {
		return nil, nil
	}
	r, err := s.Screener.Screen(ctx, annex.ScreenQuery{Name: p.Name, Country: p.Country}, 0, DefaultScreenLimit)
	if annex.ErrorCode(err) == annex.ECONFLICT {
		return nil, nil
	}
	return r, err
}

// itemPaths moves the classifier's field paths under "items": "[2].kind"
// becomes "items[2].kind", and, for a single item, "kind" becomes
// "items[0].kind".
func itemPaths(err error, n int) error {
	fields := annex.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	out := make([]annex.FieldError, len(fields))
	for i, f := range fields {
		switch {
		case strings.HasPrefix(f.Field, "["):
			f.Field = "items" + f.Field
		case n == 1:
			f.Field = "items[0]." + f.Field
		}
		out[i] = f
	}
	return annex.Invalid(out...)
}
