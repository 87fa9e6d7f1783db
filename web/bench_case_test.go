package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"annex"
)

// fixedAssess is an assessment service that answers every application
// with the same assessment, of the size the policy writes: seeding 5,000
// applications through the real one would time the classifier, not the
// case list.
type fixedAssess struct{ a *annex.Assessment }

// Assess implements annex.AssessService.
func (f fixedAssess) Assess(context.Context, *annex.ApplicationSpec) (*annex.Assessment, error) {
	c := *f.a
	return &c, nil
}

// seedCases stores n submitted applications over the real store's
// services, spread over 50 exporting organisations, a third of them taken
// by the officer, and returns the officer.
func seedCases(b *testing.B, st *stack, n int) *annex.User {
	b.Helper()
	ctx := context.Background()
	officer := &annex.User{Username: "officer0", Name: "Officer 0", Role: annex.RoleLicensingOfficer}
	if err := st.Users.CreateUser(ctx, officer, storePassword); err != nil {
		b.Fatal(err)
	}
	var exporters []*annex.User
	for i := range 50 {
		o := st.mustOrg(b, fmt.Sprintf("Exporter %02d", i), annex.OrgExporter)
		u := &annex.User{Username: fmt.Sprintf("exporter%02d", i), Role: annex.RoleExporterUser, OrgID: o.ID}
		if err := st.Users.CreateUser(ctx, u, storePassword); err != nil {
			b.Fatal(err)
		}
		exporters = append(exporters, u)
	}
	octx := annex.NewContextWithUser(ctx, officer)
	for i := range n {
		ectx := annex.NewContextWithUser(ctx, exporters[i%len(exporters)])
		app := &annex.Application{ApplicationSpec: motorSpec()}
		app.Items[0].Name = fmt.Sprintf("SRM-%d motor", i)
		if err := st.Apps.CreateApplication(ectx, app); err != nil {
			b.Fatal(err)
		}
		sub, err := st.Apps.Act(ectx, app.ID, &annex.CaseAction{Type: annex.ActSubmit, Version: app.Version})
		if err != nil {
			b.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := st.Apps.Act(octx, app.ID, &annex.CaseAction{Type: annex.ActAssign, Version: sub.Version}); err != nil {
				b.Fatal(err)
			}
		}
	}
	return officer
}

// BenchmarkCaseList measures the officer's case list with 50 signed-in
// users at once, each with a session of its own, over loopback against
// the real server and the real store (SQLite) holding 5,000 submitted
// applications, each with an assessment of the policy's size. Two
// requests: the page GET /cases (the unassigned queue: 50 cases, newest
// first, with their exporters' names) and the API's GET
// /api/v1/applications?status=submitted&limit=50. Each goes through the
// whole server: session lookup, the store's query, the page's rendering or
// the JSON encoding.
//
// "closed" keeps all 50 users requesting back to back, with no pause: the
// server's saturation, where latency is the queue of 50 requests. "paced"
// gives each user a pause of 0.5 to 1.5 s (1 s on average) before each
// request, about 50 requests a second in all: 50 people working their
// queues fast. Each reports requests per second and the p50 and p99
// latencies; the target is a p99 of 100 ms or less.
func BenchmarkCaseList(b *testing.B) {
	st := mustOpenStack(b)
	st.Apps.Assess = fixedAssess{motorAssessment()}
	start := time.Now()
	seedCases(b, st, 5000)
	b.Logf("seeded 5,000 applications in %v", time.Since(start).Round(time.Millisecond))

	const users = 50
	var tokens []string
	for i := range users {
		u := &annex.User{Username: fmt.Sprintf("officer%02d", i+1), Role: annex.RoleLicensingOfficer}
		if err := st.Users.CreateUser(context.Background(), u, storePassword); err != nil {
			b.Fatal(err)
		}
		sess, err := st.Sessions.CreateSession(context.Background(), u.ID, time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		tokens = append(tokens, sess.Token)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: users}, Timeout: 30 * time.Second}
	requests := []struct {
		name, path, want string
		header           func(token string) (string, string)
	}{
		{"page", "/cases", `<tr class="case"`, func(t string) (string, string) { return "Cookie", "annex_session=" + t }},
		{"api", "/api/v1/applications?status=submitted&limit=50", `"total":3333`, func(t string) (string, string) { return "Authorization", "Bearer " + t }},
	}
	for _, rq := range requests {
		get := func(b *testing.B, token string) time.Duration {
			req, err := http.NewRequest("GET", st.URL()+rq.path, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set(rq.header(token))
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return 0
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			d := time.Since(t0)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), rq.want) {
				b.Errorf("status %d, body without %s", resp.StatusCode, rq.want)
			}
			return d
		}
		for _, mode := range []struct {
			name  string
			pause func(user, n int) time.Duration
		}{
			{"closed", func(int, int) time.Duration { return 0 }},
			{"paced", func(user, n int) time.Duration {
				// A spread of pauses from 0.5 to 1.5 s, different for each
				// user and request, the same from run to run.
				return 500*time.Millisecond + time.Duration((user*7919+n*104729)%1000)*time.Millisecond
			}},
		} {
			b.Run(rq.name+"/"+mode.name, func(b *testing.B) {
				var warm sync.WaitGroup
				for _, token := range tokens {
					warm.Go(func() { get(b, token) })
				}
				warm.Wait()

				var mu sync.Mutex
				var latencies []time.Duration
				work := make(chan struct{})
				var wg sync.WaitGroup
				t0 := time.Now()
				for user, token := range tokens {
					wg.Go(func() {
						n := 0
						for range work {
							time.Sleep(mode.pause(user, n))
							n++
							d := get(b, token)
							mu.Lock()
							latencies = append(latencies, d)
							mu.Unlock()
						}
					})
				}
				for b.Loop() {
					work <- struct{}{}
				}
				close(work)
				wg.Wait()
				elapsed := time.Since(t0)
				slices.Sort(latencies)
				pct := func(p float64) float64 {
					return float64(latencies[int(p*float64(len(latencies)-1))]) / float64(time.Millisecond)
				}
				b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
				b.ReportMetric(pct(0.50), "p50-ms")
				b.ReportMetric(pct(0.99), "p99-ms")
			})
		}
	}
}
