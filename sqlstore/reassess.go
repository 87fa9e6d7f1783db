package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"annex"
)

// annexActor is the name the case history gives Annex when it changes a
// case itself.
const annexActor = "system"

// listChangeReason is the reason the history gives a reassessment by Annex.
const listChangeReason = "the screening lists, the sanctions register or the partners' denials changed"

// ReassessResult is what ReassessOpen did.
type ReassessResult struct {
	// Open is the number of open cases assessed again.
	Open int
	// Changed are the cases whose assessment changed, as they now are.
	Changed []*annex.Application
}

// ReassessOpen assesses every open case again with the assessment service
// as it now is: run after the screening lists change, so that no officer
// decides on a screening the lists no longer support. A case whose
// assessment is the same but for its time is left as it is. A changed one
// gets the new assessment and a new version, in a transaction of its own
// that locks it, so that an officer who opened the case before is told it
// changed; its history records a "reassess" by Annex and the audit trail
// "application.reassess" with the recommendation before and after.
//
// It runs as Annex, not as a user: call it from a trusted process only.
func (s *ApplicationService) ReassessOpen(ctx context.Context) (*ReassessResult, error) {
	ids, err := s.openIDs(ctx)
	if err != nil {
		return nil, err
	}
	res := &ReassessResult{Changed: make([]*annex.Application, 0)}
	for _, id := range ids {
		app, changed, err := s.reassessOne(ctx, id)
		if err != nil {
			return res, err
		}
		if app == nil { // decided or withdrawn since the list was read
			continue
		}
		res.Open++
		if changed {
			res.Changed = append(res.Changed, app)
		}
	}
	return res, nil
}

func (s *ApplicationService) openIDs(ctx context.Context) ([]int64, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var args []any
	for _, st := range annex.ApplicationStatuses {
		if st.Open() {
			args = append(args, string(st))
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM applications WHERE status IN (`+
		placeholders(len(args))+`) ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find open cases: %w", err)
	}
	defer rows.Close()
	ids := make([]int64, 0)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("scan open case: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find open cases: %w", err)
	}
	return ids, tx.Commit()
}

// reassessOne reassesses one case in a transaction of its own. It returns
// nil when the case is no longer open.
func (s *ApplicationService) reassessOne(ctx context.Context, id int64) (*annex.Application, bool, error) {
	ctx = annex.NewContextWithUser(ctx, nil)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()

	app, err := s.findForChange(ctx, tx, id)
	if annex.ErrorCode(err) == annex.ENOTFOUND {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	if !app.Status.Open() {
		return nil, false, nil
	}
	a, err := s.assess(ctx, app)
	if err != nil {
		return nil, false, err
	}
	if sameAssessment(app.Assessment, a) {
		return app, false, tx.Commit()
	}

	var before annex.Recommendation
	if app.Assessment != nil {
		before = app.Assessment.Recommendation
	}
	step := &caseStep{app: app, act: &annex.CaseAction{Type: annex.ActReassess}, from: app.Status,
		reason: listChangeReason, detail: map[string]any{"reason": listChangeReason, "before": before}}
	app.Assessment = a
	assessmentDetail(step.detail, a)
	// A partner's denial the case now matches is consulted on, as at
	// submission.
	if err := s.consultPartners(ctx, tx, step); err != nil {
		return nil, false, err
	}
	if err := saveCaseStep(ctx, tx, step); err != nil {
		return nil, false, err
	}
	app, err = s.findApplicationByID(ctx, tx, id)
	if err != nil {
		return nil, false, err
	}
	return app, true, tx.Commit()
}

// sameAssessment reports whether two assessments say the same, whenever
// they were made.
func sameAssessment(a, b *annex.Assessment) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.AssessedAt, y.AssessedAt = time.Time{}, time.Time{}
	p, err1 := json.Marshal(x)
	q, err2 := json.Marshal(y)
	return err1 == nil && err2 == nil && string(p) == string(q)
}
