package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"annex"
)

// waiverMeasures resolves the measures the waiver covers, as CreateWaiver
// says.
func waiverMeasures(ctx context.Context, tx *Tx, w *annex.Waiver) ([]*annex.Measure, error) {
	if w.EntityID != 0 {
		if ok, err := registerHas(ctx, tx, "sanction_entities", w.EntityID); err != nil {
			return nil, err
		} else if !ok {
			return nil, annex.Invalid(annex.FieldError{Field: "entity_id", Message: "no such entity in the register"})
		}
	}
	if len(w.MeasureIDs) == 0 {
		ms, _, err := findMeasures(ctx, tx, []string{"entity_id = ?", "waiver_id IS NULL"}, []any{w.EntityID}, "")
		if err != nil {
			return nil, err
		} else if len(ms) == 0 {
			return nil, annex.Invalid(annex.FieldError{Field: "entity_id", Message: "no measure on the entity is left to waive"})
		}
		return ms, nil
	}
	if len(w.MeasureIDs) > maxInList {
		return nil, annex.Invalid(annex.FieldError{Field: "measure_ids", Message: fmt.Sprintf("at most %d measures", maxInList)})
	}
	args := make([]any, len(w.MeasureIDs))
	for i, id := range w.MeasureIDs {
		args[i] = id
	}
	found, _, err := findMeasures(ctx, tx, []string{"id IN (" + placeholders(len(args)) + ")"}, args, "")
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*annex.Measure, len(found))
	for _, m := range found {
		byID[m.ID] = m
	}

	var errs []annex.FieldError
	ms := make([]*annex.Measure, 0, len(w.MeasureIDs))
	given := make(map[int64]bool, len(w.MeasureIDs))
	for i, id := range w.MeasureIDs {
		at := "measure_ids[" + strconv.Itoa(i) + "]"
		m := byID[id]
		switch {
		case given[id]:
			errs = append(errs, annex.FieldError{Field: at, Message: fmt.Sprintf("measure %d is given twice", id)})
		case m == nil:
			errs = append(errs, annex.FieldError{Field: at, Message: "no such measure"})
		case m.WaiverID != 0:
			errs = append(errs, annex.FieldError{Field: at, Message: fmt.Sprintf("measure %d is waived already, by waiver %d", id, m.WaiverID)})
		case w.EntityID != 0 && m.EntityID != w.EntityID:
			errs = append(errs, annex.FieldError{Field: at, Message: fmt.Sprintf("measure %d falls on another entity", id)})
		default:
			ms = append(ms, m)
		}
		given[id] = true
	}
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	return ms, nil
}

func createWaiver(ctx context.Context, tx *Tx, w *annex.Waiver, ms []*annex.Measure, by int64) error {
	w.MeasureIDs = make([]int64, len(ms))
	for i, m := range ms {
		w.MeasureIDs[i] = m.ID
	}
	ids, err := encodeJSONArray(w.MeasureIDs)
	if err != nil {
		return fmt.Errorf("encode measure IDs: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO sanction_waivers
		(entity_id, measure_ids, effective, basis, legal_basis, notified_on, reason, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		nullID(w.EntityID), ids, w.Effective, w.Basis, w.LegalBasis, w.NotifiedOn, w.Reason, nullID(by),
		tx.db.timeArg(tx.now),
	).Scan(&w.ID)
	if err != nil {
		return fmt.Errorf("insert waiver: %w", err)
	}
	w.CreatedBy, w.CreatedAt = by, tx.now

	for _, m := range ms {
		// The condition refuses a measure that a concurrent waiver took
		// since waiverMeasures read it.
		res, err := tx.ExecContext(ctx, `UPDATE sanction_measures SET waiver_id = ?, waived_from = ?
			WHERE id = ? AND waiver_id IS NULL`, w.ID, w.Effective, m.ID)
		if err != nil {
			return fmt.Errorf("waive measure %d: %w", m.ID, err)
		} else if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("waive measure %d: %w", m.ID, err)
		} else if n != 1 {
			return annex.Errorf(annex.ECONFLICT, "measure %d was waived meanwhile", m.ID)
		}
		m.WaiverID, m.WaivedFrom = w.ID, w.Effective
	}

	return appendAudit(ctx, tx, auditRecord{
		action:  actionWaiverCreate,
		subject: registerSubject("waiver", w.ID),
		detail: map[string]any{"entity_id": w.EntityID, "measure_ids": w.MeasureIDs, "effective": w.Effective,
			"basis": w.Basis, "legal_basis": w.LegalBasis, "notified_on": w.NotifiedOn, "reason": w.Reason},
	})
}

func findWaivers(ctx context.Context, tx *Tx) ([]*annex.Waiver, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, entity_id, measure_ids, effective, basis, legal_basis, notified_on,
		reason, created_by, created_at
		FROM sanction_waivers ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find waivers: %w", err)
	}
	defer rows.Close()

	ws := make([]*annex.Waiver, 0)
	for rows.Next() {
		var w annex.Waiver
		var entityID, by sql.NullInt64
		var ids string
		if err := rows.Scan(&w.ID, &entityID, &ids, &w.Effective, &w.Basis, &w.LegalBasis, &w.NotifiedOn, &w.Reason,
			&by, scanTime(&w.CreatedAt)); err != nil {
			return nil, fmt.Errorf("scan waiver: %w", err)
		}
		w.EntityID, w.CreatedBy = entityID.Int64, by.Int64
		if err := json.Unmarshal([]byte(ids), &w.MeasureIDs); err != nil {
			return nil, fmt.Errorf("decode measure IDs of waiver %d: %w", w.ID, err)
		}
		ws = append(ws, &w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find waivers: %w", err)
	}
	return ws, nil
}

func createHold(ctx context.Context, tx *Tx, h *annex.Hold, by int64) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO policy_holds
		(country, class, reason, from_day, until_day, effect, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		h.Country, h.Class, h.Reason, h.From, sql.NullString{String: h.Until, Valid: h.Until != ""}, string(h.Effect),
		nullID(by), tx.db.timeArg(tx.now), tx.db.timeArg(tx.now),
	).Scan(&h.ID)
	if err != nil {
		return fmt.Errorf("insert hold: %w", err)
	}
	return appendAudit(ctx, tx, auditRecord{
		action:  actionHoldCreate,
		subject: registerSubject("hold", h.ID),
		detail: map[string]any{"country": h.Country, "class": h.Class, "reason": h.Reason, "from": h.From,
			"until": h.Until, "effect": h.Effect},
	})
}

func endHold(ctx context.Context, tx *Tx, id int64, until string) (*annex.Hold, error) {
	hs, err := findHolds(ctx, tx, "id = ?", id)
	if err != nil {
		return nil, err
	} else if len(hs) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "hold %d not found", id)
	}
	h := hs[0]
	if until < h.From {
		return nil, annex.Invalid(annex.FieldError{Field: "until", Message: "must not be before the hold's first day, " + h.From})
	}
	if _, err := tx.ExecContext(ctx, `UPDATE policy_holds SET until_day = ?, updated_at = ? WHERE id = ?`,
		until, tx.db.timeArg(tx.now), id); err != nil {
		return nil, fmt.Errorf("end hold %d: %w", id, err)
	}
	previous := h.Until
	h.Until = until
	return h, appendAudit(ctx, tx, auditRecord{
		action:  actionHoldEnd,
		subject: registerSubject("hold", h.ID),
		detail:  map[string]any{"country": h.Country, "class": h.Class, "until": until, "previous_until": previous},
	})
}

// findHolds returns the holds matching the condition, by their first day.
func findHolds(ctx context.Context, tx *Tx, where string, args ...any) ([]*annex.Hold, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, country, class, reason, from_day, until_day, effect
		FROM policy_holds WHERE `+where+` ORDER BY from_day, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find holds: %w", err)
	}
	defer rows.Close()

	hs := make([]*annex.Hold, 0)
	for rows.Next() {
		var h annex.Hold
		var until sql.NullString
		if err := rows.Scan(&h.ID, &h.Country, &h.Class, &h.Reason, &h.From, &until, &h.Effect); err != nil {
			return nil, fmt.Errorf("scan hold: %w", err)
		}
		h.Until = until.String
		hs = append(hs, &h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find holds: %w", err)
	}
	return hs, nil
}
