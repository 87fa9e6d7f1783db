package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"annex"
)

// TestDemoScenario loads the November 2000 scenario twice into one
// database and reads it back through annex sanctions list: the second load
// adds nothing; on 22 November 2000 the recipients' measures are in force
// until 21 November 2002 and the Chinese suppliers' are waived; on
// 22 November 2002 every measure has ended but is still listed.
func TestDemoScenario(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	c := DefaultConfig()
	c.DataDir = data
	db, err := openDB(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := localControlList("")
	if err != nil {
		t.Fatal(err)
	}
	det, err := newDeterminer(cl, "")
	if err != nil {
		t.Fatal(err)
	}
	svc := newSanctionService(db, det)
	for range 2 {
		if err := loadDemo(ctx, svc, det, cl); err != nil {
			t.Fatalf("loadDemo: %v", err)
		}
	}
	ts, nt, err := svc.FindTransferReports(ctx, annex.TransferReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	_, ne, _ := svc.FindSanctionEntities(ctx, annex.SanctionEntityFilter{})
	ws, _ := svc.FindWaivers(ctx)
	hs, _ := svc.FindHolds(ctx)
	if nt != 6 || ne != 5 || len(ws) != 1 || len(hs) != 1 {
		t.Fatalf("after two loads: %d transfers, %d entities, %d waivers, %d holds; want 6, 5, 1, 1", nt, ne, len(ws), len(hs))
	}
	for _, r := range ts {
		if r.Reference == "NOV2000-PK-I-MOD" && (r.Category != annex.CategoryI || r.Items[0].Classification == nil) {
			t.Errorf("the M-11 transfer: category %q, classification %v; want Category I from its classified item", r.Category, r.Items[0].Classification)
		}
	}
	db.Close()

	list := func(on string) []registerRow {
		t.Helper()
		code, out, errOut := runCLI(t, "", nil, "sanctions", "list", "-json", "-data", data, "-on", on)
		if code != exitOK {
			t.Fatalf("sanctions list -on %s: exit %d: %s", on, code, errOut)
		}
		var got struct {
			Day      string        `json:"day"`
			Measures []registerRow `json:"measures"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil || got.Day != on {
			t.Fatalf("sanctions list -json: %v, day %q\n%s", err, got.Day, out)
		}
		return got.Measures
	}
	want := map[string][]annex.MeasureKind{
		"Ministry of Defence of Pakistan":                {annex.MeasureDenyAllContracts, annex.MeasureDenyAllUSMLLicences, annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences},
		"Space and Upper Atmosphere Research Commission": {annex.MeasureDenyAllContracts, annex.MeasureDenyAllUSMLLicences, annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences},
		"Defence Industries Organisation":                {annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences},
		"Ministry of Defence and Armed Forces Logistics": {annex.MeasureDenyMissileContracts, annex.MeasureDenyMissileLicences},
	}
	got := map[string][]annex.MeasureKind{}
	supplier := 0
	for _, m := range list("2000-11-22") {
		if strings.HasPrefix(m.Entity, "Chinese") {
			supplier++
			if m.Status != annex.MeasureWaived || m.WaivedFrom != "2000-11-21" {
				t.Errorf("Chinese supplier's %s: %s from %q, want waived from 2000-11-21", m.Measure.Measure, m.Status, m.WaivedFrom)
			}
			continue
		}
		if m.Status != annex.MeasureActive || m.Start != "2000-11-21" || m.End != "2002-11-21" {
			t.Errorf("%s %s: %s %s..%s, want active 2000-11-21..2002-11-21", m.Entity, m.Measure.Measure, m.Status, m.Start, m.End)
		}
		got[m.Entity] = append(got[m.Entity], m.Measure.Measure)
	}
	if supplier == 0 {
		t.Error("no measure on the Chinese suppliers")
	}
	for e, kinds := range want {
		if !sameKinds(got[e], kinds) {
			t.Errorf("%s: measures %v, want %v", e, got[e], kinds)
		}
	}
	for _, m := range list("2002-11-22") {
		if m.Status == annex.MeasureActive || m.Status == annex.MeasurePending {
			t.Errorf("%s %s on 2002-11-22: %s, want ended", m.Entity, m.Measure.Measure, m.Status)
		}
	}
	// Bad input names the flag.
	if code, _, errOut := runCLI(t, "", nil, "sanctions", "list", "-data", data, "-on", "2002-13-01"); code != exitBadInput || !strings.Contains(errOut, "on") {
		t.Errorf("-on 2002-13-01: exit %d, %s", code, errOut)
	}
}

// sameKinds reports whether a and b hold the same kinds, in any order.
func sameKinds(a, b []annex.MeasureKind) bool {
	if len(a) != len(b) {
		return false
	}
	n := map[annex.MeasureKind]int{}
	for _, k := range a {
		n[k]++
	}
	for _, k := range b {
		n[k]--
	}
	for _, v := range n {
		if v != 0 {
			return false
		}
	}
	return true
}
