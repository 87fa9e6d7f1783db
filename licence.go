package annex

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
)

// LicenceStatus is where a licence stands.
type LicenceStatus string

// Licence statuses. A licence is issued on approval; it may be suspended
// (and reinstated) or revoked; it expires at the end of its validity, is
// exhausted when every line is drawn down in full, and is superseded when
// an amendment of it is approved.
const (
	LicenceIssued    LicenceStatus = "issued"
	LicenceSuspended LicenceStatus = "suspended"
	LicenceRevoked   LicenceStatus = "revoked"
	LicenceExpired   LicenceStatus = "expired"
	LicenceExhausted LicenceStatus = "exhausted"
	// LicenceSuperseded is a licence replaced by the licence of an approved
	// amendment.
	LicenceSuperseded LicenceStatus = "superseded"
)

// LicenceLine is one licensed goods line with its balance.
type LicenceLine struct {
	Line        int     `json:"line"`
	Description string  `json:"description"`
	Kind        string  `json:"kind"`
	Entries     string  `json:"entries,omitempty"`
	Quantity    float64 `json:"quantity"`
	Unit        string  `json:"unit,omitempty"`
	Value       float64 `json:"value"`
	// UsedQuantity and UsedValue are drawn down by shipments.
	UsedQuantity float64 `json:"used_quantity"`
	UsedValue    float64 `json:"used_value"`
}

// Licence is an export licence issued on an approved application.
type Licence struct {
	ID int64 `json:"id"`
	// Number is the licence number, as "ANX-L-2026-000042".
	Number        string        `json:"number"`
	ApplicationID int64         `json:"application_id"`
	OrgID         int64         `json:"org_id"`
	Status        LicenceStatus `json:"status"`
	Destination   string        `json:"destination"`
	EndUser       string        `json:"end_user"`
	ValidFrom     time.Time     `json:"valid_from"`
	ValidUntil    time.Time     `json:"valid_until"`
	Lines         []LicenceLine `json:"lines"`
	Provisos      []string      `json:"provisos,omitempty"`
	// Reason is why the licence was last suspended, reinstated or revoked.
	Reason   string    `json:"reason,omitempty"`
	Version  int64     `json:"version"`
	IssuedAt time.Time `json:"issued_at"`
}

// StatusAt returns the licence's status at a time: an issued licence past
// its validity has expired.
func (l *Licence) StatusAt(now time.Time) LicenceStatus {
	if l.Status == LicenceIssued && now.After(l.ValidUntil) {
		return LicenceExpired
	}
	return l.Status
}

// balanceEpsilon absorbs floating-point noise in quantities and values.
const balanceEpsilon = 1e-9

// Draw draws a shipment down from a line of the licence. It refuses, with
// ECONFLICT, a licence that is not in force and a draw-down beyond the
// line's remaining quantity or value; nothing changes then.
func (l *Licence) Draw(line int, quantity, value float64, now time.Time) error {
	if st := l.StatusAt(now); st != LicenceIssued {
		return Errorf(ECONFLICT, "licence %s is %s: nothing may be shipped under it", l.Number, st)
	}
	if now.Before(l.ValidFrom) {
		return Errorf(ECONFLICT, "licence %s is valid from %s", l.Number, l.ValidFrom.Format(time.DateOnly))
	}
	var errs []FieldError
	if !(quantity > 0) || math.IsInf(quantity, 0) {
		errs = append(errs, FieldError{"quantity", "must be greater than 0"})
	}
	if value < 0 || math.IsNaN(value) || math.IsInf(value, 0) {
		errs = append(errs, FieldError{"value", "must not be negative"})
	}
	if line < 0 || line >= len(l.Lines) {
		errs = append(errs, FieldError{"line", fmt.Sprintf("licence %s has lines 0 to %d", l.Number, len(l.Lines)-1)})
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	ll := &l.Lines[line]
	if left := ll.Quantity - ll.UsedQuantity; quantity > left+balanceEpsilon {
		return Errorf(ECONFLICT, "line %d of licence %s has %s %s left; %s cannot be drawn", line, l.Number, FormatNumber(left), ll.Unit, FormatNumber(quantity))
	}
	if left := ll.Value - ll.UsedValue; value > left+balanceEpsilon {
		return Errorf(ECONFLICT, "line %d of licence %s has a value of %s left; %s cannot be drawn", line, l.Number, FormatNumber(left), FormatNumber(value))
	}
	ll.UsedQuantity += quantity
	ll.UsedValue += value
	exhausted := true
	for _, x := range l.Lines {
		exhausted = exhausted && x.Quantity-x.UsedQuantity <= balanceEpsilon
	}
	if exhausted {
		l.Status = LicenceExhausted
	}
	return nil
}

// Shipment is a customs record of goods shipped under a licence.
type Shipment struct {
	ID        int64   `json:"id"`
	LicenceID int64   `json:"licence_id"`
	Line      int     `json:"line"`
	Quantity  float64 `json:"quantity"`
	Value     float64 `json:"value"`
	// CustomsRef is the customs declaration's reference.
	CustomsRef string    `json:"customs_ref"`
	RecordedBy int64     `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// LicenceActionType names a change of a licence.
type LicenceActionType string

// Licence actions.
const (
	LicenceSuspend   LicenceActionType = "suspend"
	LicenceReinstate LicenceActionType = "reinstate"
	LicenceRevoke    LicenceActionType = "revoke"
)

// LicenceAction suspends, reinstates or revokes a licence.
type LicenceAction struct {
	Type    LicenceActionType `json:"type"`
	Reason  string            `json:"reason"`
	Version int64             `json:"version"`
}

// NextLicenceStatus checks a licence action and returns the status it leads
// to. Licensing and senior officers suspend and reinstate; only a senior
// officer revokes.
func NextLicenceStatus(l *Licence, act *LicenceAction, u *User, now time.Time) (LicenceStatus, error) {
	if u == nil || (u.Role != RoleLicensingOfficer && u.Role != RoleSeniorOfficer) {
		return "", Errorf(EFORBIDDEN, "only licensing officers change licences")
	}
	if strings.TrimSpace(act.Reason) == "" {
		return "", Invalid(FieldError{"reason", "required"})
	}
	st := l.StatusAt(now)
	switch act.Type {
	case LicenceSuspend:
		if st != LicenceIssued {
			return "", Errorf(ECONFLICT, "licence %s is %s", l.Number, st)
		}
		return LicenceSuspended, nil
	case LicenceReinstate:
		if st != LicenceSuspended {
			return "", Errorf(ECONFLICT, "licence %s is not suspended", l.Number)
		}
		return LicenceIssued, nil
	case LicenceRevoke:
		if u.Role != RoleSeniorOfficer {
			return "", Errorf(EFORBIDDEN, "only a senior officer revokes a licence")
		}
		if st != LicenceIssued && st != LicenceSuspended {
			return "", Errorf(ECONFLICT, "licence %s is %s", l.Number, st)
		}
		return LicenceRevoked, nil
	}
	return "", Invalid(FieldError{"type", "must be suspend, reinstate or revoke"})
}

// LicenceFilter selects licences. Nil fields are not filtered on.
type LicenceFilter struct {
	OrgID  *int64
	Status *LicenceStatus
	Offset int
	Limit  int
}

// LicenceService keeps licences and their draw-down. Exporters see only
// their own organisation's licences; customs officers check any licence and
// record shipments.
type LicenceService interface {
	FindLicenceByNumber(ctx context.Context, number string) (*Licence, error)
	FindLicences(ctx context.Context, filter LicenceFilter) ([]*Licence, int, error)
	// RecordShipment draws a shipment down from a licence. A draw-down
	// beyond the balance is refused with ECONFLICT and records nothing.
	RecordShipment(ctx context.Context, number string, s *Shipment) (*Licence, error)
	FindShipments(ctx context.Context, number string) ([]*Shipment, error)
	// ChangeLicence suspends, reinstates or revokes a licence.
	ChangeLicence(ctx context.Context, number string, act *LicenceAction) (*Licence, error)
	// ExpireLicences marks issued licences past their validity as expired.
	ExpireLicences(ctx context.Context) (int, error)
}

// OrganisationKind is the kind of an organisation.
type OrganisationKind string

// Organisation kinds.
const (
	OrgAuthority OrganisationKind = "authority"
	OrgExporter  OrganisationKind = "exporter"
)

// Organisation is an exporting company (or the authority itself).
type Organisation struct {
	ID        int64            `json:"id"`
	Name      string           `json:"name"`
	Kind      OrganisationKind `json:"kind"`
	CreatedAt time.Time        `json:"created_at"`
}

// OrganisationService keeps organisations; only administrators create them.
type OrganisationService interface {
	CreateOrganisation(ctx context.Context, o *Organisation) error
	FindOrganisationByID(ctx context.Context, id int64) (*Organisation, error)
	FindOrganisations(ctx context.Context) ([]*Organisation, error)
}
