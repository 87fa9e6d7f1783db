package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"annex"
)

// CreateAlerts stores new alerts, open and created now, in one transaction,
// and audits each as "alert.create". It sets each alert's ID, Status and
// CreatedAt, and PartyName from the party when it is empty. A party that
// does not exist, or that the user in the context may not see, is
// ENOTFOUND, and then no alert is stored.
func (s *PartyService) CreateAlerts(ctx context.Context, alerts []*annex.Alert) error {
	if err := validateAlerts(alerts); err != nil {
		return err
	} else if len(alerts) == 0 {
		return nil
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := createAlerts(ctx, tx, alerts); err != nil {
		return err
	}
	return tx.Commit()
}

// FindAlerts returns the alerts matching the filter, newest first, and how
// many match in all. OrgID selects the alerts of that organisation's
// parties; an exporter user sees only those of its own organisation.
func (s *PartyService) FindAlerts(ctx context.Context, filter annex.AlertFilter) ([]*annex.Alert, int, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()

	alerts, n, err := findAlerts(ctx, tx, filter)
	if err != nil {
		return nil, 0, err
	}
	return alerts, n, tx.Commit()
}

// validateAlerts checks new alerts. Field paths are "[i].field".
func validateAlerts(alerts []*annex.Alert) error {
	var errs []annex.FieldError
	for i, a := range alerts {
		path := "[" + strconv.Itoa(i) + "]"
		if a == nil {
			errs = append(errs, annex.FieldError{Field: path, Message: "required"})
			continue
		}
		if a.PartyID <= 0 {
			errs = append(errs, annex.FieldError{Field: path + ".party_id", Message: "required"})
		}
		if a.Source == "" {
			errs = append(errs, annex.FieldError{Field: path + ".source", Message: "required"})
		}
		if strings.TrimSpace(a.SourceID) == "" {
			errs = append(errs, annex.FieldError{Field: path + ".source_id", Message: "required"})
		}
		if !(a.Score >= 0 && a.Score <= 1) {
			errs = append(errs, annex.FieldError{Field: path + ".score", Message: "must be between 0 and 1"})
		}
	}
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	return nil
}

func createAlerts(ctx context.Context, tx *Tx, alerts []*annex.Alert) error {
	parties := make(map[int64]*annex.Party)
	for _, a := range alerts {
		p, ok := parties[a.PartyID]
		if !ok {
			var err error
			if p, err = findPartyByID(ctx, tx, a.PartyID); err != nil {
				return err
			}
			parties[a.PartyID] = p
		}
		if a.PartyName == "" {
			a.PartyName = p.Name
		}
		if err := createAlert(ctx, tx, a); err != nil {
			return err
		}
	}
	return nil
}

func createAlert(ctx context.Context, tx *Tx, a *annex.Alert) error {
	a.Status, a.CreatedAt = annex.AlertOpen, tx.now
	err := tx.QueryRowContext(ctx, `INSERT INTO alerts
		(party_id, party_name, source, source_id, entity_name, entity_hash, score, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		a.PartyID, a.PartyName, string(a.Source), a.SourceID, a.EntityName, a.EntityHash, a.Score,
		string(a.Status), tx.db.timeArg(a.CreatedAt),
	).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("insert alert: %w", err)
	}
	return appendAudit(ctx, tx, auditRecord{
		action:  "alert.create",
		subject: "alert:" + strconv.FormatInt(a.ID, 10),
		detail: map[string]any{"party_id": a.PartyID, "source": a.Source, "source_id": a.SourceID,
			"entity_name": a.EntityName, "entity_hash": a.EntityHash, "score": a.Score},
	})
}

const alertColumns = `id, party_id, party_name, source, source_id, entity_name, entity_hash, score, status, created_at`

// scanAlert scans the alertColumns of a row, then extra.
func scanAlert(row interface{ Scan(...any) error }, a *annex.Alert, extra ...any) error {
	dest := []any{&a.ID, &a.PartyID, &a.PartyName, &a.Source, &a.SourceID, &a.EntityName, &a.EntityHash,
		&a.Score, &a.Status, scanTime(&a.CreatedAt)}
	return row.Scan(append(dest, extra...)...)
}

// findAlerts returns the alerts that match the filter and whose party the
// user in the context may see.
func findAlerts(ctx context.Context, tx *Tx, filter annex.AlertFilter) (_ []*annex.Alert, n int, err error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := filter.PartyID; v != nil {
		where, args = append(where, "a.party_id = ?"), append(args, *v)
	}
	if v := filter.OrgID; v != nil {
		where, args = append(where, "p.org_id = ?"), append(args, *v)
	}
	if v := orgScope(ctx); v != nil {
		where, args = append(where, "p.org_id = ?"), append(args, *v)
	}
	if v := filter.Status; v != nil {
		where, args = append(where, "a.status = ?"), append(args, string(*v))
	}

	rows, err := tx.QueryContext(ctx, `SELECT `+prefixColumns("a.", alertColumns)+`, COUNT(*) OVER()
		FROM alerts a JOIN parties p ON p.id = a.party_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY a.id DESC `+tx.db.limitOffset(filter.Limit, filter.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find alerts: %w", err)
	}
	defer rows.Close()

	alerts := make([]*annex.Alert, 0)
	for rows.Next() {
		var a annex.Alert
		if err := scanAlert(rows, &a, &n); err != nil {
			return nil, 0, fmt.Errorf("scan alert: %w", err)
		}
		alerts = append(alerts, &a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find alerts: %w", err)
	}
	return alerts, n, nil
}
