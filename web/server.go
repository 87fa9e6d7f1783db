// Package web serves Annex over HTTP: HTML pages at /… and a JSON API at
// /api/v1/…, both calling the same annex services.
//
// The control list, the kinds, the list versions, the OpenAPI document,
// classification and the capability analysis of a missile are public
// reference tools that need no sign-in: the MTCR Annex is public, and
// classifying an item or flying a missile's stages is a stateless
// calculation, like the UK's public goods checker. So are screening a name
// against the sanctions and denied-party lists and describing the loaded
// lists (see routes), and so is assessing an application without storing
// it (POST /api/v1/assess), which an exporter runs before applying. Every
// other route needs a
// session, from the annex_session cookie of a browser or an "Authorization:
// Bearer" token of an API client. A user whose password must change may only
// change it or sign out.
//
// The routes of case work admit the roles that use them (see only and the
// role groups of access.go): exporters their applications, the
// authority's case workers the cases, customs and officers the licences,
// administrators the organisations and users, exporter administrators
// their own organisation's users. Within a route, the domain decides the
// rest: annex.NextStatus which step of a case a user may take, and the
// stores that an exporter sees only its own organisation's records and
// creates only its own organisation's users.
//
// Handlers parse input, call one service and render the result. Errors carry
// annex error codes, which one table maps to HTTP statuses; the API writes
// them as RFC 9457 problem details and the pages as an error page. Internal
// error text is logged, never shown.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"annex"
)

// Timeouts of the HTTP server. The write timeout bounds the slowest response:
// classifying MaxItems items takes well under a second, and the capability
// analysis of a missile about a second.
const (
	readTimeout       = 30 * time.Second
	readHeaderTimeout = 5 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
)

// ShutdownTimeout is how long Close waits for requests in flight to finish.
const ShutdownTimeout = 5 * time.Second

// Server is Annex's HTTP server. Set the service fields, then call Open.
type Server struct {
	ln      net.Listener
	server  *http.Server
	mux     *http.ServeMux
	handler http.Handler
	pages   *templates

	// Addr is the address to listen on, as "127.0.0.1:8080"; ":0" picks a
	// free port (tests).
	Addr string
	// Logger receives request logs and internal errors. Nil discards them.
	Logger *slog.Logger

	// Services used by the routes.
	ControlListService annex.ControlListService
	CapabilityService  annex.CapabilityService
	UserService        annex.UserService
	SessionService     annex.SessionService
	AuditService       annex.AuditService
	// ScreenService screens parties against the loaded lists; PartyService
	// keeps the parties, the decisions on their hits and the alerts;
	// ListStore describes the loaded lists.
	ScreenService annex.ScreenService
	PartyService  annex.PartyService
	ListStore     annex.ListStore
	// AssessService assesses an application without storing it;
	// ApplicationService keeps applications and their case work,
	// LicenceService the licences issued and their draw-down, and
	// OrganisationService the exporting organisations.
	AssessService       annex.AssessService
	ApplicationService  annex.ApplicationService
	LicenceService      annex.LicenceService
	OrganisationService annex.OrganisationService
	// SanctionService keeps the sanctions register: entities, transfer
	// reports, determinations, measures, waivers and policy holds;
	// DeterminationService applies the rule packs to a transfer.
	SanctionService      annex.SanctionService
	DeterminationService annex.DeterminationService
	// RulePacks are the rule packs the determination form offers; empty
	// offers the two built-in US packs.
	RulePacks []RulePack
	// ExchangeService serves the signed feed of denial notifications and
	// consultations to the partners; nil when there is no partner.
	ExchangeService ExchangeService
	// DenialService keeps the denial notifications sent and received, and
	// the consultations partners asked of this government.
	DenialService annex.DenialService

	// Now is the clock of what depends on the day: a licence's expiry, the
	// appeal window. Nil is time.Now.
	Now func() time.Time
	// AsOf is the clock of the sanctions register: the day its measures'
	// status is read on. A demonstration fixes it on the scenario's day;
	// nil is Now.
	AsOf func() time.Time

	// SecureCookies marks the session cookie Secure and sends HSTS. Set it
	// when the server is reached over HTTPS.
	SecureCookies bool
}

// NewServer returns a server with its routes and templates ready. It panics
// if an embedded template does not parse: that is a build defect.
func NewServer() *Server {
	s := &Server{mux: http.NewServeMux(), pages: mustParseTemplates()}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.guard(rt))
	}
	s.handler = s.middleware(http.HandlerFunc(s.dispatch))
	s.server = &http.Server{
		Handler:           s.handler,
		ReadTimeout:       readTimeout,
		ReadHeaderTimeout: readHeaderTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
	}
	return s
}

// Handler returns the server's whole handler: the routes wrapped in the
// middleware. Tests can use it with httptest.
func (s *Server) Handler() http.Handler { return s.handler }

// Open listens on Addr and serves in the background. Listening happens
// before Open returns, so a bad address is reported here.
func (s *Server) Open() error {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.Addr, err)
	}
	s.ln = ln
	s.server.ErrorLog = slog.NewLogLogger(s.logger().Handler(), slog.LevelWarn)
	go func() {
		if err := s.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logger().Error("http serve", slog.String("error", err.Error()))
		}
	}()
	return nil
}

// Close shuts the server down gracefully, waiting up to ShutdownTimeout for
// requests in flight.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	return s.server.Shutdown(ctx)
}

// URL returns the base URL of the open server, as "http://127.0.0.1:41234".
// An unspecified listening address (":0") reads as 127.0.0.1.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	addr := s.ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// access says who may use a route.
type access int

const (
	// public routes are open to anyone; a user who must change their
	// password is sent to do that first.
	public access = iota
	// always routes are open to anyone at any time: assets, health, sign-out.
	always
	// signedIn routes need a session.
	signedIn
	// forcedOK routes need a session and stay open to a user who must change
	// their password.
	forcedOK
)

// route is one entry of the routing table.
type route struct {
	pattern string
	handler http.HandlerFunc
	access  access
}

// routes is the routing table. The OpenAPI test checks its /api/v1 routes
// against web/openapi.json.
//
// Screening a name against the loaded lists (/screen, /api/v1/screen) and
// describing those lists (/lists, /api/v1/lists) are public, like
// classification: the lists are public documents and a screening is a
// stateless lookup that stores nothing, as OFAC's Sanctions List Search is
// open to anyone. Storing parties, recording decisions on their hits and
// reading alerts need a session; an exporter user sees only the records of
// its own organisation, which the PartyService enforces from the user in
// the context.
//
// Case work: exporters create, edit and submit applications, answer
// questions, appeal and withdraw (/applications); licensing and senior
// officers, reviewers and analysts read the cases and the first three work
// them (/cases); exporters, officers, customs and analysts read licences,
// customs records shipments and officers change licences (/licences);
// administrators manage organisations and users (/admin), and an exporter
// administrator the users of its own organisation (/admin/users, which
// shows it only those). The API mirrors the pages under /api/v1.
func (s *Server) routes() []route {
	return []route{
		{"GET /healthz", s.handleHealth, always},
		{"GET /static/", s.handleStatic, always},
		{"GET /{$}", s.handleHome, public},

		{"GET /control-list", s.handleControlListPage, public},
		{"GET /control-list/{id}", s.handleEntryPage, public},
		{"GET /classify", s.handleClassifyPage, public},
		{"POST /classify", s.handleClassifyForm, public},
		{"GET /capability", s.handleCapabilityPage, public},
		{"POST /capability", s.handleCapabilityForm, public},
		{"GET /screen", s.handleScreenPage, public},
		{"POST /screen", s.handleScreenAdjudicate, signedIn},
		{"GET /lists", s.handleListsPage, public},
		{"GET /parties", s.handlePartiesPage, signedIn},
		{"GET /parties/{id}", s.handlePartyPage, signedIn},
		{"POST /parties/{id}/adjudications", s.handleAdjudicateForm, signedIn},
		{"GET /alerts", s.handleAlertsPage, signedIn},
		{"GET /applications", s.only(exporterRoles, s.handleApplicationsPage), signedIn},
		{"GET /applications/new", s.only(exporterRoles, s.handleNewApplicationPage), signedIn},
		{"POST /applications", s.only(exporterRoles, s.handleCreateApplicationForm), signedIn},
		{"GET /applications/{id}", s.only(exporterRoles, s.handleApplicationPage), signedIn},
		{"GET /applications/{id}/edit", s.only(exporterRoles, s.handleEditApplicationPage), signedIn},
		{"POST /applications/{id}/edit", s.only(exporterRoles, s.handleUpdateApplicationForm), signedIn},
		{"POST /applications/{id}/actions", s.only(exporterRoles, s.handleApplicationActionForm), signedIn},
		{"POST /applications/{id}/documents", s.only(exporterRoles, s.handleDocumentForm), signedIn},
		{"GET /cases", s.only(caseRoles, s.handleCasesPage), signedIn},
		{"GET /cases/{id}", s.only(caseRoles, s.handleCasePage), signedIn},
		{"POST /cases/{id}/actions", s.only(caseActors, s.handleCaseActionForm), signedIn},
		{"GET /licences", s.only(licenceRoles, s.handleLicencesPage), signedIn},
		{"GET /licences/{number}", s.only(licenceRoles, s.handleLicencePage), signedIn},
		{"POST /licences/{number}/shipments", s.only(customsRoles, s.handleShipmentForm), signedIn},
		{"POST /licences/{number}/actions", s.only(officerRoles, s.handleLicenceChangeForm), signedIn},
		{"GET /admin/organisations", s.only(adminRoles, s.handleOrganisationsPage), signedIn},
		{"POST /admin/organisations", s.only(adminRoles, s.handleOrganisationForm), signedIn},
		{"GET /admin/users", s.only(userAdminRoles, s.handleUsersPage), signedIn},
		{"POST /admin/users", s.only(userAdminRoles, s.handleUserForm), signedIn},
		{"GET /register", s.only(registerReaders, s.handleRegisterPage), signedIn},
		{"GET /register/entities/{id}", s.only(registerReaders, s.handleEntityPage), signedIn},
		{"GET /register/transfers/{id}", s.only(registerReaders, s.handleTransferPage), signedIn},
		{"GET /register/report", s.only(registerReaders, s.handleSanctionsReportPage), signedIn},
		{"POST /register/holds", s.only(registerWriters, s.handleHoldForm), signedIn},
		{"POST /register/holds/{id}/end", s.only(registerWriters, s.handleEndHoldForm), signedIn},
		{"POST /register/entities", s.only(registerWriters, s.handleEntityForm), signedIn},
		{"POST /register/entities/{id}/waivers", s.only(registerWriters, s.handleWaiverForm), signedIn},
		{"GET /register/transfers/new", s.only(registerWriters, s.handleNewTransferPage), signedIn},
		{"POST /register/transfers", s.only(registerWriters, s.handleTransferForm), signedIn},
		{"POST /register/transfers/{id}/determinations", s.only(registerWriters, s.handleDetermineForm), signedIn},
		{"GET /denials", s.only(denialReaders, s.needDenials(s.handleDenialsPage)), signedIn},
		{"GET /denials/{id}", s.only(denialReaders, s.needDenials(s.handleDenialPage)), signedIn},
		{"POST /denials/{id}/amend", s.only(denialWriters, s.needDenials(s.handleAmendDenialForm)), signedIn},
		{"POST /denials/{id}/revoke", s.only(denialWriters, s.needDenials(s.handleRevokeDenialForm)), signedIn},
		{"GET /consultations", s.only(denialReaders, s.needDenials(s.handleConsultationsPage)), signedIn},
		{"POST /consultations/{id}/answer", s.only(denialWriters, s.needDenials(s.handleAnswerConsultationForm)), signedIn},
		{"GET /login", s.handleLoginPage, public},
		{"POST /login", s.handleLoginForm, public},
		{"POST /logout", s.handleLogout, always},
		{"GET /password", s.handlePasswordPage, forcedOK},
		{"POST /password", s.handlePasswordForm, forcedOK},

		{"POST /api/v1/classify", s.handleClassify, public},
		{"POST /api/v1/capability", s.handleCapability, public},
		{"GET /api/v1/control-list", s.handleEntries, public},
		{"GET /api/v1/control-list/versions", s.handleVersions, public},
		{"GET /api/v1/control-list/{id}", s.handleEntry, public},
		{"GET /api/v1/kinds", s.handleKinds, public},
		{"GET /api/v1/screen", s.handleScreen, public},
		{"POST /api/v1/screen", s.handleScreenBatch, public},
		{"GET /api/v1/lists", s.handleLists, public},
		{"GET /api/v1/openapi.json", s.handleOpenAPI, public},
		{"POST /api/v1/session", s.handleCreateSession, public},
		{"DELETE /api/v1/session", s.handleDeleteSession, forcedOK},
		{"GET /api/v1/me", s.handleMe, signedIn},
		{"POST /api/v1/parties", s.handleCreateParty, signedIn},
		{"GET /api/v1/parties", s.handleParties, signedIn},
		{"GET /api/v1/parties/{id}", s.handleParty, signedIn},
		{"POST /api/v1/parties/{id}/adjudications", s.handleAdjudicate, signedIn},
		{"GET /api/v1/alerts", s.handleAlerts, signedIn},

		{"POST /api/v1/assess", s.handleAssess, public},
		{"POST /api/v1/applications", s.only(exporterRoles, s.handleCreateApplication), signedIn},
		{"GET /api/v1/applications", s.only(applicationRoles, s.handleApplications), signedIn},
		{"GET /api/v1/applications/{id}", s.only(applicationRoles, s.handleApplication), signedIn},
		{"PUT /api/v1/applications/{id}", s.only(exporterRoles, s.handleUpdateApplication), signedIn},
		{"POST /api/v1/applications/{id}/actions", s.only(actionRoles, s.handleAct), signedIn},
		{"POST /api/v1/applications/{id}/documents", s.only(exporterRoles, s.handleAddDocument), signedIn},
		{"GET /api/v1/documents/{id}", s.only(applicationRoles, s.handleDocument), signedIn},
		{"GET /api/v1/licences", s.only(licenceRoles, s.handleLicences), signedIn},
		{"GET /api/v1/licences/{number}", s.only(licenceRoles, s.handleLicence), signedIn},
		{"GET /api/v1/licences/{number}/shipments", s.only(licenceRoles, s.handleShipments), signedIn},
		{"POST /api/v1/licences/{number}/shipments", s.only(customsRoles, s.handleRecordShipment), signedIn},
		{"POST /api/v1/licences/{number}/actions", s.only(officerRoles, s.handleChangeLicence), signedIn},
		{"GET /api/v1/exchange/feed", s.handleFeed, always},
		{"GET /api/v1/exchange/key", s.handleExchangeKey, always},
		{"GET /api/v1/denials", s.only(denialReaders, s.needDenials(s.handleDenials)), signedIn},
		{"GET /api/v1/denials/{id}", s.only(denialReaders, s.needDenials(s.handleDenial)), signedIn},
		{"POST /api/v1/denials/{id}/amend", s.only(denialWriters, s.needDenials(s.handleAmendDenial)), signedIn},
		{"POST /api/v1/denials/{id}/revoke", s.only(denialWriters, s.needDenials(s.handleRevokeDenial)), signedIn},
		{"GET /api/v1/consultations", s.only(denialReaders, s.needDenials(s.handleConsultations)), signedIn},
		{"POST /api/v1/consultations/{id}/answer", s.only(denialWriters, s.needDenials(s.handleAnswerConsultation)), signedIn},
		{"POST /api/v1/sanctions/determine", s.handleDetermine, public},
		{"GET /api/v1/sanctions/entities", s.only(registerReaders, s.handleSanctionEntities), signedIn},
		{"POST /api/v1/sanctions/entities", s.only(registerWriters, s.handleCreateSanctionEntity), signedIn},
		{"GET /api/v1/sanctions/entities/{id}", s.only(registerReaders, s.handleSanctionEntity), signedIn},
		{"GET /api/v1/sanctions/transfers", s.only(registerReaders, s.handleTransfers), signedIn},
		{"POST /api/v1/sanctions/transfers", s.only(registerWriters, s.handleCreateTransfer), signedIn},
		{"GET /api/v1/sanctions/transfers/{id}", s.only(registerReaders, s.handleTransfer), signedIn},
		{"POST /api/v1/sanctions/transfers/{id}/determinations", s.only(registerWriters, s.handleDetermineTransfer), signedIn},
		{"GET /api/v1/sanctions/determinations/{id}", s.only(registerReaders, s.handleDetermination), signedIn},
		{"GET /api/v1/sanctions/measures", s.only(registerReaders, s.handleMeasures), signedIn},
		{"GET /api/v1/sanctions/waivers", s.only(registerReaders, s.handleWaivers), signedIn},
		{"POST /api/v1/sanctions/waivers", s.only(registerWriters, s.handleCreateWaiver), signedIn},
		{"GET /api/v1/sanctions/holds", s.only(registerReaders, s.handleHolds), signedIn},
		{"POST /api/v1/sanctions/holds", s.only(registerWriters, s.handleCreateHold), signedIn},
		{"POST /api/v1/sanctions/holds/{id}/end", s.only(registerWriters, s.handleEndHold), signedIn},
		{"GET /api/v1/sanctions/report", s.only(registerReaders, s.handleSanctionsReport), signedIn},
		{"POST /api/v1/organisations", s.only(adminRoles, s.handleCreateOrganisation), signedIn},
		{"GET /api/v1/organisations", s.only(adminRoles, s.handleOrganisations), signedIn},
		{"POST /api/v1/users", s.only(userAdminRoles, s.handleCreateUser), signedIn},
		{"GET /api/v1/users", s.only(userAdminRoles, s.handleUsers), signedIn},
	}
}

// handleHealth answers the load balancer's health check.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok"))
}

// homePage is the data of the home page.
type homePage struct {
	layout
}

// handleHome handles GET /: what Annex is, and where to go.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", homePage{layout: s.layout(r, "Annex")})
}

// dispatch routes a request through the mux, but answers unknown paths and
// methods itself, so that the API gets problem details and the pages get
// the error page instead of the mux's plain text.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	iw := &interceptWriter{ResponseWriter: w}
	s.mux.ServeHTTP(iw, r)
	switch iw.status {
	case http.StatusNotFound:
		s.error(w, r, annex.Errorf(annex.ENOTFOUND, "There is nothing at %s.", r.URL.Path))
	case http.StatusMethodNotAllowed:
		s.writeError(w, r, http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("%s is not allowed on %s.", r.Method, r.URL.Path), nil)
	}
}

// interceptWriter swallows the mux's own 404 and 405 responses so that
// dispatch can write its own; any other response (a redirect to a cleaned
// path) goes through.
type interceptWriter struct {
	http.ResponseWriter
	status int
}

func (w *interceptWriter) WriteHeader(status int) {
	if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
		w.status = status
		w.Header().Del("Content-Type")
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *interceptWriter) Write(b []byte) (int, error) {
	if w.status != 0 {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}
