package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"annex"
)

// PartyService implements annex.PartyService: parties, the adjudications
// of their screening hits and the alerts raised when lists change.
//
// Records belong to organisations through their party. A user with an
// exporter role sees and changes only the records of its own organisation:
// the find methods are confined to it whatever the filter says, and a party
// of another organisation reads as not found. Authority users, and the
// system (no user in the context), see everything.
type PartyService struct {
	db *DB
}

var _ annex.PartyService = (*PartyService)(nil)

// NewPartyService returns a PartyService for db.
func NewPartyService(db *DB) *PartyService { return &PartyService{db: db} }

// CreateParty validates p, stores it and sets p.ID and p.CreatedAt. The
// user in the context becomes p.CreatedBy; an exporter user's party belongs
// to the user's organisation, whatever p.OrgID says. The creation is audited
// as "party.create".
func (s *PartyService) CreateParty(ctx context.Context, p *annex.Party) error {
	if p == nil {
		return annex.Errorf(annex.EINVALID, "party required")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	p.CreatedBy = 0
	if u := annex.UserFromContext(ctx); u != nil {
		p.CreatedBy = u.ID
		if u.Role.IsExporter() {
			p.OrgID = u.OrgID
		}
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := createParty(ctx, tx, p); err != nil {
		return err
	}
	return tx.Commit()
}

// FindPartyByID returns the party, or ENOTFOUND, also when it belongs to
// another organisation than an exporter user's.
func (s *PartyService) FindPartyByID(ctx context.Context, id int64) (*annex.Party, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	p, err := findPartyByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// FindParties returns the parties matching the filter, by ID, and how many
// match in all. Name matches the whole trimmed name, ignoring case.
func (s *PartyService) FindParties(ctx context.Context, filter annex.PartyFilter) ([]*annex.Party, int, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()

	parties, n, err := findParties(ctx, tx, filter)
	if err != nil {
		return nil, 0, err
	}
	return parties, n, tx.Commit()
}

// orgScope returns the organisation that the user in the context is
// confined to, or nil when the user may see every organisation's records.
func orgScope(ctx context.Context) *int64 {
	if u := annex.UserFromContext(ctx); u != nil && u.Role.IsExporter() {
		// An exporter without an organisation sees nothing: no party has
		// organisation 0.
		return &u.OrgID
	}
	return nil
}

// nameKey is how party names are compared: trimmed and in lower case.
func nameKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// partySubject names a party as an audit subject.
func partySubject(id int64) string { return "party:" + strconv.FormatInt(id, 10) }

// nullID stores an optional reference: zero is NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// checkPartyOrganisation checks that a party's organisation, if it has
// one, is an exporting organisation.
func checkPartyOrganisation(ctx context.Context, tx *Tx, p *annex.Party) error {
	if p.OrgID == 0 {
		return nil
	}
	var kind string
	err := tx.QueryRowContext(ctx, `SELECT kind FROM organisations WHERE id = ?`, p.OrgID).Scan(&kind)
	if isNoRows(err) {
		return annex.Invalid(annex.FieldError{Field: "org_id", Message: "no such organisation"})
	} else if err != nil {
		return fmt.Errorf("find organisation %d: %w", p.OrgID, err)
	} else if kind != "exporter" {
		return annex.Invalid(annex.FieldError{Field: "org_id", Message: "a party belongs to an exporting organisation, or to none"})
	}
	return nil
}

func createParty(ctx context.Context, tx *Tx, p *annex.Party) error {
	if err := checkPartyOrganisation(ctx, tx, p); err != nil {
		return err
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO parties
		(name, name_key, type, country, dob, id_number, org_id, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		p.Name, nameKey(p.Name), string(p.Type), p.Country, p.DOB, p.IDNumber, nullID(p.OrgID), nullID(p.CreatedBy),
		tx.db.timeArg(tx.now),
	).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("insert party: %w", err)
	}
	p.CreatedAt = tx.now

	return appendAudit(ctx, tx, auditRecord{
		action:  "party.create",
		subject: partySubject(p.ID),
		detail: map[string]any{"name": p.Name, "type": p.Type, "country": p.Country, "dob": p.DOB,
			"id_number": p.IDNumber, "org_id": p.OrgID},
	})
}

const partyColumns = `id, name, type, country, dob, id_number, org_id, created_by, created_at`

// scanParty scans the partyColumns of a row, then extra.
func scanParty(row interface{ Scan(...any) error }, p *annex.Party, extra ...any) error {
	var orgID, createdBy sql.NullInt64
	dest := []any{&p.ID, &p.Name, &p.Type, &p.Country, &p.DOB, &p.IDNumber, &orgID, &createdBy, scanTime(&p.CreatedAt)}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	p.OrgID, p.CreatedBy = orgID.Int64, createdBy.Int64
	return nil
}

// findPartyByID returns the party if the user in the context may see it,
// or ENOTFOUND.
func findPartyByID(ctx context.Context, tx *Tx, id int64) (*annex.Party, error) {
	parties, _, err := findParties(ctx, tx, annex.PartyFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(parties) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "party %d not found", id)
	}
	return parties[0], nil
}

// findParties returns the parties that match the filter and that the user
// in the context may see.
func findParties(ctx context.Context, tx *Tx, filter annex.PartyFilter) (_ []*annex.Party, n int, err error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := filter.ID; v != nil {
		where, args = append(where, "id = ?"), append(args, *v)
	}
	if v := filter.OrgID; v != nil {
		where, args = append(where, "org_id = ?"), append(args, *v)
	}
	if v := orgScope(ctx); v != nil {
		where, args = append(where, "org_id = ?"), append(args, *v)
	}
	if v := filter.Name; v != nil {
		where, args = append(where, "name_key = ?"), append(args, nameKey(*v))
	}

	rows, err := tx.QueryContext(ctx, `SELECT `+partyColumns+`, COUNT(*) OVER()
		FROM parties
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY id `+tx.db.limitOffset(filter.Limit, filter.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find parties: %w", err)
	}
	defer rows.Close()

	parties := make([]*annex.Party, 0)
	for rows.Next() {
		var p annex.Party
		if err := scanParty(rows, &p, &n); err != nil {
			return nil, 0, fmt.Errorf("scan party: %w", err)
		}
		parties = append(parties, &p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find parties: %w", err)
	}
	return parties, n, nil
}
