package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"annex"
	"annex/exchange"
	"annex/sqlstore"
)

// government is one instance of the exchange test: a government's Annex
// with its exporter, officers and log.
type government struct {
	code                      string
	m                         *Main
	exporter, officer, senior *annex.User
	log                       *syncBuffer
}

// syncBuffer is a log buffer that goroutines may write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startGovernment runs an instance for a government on loopback, with its
// users.
func startGovernment(t *testing.T, code string) *government {
	t.Helper()
	g := &government{code: code, log: &syncBuffer{}}
	m := NewMain()
	m.Config.Addr = "127.0.0.1:0"
	m.Config.DataDir = filepath.Join(t.TempDir(), code)
	m.Config.Government = code
	m.Logger = slog.New(slog.NewTextHandler(g.log, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx := context.Background()
	if err := m.Run(ctx); err != nil {
		t.Fatalf("%s: Run: %v", code, err)
	}
	t.Cleanup(func() { m.Close() })
	g.m = m
	org := &annex.Organisation{Name: code + " Gyro Works", Kind: annex.OrgExporter}
	if err := sqlstore.NewOrganisationService(m.DB).CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	users := sqlstore.NewUserService(m.DB)
	g.exporter = &annex.User{Username: "exporter", Name: "E", Role: annex.RoleExporterUser, OrgID: org.ID}
	g.officer = &annex.User{Username: "officer", Name: "O", Role: annex.RoleLicensingOfficer}
	g.senior = &annex.User{Username: "senior", Name: "S", Role: annex.RoleSeniorOfficer}
	for _, u := range []*annex.User{g.exporter, g.officer, g.senior} {
		if err := users.CreateUser(ctx, u, "a long enough password"); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// partnerOf is g as a partner on another's trust list.
func (g *government) partnerOf(feedURL string) exchange.Partner {
	id := g.m.Exchange.Identity()
	if feedURL == "" {
		feedURL = g.m.Server.URL() + exchange.FeedPath
	}
	return exchange.Partner{Government: g.code, Name: g.code + " licensing authority", FeedURL: feedURL, PublicKey: id.PublicKey}
}

// apply submits an application for gyroscopes to the end user, as g's
// exporter.
func (g *government) apply(t *testing.T, endUser string) *annex.Application {
	t.Helper()
	ctx := annex.NewContextWithUser(context.Background(), g.exporter)
	apps := g.m.Server.ApplicationService
	app := &annex.Application{ApplicationSpec: annex.ApplicationSpec{Destination: "PK", EndUse: "navigation of research aircraft",
		Assurances: annex.Assurances{EndUseStatement: true, NoWMDUse: true, NoRetransfer: true},
		Parties:    []annex.ApplicationParty{{Role: annex.RoleEndUser, Name: endUser, Country: "PK"}},
		Items: []annex.ApplicationLine{{Item: annex.Item{Name: "FOG gyro", Kind: "gyroscope", Params: map[string]any{"drift_rate_deg_per_h": 0.2}},
			Quantity: 4, Value: 20000}}}}
	if err := apps.CreateApplication(ctx, app); err != nil {
		t.Fatal(err)
	}
	return g.act(t, g.exporter, app, annex.CaseAction{Type: annex.ActSubmit})
}

// act takes a step of the case as a user, failing the test on an error.
func (g *government) act(t *testing.T, u *annex.User, app *annex.Application, act annex.CaseAction) *annex.Application {
	t.Helper()
	got, err := g.try(u, app, act)
	if err != nil {
		t.Fatalf("%s: %s as %s: %v", g.code, act.Type, u.Username, err)
	}
	return got
}

func (g *government) try(u *annex.User, app *annex.Application, act annex.CaseAction) (*annex.Application, error) {
	act.Version = app.Version
	return g.m.Server.ApplicationService.Act(annex.NewContextWithUser(context.Background(), u), app.ID, &act)
}

// pull pulls the partners' feeds now, and waits for the open cases to be
// assessed again as what arrived asks: the run the pull started in the
// background, or this one after it, whichever comes last changes nothing.
func (g *government) pull(t *testing.T) {
	t.Helper()
	if err := g.m.Exchange.pull(context.Background()); err != nil {
		t.Fatalf("%s: pull: %v", g.code, err)
	}
	if err := g.m.reassessOpen(context.Background()); err != nil {
		t.Fatalf("%s: reassess: %v", g.code, err)
	}
}

func (g *government) received(t *testing.T) []*annex.Denial {
	t.Helper()
	ds, _, err := g.m.Denials.FindDenials(context.Background(), annex.DenialFilter{Received: true})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestExchangeThreeInstances runs three governments' Annex on loopback.
// The UK refuses a licence; France and Germany pull its signed denial, and
// Germany's essentially identical open case, assessed again, consults the
// UK. A tampered and an unsigned copy of a later notification are refused and
// logged. An essentially identical application in France is referred with
// a consultation of the UK and cannot be approved until the UK, having
// pulled the request, answers; France pulls the answer and approves.
func TestExchangeThreeInstances(t *testing.T) {
	gb, fr, de := startGovernment(t, "GB"), startGovernment(t, "FR"), startGovernment(t, "DE")
	all := []*government{gb, fr, de}
	for _, g := range all {
		var trust exchange.TrustList
		for _, p := range all {
			if p != g {
				trust = append(trust, p.partnerOf(""))
			}
		}
		g.m.Exchange.SetTrust(trust)
	}
	ctx := context.Background()

	// 1. The UK refuses: a refusal is countersigned, and the denial is
	// notified.
	app := gb.apply(t, "Orbital Propulsion Research Bureau")
	app = gb.act(t, gb.officer, app, annex.CaseAction{Type: annex.ActAssign})
	app = gb.act(t, gb.officer, app, annex.CaseAction{Type: annex.ActProposeDecision,
		Decision: &annex.CaseDecision{Type: annex.DecisionRefuse, Criteria: []string{"factor-A"}, Reasons: "Risk of diversion to a missile programme."}})
	app = gb.act(t, gb.senior, app, annex.CaseAction{Type: annex.ActCountersign})
	if app.Status != annex.StatusRefused {
		t.Fatalf("GB case %s, want refused", app.Status)
	}
	sent, _, err := gb.m.Denials.FindDenials(ctx, annex.DenialFilter{Sent: true})
	if err != nil || len(sent) != 1 {
		t.Fatalf("GB sent %d denials (%v), want 1", len(sent), err)
	}
	denial := sent[0]
	// Germany has an essentially identical case open already.
	deApp := de.apply(t, "Orbital Propulsion Research Bureau")

	// 2. France and Germany pull it, signed, from the UK's feed; Germany's
	// open case, assessed again, now consults the UK.
	for _, g := range []*government{fr, de} {
		g.pull(t)
		got := g.received(t)
		if len(got) != 1 || got[0].ID != denial.ID || got[0].Entry != denial.Entry || got[0].NotifyingGovernment != "GB" {
			t.Fatalf("%s received %+v, want GB's denial %s", g.code, got, denial.ID)
		}
		if r := got[0].Received; r == nil || r.Feed != gb.m.Server.URL()+exchange.FeedPath || r.KeyID != gb.m.Exchange.Identity().KeyID {
			t.Errorf("%s: receipt %+v, want the UK's feed and key", g.code, r)
		}
		g.pull(t) // a second pull changes nothing
		if n := len(g.received(t)); n != 1 {
			t.Errorf("%s has %d denials after pulling again", g.code, n)
		}
	}
	deApp, err = de.m.Server.ApplicationService.FindApplicationByID(annex.NewContextWithUser(ctx, de.officer), deApp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := deApp.Consultations; len(c) != 1 || c[0].DenialID != denial.ID || !hasReason(deApp.Assessment, annex.RuleNoUndercut, denial.ID) {
		t.Fatalf("DE's open case after the denial arrived: consultations %+v, reasons %+v", c, deApp.Assessment.Reasons)
	}

	// 3. A feed whose notifications are tampered with, or unsigned, is
	// refused and logged. The UK amends its denial (sequence 2); Germany
	// pulls it through a proxy that alters it.
	if _, err := gb.m.Denials.AmendDenial(annex.NewContextWithUser(ctx, gb.officer), denial.ID,
		annex.DenialUpdate{Reason: ptrTo("Risk of diversion to a missile programme; the end user supplies a Category I programme.")}); err != nil {
		t.Fatalf("amend: %v", err)
	}
	for _, tt := range []struct {
		name   string
		change func(n *annex.Notification)
		logs   string
	}{
		{"tampered", func(n *annex.Notification) { n.Denial.EndUser = "Someone Else Ltd" }, "signature"},
		{"unsigned", func(n *annex.Notification) { n.Signature = "" }, "signature"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			proxy := tamperingProxy(t, gb.m.Server.URL(), tt.change)
			de.m.Exchange.SetTrust(exchange.TrustList{gb.partnerOf(proxy + exchange.FeedPath), fr.partnerOf("")})
			de.pull(t)
			got := de.received(t)
			if len(got) != 1 || got[0].Version != 1 || got[0].EndUser != denial.EndUser {
				t.Errorf("after a %s feed DE holds %+v, want the denial unchanged at version 1", tt.name, got)
			}
			if logs := de.log.String(); !strings.Contains(logs, "notification refused") || !strings.Contains(logs, tt.logs) {
				t.Errorf("DE's log does not record the refusal:\n%s", logs)
			}
		})
	}
	de.m.Exchange.SetTrust(exchange.TrustList{gb.partnerOf(""), fr.partnerOf("")})
	de.pull(t)
	if got := de.received(t); len(got) != 1 || got[0].Version != 2 {
		t.Fatalf("DE after the genuine feed: %+v, want version 2", got)
	}

	// 4. France gets an essentially identical application: referred, with a
	// consultation of the UK that blocks approval.
	frApp := fr.apply(t, "ORBITAL PROPULSION RESEARCH BUREAU")
	// The exporter reads that a partner is consulted, not whose denial.
	if hasReason(frApp.Assessment, annex.RuleNoUndercut, denial.ID) || len(frApp.Consultations) != 0 {
		t.Errorf("the exporter sees the partner's denial: %+v, %+v", frApp.Assessment.Reasons, frApp.Consultations)
	}
	frApp, err = fr.m.Server.ApplicationService.FindApplicationByID(annex.NewContextWithUser(ctx, fr.officer), frApp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !hasReason(frApp.Assessment, annex.RuleNoUndercut, denial.ID) {
		t.Fatalf("FR assessment %s, reasons %+v: want no-undercut naming %s", frApp.Assessment.Recommendation, frApp.Assessment.Reasons, denial.ID)
	}
	if len(frApp.Consultations) != 1 || frApp.Consultations[0].Partner != "GB" || frApp.Consultations[0].Status != annex.ConsultationOpen {
		t.Fatalf("FR consultations %+v, want one open with GB", frApp.Consultations)
	}
	frApp = fr.act(t, fr.officer, frApp, annex.CaseAction{Type: annex.ActAssign})
	approve := annex.CaseAction{Type: annex.ActProposeDecision, Decision: &annex.CaseDecision{Type: annex.DecisionApprove, Reasons: "The UK has no objection.", ValidMonths: 12}}
	if _, err := fr.try(fr.officer, frApp, approve); annex.ErrorCode(err) != annex.ECONFLICT || !strings.Contains(annex.ErrorMessage(err), denial.ID) {
		t.Fatalf("approval while consulting: %v, want ECONFLICT naming %s", err, denial.ID)
	}

	// 5. The UK pulls the request and answers it; Germany ignores a request
	// that is not addressed to it.
	gb.pull(t)
	de.pull(t)
	incoming, err := gb.m.Denials.FindConsultations(annex.NewContextWithUser(ctx, gb.officer), 0)
	var fromFR *annex.Consultation
	for _, c := range incoming {
		if c.DenialID != denial.ID {
			t.Errorf("GB was consulted on %s, want %s", c.DenialID, denial.ID)
		}
		if c.Partner == "FR" {
			fromFR = c
		}
	}
	if err != nil || len(incoming) != 2 || fromFR == nil {
		t.Fatalf("GB's incoming consultations %+v (%v), want FR's and DE's on %s", incoming, err, denial.ID)
	}
	if fromFR.RequestID == "" || fromFR.EndUser != "ORBITAL PROPULSION RESEARCH BUREAU" || fromFR.Destination != "PK" || fromFR.Entry == "" {
		t.Errorf("FR's request as GB holds it: %+v, want its request ID, entry, end user and destination", fromFR)
	}
	if asked, _ := de.m.Denials.FindConsultations(ctx, 0); len(asked) != 0 {
		t.Errorf("DE took a consultation addressed to GB: %+v", asked)
	}
	if _, err := gb.m.Denials.AnswerConsultation(annex.NewContextWithUser(ctx, gb.officer), fromFR.ID,
		"No objection: the bureau has left the programme since our refusal.", false); err != nil {
		t.Fatalf("answer: %v", err)
	}

	// 6. France pulls the answer, and the approval goes through.
	fr.pull(t)
	frApp, err = fr.m.Server.ApplicationService.FindApplicationByID(annex.NewContextWithUser(ctx, fr.officer), frApp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := frApp.Consultations; len(c) != 1 || c[0].Status != annex.ConsultationAnswered || !strings.Contains(c[0].Answer, "No objection") {
		t.Fatalf("FR consultation after the answer: %+v", c)
	}
	frApp = fr.act(t, fr.officer, frApp, approve)
	if frApp.Status != annex.StatusApproved || frApp.Licence == "" {
		t.Fatalf("FR case %s, licence %q: want approved with a licence", frApp.Status, frApp.Licence)
	}
}

// tamperingProxy serves the UK's feed with each notification changed.
func tamperingProxy(t *testing.T, upstream string, change func(n *annex.Notification)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, upstream+r.URL.RequestURI(), nil)
		req.Header.Set("Authorization", r.Header.Get("Authorization"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var feed exchange.Feed
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &feed) != nil {
			w.WriteHeader(resp.StatusCode)
			w.Write(body)
			return
		}
		for i := range feed.Notifications {
			change(&feed.Notifications[i])
		}
		json.NewEncoder(w).Encode(feed)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func hasReason(a *annex.Assessment, rule, text string) bool {
	if a == nil {
		return false
	}
	for _, r := range a.Reasons {
		if r.Rule == rule && strings.Contains(r.Detail, text) {
			return true
		}
	}
	return false
}

func ptrTo[T any](v T) *T { return &v }
