package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"annex"
)

// notifyDecision is the hook of ApplicationService.finalise. A final
// refusal becomes one denial notification per controlled goods line (see
// refusalDenials); a refusal that controls no line (a catch-all refusal)
// notifies none, since the regime's denials name a control-list entry. A
// final decision that does not refuse, which can only follow a refusal on
// appeal, revokes the case's denials from that day.
func (s *ApplicationService) notifyDecision(ctx context.Context, tx *Tx, step *caseStep, d *annex.CaseDecision) error {
	app, gov := step.app, s.government()
	if d.Type != annex.DecisionRefuse {
		held, _, err := findDenials(ctx, tx, []string{"own = ?", "application_id = ?", "status = ?"},
			[]any{true, app.ID, string(annex.DenialActive)}, 0, 0)
		if err != nil {
			return err
		}
		var revoked []string
		for _, den := range slices.Backward(held) {
			if err := revokeDenial(ctx, tx, gov, den, tx.now.Format(time.DateOnly), "the refusal was overturned"); err != nil {
				return err
			}
			revoked = append(revoked, den.ID)
		}
		if len(revoked) > 0 {
			step.detail["denials_revoked"] = revoked
		}
		return nil
	}
	var created []string
	for _, den := range refusalDenials(gov, app, d, tx.now) {
		if _, err := findDenialByID(ctx, tx, den.ID); err == nil {
			continue // refused again on appeal: the denial notified stands
		} else if annex.ErrorCode(err) != annex.ENOTFOUND {
			return err
		}
		if err := den.Validate(); err != nil {
			return fmt.Errorf("denial %s of application %d: %w", den.ID, app.ID, err)
		}
		if err := insertDenial(ctx, tx, den); err != nil {
			return err
		}
		seq, err := notifyDenial(ctx, tx, gov, annex.NotifyDenial, den)
		if err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, auditRecord{action: "denial.create", subject: denialSubject(den.ID),
			detail: map[string]any{"application_id": app.ID, "entry": den.Entry, "end_user": den.EndUser,
				"destination": den.Destination, "date": den.Date, "version": den.Version, "sequence": seq}}); err != nil {
			return err
		}
		created = append(created, den.ID)
	}
	if len(created) > 0 {
		step.detail["denials"] = created
	}
	return nil
}

// refusalDenials returns the denials a refusal of the application makes,
// one per goods line its assessment classified as controlled: numbered
// "<gov>-<reference>-<line from 1>", for the line's strictest entry, the
// end user, consignee and destination of the application, dated the day
// of now, with the refusal's criteria and reasons.
func refusalDenials(gov string, app *annex.Application, d *annex.CaseDecision, now time.Time) []*annex.Denial {
	if app.Assessment == nil {
		return nil
	}
	var endUser, consignee string
	for _, p := range app.Parties {
		switch {
		case p.Role == annex.RoleEndUser && endUser == "":
			endUser = p.Name
		case p.Role == annex.RoleConsignee && consignee == "":
			consignee = p.Name
		}
	}
	reason := d.Reasons
	if len(d.Criteria) > 0 {
		reason = strings.Join(d.Criteria, ", ") + ": " + d.Reasons
	}
	var out []*annex.Denial
	for _, la := range app.Assessment.Lines {
		cl := la.Classification
		if cl == nil || !cl.Controlled || len(cl.Entries) == 0 {
			continue
		}
		out = append(out, &annex.Denial{
			ID: fmt.Sprintf("%s-%s-%d", gov, app.Reference, la.Line+1), NotifyingGovernment: gov,
			Entry: cl.Entries[0].ID, ItemDescription: lineDescription(app, la.Line, cl), EndUser: endUser,
			Consignee: consignee, Destination: app.Destination, Date: now.Format(time.DateOnly), Reason: reason,
			Status: annex.DenialActive, Version: 1, ApplicationID: app.ID,
		})
	}
	return out
}

// lineDescription describes a goods line: its name and kind.
func lineDescription(app *annex.Application, line int, cl *annex.Classification) string {
	name, kind := cl.Name, cl.Kind
	if line >= 0 && line < len(app.Items) {
		name, kind = app.Items[line].Name, app.Items[line].Kind
	}
	if name == "" {
		return kind
	}
	return name + " (" + kind + ")"
}

// consultPartners is the hook of ApplicationService.submit and of a
// reassessment. For each partner's denial in force that a no-undercut
// reason of the assessment cites (its Ref), and that the case has not
// consulted on yet, it opens a consultation of the notifying government,
// due in annex.ConsultationDays, and sends the request
// ("consultation.request"): the case cannot be approved until the partner
// answers or the consultation lapses.
func (s *ApplicationService) consultPartners(ctx context.Context, tx *Tx, step *caseStep) error {
	app := step.app
	if app.Assessment == nil {
		return nil
	}
	day := tx.now.Format(time.DateOnly)
	gov, seen := s.government(), map[string]bool{}
	for _, c := range app.Consultations {
		seen[c.DenialID] = true
	}
	var requested []string
	for _, r := range app.Assessment.Reasons {
		if r.Rule != annex.RuleNoUndercut || r.Ref == "" || seen[r.Ref] {
			continue
		}
		seen[r.Ref] = true
		d, err := findDenialByID(ctx, tx, r.Ref)
		if annex.ErrorCode(err) == annex.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		// Only a partner's denial in force is consulted on.
		if d.Received == nil || !d.InForce(day) {
			continue
		}
		id, err := requestConsultation(ctx, tx, gov, app, d, r)
		if err != nil {
			return err
		}
		requested = append(requested, id)
	}
	if len(requested) > 0 {
		step.detail["consultations"] = requested
	}
	return nil
}

// requestConsultation opens the consultation of a partner on its denial
// for the application and the reason that matched it, sends the request
// and audits "consultation.request". It returns the request ID.
func requestConsultation(ctx context.Context, tx *Tx, gov string, app *annex.Application, d *annex.Denial, r annex.Reason) (string, error) {
	msg := &annex.ConsultationMessage{DenialID: d.ID, Entry: d.Entry, Destination: app.Destination,
		DueAt: tx.now.AddDate(0, 0, annex.ConsultationDays)}
	if r.Line != nil && *r.Line >= 0 && *r.Line < len(app.Assessment.Lines) {
		if cl := app.Assessment.Lines[*r.Line].Classification; cl != nil {
			for _, m := range cl.Entries {
				if d.CoversEntry(m.ID) {
					msg.Entry = m.ID
					break
				}
			}
		}
	}
	for i, p := range app.Parties {
		if (r.Party != nil && *r.Party == i) || (r.Party == nil && p.Role == annex.RoleEndUser) {
			msg.EndUser = p.Name
			break
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO consultations (direction, application_id, denial_id, partner, entry,
			end_user, destination, status, requested_at, due_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		directionOutgoing, app.ID, d.ID, d.NotifyingGovernment, msg.Entry, msg.EndUser, msg.Destination,
		string(annex.ConsultationOpen), tx.db.timeArg(tx.now), tx.db.timeArg(msg.DueAt)).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("insert consultation: %w", err)
	}
	msg.RequestID = gov + "-C-" + strconv.FormatInt(id, 10)
	if _, err := tx.ExecContext(ctx, `UPDATE consultations SET request_id = ? WHERE id = ?`, msg.RequestID, id); err != nil {
		return "", fmt.Errorf("name consultation %d: %w", id, err)
	}
	seq, err := insertOutbox(ctx, tx, &annex.Notification{Kind: annex.NotifyConsultationRequest, From: gov,
		To: d.NotifyingGovernment, Consultation: msg})
	if err != nil {
		return "", err
	}
	return msg.RequestID, appendAudit(ctx, tx, auditRecord{action: "consultation.request", subject: consultationSubject(id),
		detail: map[string]any{"application_id": app.ID, "request_id": msg.RequestID, "denial_id": d.ID,
			"partner": d.NotifyingGovernment, "entry": msg.Entry, "due_at": msg.DueAt, "sequence": seq}})
}

// consultationColumns are the columns of an annex.Consultation, the
// application first (see caseWorkQuery).
const consultationColumns = `application_id, id, denial_id, partner, COALESCE(request_id, ''), entry, end_user,
	destination, status, requested_at, due_at, answer, objects, answered_at`

// scanConsultation scans the consultationColumns of a row.
func scanConsultation(row interface{ Scan(...any) error }, c *annex.Consultation) error {
	var appID sql.NullInt64
	err := row.Scan(&appID, &c.ID, &c.DenialID, &c.Partner, &c.RequestID, &c.Entry, &c.EndUser, &c.Destination,
		&c.Status, scanTime(&c.RequestedAt), scanTime(&c.DueAt), &c.Answer, &c.Objects, scanTime(&c.AnsweredAt))
	c.ApplicationID = appID.Int64
	return err
}

// consultationsQuery loads an application's consultations of partners with
// its case work. Only outgoing consultations have an application.
var consultationsQuery = caseWorkQuery{"consultations", `SELECT ` + consultationColumns + ` FROM consultations`,
	func(rows *sql.Rows) (int64, func(*annex.Application), error) {
		var c annex.Consultation
		err := scanConsultation(rows, &c)
		return c.ApplicationID, func(app *annex.Application) { app.Consultations = append(app.Consultations, c) }, err
	}}

// findConsultations returns the consultations matching the condition, by
// ID.
func findConsultations(ctx context.Context, tx *Tx, where string, args ...any) ([]*annex.Consultation, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+consultationColumns+` FROM consultations WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find consultations: %w", err)
	}
	defer rows.Close()
	cs := make([]*annex.Consultation, 0)
	for rows.Next() {
		var c annex.Consultation
		if err := scanConsultation(rows, &c); err != nil {
			return nil, fmt.Errorf("scan consultation: %w", err)
		}
		cs = append(cs, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find consultations: %w", err)
	}
	return cs, nil
}
