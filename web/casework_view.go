package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"annex"
)

// statusTitles name the statuses of an application for people.
var statusTitles = map[annex.ApplicationStatus]string{
	annex.StatusDraft:               "Draft",
	annex.StatusSubmitted:           "Submitted",
	annex.StatusUnderReview:         "Under review",
	annex.StatusAwaitingExporter:    "Awaiting the exporter",
	annex.StatusAwaitingCountersign: "Awaiting countersignature",
	annex.StatusApproved:            "Approved",
	annex.StatusRefused:             "Refused",
	annex.StatusNoLicenceRequired:   "No licence required",
	annex.StatusWithdrawn:           "Withdrawn",
	annex.StatusUnderAppeal:         "Under appeal",
}

// statusText names an application status for people.
func statusText(s annex.ApplicationStatus) string {
	if t, ok := statusTitles[s]; ok {
		return t
	}
	return string(s)
}

// recommendationText names a recommendation for people.
func recommendationText(r annex.Recommendation) string {
	switch r {
	case annex.RecommendDeny:
		return "Deny"
	case annex.RecommendRefer:
		return "Refer"
	case annex.RecommendApprove:
		return "Approve"
	case annex.RecommendNoLicenceRequired:
		return "No licence required"
	}
	return string(r)
}

// presumptionText explains a presumption.
func presumptionText(p annex.Presumption) string {
	switch p {
	case annex.PresumptionDeny:
		return "Strong presumption of denial (MTCR Guidelines para. 2)"
	case annex.PresumptionCaseByCase:
		return "Case by case (MTCR Guidelines para. 3)"
	case annex.PresumptionNone:
		return "None: nothing listed"
	}
	return string(p)
}

// departmentText names an advising department.
func departmentText(d string) string {
	switch d {
	case annex.DeptForeignAffairs:
		return "Foreign affairs"
	case annex.DeptDefence:
		return "Defence"
	}
	return d
}

// decisionTypeText names a decision.
func decisionTypeText(t annex.DecisionType) string {
	switch t {
	case annex.DecisionApprove:
		return "Approve"
	case annex.DecisionApproveProvisos:
		return "Approve with provisos"
	case annex.DecisionRefuse:
		return "Refuse"
	case annex.DecisionNoLicenceRequired:
		return "No licence required"
	}
	return string(t)
}

// adviceTypeText names an advice type.
func adviceTypeText(t annex.AdviceType) string {
	switch t {
	case annex.AdviceApprove:
		return "Approve"
	case annex.AdviceProviso:
		return "Approve with a proviso"
	case annex.AdviceRefuse:
		return "Refuse"
	}
	return string(t)
}

// licenceStatusText names a licence status.
func licenceStatusText(s annex.LicenceStatus) string {
	switch s {
	case annex.LicenceIssued:
		return "Issued"
	case annex.LicenceSuspended:
		return "Suspended"
	case annex.LicenceRevoked:
		return "Revoked"
	case annex.LicenceExpired:
		return "Expired"
	case annex.LicenceExhausted:
		return "Exhausted"
	case annex.LicenceSuperseded:
		return "Superseded"
	}
	return string(s)
}

// dateText formats a time's day in UTC: "2026-11-27".
func dateText(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// plusOne numbers from 1 what is counted from 0.
func plusOne(i int) int { return i + 1 }

// option is a choice of a select or of radio buttons.
type option struct{ Value, Label string }

// adviceTypes are the choices of advice.
var adviceTypes = []option{{string(annex.AdviceApprove), adviceTypeText(annex.AdviceApprove)},
	{string(annex.AdviceProviso), adviceTypeText(annex.AdviceProviso)}, {string(annex.AdviceRefuse), adviceTypeText(annex.AdviceRefuse)}}

// decisionTypes are the choices of a decision.
var decisionTypes = []option{
	{string(annex.DecisionApprove), decisionTypeText(annex.DecisionApprove)},
	{string(annex.DecisionApproveProvisos), decisionTypeText(annex.DecisionApproveProvisos)},
	{string(annex.DecisionRefuse), decisionTypeText(annex.DecisionRefuse)},
	{string(annex.DecisionNoLicenceRequired), decisionTypeText(annex.DecisionNoLicenceRequired)},
}

// adviceSubjects lists what a department may advise on: the case, each
// line, each party and each country named.
func adviceSubjects(app *annex.Application) []option {
	out := []option{{"case", "The whole case"}}
	for i, l := range app.Items {
		out = append(out, option{fmt.Sprintf("line:%d", i), fmt.Sprintf("Line %d: %s", i+1, lineName(l))})
	}
	for i, p := range app.Parties {
		out = append(out, option{fmt.Sprintf("party:%d", i), fmt.Sprintf("Party %d: %s (%s)", i+1, p.Name, strings.ReplaceAll(string(p.Role), "_", " "))})
	}
	countries := []string{app.Destination}
	for _, p := range app.Parties {
		if !slices.Contains(countries, p.Country) {
			countries = append(countries, p.Country)
		}
	}
	for _, c := range countries {
		out = append(out, option{"country:" + c, "Country " + c})
	}
	return out
}

// lineName names a goods line: its name, or its kind.
func lineName(l annex.ApplicationLine) string {
	if l.Name != "" {
		return l.Name
	}
	return l.Kind
}

// subjectText names the subject of advice for people.
func subjectText(app *annex.Application, subject string) string {
	for _, o := range adviceSubjects(app) {
		if o.Value == subject {
			return o.Label
		}
	}
	return subject
}

// refusalCriteria lists the grounds a refusal may cite: the rules of the
// assessment, then the six factors of the Guidelines.
func refusalCriteria(a *annex.Assessment) []option {
	var out []option
	titles := map[string]string{}
	if a != nil {
		for _, r := range a.Reasons {
			if !slices.ContainsFunc(out, func(o option) bool { return o.Value == r.Rule }) {
				out = append(out, option{r.Rule, "Rule " + r.Rule})
			}
		}
		for _, f := range a.Factors {
			titles[f.ID] = f.Title
		}
	}
	for _, id := range []string{"A", "B", "C", "D", "E", "F"} {
		label := "Factor " + id
		if t := titles[id]; t != "" {
			label += ": " + t
		}
		out = append(out, option{"factor-" + id, label})
	}
	return out
}

// actionForm is the state of the forms of a case page: which the user may
// take now, and, after a failed post, what was typed into the one posted
// with its errors.
type actionForm struct {
	// Allowed lists the actions the user may take now, by NextStatus.
	Allowed []annex.ActionType
	// Notes says why an action the user could otherwise take waits, as
	// "advice from defence is still awaited".
	Notes map[annex.ActionType]string
	// Posted and Values are the action posted and its form values;
	// Errors are its errors by input name, Message what else went wrong.
	Posted  annex.ActionType
	Values  url.Values
	Errors  map[string]string
	Message string
}

// probeActions asks NextStatus which of the actions the user may take on
// the application now, as a dry run: an action refused only for want of
// input (EINVALID) is allowed, its form will supply it.
func probeActions(app *annex.Application, u *annex.User, now time.Time, types ...annex.ActionType) actionForm {
	f := actionForm{Notes: map[annex.ActionType]string{}}
	for _, t := range types {
		_, err := annex.NextStatus(app, &annex.CaseAction{Type: t, Version: app.Version}, u, now)
		switch annex.ErrorCode(err) {
		case "", annex.EINVALID:
			f.Allowed = append(f.Allowed, t)
		case annex.ECONFLICT:
			f.Notes[t] = annex.ErrorMessage(err)
		}
	}
	return f
}

// Can reports whether the user may take the action now.
func (f actionForm) Can(t string) bool { return slices.Contains(f.Allowed, annex.ActionType(t)) }

// Note says why the action waits, if it does.
func (f actionForm) Note(t string) string { return f.Notes[annex.ActionType(t)] }

// Val is the value typed into an input of the action's form, kept after a
// failed post.
func (f actionForm) Val(t, name string) string {
	if string(f.Posted) != t {
		return ""
	}
	return f.Values.Get(name)
}

// Checked reports whether a checkbox of the action's form was ticked.
func (f actionForm) Checked(t, name, value string) bool {
	return string(f.Posted) == t && slices.Contains(f.Values[name], value)
}

// Err is the error of an input of the action's form.
func (f actionForm) Err(t, name string) string {
	if string(f.Posted) != t {
		return ""
	}
	return f.Errors[name]
}

// Msg is the message of the action's form.
func (f actionForm) Msg(t string) string {
	if string(f.Posted) != t {
		return ""
	}
	return f.Message
}

// Orphan is the message of a posted action whose form the page no longer
// shows, as when the case moved on and the user may not take it now.
func (f actionForm) Orphan() string {
	if f.Posted == "" || slices.Contains(f.Allowed, f.Posted) {
		return ""
	}
	if f.Message != "" {
		return f.Message
	}
	var msgs []string
	for _, m := range f.Errors {
		msgs = append(msgs, m)
	}
	slices.Sort(msgs)
	return strings.Join(msgs, "; ")
}

// caseActionFromForm reads a case action from the form of a case page.
// Input names follow the action's JSON paths: "question",
// "advice.subject", "decision.reasons".
func caseActionFromForm(form url.Values) *annex.CaseAction {
	act := &annex.CaseAction{
		Type:       annex.ActionType(form.Get("type")),
		Question:   form.Get("question"),
		Answer:     form.Get("answer"),
		Department: form.Get("department"),
		Note:       form.Get("note"),
		Reason:     form.Get("reason"),
	}
	act.Version, _ = strconv.ParseInt(form.Get("version"), 10, 64)
	switch act.Type {
	case annex.ActGiveAdvice:
		act.Advice = &annex.Advice{Subject: form.Get("advice.subject"), Type: annex.AdviceType(form.Get("advice.type")),
			Text: form.Get("advice.text"), Proviso: form.Get("advice.proviso")}
	case annex.ActProposeDecision, annex.ActDecideAppeal:
		d := &annex.CaseDecision{Type: annex.DecisionType(form.Get("decision.type")), Reasons: form.Get("decision.reasons"),
			Criteria: form["decision.criteria"]}
		for line := range strings.SplitSeq(form.Get("decision.provisos"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				d.Provisos = append(d.Provisos, line)
			}
		}
		d.ValidMonths, _ = strconv.Atoi(strings.TrimSpace(form.Get("decision.valid_months")))
		act.Decision = d
	}
	return act
}

// decisionFields are the fields of a CaseDecision, which its Validate names
// without the "decision." of their path in a case action.
var decisionFields = []string{"type", "provisos", "criteria", "reasons", "valid_months"}

// actionFieldPaths gives the invalid fields of a decision their path in
// the case action ("decision.reasons"), so that a client can find them.
func actionFieldPaths(act *annex.CaseAction, err error) error {
	fields := annex.ErrorFields(err)
	if len(fields) == 0 || (act.Type != annex.ActProposeDecision && act.Type != annex.ActDecideAppeal) {
		return err
	}
	out := make([]annex.FieldError, len(fields))
	for i, f := range fields {
		if slices.Contains(decisionFields, f.Field) {
			f.Field = "decision." + f.Field
		}
		out[i] = f
	}
	return annex.Invalid(out...)
}

// setError puts the error of a posted action into the form: field errors
// next to their inputs, anything else as the form's message.
func (f *actionForm) setError(act *annex.CaseAction, form url.Values, err error) {
	f.Posted, f.Values, f.Errors = act.Type, form, map[string]string{}
	var other []string
	for _, fe := range annex.ErrorFields(actionFieldPaths(act, err)) {
		if form.Has(fe.Field) || fe.Field == "decision.criteria" || fe.Field == "decision.provisos" {
			f.Errors[fe.Field] = fe.Message
		} else {
			other = append(other, fe.String())
		}
	}
	switch {
	case len(annex.ErrorFields(err)) == 0:
		f.Message = annex.ErrorMessage(err)
	case len(other) > 0:
		f.Message = "Not done: " + strings.Join(other, "; ") + "."
	default:
		f.Message = "Not done: correct the fields marked below."
	}
}

// userNames looks up the names of the authority's users that a case page
// names, by ID. A user that cannot be found reads "user N".
func (s *Server) userNames(ctx context.Context, ids ...int64) map[int64]string {
	names := make(map[int64]string, len(ids))
	for _, id := range ids {
		if _, ok := names[id]; ok || id == 0 {
			continue
		}
		names[id] = fmt.Sprintf("user %d", id)
		if u, err := s.UserService.FindUserByID(ctx, id); err == nil {
			names[id] = u.Name
			if names[id] == "" {
				names[id] = u.Username
			}
		}
	}
	return names
}

// caseUserIDs are the users a case page names.
func caseUserIDs(app *annex.Application) []int64 {
	ids := []int64{app.AssignedTo}
	for _, r := range app.Requests {
		ids = append(ids, r.AskedBy, r.AnsweredBy)
	}
	for _, r := range app.AdviceRequests {
		ids = append(ids, r.RequestedBy)
	}
	for _, d := range []*annex.CaseDecision{app.Proposed, app.Decision} {
		if d != nil {
			ids = append(ids, d.DecidedBy, d.CountersignedBy)
		}
	}
	return ids
}

// areaInput describes a textarea of an action's form: its id is the
// action and the last part of its name, as "decide-reasons".
func areaInput(f actionForm, t, name, label, hint string) inputView {
	short := name[strings.LastIndex(name, ".")+1:]
	return inputView{ID: t + "-" + short, Name: name, Label: label, Hint: hint, Value: f.Val(t, name), Error: f.Err(t, name)}
}
