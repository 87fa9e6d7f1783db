package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"annex"
)

// The lists package's own fixtures: small files written for Annex in the
// real formats.
var (
	unFixture  = filepath.Join("..", "..", "lists", "testdata", "un.xml")
	dplFixture = filepath.Join("..", "..", "lists", "testdata", "dpl.txt")
)

func TestScreenCommandWithListFiles(t *testing.T) {
	code, out, errOut := runCLI(t, "", nil, "screen", "-json", "-lists", unFixture+","+dplFixture, "Torval Questen Mardovar", "Торвал Квестен Мардовар")
	if code != exitOK {
		t.Fatalf("exit=%d stderr %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want one JSON object per name:\n%s", len(lines), out)
	}
	for i, line := range lines {
		var r annex.ScreenResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %d is not JSON: %v", i, err)
		}
		if len(r.Matches) == 0 || r.Matches[0].Source != annex.SourceUN || r.Matches[0].SourceID != "TLi.001" || !r.Matches[0].Match || len(r.Matches[0].Explanation) == 0 {
			t.Errorf("%s: matches=%+v, want UN TLi.001 first, a match, explained", r.Query, r.Matches)
		}
	}
	if !strings.Contains(lines[0], `"score":1`) {
		t.Errorf("an exact name should score 1: %s", lines[0])
	}
}

func TestScreenCommandBatch(t *testing.T) {
	dir := t.TempDir()
	batch := filepath.Join(dir, "parties.csv")
	writeFile(t, batch, []byte("name,type,country,dob,id\nTorval Questen Mardovar,person,,,\nAcme Bicycle Repairs,organization,GB,,\n"))
	code, out, errOut := runCLI(t, "", nil, "screen", "-batch", batch, "-lists", unFixture)
	if code != exitOK {
		t.Fatalf("exit=%d stderr %s", code, errOut)
	}
	var rows []struct {
		Row     int                 `json:"row"`
		Query   string              `json:"query"`
		Matches []annex.ScreenMatch `json:"matches"`
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct {
			Row     int                 `json:"row"`
			Query   string              `json:"query"`
			Matches []annex.ScreenMatch `json:"matches"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		rows = append(rows, r)
	}
	if len(rows) != 2 || rows[0].Row != 2 || rows[1].Row != 3 || rows[0].Query != "Torval Questen Mardovar" {
		t.Fatalf("rows=%+v", rows)
	}
	if len(rows[0].Matches) == 0 || !rows[0].Matches[0].Match {
		t.Errorf("row 2 should match: %+v", rows[0])
	}
	for _, m := range rows[1].Matches {
		if m.Match {
			t.Errorf("row 3 should not match: %+v", m)
		}
	}
	if errOut != "" {
		t.Errorf("stderr=%q: no progress bar when stderr is not a terminal", errOut)
	}
	bad := filepath.Join(dir, "bad.csv")
	writeFile(t, bad, []byte("party\nx\n"))
	if code, _, errOut := runCLI(t, "", nil, "screen", "-batch", bad, "-lists", unFixture); code != exitBadInput || !strings.Contains(errOut, "bad.csv:1") {
		t.Errorf("batch without a name column: exit=%d stderr %q", code, errOut)
	}
}

func TestListsCommands(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	code, out, errOut := runCLI(t, "", nil, "lists", "import", "-data", data, unFixture, dplFixture)
	if code != exitOK || !strings.Contains(out, "un") || !strings.Contains(out, "bis-dpl") || !strings.Contains(out, "loaded") {
		t.Fatalf("import: exit=%d\n%s%s", code, out, errOut)
	}
	// The same files again change nothing.
	if code, out, _ := runCLI(t, "", nil, "lists", "import", "-data", data, unFixture); code != exitOK || !strings.Contains(out, "unchanged") {
		t.Errorf("second import: exit=%d\n%s", code, out)
	}
	// A malformed file is refused with its name and line, and stores nothing.
	broken := filepath.Join(t.TempDir(), "broken.xml")
	b, _ := os.ReadFile(unFixture)
	writeFile(t, broken, b[:len(b)/2])
	if code, _, errOut := runCLI(t, "", nil, "lists", "import", "-data", data, broken); code != exitBadInput || !strings.Contains(errOut, "broken.xml") {
		t.Errorf("malformed: exit=%d stderr %q, want 2 naming the file", code, errOut)
	}
	code, out, _ = runCLI(t, "", nil, "lists", "list", "-json", "-data", data)
	var snaps []annex.ListSnapshot
	if code != exitOK || json.Unmarshal([]byte(out), &snaps) != nil || len(snaps) != 2 {
		t.Fatalf("list: exit=%d\n%s", code, out)
	}
	// Screening without -lists uses the lists in the database.
	if code, out, errOut := runCLI(t, "", nil, "screen", "-data", data, "Torval Questen Mardovar"); code != exitOK || !strings.Contains(out, "MATCH un TLi.001") {
		t.Errorf("screen from the database: exit=%d\n%s%s", code, out, errOut)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	if code, _, errOut := runCLI(t, "", nil, "screen", "-data", empty, "anyone"); code != exitFailure || !strings.Contains(errOut, "no list is loaded") {
		t.Errorf("no lists: exit=%d stderr %q", code, errOut)
	}
}

// TestListsUpdate fetches a list from an httptest server; a failed update
// keeps the list already loaded.
func TestListsUpdate(t *testing.T) {
	good, err := os.ReadFile(unFixture)
	if err != nil {
		t.Fatal(err)
	}
	body := good
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()
	data := filepath.Join(t.TempDir(), "data")
	vars := map[string]string{"APP_LIST_URLS": "un=" + srv.URL + "/consolidated.xml", "APP_DATA_DIR": data}

	code, out, errOut := runCLI(t, "", vars, "lists", "update")
	if code != exitOK || !strings.Contains(out, "loaded") {
		t.Fatalf("update: exit=%d\n%s%s", code, out, errOut)
	}
	_, before, _ := runCLI(t, "", vars, "lists", "list", "-json")

	body = good[:len(good)/3]
	code, _, errOut = runCLI(t, "", vars, "lists", "update")
	if code != exitFailure || !strings.Contains(errOut, "FAILED, the list already loaded stays") {
		t.Errorf("broken update: exit=%d stderr %q", code, errOut)
	}
	if _, after, _ := runCLI(t, "", vars, "lists", "list", "-json"); after != before {
		t.Errorf("the loaded list changed after a failed update:\n%s\n%s", before, after)
	}
}

// TestServeScreening imports a list, starts the server on the same data
// directory and screens over the API.
func TestServeScreening(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := runCLI(t, "", nil, "lists", "import", "-data", dir, unFixture); code != exitOK {
		t.Fatalf("import: exit=%d\n%s%s", code, out, errOut)
	}
	m, _ := MustRunMain(t, dir)
	resp, err := http.Get(m.Server.URL() + "/api/v1/screen?name=" + url.QueryEscape("Торвал Квестен Мардовар"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r annex.ScreenResult
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&r) != nil || len(r.Matches) == 0 || r.Matches[0].SourceID != "TLi.001" || r.Matches[0].EntityHash == "" {
		t.Errorf("status=%d result=%+v, want UN TLi.001 first with its entity hash", resp.StatusCode, r)
	}
}
