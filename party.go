package annex

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// Party is a person or organisation that Annex screens and keeps screening:
// an end user, consignee or intermediary. When a list changes, every stored
// party is screened again.
type Party struct {
	ID   int64      `json:"id"`
	Name string     `json:"name"`
	Type EntityType `json:"type,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code.
	Country string `json:"country,omitempty"`
	// DOB is a date of birth or incorporation: YYYY, YYYY-MM or YYYY-MM-DD.
	DOB string `json:"dob,omitempty"`
	// IDNumber is a passport, registration or IMO number.
	IDNumber string `json:"id_number,omitempty"`
	// OrgID is the exporting organisation that owns the party; zero for the
	// authority's own parties.
	OrgID     int64     `json:"org_id,omitempty"`
	CreatedBy int64     `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

var (
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	dateRE    = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)
)

// Validate checks the party's fields.
func (p *Party) Validate() error {
	var errs []FieldError
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "":
		errs = append(errs, FieldError{"name", "required"})
	case len(p.Name) > 500:
		errs = append(errs, FieldError{"name", "at most 500 characters"})
	}
	switch p.Type {
	case "", EntityPerson, EntityOrganization, EntityVessel, EntityAircraft:
	default:
		errs = append(errs, FieldError{"type", "must be person, organization, vessel or aircraft"})
	}
	if p.Country != "" && !countryRE.MatchString(p.Country) {
		errs = append(errs, FieldError{"country", "must be an ISO 3166-1 alpha-2 code such as PK"})
	}
	if p.DOB != "" && !dateRE.MatchString(p.DOB) {
		errs = append(errs, FieldError{"dob", "must be YYYY, YYYY-MM or YYYY-MM-DD"})
	}
	if len(p.IDNumber) > 100 {
		errs = append(errs, FieldError{"id_number", "at most 100 characters"})
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// Query returns the screening query for the party.
func (p *Party) Query() ScreenQuery {
	return ScreenQuery{Name: p.Name, Type: p.Type, Country: p.Country, DOB: p.DOB, ID: p.IDNumber}
}

// EntityHash returns the hex SHA-256 of a listed entity's JSON encoding. An
// adjudication holds for the entity as it was; when the list changes the
// entry, its hash changes and the pair is looked at again.
func EntityHash(e *ListEntity) string {
	b, err := json.Marshal(e)
	if err != nil {
		panic(err) // unreachable: strings and slices of strings only
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Decision is an officer's finding on a screening hit.
type Decision string

// Decisions on a hit: the party is the listed entity, or it is not.
const (
	DecisionConfirm Decision = "confirm"
	DecisionDismiss Decision = "dismiss"
)

// Adjudication records an officer's decision on a pair of a party and a
// listed entity, with the entity as it was (its hash).
type Adjudication struct {
	ID         int64      `json:"id"`
	PartyID    int64      `json:"party_id"`
	Source     ListSource `json:"source"`
	SourceID   string     `json:"source_id"`
	EntityHash string     `json:"entity_hash"`
	Decision   Decision   `json:"decision"`
	Reason     string     `json:"reason"`
	UserID     int64      `json:"user_id"`
	Username   string     `json:"username"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Validate checks the adjudication's fields.
func (a *Adjudication) Validate() error {
	var errs []FieldError
	if a.PartyID <= 0 {
		errs = append(errs, FieldError{"party_id", "required"})
	}
	if a.Source == "" {
		errs = append(errs, FieldError{"source", "required"})
	}
	if strings.TrimSpace(a.SourceID) == "" {
		errs = append(errs, FieldError{"source_id", "required"})
	}
	if a.Decision != DecisionConfirm && a.Decision != DecisionDismiss {
		errs = append(errs, FieldError{"decision", "must be confirm or dismiss"})
	}
	if len(strings.TrimSpace(a.Reason)) < 3 {
		errs = append(errs, FieldError{"reason", "say why, in a few words"})
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// AlertStatus says where an alert stands.
type AlertStatus string

// Alert statuses: open until an adjudication of its pair closes it.
const (
	AlertOpen      AlertStatus = "open"
	AlertConfirmed AlertStatus = "confirmed"
	AlertDismissed AlertStatus = "dismissed"
)

// Alert is a new hit of a stored party, raised when a list changed.
type Alert struct {
	ID         int64       `json:"id"`
	PartyID    int64       `json:"party_id"`
	PartyName  string      `json:"party_name"`
	Source     ListSource  `json:"source"`
	SourceID   string      `json:"source_id"`
	EntityName string      `json:"entity_name"`
	EntityHash string      `json:"entity_hash"`
	Score      float64     `json:"score"`
	Status     AlertStatus `json:"status"`
	CreatedAt  time.Time   `json:"created_at"`
}

// NewAlerts decides which matches of a party raise an alert: every match at
// or above the threshold, unless the pair was adjudicated for the entity as
// it now is (same EntityHash), or an open alert already stands for it.
func NewAlerts(p *Party, matches []ScreenMatch, decided []*Adjudication, open []*Alert) []*Alert {
	seen := make(map[string]bool, len(decided)+len(open))
	for _, a := range decided {
		if a.PartyID == p.ID {
			seen[string(a.Source)+"/"+a.SourceID+"#"+a.EntityHash] = true
		}
	}
	for _, a := range open {
		if a.PartyID == p.ID && a.Status == AlertOpen {
			seen[string(a.Source)+"/"+a.SourceID+"#"+a.EntityHash] = true
		}
	}
	var out []*Alert
	for _, m := range matches {
		if !m.Match {
			continue
		}
		key := string(m.Source) + "/" + m.SourceID
		hash := m.EntityHash
		if seen[key+"#"+hash] {
			continue
		}
		seen[key+"#"+hash] = true
		out = append(out, &Alert{PartyID: p.ID, PartyName: p.Name, Source: m.Source, SourceID: m.SourceID,
			EntityName: m.Name, EntityHash: hash, Score: m.Score, Status: AlertOpen})
	}
	return out
}

// ListSnapshotFilter selects list snapshots. Nil fields are not filtered on.
type ListSnapshotFilter struct {
	Source     *ListSource
	ActiveOnly bool
	Offset     int
	Limit      int
}

// ListStore keeps the loaded lists. Each source has one active snapshot:
// the last one stored. A failed import stores nothing, so the previous
// snapshot stays active.
type ListStore interface {
	// CreateSnapshot stores a parsed list, sets s.ID and s.LoadedAt, and
	// makes it the active snapshot of its source. It is audited.
	CreateSnapshot(ctx context.Context, s *ListSnapshot, entities []*ListEntity) error
	// FindSnapshots returns snapshots, newest first, and how many match.
	FindSnapshots(ctx context.Context, filter ListSnapshotFilter) ([]*ListSnapshot, int, error)
	// ActiveLists returns the active snapshot of every source with its entities.
	ActiveLists(ctx context.Context) ([]*ListSnapshot, [][]*ListEntity, error)
	// ActiveSnapshot returns the active snapshot of a source, without its
	// entities, or ENOTFOUND when none is loaded.
	ActiveSnapshot(ctx context.Context, source ListSource) (*ListSnapshot, error)
}

// PartyFilter selects parties. Nil fields are not filtered on.
type PartyFilter struct {
	ID     *int64
	OrgID  *int64
	Name   *string
	Offset int
	Limit  int
}

// AdjudicationFilter selects adjudications. Nil fields are not filtered on.
type AdjudicationFilter struct {
	PartyID *int64
	Offset  int
	Limit   int
}

// AlertFilter selects alerts. Nil fields are not filtered on.
type AlertFilter struct {
	PartyID *int64
	OrgID   *int64
	Status  *AlertStatus
	Offset  int
	Limit   int
}

// PartyService keeps parties, the adjudications of their hits and the
// alerts raised when lists change. Every change is audited.
type PartyService interface {
	CreateParty(ctx context.Context, p *Party) error
	FindPartyByID(ctx context.Context, id int64) (*Party, error)
	FindParties(ctx context.Context, filter PartyFilter) ([]*Party, int, error)
	// Adjudicate records a decision and closes the open alerts of the pair
	// for the same entity hash, as confirmed or dismissed.
	Adjudicate(ctx context.Context, a *Adjudication) error
	FindAdjudications(ctx context.Context, filter AdjudicationFilter) ([]*Adjudication, int, error)
	// CreateAlerts stores new alerts, setting their IDs.
	CreateAlerts(ctx context.Context, alerts []*Alert) error
	FindAlerts(ctx context.Context, filter AlertFilter) ([]*Alert, int, error)
}
