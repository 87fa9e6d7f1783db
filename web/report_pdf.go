package web

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontfamily"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"annex"
)

// The half-yearly sanctions report as an A4 PDF, laid out with maroto on a
// grid of pdfGrid columns. It uses the PDF's built-in Helvetica, so the
// file needs no font and stays small; that font encodes only Windows-1252
// (Latin-1 and a few more), which the register's primary names are written
// in. pdfText replaces what it cannot encode instead of failing.

// pdfGrid is the number of grid columns across the page.
const pdfGrid = 24

// Colours of the report: the site's ink and muted text, and the tint of
// table headers (web/static/annex.css).
var (
	pdfInk   = &props.Color{Red: 0x1b, Green: 0x1f, Blue: 0x24}
	pdfMuted = &props.Color{Red: 0x57, Green: 0x60, Blue: 0x6a}
	pdfTint  = &props.Color{Red: 0xea, Green: 0xee, Blue: 0xf2}
	pdfLine  = &props.Color{Red: 0xd0, Green: 0xd7, Blue: 0xde}
)

// pdfColumn is a column of a report table: its heading and its width in
// grid columns.
type pdfColumn struct {
	Title string
	Size  int
}

// WriteReportPDF writes the report as an A4 PDF: the title with the
// authority, the period and the date it was generated, the totals, then a
// table for each section.
func WriteReportPDF(w io.Writer, r *annex.SanctionsReport, authority string) error {
	title := "Report on transfers and sanctions, " + r.Period
	cfg := config.NewBuilder().
		WithPageSize(pagesize.A4).
		WithMaxGridSize(pdfGrid).
		WithLeftMargin(15).WithRightMargin(15).WithTopMargin(15).
		WithDefaultFont(&props.Font{Family: fontfamily.Helvetica, Size: 9, Color: pdfInk}).
		WithPageNumber(props.PageNumber{Pattern: "Page {current} of {total}", Place: props.Bottom,
			Family: fontfamily.Helvetica, Size: 8, Color: pdfMuted}).
		WithTitle(pdfText(title), true).
		WithAuthor(pdfText(authority), true).
		WithCreator("Annex", false).
		WithCompression(true)
	if day, err := time.Parse(time.DateOnly, r.GeneratedOn); err == nil {
		cfg = cfg.WithCreationDate(day)
	}
	m := maroto.New(cfg.Build())
	writeReportHeading(m, r, title, authority)
	writeReportTotals(m, r)
	writeReportSections(m, r)
	doc, err := m.Generate()
	if err != nil {
		return fmt.Errorf("generate report pdf: %w", err)
	}
	if _, err := w.Write(doc.GetBytes()); err != nil {
		return fmt.Errorf("write report pdf: %w", err)
	}
	return nil
}

// writeReportHeading writes the title block.
func writeReportHeading(m core.Maroto, r *annex.SanctionsReport, title, authority string) {
	if authority != "" {
		m.AddAutoRow(text.NewCol(pdfGrid, pdfText(authority), props.Text{Size: 10, Color: pdfMuted}))
	}
	m.AddAutoRow(text.NewCol(pdfGrid, pdfText(title), props.Text{Size: 16, Style: fontstyle.Bold, Top: 2}))
	m.AddAutoRow(text.NewCol(pdfGrid, pdfText(fmt.Sprintf("Period: %s (%s to %s). Generated on %s.",
		r.Period, r.From, r.Until, r.GeneratedOn)), props.Text{Size: 10, Top: 2, Bottom: 2}))
}

// writeReportTotals writes the summary: the count of each section, then
// the counts by category, by measure and by country.
func writeReportTotals(m core.Maroto, r *annex.SanctionsReport) {
	t := r.Totals
	n := strconv.Itoa
	pdfTable(m, "Summary", []pdfColumn{{"Records in the period", 18}, {"Count", 6}}, [][]string{
		{"Transfers reported", n(t.Transfers)},
		{"Measures imposed", n(t.MeasuresImposed)},
		{"Measures in force at the end of the period", n(t.MeasuresInForce)},
		{"Measures expired", n(t.MeasuresExpired)},
		{"Measures waived", n(t.MeasuresWaived)},
		{"Waivers", n(t.Waivers)},
		{"Policy holds", n(t.Holds)},
	})
	var rows [][]string
	for _, c := range t.ByCategory {
		rows = append(rows, []string{pdfCategory(c.Key), n(c.Count)})
	}
	pdfTable(m, "Transfers by category", []pdfColumn{{"Category", 18}, {"Transfers", 6}}, rows)
	rows = nil
	for _, k := range t.ByMeasure {
		rows = append(rows, []string{pdfMeasure(k.Measure), n(k.Imposed), n(k.InForce)})
	}
	pdfTable(m, "Measures by kind", []pdfColumn{{"Measure", 14}, {"Imposed", 5}, {"In force", 5}}, rows)
	rows = nil
	for _, c := range t.ByCountry {
		rows = append(rows, []string{c.Country, n(c.Supplied), n(c.Received), n(c.Imposed), n(c.InForce)})
	}
	pdfTable(m, "By country of the entity", []pdfColumn{{"Country", 8}, {"Supplied", 4}, {"Received", 4},
		{"Imposed", 4}, {"In force", 4}}, rows)
}

// writeReportSections writes a table for each section of the report.
func writeReportSections(m core.Maroto, r *annex.SanctionsReport) {
	var rows [][]string
	for _, t := range r.Transfers {
		cat := string(t.Category)
		if cat == "" {
			cat = "none"
		}
		rows = append(rows, []string{t.Date, t.Reference, pdfParty(t.Supplier), pdfParty(t.Recipient), cat,
			strings.Join(t.Grades, ", ")})
	}
	pdfTable(m, "Transfers", []pdfColumn{{"Date", 3}, {"Reference", 4}, {"Supplier", 6}, {"Recipient", 6},
		{"Category", 2}, {"Sources", 3}}, rows)
	measures := []struct {
		title string
		ms    []annex.Measure
	}{
		{"Measures imposed", r.MeasuresImposed},
		{"Measures in force on " + r.Until, r.MeasuresInForce},
		{"Measures expired", r.MeasuresExpired},
		{"Measures waived", r.MeasuresWaived},
	}
	for _, s := range measures {
		rows = nil
		for _, ms := range s.ms {
			rows = append(rows, []string{ms.Entity, ms.Country, pdfMeasure(ms.Measure), ms.LegalBasis, ms.Start,
				ms.End, string(ms.Status(r.Until))})
		}
		pdfTable(m, s.title, []pdfColumn{{"Entity", 5}, {"Country", 2}, {"Measure", 4}, {"Legal basis", 5},
			{"Start", 3}, {"End", 3}, {"Status", 2}}, rows)
	}
	rows = nil
	for _, v := range r.Waivers {
		var names []string
		for _, e := range v.Entities {
			names = append(names, pdfParty(e))
		}
		ids := make([]string, len(v.MeasureIDs))
		for i, id := range v.MeasureIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		rows = append(rows, []string{v.Effective, strings.Join(names, "; "), strings.ReplaceAll(v.Basis, "_", " "),
			v.LegalBasis, strings.Join(ids, ", "), v.Reason})
	}
	pdfTable(m, "Waivers", []pdfColumn{{"Effective", 3}, {"Entities", 5}, {"Basis", 3}, {"Legal basis", 4},
		{"Measures", 3}, {"Reason", 6}}, rows)
	rows = nil
	for _, h := range r.Holds {
		class := strings.ReplaceAll(h.Class, "_", " ")
		if class == "" {
			class = "all licences"
		}
		until := h.Until
		if until == "" {
			until = "open"
		}
		rows = append(rows, []string{h.Country, class, string(h.Effect), h.From, until, h.Reason})
	}
	pdfTable(m, "Policy holds", []pdfColumn{{"Country", 2}, {"Licences", 4}, {"Effect", 2}, {"From", 3},
		{"Until", 3}, {"Reason", 10}}, rows)
}

// pdfTable writes a section heading and a table under it, or "None in the
// period." when it has no rows.
func pdfTable(m core.Maroto, title string, cols []pdfColumn, rows [][]string) {
	m.AddAutoRow(text.NewCol(pdfGrid, pdfText(title), props.Text{Size: 12, Style: fontstyle.Bold, Top: 5, Bottom: 1}))
	if len(rows) == 0 {
		m.AddAutoRow(text.NewCol(pdfGrid, "None in the period.", props.Text{Color: pdfMuted, Bottom: 1}))
		return
	}
	header := make([]core.Col, len(cols))
	for i, c := range cols {
		header[i] = text.NewCol(c.Size, pdfText(c.Title), props.Text{Style: fontstyle.Bold, Top: 1, Bottom: 1, Left: 1, Right: 1})
	}
	m.AddRows(row.New().Add(header...).WithStyle(&props.Cell{BackgroundColor: pdfTint}))
	for _, cells := range rows {
		cs := make([]core.Col, len(cols))
		for i, c := range cols {
			cs[i] = col.New(c.Size).Add(text.New(pdfText(cells[i]), props.Text{Top: 1, Bottom: 1, Left: 1, Right: 1}))
		}
		m.AddRows(row.New().Add(cs...).WithStyle(&props.Cell{BorderType: border.Bottom, BorderColor: pdfLine, BorderThickness: 0.2}))
	}
}

// pdfParty writes a party as "Name (CC)".
func pdfParty(p annex.TransferParty) string {
	if p.Country == "" {
		return p.Name
	}
	return p.Name + " (" + p.Country + ")"
}

// pdfCategory writes an MTCR category for the report.
func pdfCategory(c string) string {
	switch c {
	case "", "none":
		return "None given"
	}
	return "Category " + c
}

// pdfMeasure writes a measure kind in words: "deny missile licences".
func pdfMeasure(k annex.MeasureKind) string { return strings.ReplaceAll(string(k), "_", " ") }

// pdfText makes a string encodable in the built-in fonts' Windows-1252
// rather than fail on it: a character outside it loses its diacritics when
// that makes it encodable (ş becomes s, ā becomes a), a few Latin letters
// without a decomposition are written as their base letter (Ł as L), and
// anything else, such as a name in Arabic script, becomes "?". Control
// characters become spaces. (Left to itself the library would write "." for
// each character it cannot encode.)
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			b.WriteByte(' ')
		case r < 0x80 || pdfEncodable(r):
			b.WriteRune(r)
		case latinBase[r] != "":
			b.WriteString(latinBase[r])
		default:
			b.WriteString(foldToWindows1252(r))
		}
	}
	return b.String()
}

// latinBase holds the Latin letters outside Windows-1252 that Unicode does
// not decompose, with the letters they are written as.
var latinBase = map[rune]string{'Ł': "L", 'ł': "l", 'Đ': "D", 'đ': "d", 'Ħ': "H", 'ħ': "h", 'ı': "i",
	'Ŧ': "T", 'ŧ': "t", 'Ŀ': "L", 'ŀ': "l", 'ĸ': "k", 'Ŋ': "N", 'ŋ': "n"}

// pdfEncodable reports whether Windows-1252 encodes a character.
func pdfEncodable(r rune) bool {
	_, ok := charmap.Windows1252.EncodeRune(r)
	return ok
}

// foldToWindows1252 returns a character without its combining marks when
// what is left is encodable, or "?".
func foldToWindows1252(r rune) string {
	var b strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		if !pdfEncodable(d) {
			return "?"
		}
		b.WriteRune(d)
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}
