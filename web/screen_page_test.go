package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

// officerCookie is the header of the officer's page requests.
var officerCookie = []string{"Cookie", "annex_session=officer-token"}

// withCookie returns the form header with the officer's session cookie.
func withCookie() []string { return append(append([]string{}, form...), officerCookie...) }

func TestScreenPage(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.withScreen()

	t.Run("Form", func(t *testing.T) {
		resp := s.Do(t, "GET", "/screen", "")
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<form method="get" action="/screen" id="screen-form"`, `<label for="name">Name</label>`,
			`<label for="dob">Date of birth <span class="hint">(optional)</span></label>`, `<option value="vessel">vessel</option>`,
			`<a href="/screen" aria-current="page">Screen</a>`)
		if strings.Contains(resp.Body, `id="screen-results"`) {
			t.Fatalf("results before a search")
		}
	})

	t.Run("SignedOut", func(t *testing.T) {
		resp := s.Do(t, "GET", "/screen?name=Orion+Rocket+Works&country=KP", "")
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body,
			`<section id="screen-results"`,
			`<article class="hit hit-match" id="hit-un-KPe.901" data-source="un" data-source-id="KPe.901" data-match="true">`,
			`<h3 class="hit-name">Orion Rocket Works <span class="badge badge-match">MATCH</span></h3>`,
			`<span class="score">0.97</span>`,
			`<meter class="score-bar" min="0" max="1" value="0.97"`,
			`<dd class="matched-name">오리온 로케트 공장</dd>`,
			`<dd class="programs">DPRK</dd>`, `<dd class="countries">HK, KP</dd>`,
			`<dd class="source-list">UN Security Council consolidated list</dd>`, `<dd class="source-list">SDN List</dd>`,
			`<details class="explanation">`,
			`<tr class="piece"><td class="factor">country</td><td class="piece-score">0.020</td><td>KP is a country of the entity</td></tr>`,
			`<article class="hit" id="hit-ofac-sdn-90210"`,
			`<h3 class="hit-name">ORION TRADING LIMITED</h3>`,
			`<a href="/login?next=%2Fscreen%3Fcountry%3DKP%26name%3DOrion%2BRocket%2BWorks">Sign in</a> to record a decision`,
			`value="KP"`)
		if strings.Contains(resp.Body, `class="adjudicate"`) {
			t.Fatalf("a decision form for a signed-out user")
		}
		if got := resp.Header.Get("Cache-Control"); got != "" {
			t.Fatalf("Cache-Control=%q for a public page", got)
		}
	})

	t.Run("SignedInNewParty", func(t *testing.T) {
		s.PartyService.FindPartiesFn = func(ctx context.Context, f annex.PartyFilter) ([]*annex.Party, int, error) {
			if f.Name == nil || *f.Name != "Orion Rocket Works" || annex.UserFromContext(ctx) != officer {
				t.Errorf("filter=%+v", f)
			}
			// Same name, other details: another party.
			return []*annex.Party{{ID: 30, Name: "ORION ROCKET WORKS", Country: "CN"}}, 1, nil
		}
		resp := s.Do(t, "GET", "/screen?name=Orion+Rocket+Works&country=KP&threshold=0.9", "", officerCookie...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body,
			`<form method="post" action="/screen" class="adjudicate" id="adjudicate-un-KPe.901" novalidate>`,
			`<input type="hidden" name="entity_hash" value="`+orionHash+`">`,
			`<input type="hidden" name="threshold" value="0.9">`,
			`<input type="hidden" name="country" value="KP">`,
			`<input type="radio" id="adjudicate-un-KPe.901-dismiss" name="decision" value="dismiss">`,
			`<label for="adjudicate-un-KPe.901-reason">Reason</label>`,
			`id="adjudicate-ofac-sdn-90210"`,
			`<a href="/parties">Parties</a>`)
		for _, no := range []string{`id="screen-party"`, `class="decision `, `Sign in</a> to record`} {
			if strings.Contains(resp.Body, no) {
				t.Fatalf("body has %q", no)
			}
		}
		if got, want := resp.Header.Get("Cache-Control"), "no-store"; got != want {
			t.Fatalf("Cache-Control=%q, want %q", got, want)
		}
	})

	t.Run("SignedInMarkers", func(t *testing.T) {
		s.withParties(t)
		s.PartyService.FindPartiesFn = func(context.Context, annex.PartyFilter) ([]*annex.Party, int, error) {
			return []*annex.Party{{ID: 30, Name: "Orion Rocket Works", Country: "CN"}, orionParty()}, 2, nil
		}
		resp := s.Do(t, "GET", "/screen?name=orion+rocket+works&type=organization&country=KP", "", officerCookie...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body,
			`This party is on record as <a href="/parties/12">Orion Rocket Works</a>`,
			`<p class="decision decision-dismiss" id="decision-un-KPe.901">Dismissed by officer1: Registered in 2019 in Pyongyang; the listed works date from 1998 <span class="meta">(2026-11-27 11:00 UTC)</span></p>`,
			`<p class="decision decision-stale" id="decision-ofac-sdn-90210">Confirmed by senior2: Same address as the listed trading company`,
			`decided on an earlier version of the entry`)
	})

	t.Run("NoList", func(t *testing.T) {
		s := MustOpenServer(t)
		s.ScreenService.ScreenFn = noList
		resp := s.Do(t, "GET", "/screen?name=Orion", "")
		mustStatus(t, resp, http.StatusConflict)
		mustContain(t, resp.Body, `<p class="error" role="alert" id="screen-unavailable">No screening list is loaded; load one with annex lists load.</p>`)
	})

	t.Run("Invalid", func(t *testing.T) {
		resp := s.Do(t, "GET", "/screen?name=&threshold=2&country=Korea", "")
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="name-error">required</p>`,
			`<p class="field-error" id="threshold-error">must be a number from 0 to 1, got &#34;2&#34;</p>`,
			`<p class="field-error" id="country-error">must be an ISO 3166-1 alpha-2 code such as PK</p>`, `value="Korea"`)
		if strings.Contains(resp.Body, `id="screen-results"`) {
			t.Fatalf("results for an invalid query")
		}
	})
}

func TestScreenAdjudicate(t *testing.T) {
	hit := url.Values{"name": {"Orion Rocket Works"}, "type": {"organization"}, "country": {"KP"}, "threshold": {"0.9"},
		"source": {"un"}, "source_id": {"KPe.901"}, "entity_hash": {orionHash}, "decision": {"dismiss"}, "reason": {"Registered in 2019"}}
	wantAdjudication := &annex.Adjudication{PartyID: 12, Source: annex.SourceUN, SourceID: "KPe.901", EntityHash: orionHash,
		Decision: annex.DecisionDismiss, Reason: "Registered in 2019"}
	wantLocation := "/screen?country=KP&name=Orion+Rocket+Works&threshold=0.9&type=organization#hit-un-KPe.901"

	t.Run("NewParty", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withSessions()
		s.PartyService.FindPartiesFn = func(context.Context, annex.PartyFilter) ([]*annex.Party, int, error) {
			return []*annex.Party{
				{ID: 30, Name: "Orion Rocket Works", Type: annex.EntityOrganization, Country: "CN"},
				// An exporter's party with the same details is not the officer's.
				{ID: 31, Name: "Orion Rocket Works", Type: annex.EntityOrganization, Country: "KP", OrgID: 4},
			}, 2, nil
		}
		var created *annex.Party
		s.PartyService.CreatePartyFn = func(ctx context.Context, p *annex.Party) error {
			if annex.UserFromContext(ctx) != officer {
				t.Errorf("no user in the context")
			}
			created = p
			p.ID = 12
			return nil
		}
		var got *annex.Adjudication
		s.PartyService.AdjudicateFn = func(_ context.Context, a *annex.Adjudication) error {
			got = a
			return nil
		}
		resp := s.Do(t, "POST", "/screen", hit.Encode(), withCookie()...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != wantLocation {
			t.Fatalf("Location=%q, want %q", loc, wantLocation)
		}
		wantParty := &annex.Party{ID: 12, Name: "Orion Rocket Works", Type: annex.EntityOrganization, Country: "KP"}
		if diff := cmp.Diff(wantParty, created); diff != "" {
			t.Fatalf("party mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantAdjudication, got); diff != "" {
			t.Fatalf("adjudication mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("StoredParty", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withSessions()
		s.PartyService.FindPartiesFn = func(context.Context, annex.PartyFilter) ([]*annex.Party, int, error) {
			return []*annex.Party{orionParty()}, 1, nil
		}
		var got *annex.Adjudication
		s.PartyService.AdjudicateFn = func(_ context.Context, a *annex.Adjudication) error {
			got = a
			return nil
		}
		resp := s.Do(t, "POST", "/screen", hit.Encode(), withCookie()...)
		mustStatus(t, resp, http.StatusSeeOther)
		if diff := cmp.Diff(wantAdjudication, got); diff != "" {
			t.Fatalf("adjudication mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("NoReason", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withSessions()
		s.withScreen()
		s.PartyService.FindPartiesFn = func(context.Context, annex.PartyFilter) ([]*annex.Party, int, error) { return nil, 0, nil }
		bad := url.Values{}
		for k, v := range hit {
			bad[k] = v
		}
		bad.Set("reason", " ")
		resp := s.Do(t, "POST", "/screen", bad.Encode(), withCookie()...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body,
			`<p class="field-error" id="adjudicate-un-KPe.901-reason-error">say why, in a few words</p>`,
			`<input type="radio" id="adjudicate-un-KPe.901-dismiss" name="decision" value="dismiss" checked>`,
			`<p class="error" role="alert" id="adjudicate-un-KPe.901-message">The decision was not recorded: correct the fields marked below.</p>`)
	})

	t.Run("GoneHit", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withSessions()
		s.withScreen()
		s.PartyService.FindPartiesFn = func(context.Context, annex.PartyFilter) ([]*annex.Party, int, error) { return nil, 0, nil }
		bad := url.Values{"name": {"Orion"}, "source": {"eu"}, "source_id": {"EU.1"}, "decision": {"confirm"}}
		resp := s.Do(t, "POST", "/screen", bad.Encode(), withCookie()...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="error" role="alert" id="screen-message">The decision was not recorded: reason: say why, in a few words</p>`)
	})

	t.Run("SignedOut", func(t *testing.T) {
		s := MustOpenServer(t)
		resp := s.Do(t, "POST", "/screen", hit.Encode(), form...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/login?next=%2Fscreen" {
			t.Fatalf("Location=%q", loc)
		}
	})

	t.Run("CrossSite", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withSessions()
		resp := s.Do(t, "POST", "/screen", hit.Encode(), append(withCookie(), "Sec-Fetch-Site", "cross-site")...)
		mustStatus(t, resp, http.StatusForbidden)
	})
}

func TestPartyPages(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.withScreen()
	s.withParties(t)

	t.Run("SignedOut", func(t *testing.T) {
		for _, path := range []string{"/parties", "/parties/12", "/alerts"} {
			resp := s.Do(t, "GET", path, "")
			mustStatus(t, resp, http.StatusSeeOther)
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/login?next=") {
				t.Fatalf("%s: Location=%q", path, loc)
			}
		}
	})

	t.Run("List", func(t *testing.T) {
		s.PartyService.FindPartiesFn = func(_ context.Context, f annex.PartyFilter) ([]*annex.Party, int, error) {
			if f.Offset != 100 || f.Limit != 100 {
				t.Errorf("filter=%+v", f)
			}
			return []*annex.Party{orionParty()}, 250, nil
		}
		resp := s.Do(t, "GET", "/parties?offset=100", "", officerCookie...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<tr class="party" id="party-12"><th scope="row"><a href="/parties/12">Orion Rocket Works</a></th><td>organization</td><td>KP</td>`,
			`Parties 101 to 101 of 250.`, `<a href="/parties?offset=0" rel="prev">Previous</a>`, `<a href="/parties?offset=101" rel="next">Next</a>`)
	})

	t.Run("Party", func(t *testing.T) {
		resp := s.Do(t, "GET", "/parties/12", "", officerCookie...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `<h1 id="party-name">Orion Rocket Works</h1>`,
			`<section id="screen-results"`,
			`<form method="post" action="/parties/12/adjudications" class="adjudicate" id="adjudicate-un-KPe.901" novalidate>`,
			`<p class="decision decision-dismiss" id="decision-un-KPe.901">Dismissed by officer1:`,
			`<p class="decision decision-stale" id="decision-ofac-sdn-90210">Confirmed by senior2:`,
			`<tr class="adjudication" id="adjudication-5"><td>2026-11-27 11:00 UTC</td><td><a href="#hit-un-KPe.901">un KPe.901</a></td><td class="decision-dismiss">Dismissed</td>`,
			`</code> as listed now</td>`, `</code> an earlier version</td>`)
	})

	t.Run("NotFound", func(t *testing.T) {
		mustStatus(t, s.Do(t, "GET", "/parties/99", "", officerCookie...), http.StatusNotFound)
		mustStatus(t, s.Do(t, "GET", "/parties/x", "", officerCookie...), http.StatusNotFound)
	})

	t.Run("NoList", func(t *testing.T) {
		s := MustOpenServer(t)
		s.withSessions()
		s.withParties(t)
		s.ScreenService.ScreenFn = noList
		resp := s.Do(t, "GET", "/parties/12", "", officerCookie...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="screen-unavailable">No screening list is loaded`, `id="adjudication-5"`)
	})

	decide := url.Values{"source": {"ofac-sdn"}, "source_id": {"90210"}, "entity_hash": {tradeHash}, "decision": {"confirm"}, "reason": {"Same directors"}}
	t.Run("Adjudicate", func(t *testing.T) {
		var got *annex.Adjudication
		s.PartyService.AdjudicateFn = func(_ context.Context, a *annex.Adjudication) error {
			got = a
			return a.Validate()
		}
		resp := s.Do(t, "POST", "/parties/12/adjudications", decide.Encode(), withCookie()...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/parties/12#hit-ofac-sdn-90210" {
			t.Fatalf("Location=%q", loc)
		}
		want := &annex.Adjudication{PartyID: 12, Source: annex.SourceOFACSDN, SourceID: "90210", EntityHash: tradeHash,
			Decision: annex.DecisionConfirm, Reason: "Same directors"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("adjudication mismatch (-want +got):\n%s", diff)
		}

		next := url.Values{"next": {"/alerts?status=open"}}
		for k, v := range decide {
			next[k] = v
		}
		resp = s.Do(t, "POST", "/parties/12/adjudications", next.Encode(), withCookie()...)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/alerts?status=open" {
			t.Fatalf("Location=%q", loc)
		}
		next.Set("next", "https://evil.example/")
		resp = s.Do(t, "POST", "/parties/12/adjudications", next.Encode(), withCookie()...)
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Fatalf("Location=%q, want /", loc)
		}
	})

	t.Run("AdjudicateInvalid", func(t *testing.T) {
		bad := url.Values{"source": {"ofac-sdn"}, "source_id": {"90210"}, "entity_hash": {tradeHash}, "reason": {"Same directors"}}
		resp := s.Do(t, "POST", "/parties/12/adjudications", bad.Encode(), withCookie()...)
		mustStatus(t, resp, http.StatusUnprocessableEntity)
		mustContain(t, resp.Body, `<p class="field-error" id="adjudicate-ofac-sdn-90210-decision-error">must be confirm or dismiss</p>`,
			`>Same directors</textarea>`)
	})
}

func TestAlertsPage(t *testing.T) {
	s := MustOpenServer(t)
	s.withSessions()
	s.PartyService.FindAlertsFn = func(_ context.Context, f annex.AlertFilter) ([]*annex.Alert, int, error) {
		if f.Status != nil {
			var out []*annex.Alert
			for _, a := range testAlerts() {
				if a.Status == *f.Status {
					out = append(out, a)
				}
			}
			return out, len(out), nil
		}
		return testAlerts(), 2, nil
	}

	t.Run("All", func(t *testing.T) {
		resp := s.Do(t, "GET", "/alerts", "", officerCookie...)
		mustStatus(t, resp, http.StatusOK)
		open := strings.Index(resp.Body, `id="alert-2"`)
		closed := strings.Index(resp.Body, `id="alert-3"`)
		if open < 0 || closed < 0 || open > closed {
			t.Fatalf("open alert at %d, dismissed at %d: want the open one first", open, closed)
		}
		mustContain(t, resp.Body,
			`<article class="alert alert-open" id="alert-2" data-status="open">`,
			`<a href="/parties/12">Orion Rocket Works</a> may be <a class="entry-link" href="/parties/12#hit-un-KPe.901">Orion Rocket Works</a>`,
			`<form method="post" action="/parties/12/adjudications" class="adjudicate" id="adjudicate-alert-2" novalidate>`,
			`<input type="hidden" name="next" value="/alerts">`,
			`<input type="hidden" name="entity_hash" value="`+orionHash+`">`)
		if strings.Contains(resp.Body, `id="adjudicate-alert-3"`) {
			t.Fatalf("a decision form on a closed alert")
		}
	})
	t.Run("Dismissed", func(t *testing.T) {
		resp := s.Do(t, "GET", "/alerts?status=dismissed", "", officerCookie...)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, resp.Body, `id="alert-3"`, `<option value="dismissed" selected>`)
		if strings.Contains(resp.Body, `id="alert-2"`) {
			t.Fatalf("open alert shown under dismissed")
		}
	})
	t.Run("BadStatus", func(t *testing.T) {
		mustStatus(t, s.Do(t, "GET", "/alerts?status=closed", "", officerCookie...), http.StatusUnprocessableEntity)
	})
}

func TestListsPage(t *testing.T) {
	s := MustOpenServer(t)
	s.ListStore.FindSnapshotsFn = func(context.Context, annex.ListSnapshotFilter) ([]*annex.ListSnapshot, int, error) {
		return testSnapshots(), 2, nil
	}
	resp := s.Do(t, "GET", "/lists", "")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, resp.Body,
		`<tr class="list" id="list-un"><th scope="row"><span class="source">un</span> UN Security Council consolidated list</th><td>un-xml</td><td>consolidated.xml</td><td>2026-11-20</td><td>1004</td><td>2871</td><td>2026-11-27 09:00 UTC</td><td><code title="`+strings.Repeat("d4", 32)+`">d4d4d4d4d4d4</code></td></tr>`,
		`<td>sdn.csv, alt.csv, add.csv</td>`)

	s.ListStore.FindSnapshotsFn = func(context.Context, annex.ListSnapshotFilter) ([]*annex.ListSnapshot, int, error) {
		return nil, 0, nil
	}
	resp = s.Do(t, "GET", "/lists", "")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, resp.Body, `<p id="no-lists">No list is loaded yet`)
}
