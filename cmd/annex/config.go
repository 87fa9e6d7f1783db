package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of an Annex process. Values come from
// defaults, then APP_* environment variables, then flags.
type Config struct {
	// Addr is the HTTP listen address.
	Addr string
	// DataDir holds the SQLite database and other local state.
	DataDir string
	// DB is the database URL: a postgres:// URL, or a SQLite file path.
	// Empty means annex.db in DataDir.
	DB string
	// Migrate applies pending migrations at start-up; when false, serve
	// refuses to start on a schema that is behind.
	Migrate bool
	// SecureCookies marks session cookies Secure (set it behind HTTPS).
	SecureCookies bool
	// LogFormat is "text" or "json"; LogLevel is debug, info, warn or error.
	LogFormat string
	LogLevel  string
	// AdminUsername names the administrator created on first start.
	AdminUsername string
	// ListsRefresh is how often serve checks the database for screening
	// lists that another process imported.
	ListsRefresh time.Duration
	// Demo loads the November 2000 scenario into the register at start-up
	// and, unless Clock is set, runs the register as of its day.
	Demo bool
	// Clock, a date YYYY-MM-DD, is the day the sanctions register, the
	// screening against it and the assessment of applications run as of,
	// for demonstrations and training; empty is today. Sessions, the audit
	// trail and licences keep the real time.
	Clock string
	// SanctionPacks is a directory of rule packs (*.json) added to those
	// built in: another country's law, with no code.
	SanctionPacks string
	// Government is the ISO 3166-1 alpha-2 code of the government this
	// instance serves: its denials are notified under it. XX (a code for
	// private use) until set.
	Government string
	// ExchangeKey is the file of this instance's Ed25519 key, which signs
	// its notifications; created on first start when missing. Empty is
	// exchange-ed25519.pem in DataDir.
	ExchangeKey string
	// Partners is the trust list: a JSON file of the partners whose feeds
	// this instance pulls and whose keys it trusts. Empty: no exchange.
	Partners string
	// ExchangeRefresh is how often the partners' feeds are pulled.
	ExchangeRefresh time.Duration
}

// DefaultConfig returns the configuration of a fresh machine.
func DefaultConfig() Config {
	return Config{
		Addr:            "localhost:8080",
		DataDir:         "annex-data",
		Migrate:         true,
		LogFormat:       "text",
		LogLevel:        "info",
		AdminUsername:   "admin",
		ListsRefresh:    30 * time.Second,
		Government:      "XX",
		ExchangeRefresh: time.Minute,
	}
}

// option binds one setting to its environment variable and flag.
type option struct {
	env, flag, usage string
	secret           bool
	str              *string
	boolean          *bool
	duration         *time.Duration
}

func (c *Config) options() []option {
	return []option{
		{env: "APP_ADDR", flag: "addr", usage: "listen on `HOST:PORT`", str: &c.Addr},
		{env: "APP_DATA_DIR", flag: "data", usage: "data `DIR` for the SQLite database", str: &c.DataDir},
		{env: "APP_DB", flag: "db", usage: "database `URL`: postgres://... or a SQLite file (default DIR/annex.db)", str: &c.DB, secret: true},
		{env: "APP_MIGRATE", flag: "migrate", usage: "apply pending database migrations at start-up", boolean: &c.Migrate},
		{env: "APP_SECURE_COOKIES", flag: "secure-cookies", usage: "mark session cookies Secure (behind HTTPS)", boolean: &c.SecureCookies},
		{env: "APP_LOG_FORMAT", flag: "log-format", usage: "log `FORMAT`: text or json", str: &c.LogFormat},
		{env: "APP_LOG_LEVEL", flag: "log-level", usage: "log `LEVEL`: debug, info, warn or error", str: &c.LogLevel},
		{env: "APP_ADMIN_USERNAME", flag: "admin-username", usage: "`NAME` of the administrator created on first start", str: &c.AdminUsername},
		{env: "APP_DEMO", flag: "demo", usage: "load the November 2000 scenario into the sanctions register (and run as of 2000-11-22 unless -clock is given)", boolean: &c.Demo},
		{env: "APP_CLOCK", flag: "clock", usage: "run the sanctions register and assessments as of `DATE` (YYYY-MM-DD), for demonstrations and training", str: &c.Clock},
		{env: "APP_SANCTION_PACKS", flag: "sanction-packs", usage: "add the rule packs (*.json) of `DIR` to those built in", str: &c.SanctionPacks},
		{env: "APP_GOVERNMENT", flag: "government", usage: "ISO `CODE` of the government this instance serves, under which it notifies its denials", str: &c.Government},
		{env: "APP_EXCHANGE_KEY", flag: "exchange-key", usage: "`FILE` of the Ed25519 key that signs this government's notifications (created if missing; default DIR/exchange-ed25519.pem)", str: &c.ExchangeKey, secret: true},
		{env: "APP_PARTNERS", flag: "partners", usage: "trust list `FILE` (JSON) of the partners whose feeds to pull and keys to trust", str: &c.Partners},
		{env: "APP_EXCHANGE_REFRESH", flag: "exchange-refresh", usage: "how often to pull the partners' feeds", duration: &c.ExchangeRefresh},
		{env: "APP_LISTS_REFRESH", flag: "lists-refresh", usage: "how often to pick up screening lists imported by another process", duration: &c.ListsRefresh},
	}
}

// load applies environment variables, then registers the flags on fs so
// that parsing fs applies them last.
func (c *Config) load(e *env, fs *flag.FlagSet, names ...string) error {
	for _, o := range c.options() {
		if v, ok := e.getenv(o.env); ok {
			if o.duration != nil {
				d, err := time.ParseDuration(v)
				if err != nil {
					return fmt.Errorf("%s: %q is not a duration such as 30s", o.env, v)
				}
				*o.duration = d
			} else if o.boolean != nil {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return fmt.Errorf("%s: %q is not a boolean", o.env, v)
				}
				*o.boolean = b
			} else {
				*o.str = v
			}
		}
		if len(names) > 0 && !contains(names, o.flag) {
			continue
		}
		if o.duration != nil {
			fs.DurationVar(o.duration, o.flag, *o.duration, o.usage)
		} else if o.boolean != nil {
			fs.BoolVar(o.boolean, o.flag, *o.boolean, o.usage)
		} else {
			fs.StringVar(o.str, o.flag, *o.str, o.usage)
		}
	}
	return nil
}

// Validate checks the configuration once, at start-up.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("-addr %q: want HOST:PORT", c.Addr)
	}
	if c.DB == "" && c.DataDir == "" {
		return fmt.Errorf("-data: a data directory is needed for the SQLite database")
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("-log-format %q: want text or json", c.LogFormat)
	}
	if _, err := c.level(); err != nil {
		return err
	}
	if c.Clock != "" {
		if _, err := time.Parse(time.DateOnly, c.Clock); err != nil {
			return fmt.Errorf("-clock %q: want a date written YYYY-MM-DD", c.Clock)
		}
	}
	if len(c.Government) != 2 || strings.ToUpper(c.Government) != c.Government {
		return fmt.Errorf("-government %q: want an ISO 3166-1 alpha-2 code such as GB", c.Government)
	}
	if c.ExchangeRefresh < time.Second {
		return fmt.Errorf("-exchange-refresh %s: at least 1s", c.ExchangeRefresh)
	}
	if c.ListsRefresh < time.Second {
		return fmt.Errorf("-lists-refresh %s: at least 1s", c.ListsRefresh)
	}
	return nil
}

// ExchangeKeyFile returns the key file: -exchange-key, or
// exchange-ed25519.pem in the data directory.
func (c *Config) ExchangeKeyFile() string {
	if c.ExchangeKey != "" {
		return c.ExchangeKey
	}
	return filepath.Join(c.DataDir, "exchange-ed25519.pem")
}

// DSN returns the database to open: the -db URL, or annex.db in the data dir.
func (c *Config) DSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "annex.db")
}

func (c *Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("-log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

// Logger builds the process's logger.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	level, _ := c.level()
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Dump writes the effective configuration, secrets masked.
func (c *Config) Dump(w io.Writer) {
	for _, o := range c.options() {
		v := ""
		if o.duration != nil {
			v = o.duration.String()
		} else if o.boolean != nil {
			v = strconv.FormatBool(*o.boolean)
		} else {
			v = *o.str
		}
		if o.secret {
			v = maskURL(v)
		}
		fmt.Fprintf(w, "%s=%s\n", o.env, v)
	}
}

// maskURL hides the password of a database URL.
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return strings.Replace(u.String(), "xxxxx", "*****", 1)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
