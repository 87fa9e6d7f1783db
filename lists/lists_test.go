package lists_test

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"annex"
	"annex/lists"
)

// realDir holds the real list files shared by the project; tests that need
// them skip when it is absent.
const realDir = "../../shared/data/lists"

// realFile reads a real list file or skips the test.
func realFile(tb testing.TB, name string) lists.File {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(realDir, name))
	if err != nil {
		tb.Skipf("real list %s not available: %v", name, err)
	}
	return lists.File{Name: filepath.Base(name), Data: b}
}

// fixture reads a file of testdata.
func fixture(tb testing.TB, name string) lists.File {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return lists.File{Name: filepath.Base(name), Data: b}
}

// sha256Hex is what sha256sum prints for data.
func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// mustParse parses files and fails the test on error.
func mustParse(tb testing.TB, files ...lists.File) (*annex.ListSnapshot, []*annex.ListEntity) {
	tb.Helper()
	snap, ents, err := lists.Parse(files...)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	if snap.Entities != len(ents) {
		tb.Fatalf("Snapshot.Entities=%d, want %d", snap.Entities, len(ents))
	}
	names := 0
	for _, e := range ents {
		names += len(e.Names)
		if e.SourceID == "" || len(e.Names) == 0 || e.Names[0].Kind != annex.NamePrimary && e.Source != annex.SourceOpenSanctions {
			tb.Fatalf("entity without ID or primary name: %+v", e)
		}
	}
	if snap.Names != names {
		tb.Fatalf("Snapshot.Names=%d, want %d", snap.Names, names)
	}
	return snap, ents
}

// entity returns the entity with a source ID, or fails.
func entity(tb testing.TB, ents []*annex.ListEntity, id string) *annex.ListEntity {
	tb.Helper()
	for _, e := range ents {
		if e.SourceID == id {
			return e
		}
	}
	tb.Fatalf("no entity %q", id)
	return nil
}

// kinds counts names by kind.
func kinds(ents []*annex.ListEntity) map[annex.NameKind]int {
	n := make(map[annex.NameKind]int)
	for _, e := range ents {
		for _, name := range e.Names {
			n[name.Kind]++
		}
	}
	return n
}

// types counts entities by type.
func types(ents []*annex.ListEntity) map[annex.EntityType]int {
	n := make(map[annex.EntityType]int)
	for _, e := range ents {
		n[e.Type]++
	}
	return n
}

// wantInvalid checks that err is EINVALID about the field given ("file:line").
func wantInvalid(tb testing.TB, err error, field string) {
	tb.Helper()
	if code := annex.ErrorCode(err); code != annex.EINVALID {
		tb.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EINVALID)
	}
	fields := annex.ErrorFields(err)
	if len(fields) != 1 || fields[0].Field != field {
		tb.Fatalf("Fields=%v, want one field %q", fields, field)
	}
}

// replace returns a copy of f with old replaced by new once, for malformed
// variants of fixtures.
func replace(tb testing.TB, f lists.File, old, new string) lists.File {
	tb.Helper()
	s := string(f.Data)
	if !strings.Contains(s, old) {
		tb.Fatalf("%s has no %q", f.Name, old)
	}
	return lists.File{Name: f.Name, Data: []byte(strings.Replace(s, old, new, 1))}
}

func TestParseNoFiles(t *testing.T) {
	if _, _, err := lists.Parse(); annex.ErrorCode(err) != annex.EINVALID {
		t.Fatalf("Parse()=%v, want EINVALID", err)
	}
}

func TestParseMixedSources(t *testing.T) {
	_, _, err := lists.Parse(fixture(t, "un.xml"), fixture(t, "ofac/sdn.csv"))
	wantInvalid(t, err, "sdn.csv")
}

func TestParseTwoFilesOfOneFileList(t *testing.T) {
	un := fixture(t, "un.xml")
	_, _, err := lists.Parse(un, lists.File{Name: "un2.xml", Data: un.Data})
	wantInvalid(t, err, "un2.xml")
}

// TestDeterminism parses the same files twice, in different orders where the
// list allows it, and wants the same hash and entities.
func TestDeterminism(t *testing.T) {
	sdn, alt, add := fixture(t, "ofac/sdn.csv"), fixture(t, "ofac/alt.csv"), fixture(t, "ofac/add.csv")
	snap1, ents1 := mustParse(t, sdn, alt, add)
	snap2, ents2 := mustParse(t, add, sdn, alt)
	if snap1.SHA256 != snap2.SHA256 || strings.Join(snap1.Files, ",") != strings.Join(snap2.Files, ",") {
		t.Fatalf("snapshots differ: %+v, %+v", snap1, snap2)
	}
	if !equalEntities(ents1, ents2) {
		t.Fatal("entities differ between two parses")
	}
	if got, want := strings.Join(snap1.Files, ","), "sdn.csv,alt.csv,add.csv"; got != want {
		t.Fatalf("Files=%s, want %s", got, want)
	}
}

func equalEntities(a, b []*annex.ListEntity) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalEntity(a[i], b[i]) {
			return false
		}
	}
	return true
}

func equalEntity(a, b *annex.ListEntity) bool {
	join := func(s []string) string { return strings.Join(s, "\x00") }
	if a.Source != b.Source || a.SourceID != b.SourceID || a.Type != b.Type || a.SourceList != b.SourceList ||
		a.ListedOn != b.ListedOn || a.Remarks != b.Remarks || join(a.Countries) != join(b.Countries) ||
		join(a.Addresses) != join(b.Addresses) || join(a.DatesOfBirth) != join(b.DatesOfBirth) ||
		join(a.Programs) != join(b.Programs) || len(a.Names) != len(b.Names) || len(a.Identifiers) != len(b.Identifiers) {
		return false
	}
	for i := range a.Names {
		if a.Names[i] != b.Names[i] {
			return false
		}
	}
	for i := range a.Identifiers {
		if a.Identifiers[i] != b.Identifiers[i] {
			return false
		}
	}
	return true
}

// TestRealDeterminism parses each real list twice.
func TestRealDeterminism(t *testing.T) {
	for _, name := range []string{"un-consolidated-2026-02-27.xml", "ofac-sdn-2024-05-03.csv"} {
		t.Run(name, func(t *testing.T) {
			f := realFile(t, name)
			snap1, ents1 := mustParse(t, f)
			snap2, ents2 := mustParse(t, f)
			if snap1.SHA256 != snap2.SHA256 || !equalEntities(ents1, ents2) {
				t.Fatal("two parses of one file differ")
			}
		})
	}
}

func indexOf(s, sub string) int     { return strings.Index(s, sub) }
func lastIndexOf(s, sub string) int { return strings.LastIndex(s, sub) }
