package exchange_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"annex"
	"annex/exchange"
)

func TestParseTrustList(t *testing.T) {
	f, err := os.Open("testdata/trust.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list, err := exchange.ParseTrustList(f)
	if err != nil {
		t.Fatalf("ParseTrustList: %v", err)
	}
	want := exchange.TrustList{
		{
			Government: "GB",
			Name:       "United Kingdom, Export Control Joint Unit",
			FeedURL:    "https://annex.ecju.example.gov.uk/api/v1/exchange/feed",
			PublicKey:  "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=",
		},
		{
			Government: "FR", // upper-cased
			Name:       "France, SBDU",
			FeedURL:    "http://127.0.0.1:8443/api/v1/exchange/feed",
			PublicKey:  "gTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q=",
		},
	}
	if !reflect.DeepEqual(list, want) {
		t.Fatalf("ParseTrustList =\n%+v\nwant\n%+v", list, want)
	}

	if p, ok := list.ByKeyID(frKeyID); !ok || p.Government != "FR" {
		t.Errorf("ByKeyID(%q) = %+v, %v; want FR, true", frKeyID, p, ok)
	}
	if p, ok := list.ByKeyID("0000000000000000"); ok {
		t.Errorf("ByKeyID(unknown) = %+v, true; want false", p)
	}
	if got := list.ByGovernment("GB"); len(got) != 1 || got[0].PublicKey != want[0].PublicKey {
		t.Errorf("ByGovernment(GB) = %+v, want the GB entry", got)
	}
	if got := list.ByGovernment("DE"); len(got) != 0 {
		t.Errorf("ByGovernment(DE) = %+v, want none", got)
	}
}

func TestParseTrustListRotation(t *testing.T) {
	list, err := exchange.ParseTrustList(strings.NewReader(`[
		{"government":"GB","name":"UK","feed_url":"https://gb.example/feed","public_key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="},
		{"government":"GB","name":"UK (next key)","feed_url":"https://gb.example/feed","public_key":"7UkoxijRwsbq6QM4kFmVYSlZJzpcY/k2NsFGFKyHN9E="}
	]`))
	if err != nil {
		t.Fatalf("ParseTrustList: %v", err)
	}
	if got := list.ByGovernment("GB"); len(got) != 2 {
		t.Errorf("ByGovernment(GB) has %d entries, want 2", len(got))
	}
}

func TestParseTrustListErrors(t *testing.T) {
	const (
		gb = `"government":"GB","name":"UK","feed_url":"https://gb.example/feed"`
		pk = `"public_key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="`
	)
	tests := []struct {
		name, in string
		want     []string // field paths
	}{
		{"empty", ``, []string{""}},
		{"object", `{"government":"GB"}`, []string{""}},
		{"null", `null`, []string{""}},
		{"malformed", `[{"government":"GB",}]`, []string{""}},
		{"trailing data", `[] []`, []string{""}},
		{"element not object", `[{` + gb + `,` + pk + `}, 3, null]`, []string{"[1]", "[2]"}},
		{"unknown field", `[{` + gb + `,` + pk + `,"notes":"x"}]`, []string{"[0].notes"}},
		{"field case", `[{` + gb + `,"Public_Key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="}]`, []string{"[0].Public_Key", "[0].public_key"}},
		{"missing", `[{}]`, []string{"[0].government", "[0].name", "[0].feed_url", "[0].public_key"}},
		{"not strings", `[{"government":1,"name":null,"feed_url":[],"public_key":{}}]`, []string{"[0].government", "[0].name", "[0].feed_url", "[0].public_key"}},
		{"government", `[{"government":"GBR","name":"UK","feed_url":"https://gb.example/feed",` + pk + `}]`, []string{"[0].government"}},
		{"http feed", `[{"government":"GB","name":"UK","feed_url":"http://gb.example/feed",` + pk + `}]`, []string{"[0].feed_url"}},
		{"relative feed", `[{"government":"GB","name":"UK","feed_url":"/api/v1/exchange/feed",` + pk + `}]`, []string{"[0].feed_url"}},
		{"ftp feed", `[{"government":"GB","name":"UK","feed_url":"ftp://gb.example/feed",` + pk + `}]`, []string{"[0].feed_url"}},
		{"credentials in feed", `[{"government":"GB","name":"UK","feed_url":"https://u:p@gb.example/feed",` + pk + `}]`, []string{"[0].feed_url"}},
		{"bad key", `[{` + gb + `,"public_key":"AAAA"}]`, []string{"[0].public_key"}},
		{"duplicate key", `[{` + gb + `,` + pk + `},{"government":"FR","name":"FR","feed_url":"https://fr.example/feed",` + pk + `}]`, []string{"[1].public_key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := exchange.ParseTrustList(strings.NewReader(tt.in))
			if code := annex.ErrorCode(err); code != annex.EINVALID {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EINVALID)
			}
			var got []string
			for _, f := range annex.ErrorFields(err) {
				got = append(got, f.Field)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("error fields = %q, want %q (%v)", got, tt.want, err)
			}
		})
	}
}

func TestParseTrustListLoopback(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080/feed", "http://localhost/feed", "http://[::1]:9000/feed", "https://gb.example/api/v1/exchange/feed?x=1"} {
		in := `[{"government":"GB","name":"UK","feed_url":"` + u + `","public_key":"iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="}]`
		if _, err := exchange.ParseTrustList(strings.NewReader(in)); err != nil {
			t.Errorf("ParseTrustList(feed_url %q): %v", u, err)
		}
	}
}
