package annex

import (
	"fmt"
	"strings"
	"time"
)

// DecisionLetter writes the letter that tells the exporter of a decision:
// plain text, kept with the decision. A licence, when one is issued, is
// quoted with its number, validity and lines.
func DecisionLetter(app *Application, d *CaseDecision, l *Licence, authority string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\nApplication %s\nDestination: %s\nEnd user: %s\n\n", authority, d.DecidedAt.Format("2 January 2006"), app.Reference, app.Destination, endUser(app))
	switch d.Type {
	case DecisionApprove, DecisionApproveProvisos:
		fmt.Fprintf(&b, "The application is approved.")
		if l != nil {
			fmt.Fprintf(&b, " Licence %s is issued, valid from %s until %s, for:\n", l.Number, l.ValidFrom.Format(time.DateOnly), l.ValidUntil.Format(time.DateOnly))
			for _, ll := range l.Lines {
				fmt.Fprintf(&b, "  %d. %s: %s %s, value %s\n", ll.Line+1, ll.Description, FormatNumber(ll.Quantity), ll.Unit, FormatNumber(ll.Value))
			}
		}
		if len(d.Provisos) > 0 {
			b.WriteString("\nThe licence is subject to these provisos:\n")
			for i, p := range d.Provisos {
				fmt.Fprintf(&b, "  (%c) %s\n", 'a'+i, p)
			}
		}
		b.WriteString("\nThe goods may be exported only to the end user and for the end use stated, and may not be retransferred without the authority's consent.\n")
	case DecisionRefuse:
		fmt.Fprintf(&b, "The application is refused, on these grounds: %s.\n", strings.Join(d.Criteria, ", "))
		fmt.Fprintf(&b, "\nYou may appeal within %d days of this letter, stating your grounds.\n", AppealDays)
	case DecisionNoLicenceRequired:
		b.WriteString("No licence is required for the goods described. This finding holds only for the goods, end user and end use stated; it does not relieve you of the catch-all obligation should you learn that the goods are intended for a delivery system for weapons of mass destruction.\n")
	}
	if strings.TrimSpace(d.Reasons) != "" {
		fmt.Fprintf(&b, "\nReasons: %s\n", strings.TrimSpace(d.Reasons))
	}
	return b.String()
}

func endUser(app *Application) string {
	for _, p := range app.Parties {
		if p.Role == RoleEndUser {
			return fmt.Sprintf("%s (%s)", p.Name, p.Country)
		}
	}
	return "not named"
}
