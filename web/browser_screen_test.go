package web_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"annex"
	"annex/screen"
	"annex/sqlstore"
)

// browserEntities are a few hand-written list entries, invented for the
// test: a UN entry with an alias and a name in Korean script, a UN person,
// and an OFAC entry that shares a word with the first.
func browserEntities() map[annex.ListSource][]*annex.ListEntity {
	return map[annex.ListSource][]*annex.ListEntity{
		annex.SourceUN: {
			{Source: annex.SourceUN, SourceID: "KPe.901", Type: annex.EntityOrganization,
				Names: []annex.EntityName{{Name: "Orion Rocket Works", Kind: annex.NamePrimary},
					{Name: "Orion Machine-Building Plant", Kind: annex.NameAlias},
					{Name: "오리온 로케트 공장", Kind: annex.NameOriginal}},
				Countries: []string{"KP"}, Programs: []string{"DPRK"}, ListedOn: "2016-03-02"},
			{Source: annex.SourceUN, SourceID: "IRi.901", Type: annex.EntityPerson,
				Names:        []annex.EntityName{{Name: "Dariush Kamali Nejad", Kind: annex.NamePrimary}},
				DatesOfBirth: []string{"1961-04-11"}, Countries: []string{"IR"}, Programs: []string{"Iran"}},
		},
		annex.SourceOFACSDN: {
			{Source: annex.SourceOFACSDN, SourceID: "90210", Type: annex.EntityOrganization,
				Names:     []annex.EntityName{{Name: "ORION TRADING LIMITED", Kind: annex.NamePrimary}},
				Countries: []string{"HK"}, Programs: []string{"NPWMD"}, SourceList: "SDN List"},
		},
	}
}

// indexScreen is a small ScreenService over a real screening index, as
// cmd/annex wires one: it adds each match's entity hash and applies the
// threshold of the call.
type indexScreen struct {
	index  *screen.Index
	hashes map[string]string
}

// newIndexScreen indexes the active lists of the store.
func newIndexScreen(tb testing.TB, lists annex.ListStore) *indexScreen {
	tb.Helper()
	_, entities, err := lists.ActiveLists(context.Background())
	if err != nil {
		tb.Fatalf("ActiveLists: %v", err)
	}
	s := &indexScreen{hashes: make(map[string]string)}
	var all []*annex.ListEntity
	for _, es := range entities {
		for _, e := range es {
			s.hashes[string(e.Source)+"/"+e.SourceID] = annex.EntityHash(e)
			all = append(all, e)
		}
	}
	if len(all) > 0 {
		s.index = screen.NewIndex(all, screen.Options{})
	}
	return s
}

// Screen implements annex.ScreenService.
func (s *indexScreen) Screen(_ context.Context, q annex.ScreenQuery, threshold float64, limit int) (*annex.ScreenResult, error) {
	if s.index == nil {
		return nil, annex.Errorf(annex.ECONFLICT, "No screening list is loaded.")
	}
	res := s.index.Search(q, limit)
	for i := range res.Matches {
		m := &res.Matches[i]
		m.EntityHash = s.hashes[string(m.Source)+"/"+m.SourceID]
		if threshold > 0 {
			m.Match = m.Score >= threshold
		}
	}
	return &res, nil
}

// mustOpenStore opens a migrated SQLite database in a temporary directory
// with the hand-written lists loaded.
func mustOpenStore(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db := sqlstore.NewDB(filepath.Join(tb.TempDir(), "annex.db"))
	if err := db.Open(); err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	lists := sqlstore.NewListStore(db)
	for _, src := range []annex.ListSource{annex.SourceUN, annex.SourceOFACSDN} {
		snap := &annex.ListSnapshot{Source: src, Format: "test", Files: []string{string(src) + ".json"}, SHA256: strings.Repeat("0", 64)}
		if err := lists.CreateSnapshot(context.Background(), snap, browserEntities()[src]); err != nil {
			tb.Fatalf("CreateSnapshot(%s): %v", src, err)
		}
	}
	return db
}

// TestBrowserScreen is the acceptance test of party screening: with the
// real screening engine over a few listed entities and a real SQLite store,
// a signed-in officer screens a listed name, reads why it matches, dismisses
// the hit with a reason, sees the decision marked on the hit, and finds the
// party and the decision on the party's page.
func TestBrowserScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	start := time.Now()
	db := mustOpenStore(t)
	users := sqlstore.NewUserService(db)
	users.PasswordParams = sqlstore.PasswordParams{MemoryKiB: 64, Iterations: 1, Threads: 1}
	const password = "correct horse battery"
	u := &annex.User{Username: "screener", Name: "Screening Officer", Role: annex.RoleLicensingOfficer}
	if err := users.CreateUser(context.Background(), u, password); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	lists := sqlstore.NewListStore(db)
	parties := sqlstore.NewPartyService(db)
	s := MustOpenServer(t, func(s *Server) {
		s.Addr = "127.0.0.1:0"
		s.Server.UserService = users
		s.Server.SessionService = sqlstore.NewSessionService(db)
		s.Server.AuditService = sqlstore.NewAuditService(db)
		s.Server.ListStore = lists
		s.Server.PartyService = parties
		s.Server.ScreenService = newIndexScreen(t, lists)
	})
	ctx := newBrowser(t)

	step(t, ctx, "sign in",
		chromedp.Navigate(s.URL()+"/login?next=/screen"),
		chromedp.SendKeys(chromedp.ID("username"), u.Username),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("screen-form")),
	)
	step(t, ctx, "screen a listed name",
		chromedp.SendKeys(chromedp.ID("name"), "Orion Rocket Works"),
		chromedp.SetValue(chromedp.ID("country"), "KP"),
		chromedp.Click(chromedp.ID("screen-submit")),
		chromedp.WaitVisible(chromedp.ID("screen-results")),
	)
	const hit = `article.hit[id="hit-un-KPe.901"]`
	mustText(t, ctx, chromedp.CSS(`#screen-results article.hit .hit-name`), "Orion Rocket Works MATCH")
	mustTextContains(t, ctx, chromedp.CSS(hit+` .source-id`), "KPe.901")
	if score := evaluate[float64](t, ctx, `Number(document.querySelector('`+hit+` .score').textContent)`); score < 0.9 {
		t.Fatalf("score %.2f, want at least 0.9 for the exact primary name", score)
	}

	// The explanation is closed at first; its summary opens it without
	// script.
	if open := evaluate[bool](t, ctx, `document.querySelector('`+hit+` details.explanation').open`); open {
		t.Fatalf("explanation open before a click")
	}
	step(t, ctx, "open the explanation",
		chromedp.Click(chromedp.CSS(hit+` details.explanation summary`)),
		chromedp.WaitVisible(chromedp.CSS(hit+` .explanation-table`)),
	)
	mustTextContains(t, ctx, chromedp.CSS(hit+` .explanation-table`), "final")

	const reason = "Registered in Busan in 2019; not the listed works"
	const form = `form[id="adjudicate-un-KPe.901"]`
	step(t, ctx, "dismiss the hit",
		chromedp.Click(chromedp.CSS(form+` input[value="dismiss"]`)),
		chromedp.SendKeys(chromedp.CSS(form+` textarea[name="reason"]`), reason),
		chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[id="decision-un-KPe.901"]`)),
	)
	mustTextContains(t, ctx, chromedp.CSS(`[id="decision-un-KPe.901"]`), "Dismissed by screener: "+reason)
	if n := evaluate[int](t, ctx, `document.querySelectorAll('[id="hit-ofac-sdn-90210"] .decision').length`); n != 0 {
		t.Fatalf("%d decision markers on the OFAC hit, want none", n)
	}

	step(t, ctx, "open the party",
		chromedp.Click(chromedp.CSS(`#screen-party a`)),
		chromedp.WaitVisible(chromedp.ID("party-name")),
	)
	mustText(t, ctx, chromedp.ID("party-name"), "Orion Rocket Works")
	mustTextContains(t, ctx, chromedp.ID("party"), "KP")
	mustTextContains(t, ctx, chromedp.CSS(`#adjudications tr.adjudication`), reason)
	mustTextContains(t, ctx, chromedp.CSS(`#adjudications tr.adjudication`), "as listed now")
	mustTextContains(t, ctx, chromedp.CSS(`[id="decision-un-KPe.901"]`), "Dismissed by screener")

	// The decision is in the database, for the entity as listed.
	adjs, n, err := parties.FindAdjudications(context.Background(), annex.AdjudicationFilter{})
	if err != nil || n != 1 {
		t.Fatalf("FindAdjudications: %d, %v; want 1", n, err)
	}
	if a := adjs[0]; a.Decision != annex.DecisionDismiss || a.Reason != reason || a.Username != u.Username ||
		a.EntityHash != annex.EntityHash(browserEntities()[annex.SourceUN][0]) {
		t.Fatalf("adjudication=%+v", a)
	}
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}
