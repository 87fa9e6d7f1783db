package annex

import (
	"context"
	"strings"
	"time"
)

// DenialReviewYears is how long a denial stands before it comes up for
// review, and how long partners consult on it before approving an
// essentially identical transfer (the EU's rule among its members; the
// MTCR practice of no-undercut).
const DenialReviewYears = 3

// DenialStatus is where a denial notification stands.
type DenialStatus string

// Denial statuses.
const (
	DenialActive  DenialStatus = "active"
	DenialRevoked DenialStatus = "revoked"
)

// Denial is a denial notification: a government's refusal of a licence on
// MTCR grounds, as it notifies its partners. The first seven fields are
// the contract of annex assess -denials.
type Denial struct {
	// ID is unique among all governments: the notifying government's code
	// and its own number, as "GB-2026-0001".
	ID string `json:"id"`
	// NotifyingGovernment is the ISO 3166-1 alpha-2 code of the government
	// that refused.
	NotifyingGovernment string `json:"notifying_government"`
	// Entry is the control-list entry of the goods refused, as "2.A.1.c".
	Entry       string `json:"entry"`
	EndUser     string `json:"end_user"`
	Destination string `json:"destination"`
	// Date is the day of the refusal, YYYY-MM-DD.
	Date   string `json:"date"`
	Reason string `json:"reason"`

	ItemDescription string       `json:"item_description,omitempty"`
	Consignee       string       `json:"consignee,omitempty"`
	Status          DenialStatus `json:"status,omitempty"`
	// Version counts the notifications of this denial: 1 when notified,
	// one more for each amendment or the revocation.
	Version   int    `json:"version,omitempty"`
	RevokedOn string `json:"revoked_on,omitempty"`
	// ApplicationID is the case refused, for a denial of this government.
	ApplicationID int64 `json:"application_id,omitempty"`
	// Received is set for a partner's denial: where it came from.
	Received *Receipt `json:"received,omitempty"`
}

// Receipt records where a partner's notification came from.
type Receipt struct {
	// KeyID names the partner key that signed it.
	KeyID string `json:"key_id"`
	// Feed is the URL it was pulled from.
	Feed       string    `json:"feed"`
	Sequence   int64     `json:"sequence"`
	ReceivedAt time.Time `json:"received_at"`
}

// ReviewDue returns the day the denial comes up for review: three years
// after its date.
func (d *Denial) ReviewDue() string {
	t, err := time.Parse(time.DateOnly, d.Date)
	if err != nil {
		return ""
	}
	return t.AddDate(DenialReviewYears, 0, 0).Format(time.DateOnly)
}

// InForce reports whether the denial binds partners on a day: not revoked,
// dated on or before the day, and less than three years old.
func (d *Denial) InForce(day string) bool {
	if d.Status == DenialRevoked || (d.RevokedOn != "" && d.RevokedOn <= day) {
		return false
	}
	return d.Date <= day && day < d.ReviewDue()
}

// CoversEntry reports whether an entry is the denial's entry or one of its
// sub-entries: "2.A.1.c.1" is covered by a denial of "2.A.1.c" or "2.A.1",
// not by one of "2.A.1.b".
func (d *Denial) CoversEntry(entry string) bool {
	return entry == d.Entry || strings.HasPrefix(entry, d.Entry+".")
}

// Validate checks the denial's fields.
func (d *Denial) Validate() error {
	var errs []FieldError
	add := func(f, m string) { errs = append(errs, FieldError{f, m}) }
	d.ID = strings.TrimSpace(d.ID)
	if d.ID == "" || len(d.ID) > 100 {
		add("id", "required, at most 100 characters")
	}
	if d.NotifyingGovernment = strings.ToUpper(strings.TrimSpace(d.NotifyingGovernment)); !countryRE.MatchString(d.NotifyingGovernment) {
		add("notifying_government", "must be an ISO 3166-1 alpha-2 code such as GB")
	}
	if d.Entry = strings.TrimSpace(d.Entry); d.Entry == "" {
		add("entry", "required: the control-list entry refused, as 2.A.1.c")
	}
	if d.EndUser = strings.TrimSpace(d.EndUser); d.EndUser == "" || len(d.EndUser) > 500 {
		add("end_user", "required, at most 500 characters")
	}
	if d.Destination = strings.ToUpper(strings.TrimSpace(d.Destination)); !countryRE.MatchString(d.Destination) {
		add("destination", "must be an ISO 3166-1 alpha-2 code such as PK")
	}
	if !validDay(d.Date) {
		add("date", dayMessage)
	}
	if d.Reason = strings.TrimSpace(d.Reason); d.Reason == "" {
		add("reason", "required")
	}
	switch d.Status {
	case "", DenialActive, DenialRevoked:
	default:
		add("status", "must be active or revoked")
	}
	if d.RevokedOn != "" && !validDay(d.RevokedOn) {
		add("revoked_on", dayMessage)
	}
	if len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

// ConsultationStatus is where a no-undercut consultation stands.
type ConsultationStatus string

// Consultation statuses: open until the partner answers or the clock runs
// out.
const (
	ConsultationOpen     ConsultationStatus = "open"
	ConsultationAnswered ConsultationStatus = "answered"
	ConsultationLapsed   ConsultationStatus = "lapsed"
)

// ConsultationDays is how long a partner has to answer a consultation
// before it lapses, in calendar days.
const ConsultationDays = 30

// Consultation asks the government that refused an essentially identical
// transfer before an application may be approved: the no-undercut
// practice. The case cannot be approved while one is open.
type Consultation struct {
	ID            int64  `json:"id"`
	ApplicationID int64  `json:"application_id"`
	DenialID      string `json:"denial_id"`
	// Partner is the government consulted (for a consultation of ours) or
	// the one asking (for one we were asked), ISO 3166-1 alpha-2.
	Partner string `json:"partner"`
	// RequestID names the request between the two governments, as
	// "FR-C-17".
	RequestID string `json:"request_id,omitempty"`
	// Entry, EndUser and Destination are what the consultation is about:
	// the application's entry covered by the denial, its end user and its
	// destination.
	Entry       string             `json:"entry,omitempty"`
	EndUser     string             `json:"end_user,omitempty"`
	Destination string             `json:"destination,omitempty"`
	Status      ConsultationStatus `json:"status"`
	RequestedAt time.Time          `json:"requested_at"`
	// DueAt is when the consultation lapses unanswered.
	DueAt time.Time `json:"due_at"`
	// Answer is the partner's reply; Objects is set when the partner
	// maintains its objection to the transfer.
	Answer     string    `json:"answer,omitempty"`
	Objects    bool      `json:"objects,omitempty"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
}

// StatusAt returns the consultation's status at a time: an open one past
// its due time has lapsed.
func (c *Consultation) StatusAt(now time.Time) ConsultationStatus {
	if c.Status == ConsultationOpen && !now.Before(c.DueAt) {
		return ConsultationLapsed
	}
	return c.Status
}

// DenialFilter selects denials. Sent selects this government's own; Received
// the partners'.
type DenialFilter struct {
	Sent, Received bool
	Destination    string
	// InForceOn, a day, keeps the denials in force on it (Denial.InForce).
	InForceOn     string
	Offset, Limit int
}

// DenialService keeps the denial notifications sent and received, and the
// consultations on them.
type DenialService interface {
	FindDenialByID(ctx context.Context, id string) (*Denial, error)
	FindDenials(ctx context.Context, filter DenialFilter) ([]*Denial, int, error)
	// AmendDenial changes a denial of this government; RevokeDenial
	// revokes it from a day. Each is notified to the partners.
	AmendDenial(ctx context.Context, id string, upd DenialUpdate) (*Denial, error)
	RevokeDenial(ctx context.Context, id, day string) (*Denial, error)

	FindConsultations(ctx context.Context, applicationID int64) ([]*Consultation, error)
	// AnswerConsultation records the answer of a consultation this
	// government was asked.
	AnswerConsultation(ctx context.Context, id int64, answer string, objects bool) (*Consultation, error)
}

// DenialUpdate is an amendment of a denial: nil fields are unchanged.
type DenialUpdate struct {
	Entry           *string `json:"entry"`
	ItemDescription *string `json:"item_description"`
	EndUser         *string `json:"end_user"`
	Consignee       *string `json:"consignee"`
	Reason          *string `json:"reason"`
}

// NotificationKind says what a notification carries.
type NotificationKind string

// The kinds of notification partners exchange.
const (
	NotifyDenial              NotificationKind = "denial"               // a new denial
	NotifyDenialAmend         NotificationKind = "denial.amend"         // a denial amended
	NotifyDenialRevoke        NotificationKind = "denial.revoke"        // a denial revoked
	NotifyConsultationRequest NotificationKind = "consultation.request" // a partner asks before approving
	NotifyConsultationAnswer  NotificationKind = "consultation.answer"  // the refusing government answers
)

// Notification is one signed message of a government's feed, which its
// partners pull. Sequence numbers a sender's messages from 1, so that a
// receiver ignores duplicates and replays; the signature covers every
// other field.
type Notification struct {
	Sequence int64            `json:"sequence"`
	Kind     NotificationKind `json:"kind"`
	// From is the sending government; To the one addressed, for a
	// consultation, or empty for every partner.
	From         string               `json:"from"`
	To           string               `json:"to,omitempty"`
	IssuedAt     time.Time            `json:"issued_at"`
	Denial       *Denial              `json:"denial,omitempty"`
	Consultation *ConsultationMessage `json:"consultation,omitempty"`
	// KeyID names the signing key: the first 16 hex digits of the SHA-256
	// of the Ed25519 public key.
	KeyID string `json:"key_id"`
	// Signature is the Ed25519 signature, base64 (standard, padded), of
	// the notification's JSON with Signature empty.
	Signature string `json:"signature"`
}

// ConsultationMessage is a consultation as partners exchange it: the
// request names the denial and the application's essentials; the answer
// refers to the request by its RequestID.
type ConsultationMessage struct {
	// RequestID is unique to the consulting government, as "DE-C-17".
	RequestID   string    `json:"request_id"`
	DenialID    string    `json:"denial_id"`
	Entry       string    `json:"entry,omitempty"`
	EndUser     string    `json:"end_user,omitempty"`
	Destination string    `json:"destination,omitempty"`
	DueAt       time.Time `json:"due_at,omitzero"`
	Answer      string    `json:"answer,omitempty"`
	Objects     bool      `json:"objects,omitempty"`
}
