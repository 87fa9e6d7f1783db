package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"annex"
	"annex/controllist"
	"annex/exchange"
	"annex/sqlstore"
	"annex/web"
)

// Main is a running Annex server: its configuration, database, control list
// and HTTP server. Tests build one with a temporary data directory.
type Main struct {
	Config      Config
	DB          *sqlstore.DB
	ControlList *controllist.Service
	Server      *web.Server
	Screener    *screener
	// Sanctions is the register; Clock the day it runs as of.
	Sanctions *sqlstore.SanctionService
	Clock     *clock
	// Denials keeps the denial notifications sent and received and the
	// consultations; Exchange serves and pulls the partners' feeds.
	Denials  *sqlstore.DenialService
	Exchange *exchanger
	Logger   *slog.Logger
	// Out receives what an operator must read at start-up, such as the
	// administrator's one-time password.
	Out io.Writer

	// reloadMu serialises reloads of the screening index; listSnaps and
	// listEnts keep the lists last read, registerKey the state of the
	// register and the day it was read for.
	reloadMu    sync.Mutex
	listSnaps   []*annex.ListSnapshot
	listEnts    [][]*annex.ListEntity
	registerKey string
	apps        *sqlstore.ApplicationService
	// reassessCh asks reassessLoop for a run; reassessMu keeps runs apart;
	// stopLoops ends the loops Run started.
	reassessCh chan struct{}
	reassessMu sync.Mutex
	stopLoops  context.CancelFunc
}

// NewMain returns a Main with the default configuration.
func NewMain() *Main {
	return &Main{Config: DefaultConfig(), Logger: slog.New(slog.DiscardHandler), Out: io.Discard, Clock: &clock{}}
}

// Run opens the database, migrates it, loads the control lists, creates the
// first administrator if there is no user yet, and starts the HTTP server.
// It returns once the server listens.
func (m *Main) Run(ctx context.Context) error {
	if err := m.Config.Validate(); err != nil {
		return annex.Errorf(annex.EINVALID, "%s", err)
	}
	db, err := openDB(ctx, m.Config)
	if err != nil {
		return err
	}
	m.DB = db
	if m.ControlList, err = loadControlLists(ctx, db); err != nil {
		return err
	}
	users := sqlstore.NewUserService(db)
	if err := m.setClock(); err != nil {
		return err
	}
	det, err := newDeterminer(m.ControlList, m.Config.SanctionPacks)
	if err != nil {
		return err
	}
	m.Sanctions = newSanctionService(db, det)
	if m.Config.Demo {
		if err := loadDemo(ctx, m.Sanctions, det, m.ControlList); err != nil {
			return fmt.Errorf("load the demonstration scenario: %w", err)
		}
	}
	m.Screener = &screener{}
	listStore := sqlstore.NewListStore(db)
	if err := m.reloadLists(ctx, listStore); err != nil {
		return err
	}
	s := web.NewServer()
	s.Addr = m.Config.Addr
	s.Logger = m.Logger
	s.SecureCookies = m.Config.SecureCookies
	s.ControlListService = m.ControlList
	s.CapabilityService = m.ControlList
	s.UserService = users
	s.SessionService = sqlstore.NewSessionService(db)
	s.AuditService = sqlstore.NewAuditService(db)
	s.ScreenService = m.Screener
	s.PartyService = sqlstore.NewPartyService(db)
	s.ListStore = listStore
	assess, err := newPolicy(m.ControlList, m.Screener)
	if err != nil {
		return err
	}
	assess.Holds = holdsOf(m.Sanctions)
	assess.Now = m.Clock.Now
	m.Denials = sqlstore.NewDenialService(db, m.Config.Government)
	assess.Denials = receivedDenials(m.Denials, m.Clock.Now)
	if err := m.openExchange(); err != nil {
		return err
	}
	s.ExchangeService = m.Exchange
	s.DenialService = m.Denials
	s.SanctionService = &registerNotifier{SanctionService: m.Sanctions, changed: m.reloadRegister}
	s.DeterminationService = det
	for _, p := range det.engine.Packs {
		s.RulePacks = append(s.RulePacks, web.RulePack{ID: p.ID, Label: p.Title})
	}
	s.AsOf = m.Clock.Now
	apps := sqlstore.NewApplicationService(db)
	apps.Assess = assess
	apps.Government = m.Config.Government
	m.apps = apps
	loops, stop := context.WithCancel(context.Background())
	m.reassessCh, m.stopLoops = make(chan struct{}, 1), stop
	go m.reassessLoop(loops)
	s.AssessService = assess
	s.ApplicationService = apps
	s.LicenceService = sqlstore.NewLicenceService(db)
	s.OrganisationService = sqlstore.NewOrganisationService(db)
	m.Server = s
	if err := s.Open(); err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	return m.bootstrapAdmin(ctx, users)
}

// reloadLists rebuilds the screening index when the active list snapshots
// differ from those it holds (another process, annex lists import or
// update, may have changed them), or when the sanctions register or its
// day has changed. The register enters the index as the list
// annex-register: the entities with a measure in force on the clock's day.
func (m *Main) reloadLists(ctx context.Context, store *sqlstore.ListStore) error {
	m.reloadMu.Lock()
	defer m.reloadMu.Unlock()
	snaps, _, err := store.FindSnapshots(ctx, annex.ListSnapshotFilter{ActiveOnly: true})
	if err != nil {
		return fmt.Errorf("find active lists: %w", err)
	}
	day := m.Clock.Day()
	regState, err := m.Sanctions.Changed(asSystem(ctx))
	if err != nil {
		return fmt.Errorf("read the register's state: %w", err)
	}
	regKey := regState + "@" + day
	listsSame := sameSnapshots(snaps, m.listSnaps) && m.Screener.state.Load() != nil
	if listsSame && regKey == m.registerKey {
		return nil
	}
	if !listsSame {
		if m.listSnaps, m.listEnts, err = store.ActiveLists(ctx); err != nil {
			return fmt.Errorf("load active lists: %w", err)
		}
	}
	reg, err := registerList(ctx, m.Sanctions, day)
	if err != nil {
		return err
	}
	m.Screener.load(m.listSnaps, append(slices.Clone(m.listEnts), reg))
	regChanged := m.registerKey != "" && m.registerKey != regKey
	m.registerKey = regKey
	if regChanged {
		// A measure imposed, waived or ended, a hold, or a new day may
		// change the assessment of an open case: assess them all again, in
		// the background, so that the change returns at once.
		m.reassessSoon()
	}
	m.Logger.Info("screening lists loaded", "lists", len(m.listSnaps), "register_entities", len(reg), "entities", m.Screener.state.Load().index.Len())
	return nil
}

// reassessSoon asks the background loop to assess the open cases again;
// requests made while it runs are folded into one more run.
func (m *Main) reassessSoon() {
	if m.reassessCh == nil {
		return
	}
	select {
	case m.reassessCh <- struct{}{}:
	default:
	}
}

// reassessLoop assesses the open cases again on each request, until ctx
// ends.
func (m *Main) reassessLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.reassessCh:
			if err := m.reassessOpen(ctx); err != nil && ctx.Err() == nil {
				m.Logger.Error("reassess open cases after a register change", "error", err)
			}
		}
	}
}

// reassessOpen assesses every open case again against the register and
// lists as they stand; one run at a time.
func (m *Main) reassessOpen(ctx context.Context) error {
	m.reassessMu.Lock()
	defer m.reassessMu.Unlock()
	res, err := m.apps.ReassessOpen(asSystem(ctx))
	if err != nil {
		return err
	}
	m.Logger.Info("open cases reassessed after a register change", "open", res.Open, "changed", len(res.Changed))
	return nil
}

// reloadRegister rebuilds the screening index after a change of the
// register.
func (m *Main) reloadRegister(ctx context.Context) error {
	return m.reloadLists(ctx, sqlstore.NewListStore(m.DB))
}

// openExchange loads the instance's key (creating it on first start) and
// the trust list of partners.
func (m *Main) openExchange() error {
	key, err := loadKey(m.Config.ExchangeKeyFile())
	if err != nil {
		return err
	}
	trust, err := loadTrust(m.Config.Partners)
	if err != nil {
		return err
	}
	m.Exchange = &exchanger{government: m.Config.Government, key: key, denials: m.Denials,
		client: &exchange.Client{Key: key}, logger: m.Logger,
		// A partner's new denial may match an open case: assess them again,
		// which consults the partner on each that now matches.
		received: m.reassessSoon}
	m.Exchange.SetTrust(trust)
	return nil
}

// receivedDenials returns the partners' denials in force today (on the
// clock's day), for the assessment's no-undercut rule.
func receivedDenials(s *sqlstore.DenialService, now func() time.Time) func(ctx context.Context) ([]annex.Denial, error) {
	return func(ctx context.Context) ([]annex.Denial, error) {
		day := now().UTC().Format(time.DateOnly)
		ds, _, err := s.FindDenials(asSystem(ctx), annex.DenialFilter{Received: true, InForceOn: day})
		if err != nil {
			return nil, err
		}
		out := make([]annex.Denial, len(ds))
		for i, d := range ds {
			out[i] = *d
		}
		return out, nil
	}
}

// setClock fixes the clock on -clock, or on the scenario's day with -demo.
func (m *Main) setClock() error {
	day := m.Config.Clock
	if day == "" && m.Config.Demo {
		day = demoDay
	}
	return m.Clock.Set(day)
}

func sameSnapshots(a, b []*annex.ListSnapshot) bool {
	if len(a) != len(b) {
		return false
	}
	ids := map[int64]bool{}
	for _, s := range a {
		ids[s.ID] = true
	}
	for _, s := range b {
		if !ids[s.ID] {
			return false
		}
	}
	return true
}

// watchLists reloads the lists whenever their active snapshots change,
// until ctx ends.
func (m *Main) watchLists(ctx context.Context, every time.Duration) {
	store := sqlstore.NewListStore(m.DB)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := m.reloadLists(ctx, store); err != nil {
				m.Logger.Error("reload screening lists", "error", err)
			}
		}
	}
}

// expireLicences marks licences past their validity as expired, now and
// then every interval, until ctx ends. Reads show expiry at once anyway;
// this keeps the stored status and the audit trail up to date.
func (m *Main) expireLicences(ctx context.Context, every time.Duration) {
	svc := sqlstore.NewLicenceService(m.DB)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := svc.ExpireLicences(ctx); err != nil {
			m.Logger.Error("expire licences", "error", err)
		} else if n > 0 {
			m.Logger.Info("licences expired", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close stops the HTTP server and closes the database.
func (m *Main) Close() error {
	if m.stopLoops != nil {
		m.stopLoops()
	}
	var firstErr error
	if m.Server != nil {
		firstErr = m.Server.Close()
	}
	if m.DB != nil {
		if err := m.DB.Close(); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// openDB opens the configured database, creating the data directory for
// SQLite, and migrates it or checks that it is up to date.
func openDB(ctx context.Context, c Config) (*sqlstore.DB, error) {
	dsn := c.DSN()
	if !isPostgres(dsn) && c.DB == "" {
		if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	db := sqlstore.NewDB(dsn)
	if err := db.Open(); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if c.Migrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate database: %w", err)
		}
	} else if ok, err := db.SchemaUpToDate(ctx); err != nil || !ok {
		db.Close()
		if err != nil {
			return nil, fmt.Errorf("check database schema: %w", err)
		}
		return nil, annex.Errorf(annex.EINVALID, "the database schema is behind this version of Annex: run annex migrate, or start with -migrate")
	}
	return db, nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// loadControlLists returns the built-in list versions plus those imported
// into the database.
func loadControlLists(ctx context.Context, db *sqlstore.DB) (*controllist.Service, error) {
	svc, err := localControlList("")
	if err != nil {
		return nil, err
	}
	stored, err := sqlstore.NewListVersionStore(db).FindListVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("load imported list versions: %w", err)
	}
	for _, v := range stored {
		if err := svc.Add(v, false); err != nil {
			return nil, fmt.Errorf("imported list version %s: %w", v.ID, err)
		}
	}
	return svc, nil
}

// bootstrapAdmin creates the administrator on first start, when the database
// holds no user, and prints the one-time password. Another instance starting
// at the same moment may win the race; then this one creates nothing.
func (m *Main) bootstrapAdmin(ctx context.Context, users annex.UserService) error {
	_, n, err := users.FindUsers(ctx, annex.UserFilter{Limit: 1})
	if err != nil {
		return fmt.Errorf("count users: %w", err)
	}
	if n > 0 {
		return nil
	}
	password := newPassword()
	u := &annex.User{Username: m.Config.AdminUsername, Name: "Administrator", Role: annex.RoleAdmin, MustChangePassword: true}
	if err := users.CreateUser(ctx, u, password); annex.ErrorCode(err) == annex.ECONFLICT {
		return nil
	} else if err != nil {
		return fmt.Errorf("create administrator: %w", err)
	}
	fmt.Fprintf(m.Out, "\nAnnex created the administrator account %q.\nOne-time password: %s\nSign in at %s/login and choose a new password. This password is not shown again.\n\n",
		u.Username, password, m.Server.URL())
	return nil
}

// newPassword returns a random one-time password of 24 URL-safe characters.
func newPassword() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func runServe(ctx context.Context, e *env, args []string) error {
	m := NewMain()
	fs := newFlagSet(e, "serve", "[-addr HOST:PORT] [-data DIR] [-db URL] [flags]")
	if err := m.Config.load(e, fs); err != nil {
		return annex.Errorf(annex.EINVALID, "%s", err)
	}
	dump := fs.Bool("config-dump", false, "print the effective configuration, secrets masked, and exit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dump {
		m.Config.Dump(e.stdout)
		return nil
	}
	if err := m.Config.Validate(); err != nil {
		return annex.Errorf(annex.EINVALID, "%s", err)
	}
	m.Logger = m.Config.Logger(e.stderr)
	m.Out = e.stdout
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	m.Logger.Info("annex listening", "url", m.Server.URL(), "db", m.DB.Dialect(), "list_versions", len(mustVersions(ctx, m.ControlList)))
	go m.watchLists(ctx, m.Config.ListsRefresh)
	if len(m.Exchange.trustList()) > 0 {
		go m.Exchange.pullLoop(ctx, m.Config.ExchangeRefresh)
	}
	go m.expireLicences(ctx, time.Hour)
	<-ctx.Done()
	m.Logger.Info("annex shutting down")
	return m.Close()
}

func mustVersions(ctx context.Context, s *controllist.Service) []*annex.ListVersionInfo {
	vs, _ := s.FindVersions(ctx)
	return vs
}
