package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"annex"
)

// demoDay is the day the demonstration runs as of: the day after the US
// statement of 21 November 2000, with the sanctions in force.
const demoDay = "2000-11-22"

//go:embed demo/november-2000.json
var demoScenario []byte

// scenario is a demonstration loaded into the register: entities,
// transfer reports, the determinations made of them on a day, waivers and
// holds. Entities and sources are named by key.
type scenario struct {
	Title   string `json:"title"`
	Day     string `json:"day"`
	Note    string `json:"note"`
	Sources []struct {
		Key string `json:"key"`
		annex.EvidenceSource
	} `json:"sources"`
	Entities []struct {
		Key string `json:"key"`
		annex.SanctionEntity
	} `json:"entities"`
	Transfers []struct {
		Reference string             `json:"reference"`
		Title     string             `json:"title"`
		Date      string             `json:"date"`
		Supplier  string             `json:"supplier"`
		Recipient string             `json:"recipient"`
		Category  annex.Category     `json:"category"`
		Items     []annex.ReportItem `json:"items"`
		Sources   []string           `json:"sources"`
		// Assessment is the analyst's.
		Assessment               string `json:"assessment"`
		SubstantiallyContributed bool   `json:"substantially_contributed"`
	} `json:"transfers"`
	DeterminationDay string `json:"determination_day"`
	Waivers          []struct {
		Entity string `json:"entity"`
		annex.Waiver
	} `json:"waivers"`
	Holds []annex.Hold `json:"holds"`
}

// loadDemo loads the November 2000 scenario into the register, as the
// system: each step is skipped when already done, so a second start (or a
// start after a failed one) completes the scenario without doubling it.
func loadDemo(ctx context.Context, svc annex.SanctionService, det annex.DeterminationService, cl annex.ControlListService) error {
	var sc scenario
	dec := json.NewDecoder(bytes.NewReader(demoScenario))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return fmt.Errorf("read scenario: %w", err)
	}
	sources := map[string]annex.EvidenceSource{}
	for _, s := range sc.Sources {
		sources[s.Key] = s.EvidenceSource
	}
	entities := map[string]*annex.SanctionEntity{}
	for i := range sc.Entities {
		e := sc.Entities[i].SanctionEntity
		found, err := findEntityByName(ctx, svc, e.Name)
		if err != nil {
			return err
		}
		if found == nil {
			if err := svc.CreateSanctionEntity(ctx, &e); err != nil {
				return fmt.Errorf("entity %s: %w", sc.Entities[i].Key, err)
			}
			found = &e
		}
		entities[sc.Entities[i].Key] = found
	}
	for _, t := range sc.Transfers {
		ts, _, err := svc.FindTransferReports(ctx, annex.TransferReportFilter{Query: t.Reference})
		if err != nil {
			return err
		}
		if hasReference(ts, t.Reference) {
			continue
		}
		sup, rec := entities[t.Supplier], entities[t.Recipient]
		if sup == nil || rec == nil {
			return fmt.Errorf("transfer %s: unknown entity %q or %q", t.Reference, t.Supplier, t.Recipient)
		}
		r := &annex.TransferReport{Reference: t.Reference, Title: t.Title, Date: t.Date, SupplierID: sup.ID, RecipientID: rec.ID,
			Category: t.Category, Items: t.Items, Assessment: t.Assessment, SubstantiallyContributed: t.SubstantiallyContributed}
		for _, k := range t.Sources {
			s, ok := sources[k]
			if !ok {
				return fmt.Errorf("transfer %s: unknown source %q", t.Reference, k)
			}
			r.Sources = append(r.Sources, s)
		}
		if err := r.Classify(ctx, cl); err != nil {
			return fmt.Errorf("transfer %s: %w", t.Reference, err)
		}
		if err := svc.CreateTransferReport(ctx, r); err != nil {
			return fmt.Errorf("transfer %s: %w", t.Reference, err)
		}
		r.Supplier, r.Recipient = sup, rec
		in := r.DeterminationInput(sc.DeterminationDay)
		res, err := det.Determine(ctx, in)
		if err != nil {
			return fmt.Errorf("determine %s: %w", t.Reference, err)
		}
		res.LinkEntities(in)
		d := &annex.Determination{ReportID: r.ID, Input: in, Result: *res, Note: "Determination of the demonstration scenario, after the US statement of 21 November 2000."}
		if err := svc.CreateDetermination(ctx, d); err != nil {
			return fmt.Errorf("determination of %s: %w", t.Reference, err)
		}
	}
	for _, w := range sc.Waivers {
		e := entities[w.Entity]
		if e == nil {
			return fmt.Errorf("waiver: unknown entity %q", w.Entity)
		}
		ms, _, err := svc.FindMeasures(ctx, annex.MeasureFilter{EntityID: e.ID})
		if err != nil {
			return err
		}
		var open []int64
		for _, m := range ms {
			if m.WaiverID == 0 {
				open = append(open, m.ID)
			}
		}
		if len(open) == 0 {
			continue
		}
		wv := w.Waiver
		wv.MeasureIDs = open
		if err := svc.CreateWaiver(ctx, &wv); err != nil {
			return fmt.Errorf("waiver of %s: %w", w.Entity, err)
		}
	}
	hs, err := svc.FindHolds(ctx)
	if err != nil {
		return err
	}
	for _, h := range sc.Holds {
		if hasHold(hs, h) {
			continue
		}
		if err := svc.CreateHold(ctx, &h); err != nil {
			return fmt.Errorf("hold on %s: %w", h.Country, err)
		}
	}
	return nil
}

func findEntityByName(ctx context.Context, svc annex.SanctionService, name string) (*annex.SanctionEntity, error) {
	es, _, err := svc.FindSanctionEntities(ctx, annex.SanctionEntityFilter{Query: name})
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if e.Name == name {
			return e, nil
		}
	}
	return nil, nil
}

func hasReference(ts []*annex.TransferReport, ref string) bool {
	for _, t := range ts {
		if t.Reference == ref {
			return true
		}
	}
	return false
}

func hasHold(hs []*annex.Hold, h annex.Hold) bool {
	for _, x := range hs {
		if x.Country == h.Country && x.Class == h.Class && x.From == h.From {
			return true
		}
	}
	return false
}
