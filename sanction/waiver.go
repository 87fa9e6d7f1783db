package sanction

import (
	"fmt"
	"strings"
	"time"

	"annex"
)

// CheckWaiver checks a waiver against the measures it covers and the packs
// that produced them. It validates the waiver's fields first.
//
// A national-security waiver whose NotifiedOn is set must come at least the
// notice period after it, in working days (see WorkingDays): the longest
// period of the statutes the measures' legal bases cite, as a measure under
// both AECA §73 (45 days) and EAA §11B (20 days) needs 45. A measure whose
// legal basis cites none of its pack's statutes takes the pack's longest
// period. Failing that, the error is EINVALID on "notified_on" and gives
// both numbers. Sole-source waivers need no notice.
//
// Two choices the statutes leave open:
//   - A waiver may take effect before a measure starts: a waiver may
//     precede the determination it covers (in November 2000 the United
//     States waived the sanctions on the Chinese suppliers the day it
//     imposed those on the recipients). annex.Measure.Status then reads
//     waived from the waiver's date.
//   - The measures of a discretionary pack (INKSNA) may be waived without
//     notice: the pack declares no notice period, and the discretion that
//     imposed the measures may lift them.
//
// A measure whose pack is not among packs is checked against every pack's
// notice periods, so that an unknown pack never shortens the notice.
func CheckWaiver(packs []*Pack, w *annex.Waiver, measures []*annex.Measure) error {
	if err := w.Validate(); err != nil {
		return err
	}
	if w.Basis != annex.WaiverNationalSecurity || w.NotifiedOn == "" {
		return nil
	}
	var need *WaiverNotice
	for _, m := range measures {
		if n := noticeFor(packs, m); n != nil && (need == nil || n.WorkingDays > need.WorkingDays) {
			need = n
		}
	}
	if need == nil {
		return nil
	}
	got := WorkingDays(w.NotifiedOn, w.Effective)
	if got < need.WorkingDays {
		return annex.Invalid(annex.FieldError{Field: "notified_on", Message: fmt.Sprintf(
			"a national-security waiver needs Congress notified at least %d working days before it takes effect (%s); %s is %d working days before %s",
			need.WorkingDays, need.Provision, w.NotifiedOn, got, w.Effective)})
	}
	return nil
}

// noticeFor returns the longest notice period a waiver of the measure
// needs, or nil when none.
func noticeFor(packs []*Pack, m *annex.Measure) *WaiverNotice {
	var own []*Pack
	for _, p := range packs {
		if p.ID == m.Pack {
			own = append(own, p)
		}
	}
	if len(own) == 0 {
		own = packs
	}
	var cited, longest *WaiverNotice
	for _, p := range own {
		for i := range p.WaiverNotices {
			n := &p.WaiverNotices[i]
			if longest == nil || n.WorkingDays > longest.WorkingDays {
				longest = n
			}
			if cites(m.LegalBasis, n.Statute) && (cited == nil || n.WorkingDays > cited.WorkingDays) {
				cited = n
			}
		}
	}
	if cited != nil {
		return cited
	}
	return longest
}

// cites reports whether a legal basis, as "AECA §73(a)(2)(B)(ii); EAA
// §11B(b)(1)(B)(ii)", cites a statute by its short name.
func cites(basis, statute string) bool {
	for part := range strings.SplitSeq(basis, ";") {
		if strings.HasPrefix(strings.TrimSpace(part), statute+" ") {
			return true
		}
	}
	return false
}

// WorkingDays counts the working days from one day up to another: the
// Mondays to Fridays d with from <= d < to, so that notice given on a
// Friday for a waiver on the Monday after is one working day's notice.
// Federal holidays are not taken into account: a holiday on a weekday
// counts as a working day, for the package has no holiday calendar, so a
// notice that spans holidays may be accepted though a day or two short and
// must be checked by hand. Invalid dates, or to not after from, give 0.
func WorkingDays(from, to string) int {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || !a.Before(b) {
		return 0
	}
	days := int(b.Sub(a).Hours()/24 + 0.5)
	n := days / 7 * 5
	for d := a.AddDate(0, 0, days/7*7); d.Before(b); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}
