package sanction

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// RegisterSourceList is the SourceList of the register's screening entries.
const RegisterSourceList = "Annex sanctions register"

// RegisterEntities returns the register as a screening list: one entry for
// each entity with at least one measure active on day (YYYY-MM-DD), so that
// expired, waived and pending measures drop out. Measures are matched to
// entities by EntityID. Entries come in the order of entity IDs; an entry's
// Programs are its distinct active measure kinds, sorted, ListedOn its
// earliest active start, and Remarks one clause per active measure, in
// order of start.
func RegisterEntities(entities []*annex.SanctionEntity, measures []*annex.Measure, day string) []*annex.ListEntity {
	active := map[int64][]*annex.Measure{}
	for _, m := range measures {
		if m.EntityID != 0 && m.Status(day) == annex.MeasureActive {
			active[m.EntityID] = append(active[m.EntityID], m)
		}
	}
	sorted := slices.Clone(entities)
	slices.SortStableFunc(sorted, func(a, b *annex.SanctionEntity) int { return cmp.Compare(a.ID, b.ID) })
	var out []*annex.ListEntity
	for _, e := range sorted {
		ms := active[e.ID]
		if len(ms) == 0 {
			continue
		}
		slices.SortStableFunc(ms, func(a, b *annex.Measure) int {
			return cmp.Or(strings.Compare(a.Start, b.Start), strings.Compare(string(a.Measure), string(b.Measure)), cmp.Compare(a.ID, b.ID))
		})
		out = append(out, listEntity(e, ms))
	}
	return out
}

// listEntity returns the screening entry of an entity with its active
// measures, sorted by start.
func listEntity(e *annex.SanctionEntity, ms []*annex.Measure) *annex.ListEntity {
	le := &annex.ListEntity{
		Source:     annex.SourceRegister,
		SourceID:   "entity-" + strconv.FormatInt(e.ID, 10),
		Type:       e.Type,
		Names:      []annex.EntityName{{Name: e.Name, Kind: annex.NamePrimary}},
		SourceList: RegisterSourceList,
		ListedOn:   ms[0].Start,
	}
	for _, a := range e.Aliases {
		le.Names = append(le.Names, annex.EntityName{Name: a, Kind: annex.NameAlias})
	}
	if e.Country != "" {
		le.Countries = []string{e.Country}
	}
	var remarks []string
	for _, m := range ms {
		if !slices.Contains(le.Programs, string(m.Measure)) {
			le.Programs = append(le.Programs, string(m.Measure))
		}
		r := string(m.Measure) + " (" + m.LegalBasis + ") from " + m.Start
		switch {
		case m.End != "" && m.Minimum:
			r += " until at least " + m.End
		case m.End != "":
			r += " until " + m.End
		}
		remarks = append(remarks, r)
	}
	slices.Sort(le.Programs)
	if e.SubUnits {
		remarks = append(remarks, "the measures extend to its sub-units and successors")
	}
	le.Remarks = strings.Join(remarks, "; ")
	return le
}
