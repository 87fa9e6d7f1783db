package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// hitView is a screening match as the pages show it: with the decision
// taken on it, and the form to decide when the user is signed in.
type hitView struct {
	annex.ScreenMatch
	// ID names the hit in element ids, as "un-IQi.001".
	ID string
	// Decision is the newest decision on the entry as it is listed now
	// (same entity hash). Earlier, when there is none, is the newest
	// decision on an earlier version of the entry.
	Decision, Earlier *annex.Adjudication
	// Form decides on the hit; nil when the user is signed out.
	Form *adjudicateForm
}

// adjudicateForm is the form that records a decision on a hit or an alert.
type adjudicateForm struct {
	// ID is the form's element id: "adjudicate-un-IQi.001".
	ID     string
	Action string
	Hidden []hiddenInput
	// Decision and Reason are the values sent, shown again with Errors,
	// the errors by input name; Message says what else went wrong.
	Decision, Reason string
	Errors           map[string]string
	Message          string
}

// hiddenInput is a hidden input of a form.
type hiddenInput struct{ Name, Value string }

// hitID names a listed entity in element ids: its source and source ID,
// with any character other than a letter, digit, dot, dash or underscore
// made a dash.
func hitID(source annex.ListSource, sourceID string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '-'
	}, string(source)+"-"+sourceID)
}

// hitViews pairs matches with the decisions of their party, which may be
// none.
func hitViews(matches []annex.ScreenMatch, adjs []*annex.Adjudication) []hitView {
	out := make([]hitView, len(matches))
	for i, m := range matches {
		h := hitView{ScreenMatch: m, ID: hitID(m.Source, m.SourceID)}
		for _, a := range adjs {
			if a.Source != m.Source || a.SourceID != m.SourceID {
				continue
			}
			if a.EntityHash == m.EntityHash {
				h.Decision = newer(h.Decision, a)
			} else {
				h.Earlier = newer(h.Earlier, a)
			}
		}
		if h.Decision != nil {
			h.Earlier = nil
		}
		out[i] = h
	}
	return out
}

// newer returns the later of two adjudications, a possibly nil.
func newer(a, b *annex.Adjudication) *annex.Adjudication {
	if a == nil || b.CreatedAt.After(a.CreatedAt) || (b.CreatedAt.Equal(a.CreatedAt) && b.ID > a.ID) {
		return b
	}
	return a
}

// newAdjudicateForm returns the form of a hit, posting to action the hit's
// entry and hash with the extra values given.
func newAdjudicateForm(h *hitView, action string, extra url.Values) *adjudicateForm {
	v := url.Values{"source": {string(h.Source)}, "source_id": {h.SourceID}, "entity_hash": {h.EntityHash}}
	for k, vs := range extra {
		v[k] = vs
	}
	return &adjudicateForm{ID: "adjudicate-" + h.ID, Action: action, Hidden: hiddenInputs(v)}
}

// hiddenInputs returns the values as hidden inputs, by name.
func hiddenInputs(v url.Values) []hiddenInput {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make([]hiddenInput, 0, len(names))
	for _, k := range names {
		for _, x := range v[k] {
			out = append(out, hiddenInput{Name: k, Value: x})
		}
	}
	return out
}

// adjudicationFromForm reads a decision form. The party comes from the
// context of the form.
func adjudicationFromForm(form url.Values) *annex.Adjudication {
	return &annex.Adjudication{
		Source:     annex.ListSource(form.Get("source")),
		SourceID:   strings.TrimSpace(form.Get("source_id")),
		EntityHash: strings.TrimSpace(form.Get("entity_hash")),
		Decision:   annex.Decision(form.Get("decision")),
		Reason:     form.Get("reason"),
	}
}

// checkAdjudication checks a decision before its party is known, so that a
// form with errors saves no party: every field but the party's ID.
func checkAdjudication(a *annex.Adjudication) error {
	var errs []annex.FieldError
	for _, fe := range annex.ErrorFields(a.Validate()) {
		if fe.Field != "party_id" {
			errs = append(errs, fe)
		}
	}
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	return nil
}

// setAdjudicationErrors shows an invalid decision at the form of its hit,
// with the values sent. When no hit has the decision's entry any more, it
// returns the message to show at the top of the page instead.
func setAdjudicationErrors(hits []hitView, a *annex.Adjudication, err error) string {
	i := slices.IndexFunc(hits, func(h hitView) bool {
		return h.Form != nil && h.Source == a.Source && h.SourceID == a.SourceID
	})
	if i < 0 {
		return "The decision was not recorded: " + annex.ErrorMessage(err)
	}
	hits[i].Form.setErrors(a, err)
	return ""
}

// setErrors puts the errors of a decision next to the form's inputs.
func (f *adjudicateForm) setErrors(a *annex.Adjudication, err error) {
	f.Decision, f.Reason = string(a.Decision), a.Reason
	f.Errors = make(map[string]string)
	var other []string
	for _, fe := range annex.ErrorFields(err) {
		switch fe.Field {
		case "decision", "reason":
			f.Errors[fe.Field] = fe.Message
		default:
			other = append(other, fe.String())
		}
	}
	f.Message = "The decision was not recorded: correct the fields marked below."
	switch {
	case len(annex.ErrorFields(err)) == 0:
		f.Message = "The decision was not recorded: " + annex.ErrorMessage(err)
	case len(other) > 0:
		f.Message = "The decision was not recorded: " + strings.Join(other, "; ") + "."
	}
}

// decisionText names a decision as a past act: "Dismissed".
func decisionText(d annex.Decision) string {
	switch d {
	case annex.DecisionConfirm:
		return "Confirmed"
	case annex.DecisionDismiss:
		return "Dismissed"
	}
	return string(d)
}

// scoreText formats a score with two decimals: "0.97".
func scoreText(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// pieceText formats a piece of a score's explanation with three decimals
// and, for a negative adjustment, its sign: "-0.150".
func pieceText(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }

// shortHash returns the first 12 characters of a hex hash.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
