package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"annex"
	"annex/sqlstore"
)

// TestDenialsCommands: partners' denials received into a database are
// listed, shown with where they came from, and exported as the file annex
// assess -denials reads, which then refers an essentially identical
// application; a revoked denial is listed but not exported.
func TestDenialsCommands(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	c := DefaultConfig()
	c.DataDir = data
	db, err := openDB(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().UTC().AddDate(0, -1, 0).Format(time.DateOnly)
	note := func(seq int64, kind annex.NotificationKind, d annex.Denial) annex.Notification {
		return annex.Notification{Sequence: seq, Kind: kind, From: "GB", IssuedAt: time.Now().UTC(), Denial: &d}
	}
	inForce := annex.Denial{ID: "GB-ANX-2026-000007-1", NotifyingGovernment: "GB", Entry: "20.A.1", EndUser: "Nordrocket GmbH",
		Destination: "IN", Date: day, Reason: "diversion risk", Status: annex.DenialActive, Version: 1}
	revoked := inForce
	revoked.ID, revoked.EndUser = "GB-ANX-2026-000008-1", "Baltic Propulsion GmbH"
	gone := revoked
	gone.Status, gone.RevokedOn, gone.Version = annex.DenialRevoked, day, 2
	svc := sqlstore.NewDenialService(db, "FR")
	if _, err := svc.Receive(ctx, "https://gb.example/api/v1/exchange/feed", "34750f98bd59fcfc", "GB",
		[]annex.Notification{note(1, annex.NotifyDenial, inForce), note(2, annex.NotifyDenial, revoked), note(3, annex.NotifyDenialRevoke, gone)}); err != nil {
		t.Fatalf("Receive: %v", err)
	}
	db.Close()

	code, out, errOut := runCLI(t, "", nil, "denials", "list", "-received", "-data", data)
	if code != exitOK || !strings.Contains(out, "GB-ANX-2026-000007-1") || !strings.Contains(out, "in force") || !strings.Contains(out, "revoked") {
		t.Fatalf("list: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", nil, "denials", "show", "-data", data, "GB-ANX-2026-000007-1")
	if code != exitOK || !strings.Contains(out, "https://gb.example/api/v1/exchange/feed") || !strings.Contains(out, "34750f98bd59fcfc") {
		t.Fatalf("show: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", nil, "denials", "show", "-data", data, "GB-NONE"); code == exitOK || !strings.Contains(errOut, "GB-NONE") {
		t.Errorf("show unknown: exit %d, %s", code, errOut)
	}
	code, out, errOut = runCLI(t, "", nil, "denials", "export", "-data", data)
	if code != exitOK {
		t.Fatalf("export: exit %d\n%s", code, errOut)
	}
	var exported []annex.Denial
	if err := json.Unmarshal([]byte(out), &exported); err != nil || len(exported) != 1 || exported[0].ID != "GB-ANX-2026-000007-1" || exported[0].Received != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "denials.json")
	if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join("testdata", "denials", "application.json")
	code, out, errOut = runCLI(t, "", nil, "assess", "-json", "-lists", unFixture+","+dplFixture, "-denials", file, app)
	if code != exitOK {
		t.Fatalf("assess: exit %d\n%s", code, errOut)
	}
	var a annex.Assessment
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if a.Recommendation != annex.RecommendRefer || !hasReason(&a, annex.RuleNoUndercut, "GB-ANX-2026-000007-1") {
		t.Errorf("assess against the export: %s, %+v", a.Recommendation, a.Reasons)
	}
}
