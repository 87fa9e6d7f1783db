package sanction_test

import (
	"fmt"
	"testing"

	"annex"
	"annex/sanction"
)

// BenchmarkDetermine determines a Category I transfer that substantially
// contributed, with a consignee and an agent, under both US packs.
func BenchmarkDetermine(b *testing.B) {
	e := newEngine(b)
	in := annex.DeterminationInput{Date: "2000-11-21", Category: annex.CategoryI, SubstantiallyContributed: true,
		Supplier:  annex.TransferParty{Name: "Supplier", Country: "CN"},
		Recipient: annex.TransferParty{Name: "Recipient", Country: "IR"},
		Others: []annex.TransferParty{{Name: "Consignee", Country: "AE", Role: annex.TransferConsignee},
			{Name: "Agent", Country: "AE", Role: annex.TransferAgent}},
		Packs: []string{"us-missile", "us-inksna"}}
	for b.Loop() {
		res, err := e.Determine(in)
		if err != nil || len(res.Measures) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkRegisterEntities turns a register of 2,000 entities with five
// measures each, a third of them expired, into the screening list of a
// day: what annex serve does on every change of the register.
func BenchmarkRegisterEntities(b *testing.B) {
	var es []*annex.SanctionEntity
	var ms []*annex.Measure
	for i := range 2000 {
		id := int64(i + 1)
		es = append(es, &annex.SanctionEntity{ID: id, Name: fmt.Sprintf("Entity %d", i), Aliases: []string{fmt.Sprintf("Alias %d", i)}, Country: "IR"})
		start := "2001-01-01"
		if i%3 == 0 {
			start = "1990-01-01"
		}
		for k := range 5 {
			ms = append(ms, &annex.Measure{ID: int64(5*i + k + 1), EntityID: id, Entity: es[i].Name, Country: "IR",
				Measure: annex.MeasureDenyMissileLicences, LegalBasis: "AECA §73(a)(2)(A)(ii)", Start: start, End: "2003-01-01"})
		}
	}
	for b.Loop() {
		if got := sanction.RegisterEntities(es, ms, "2002-06-01"); len(got) == 0 {
			b.Fatal("no entity in force")
		}
	}
}
