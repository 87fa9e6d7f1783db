package lists_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"annex"
	"annex/lists"
)

// newListServer serves fixtures by path and records the User-Agent of each
// request.
func newListServer(t *testing.T, files map[string][]byte) (*httptest.Server, *[]string) {
	t.Helper()
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents = append(agents, r.UserAgent())
		data, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv, &agents
}

func TestDownloaderFetch(t *testing.T) {
	sdn, alt := fixture(t, "ofac/sdn.csv"), fixture(t, "ofac/alt.csv")
	srv, agents := newListServer(t, map[string][]byte{"/exports/SDN.CSV": sdn.Data, "/exports/ALT.CSV": alt.Data})
	d := &lists.Downloader{
		Client:  srv.Client(),
		Sources: map[annex.ListSource][]string{annex.SourceOFACSDN: {srv.URL + "/exports/SDN.CSV", srv.URL + "/exports/ALT.CSV?x=1"}},
	}
	files, err := d.Fetch(context.Background(), annex.SourceOFACSDN)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Name != "SDN.CSV" || files[1].Name != "ALT.CSV" || string(files[1].Data) != string(alt.Data) {
		t.Fatalf("files=%v", files)
	}
	if strings.Join(*agents, ",") != "Annex,Annex" {
		t.Errorf("User-Agent=%v, want Annex", *agents)
	}
	// What is fetched parses.
	if _, ents, err := lists.Parse(files...); err != nil || len(ents) != 4 {
		t.Errorf("Parse: %d entities, %v", len(ents), err)
	}
}

func TestDownloaderFailures(t *testing.T) {
	big := make([]byte, 2048)
	srv, _ := newListServer(t, map[string][]byte{"/ok.xml": []byte("<x/>"), "/big.csv": big})
	tests := []struct {
		name string
		urls []string
		want string
	}{
		{"not found", []string{srv.URL + "/ok.xml", srv.URL + "/missing.csv"}, "404"},
		{"too big", []string{srv.URL + "/big.csv"}, "limit of 1024"},
		{"bad URL", []string{"http://[::1"}, "parse URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &lists.Downloader{Client: srv.Client(), MaxBytes: 1024, Sources: map[annex.ListSource][]string{annex.SourceUN: tt.urls}}
			files, err := d.Fetch(context.Background(), annex.SourceUN)
			if files != nil || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Fetch=%v, %v, want an error with %q", files, err, tt.want)
			}
		})
	}
	d := &lists.Downloader{Client: srv.Client(), Sources: map[annex.ListSource][]string{}}
	if _, err := d.Fetch(context.Background(), annex.SourceEU); annex.ErrorCode(err) != annex.EINVALID {
		t.Errorf("Fetch of a list without URLs: %v, want EINVALID", err)
	}
}

// TestDownloaderCancel: a fetch stops when its context ends, without the
// test sleeping: the server holds the request until the client gives up.
func TestDownloaderCancel(t *testing.T) {
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	d := &lists.Downloader{Client: srv.Client(), Sources: map[annex.ListSource][]string{annex.SourceUN: {srv.URL + "/consolidated.xml"}}}
	if _, err := d.Fetch(ctx, annex.SourceUN); !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch=%v, want context.Canceled", err)
	}
}

func TestDefaultURLs(t *testing.T) {
	urls := lists.DefaultURLs()
	for _, src := range annex.ListSources {
		if src == annex.SourceRegister {
			continue // Annex's own register is not downloaded
		}
		if len(urls[src]) == 0 {
			t.Errorf("no URL for %s", src)
		}
		for _, u := range urls[src] {
			if !strings.HasPrefix(u, "https://") {
				t.Errorf("%s: %s is not https", src, u)
			}
		}
	}
	urls[annex.SourceUN] = nil
	if len(lists.DefaultURLs()[annex.SourceUN]) != 1 {
		t.Error("DefaultURLs shares its map between calls")
	}
}
