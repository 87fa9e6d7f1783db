package sqlstore

import (
	"fmt"
	"time"
)

// timeLayout is how SQLite stores times: RFC 3339 in UTC with nine
// fractional digits always, so that comparing the text compares the times.
// Any RFC 3339 text parses back with time.RFC3339Nano.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// timeArg returns t as a query argument: RFC 3339 text for SQLite, a
// time.Time for PostgreSQL's TIMESTAMPTZ.
func (db *DB) timeArg(t time.Time) any {
	if db.dialect == DialectSQLite {
		return t.UTC().Format(timeLayout)
	}
	return t.UTC()
}

// timeScanner scans a time column of either dialect into a time.Time, in
// UTC. SQLite gives text; PostgreSQL gives time.Time. NULL scans as the zero
// time.
type timeScanner struct{ t *time.Time }

// scanTime returns a scan destination that stores into t.
func scanTime(t *time.Time) timeScanner { return timeScanner{t} }

// Scan implements sql.Scanner.
func (s timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		*s.t = v.UTC()
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return fmt.Errorf("scan time: unsupported type %T", src)
	}
	return nil
}

func (s timeScanner) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("scan time: %w", err)
	}
	*s.t = t.UTC()
	return nil
}
