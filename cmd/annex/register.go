package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"annex"
	"annex/policy"
	"annex/sanction"
	"annex/sqlstore"
)

// clock is the day the sanctions register, the screening against it and
// the assessment of applications run as of: the real time, or a fixed day
// for demonstrations and training (-clock, -demo).
type clock struct {
	fixed atomic.Pointer[time.Time]
}

// Now returns the fixed day at the real time of day, or the real time.
func (c *clock) Now() time.Time {
	now := time.Now().UTC()
	if f := c.fixed.Load(); f != nil {
		return time.Date(f.Year(), f.Month(), f.Day(), now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), time.UTC)
	}
	return now
}

// Set fixes the clock on a day (YYYY-MM-DD); "" returns it to the real
// time.
func (c *clock) Set(day string) error {
	if day == "" {
		c.fixed.Store(nil)
		return nil
	}
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return annex.Errorf(annex.EINVALID, "clock: %q is not a date written YYYY-MM-DD", day)
	}
	c.fixed.Store(&t)
	return nil
}

// Day returns the clock's day, YYYY-MM-DD.
func (c *clock) Day() string { return c.Now().Format(time.DateOnly) }

// newEngine returns the determination engine: the built-in rule packs and
// those of packDir (when given),
// the control list given for items, and the MTCR partners and adherents of
// the built-in destination data for the adherent exemption.
func newEngine(cl annex.ControlListService, packDir string) (*sanction.Engine, error) {
	packs, err := loadPacks(packDir)
	if err != nil {
		return nil, err
	}
	dest, err := policy.BuiltInDestinations()
	if err != nil {
		return nil, err
	}
	return &sanction.Engine{
		Packs:   packs,
		Default: []string{sanction.DefaultPack},
		Adherent: func(iso2, day string) bool {
			st := dest.Status(iso2, day, nil)
			return st.Partner || st.Adherent
		},
		Classify: func(items []annex.Item) ([]*annex.Classification, error) {
			return cl.Classify(context.Background(), "", items)
		},
	}, nil
}

// newDeterminer returns the engine as the server's DeterminationService.
func newDeterminer(cl annex.ControlListService, packDir string) (*determiner, error) {
	e, err := newEngine(cl, packDir)
	if err != nil {
		return nil, err
	}
	return &determiner{engine: e}, nil
}

// determiner serves the pure engine as an annex.DeterminationService.
type determiner struct {
	engine *sanction.Engine
}

var _ annex.DeterminationService = (*determiner)(nil)

func (d *determiner) Determine(_ context.Context, in annex.DeterminationInput) (*annex.DeterminationResult, error) {
	return d.engine.Determine(in)
}

// newSanctionService returns the register's store with the waiver check of
// the rule packs.
func newSanctionService(db *sqlstore.DB, d *determiner) *sqlstore.SanctionService {
	s := sqlstore.NewSanctionService(db)
	s.CheckWaiver = func(w *annex.Waiver, ms []*annex.Measure) error {
		return sanction.CheckWaiver(d.engine.Packs, w, ms)
	}
	return s
}

// registerNotifier is the register's service as the server uses it: every
// change that succeeds reloads the screening index at once, so the next
// screening and assessment see it, and has the open cases assessed again.
type registerNotifier struct {
	annex.SanctionService
	changed func(ctx context.Context) error
}

func (n *registerNotifier) after(ctx context.Context, err error) error {
	if err != nil {
		return err
	}
	if err := n.changed(ctx); err != nil {
		return fmt.Errorf("reload the register into screening: %w", err)
	}
	return nil
}

func (n *registerNotifier) CreateSanctionEntity(ctx context.Context, e *annex.SanctionEntity) error {
	return n.after(ctx, n.SanctionService.CreateSanctionEntity(ctx, e))
}

func (n *registerNotifier) CreateDetermination(ctx context.Context, d *annex.Determination) error {
	return n.after(ctx, n.SanctionService.CreateDetermination(ctx, d))
}

func (n *registerNotifier) CreateWaiver(ctx context.Context, w *annex.Waiver) error {
	return n.after(ctx, n.SanctionService.CreateWaiver(ctx, w))
}

func (n *registerNotifier) CreateHold(ctx context.Context, h *annex.Hold) error {
	return n.after(ctx, n.SanctionService.CreateHold(ctx, h))
}

func (n *registerNotifier) EndHold(ctx context.Context, id int64, until string) (*annex.Hold, error) {
	h, err := n.SanctionService.EndHold(ctx, id, until)
	return h, n.after(ctx, err)
}

// registerList returns the register as a screening list on a day: the
// entities with a measure in force.
func registerList(ctx context.Context, s annex.SanctionService, day string) ([]*annex.ListEntity, error) {
	ctx = asSystem(ctx)
	es, _, err := s.FindSanctionEntities(ctx, annex.SanctionEntityFilter{})
	if err != nil {
		return nil, fmt.Errorf("read register entities: %w", err)
	}
	ms, _, err := s.FindMeasures(ctx, annex.MeasureFilter{})
	if err != nil {
		return nil, fmt.Errorf("read register measures: %w", err)
	}
	return sanction.RegisterEntities(es, ms, day), nil
}

// holds returns the policy holds of the register for the assessment.
func holdsOf(s annex.SanctionService) func(ctx context.Context) ([]annex.Hold, error) {
	return func(ctx context.Context) ([]annex.Hold, error) {
		hs, err := s.FindHolds(asSystem(ctx))
		if err != nil {
			return nil, err
		}
		out := make([]annex.Hold, len(hs))
		for i, h := range hs {
			out[i] = *h
		}
		return out, nil
	}
}

// asSystem returns ctx without its user: the register is read for
// screening and assessment on behalf of whoever asks, exporters included,
// who may not read it themselves.
func asSystem(ctx context.Context) context.Context { return annex.NewContextWithUser(ctx, nil) }

// loadPacks returns the built-in rule packs and, when dir is given, the
// packs of its *.json files: another country's law, or a newer version of
// one, is a file an operator adds, with no code. A bad file is an error
// naming the file and each bad field; a pack ID given twice is refused.
func loadPacks(dir string) ([]*sanction.Pack, error) {
	packs, err := sanction.LoadPacks()
	if err != nil {
		return nil, fmt.Errorf("load the built-in rule packs: %w", err)
	}
	if dir == "" {
		return packs, nil
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, annex.Errorf(annex.EINVALID, "rule packs: no *.json file in %s", dir)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, annex.Errorf(annex.EINVALID, "rule pack %s: %v", name, err)
		}
		p, err := sanction.ParsePack(bytes.NewReader(b))
		if err != nil {
			if fields := annex.ErrorFields(err); len(fields) > 0 {
				msgs := make([]string, len(fields))
				for i, f := range fields {
					msgs[i] = f.String()
				}
				return nil, annex.Errorf(annex.EINVALID, "rule pack %s: %s", name, strings.Join(msgs, "; "))
			}
			return nil, annex.Errorf(annex.EINVALID, "rule pack %s: %s", name, annex.ErrorMessage(err))
		}
		for _, q := range packs {
			if q.ID == p.ID {
				return nil, annex.Errorf(annex.EINVALID, "rule pack %s: the pack %q is already defined", name, p.ID)
			}
		}
		packs = append(packs, p)
	}
	return packs, nil
}
