package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// Adjudicate validates a, records it as the decision of the user in the
// context (EUNAUTHORIZED when there is none), and in the same transaction
// closes the open alerts of the same party, listed entity and entity hash:
// confirmed or dismissed, as decided. It sets a.ID, a.UserID, a.Username
// and a.CreatedAt, and audits "adjudication.create" with the IDs of the
// alerts it closed. A party the user may not see is ENOTFOUND.
func (s *PartyService) Adjudicate(ctx context.Context, a *annex.Adjudication) error {
	if a == nil {
		return annex.Errorf(annex.EINVALID, "adjudication required")
	}
	if err := a.Validate(); err != nil {
		return err
	}
	u := annex.UserFromContext(ctx)
	if u == nil {
		return annex.Errorf(annex.EUNAUTHORIZED, "only a signed-in officer can adjudicate")
	}
	a.UserID, a.Username = u.ID, u.Username
	a.Reason = strings.TrimSpace(a.Reason)

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := adjudicate(ctx, tx, a); err != nil {
		return err
	}
	return tx.Commit()
}

// FindAdjudications returns the adjudications matching the filter, newest
// first, and how many match in all. An exporter user sees only those of its
// organisation's parties.
func (s *PartyService) FindAdjudications(ctx context.Context, filter annex.AdjudicationFilter) ([]*annex.Adjudication, int, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()

	adjs, n, err := findAdjudications(ctx, tx, filter)
	if err != nil {
		return nil, 0, err
	}
	return adjs, n, tx.Commit()
}

// alertStatusOf is the status an alert closes with for a decision.
func alertStatusOf(d annex.Decision) annex.AlertStatus {
	if d == annex.DecisionConfirm {
		return annex.AlertConfirmed
	}
	return annex.AlertDismissed
}

func adjudicate(ctx context.Context, tx *Tx, a *annex.Adjudication) error {
	if _, err := findPartyByID(ctx, tx, a.PartyID); err != nil {
		return err
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO adjudications
		(party_id, source, source_id, entity_hash, decision, reason, user_id, username, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		a.PartyID, string(a.Source), a.SourceID, a.EntityHash, string(a.Decision), a.Reason, a.UserID, a.Username,
		tx.db.timeArg(tx.now),
	).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("insert adjudication: %w", err)
	}
	a.CreatedAt = tx.now

	closed, err := closeAlerts(ctx, tx, a)
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, auditRecord{
		action:  "adjudication.create",
		subject: "adjudication:" + strconv.FormatInt(a.ID, 10),
		detail: map[string]any{"party_id": a.PartyID, "source": a.Source, "source_id": a.SourceID,
			"entity_hash": a.EntityHash, "decision": a.Decision, "reason": a.Reason, "alerts_closed": closed},
	})
}

// closeAlerts resolves the open alerts of the adjudication's pair and
// entity hash and returns their IDs, in order.
func closeAlerts(ctx context.Context, tx *Tx, a *annex.Adjudication) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE alerts SET status = ?, resolved_at = ?
		WHERE party_id = ? AND source = ? AND source_id = ? AND entity_hash = ? AND status = ?
		RETURNING id`,
		string(alertStatusOf(a.Decision)), tx.db.timeArg(tx.now),
		a.PartyID, string(a.Source), a.SourceID, a.EntityHash, string(annex.AlertOpen))
	if err != nil {
		return nil, fmt.Errorf("close alerts: %w", err)
	}
	defer rows.Close()

	closed := make([]int64, 0)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("close alerts: %w", err)
		}
		closed = append(closed, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("close alerts: %w", err)
	}
	slices.Sort(closed) // RETURNING gives no order
	return closed, nil
}

const adjudicationColumns = `id, party_id, source, source_id, entity_hash, decision, reason, user_id, username, created_at`

// scanAdjudication scans the adjudicationColumns of a row, then extra.
func scanAdjudication(row interface{ Scan(...any) error }, a *annex.Adjudication, extra ...any) error {
	dest := []any{&a.ID, &a.PartyID, &a.Source, &a.SourceID, &a.EntityHash, &a.Decision, &a.Reason,
		&a.UserID, &a.Username, scanTime(&a.CreatedAt)}
	return row.Scan(append(dest, extra...)...)
}

// findAdjudications returns the adjudications that match the filter and
// whose party the user in the context may see.
func findAdjudications(ctx context.Context, tx *Tx, filter annex.AdjudicationFilter) (_ []*annex.Adjudication, n int, err error) {
	where, args := []string{"1 = 1"}, []any{}
	if v := filter.PartyID; v != nil {
		where, args = append(where, "a.party_id = ?"), append(args, *v)
	}
	if v := orgScope(ctx); v != nil {
		where, args = append(where, "p.org_id = ?"), append(args, *v)
	}

	rows, err := tx.QueryContext(ctx, `SELECT `+prefixColumns("a.", adjudicationColumns)+`, COUNT(*) OVER()
		FROM adjudications a JOIN parties p ON p.id = a.party_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY a.id DESC `+tx.db.limitOffset(filter.Limit, filter.Offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find adjudications: %w", err)
	}
	defer rows.Close()

	adjs := make([]*annex.Adjudication, 0)
	for rows.Next() {
		var a annex.Adjudication
		if err := scanAdjudication(rows, &a, &n); err != nil {
			return nil, 0, fmt.Errorf("scan adjudication: %w", err)
		}
		adjs = append(adjs, &a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find adjudications: %w", err)
	}
	return adjs, n, nil
}
