package web_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"testing"

	"annex"
	"annex/web"
)

// pdfStreamRE finds the content streams of a PDF.
var pdfStreamRE = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)

// pdfContent returns a PDF's content streams, inflated where they are
// compressed, joined: the text the pages show is in them, as the strings
// of Tj operators.
func pdfContent(t *testing.T, pdf []byte) string {
	t.Helper()
	var b strings.Builder
	for _, m := range pdfStreamRE.FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			b.Write(m[1])
			continue
		}
		inflated, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("inflate a stream: %v", err)
		}
		b.Write(inflated)
	}
	return b.String()
}

// pdfPages counts a PDF's pages.
func pdfPages(pdf []byte) int { return len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf, -1)) }

func sanctionsReport(t *testing.T) *annex.SanctionsReport {
	t.Helper()
	entities := []*annex.SanctionEntity{
		{ID: 1, Name: "Changgwang Sinyong Corporation", Country: "KP"},
		{ID: 2, Name: "Şahin (Ankara) Müh. Ltd", Country: "TR"},
		{ID: 3, Name: "گروه صنعتی شهید همت", Country: "IR"},
	}
	reports := []*annex.TransferReport{
		{ID: 1, Reference: "TR-2000-07", Title: "Scud parts", Date: "2000-07-14", SupplierID: 1, RecipientID: 3,
			Category: annex.CategoryI, Sources: []annex.EvidenceSource{{Reliability: "B"}}},
		{ID: 2, Reference: "TR-2000-11", Title: "Guidance sets", Date: "2000-11-02", SupplierID: 2, RecipientID: 3,
			Category: annex.CategoryII},
	}
	var measures []*annex.Measure
	for i, k := range []annex.MeasureKind{annex.MeasureDenyMissileLicences, annex.MeasureDenyMissileContracts, annex.MeasureImportBan} {
		measures = append(measures, &annex.Measure{ID: int64(i + 1), EntityID: 1, Measure: k,
			LegalBasis: "AECA §73(a)(2)(B)(ii); EAA §11B(b)(1)(B)(ii)", Start: "2000-09-01", End: "2002-09-01"})
	}
	measures = append(measures, &annex.Measure{ID: 4, EntityID: 2, Measure: annex.MeasureDenyMissileLicences,
		LegalBasis: "AECA §73(a)(2)(A)", Start: "1998-08-01", End: "2000-08-01"})
	measures[2].WaiverID, measures[2].WaivedFrom = 1, "2000-12-01"
	waivers := []*annex.Waiver{{ID: 1, MeasureIDs: []int64{3}, Effective: "2000-12-01", Basis: annex.WaiverNationalSecurity,
		Reason: "Essential to national security"}}
	holds := []*annex.Hold{{ID: 1, Country: "CN", Class: "satellite_launch", From: "2000-11-21", Reason: "pending assurances",
		Effect: annex.RecommendDeny}}
	r, err := annex.BuildSanctionsReport("2000H2", "2001-01-15", reports, entities, measures, waivers, holds)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWriteReportPDF(t *testing.T) {
	var buf bytes.Buffer
	if err := web.WriteReportPDF(&buf, sanctionsReport(t), "Export Control Authority"); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf[len(pdf)-32:], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q…", pdf[:min(len(pdf), 32)])
	}
	if len(pdf) < 4000 {
		t.Errorf("PDF is %d bytes, want a real document", len(pdf))
	}
	if n := pdfPages(pdf); n < 1 {
		t.Errorf("pages = %d", n)
	}
	content := pdfContent(t, pdf)
	for _, want := range []string{
		"2000 H2", "Export Control Authority", "Generated on 2001-01-15", "Page 1 of",
		"Changgwang Sinyong", `Corporation \(KP\)`, // wrapped in its cell
		`Sahin \(Ankara\) M` + "\xfc" + `h. Ltd`, // Ş folds to S; ü is in Windows-1252
		"deny missile licences", "Measures in force on 2000-12-31", "satellite launch", "Essential to national security",
	} {
		if !strings.Contains(content, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// The recipient's name, in Persian script, cannot be encoded by the
	// built-in font: it is replaced, not dropped and not an error.
	if !strings.Contains(content, `??? \(IR\)`) {
		t.Errorf("PDF text lacks the replaced recipient name")
	}
}

func TestWriteReportPDFEmpty(t *testing.T) {
	r, err := annex.BuildSanctionsReport("1999 H1", "1999-07-01", nil, nil, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := web.WriteReportPDF(&buf, r, ""); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || pdfPages(pdf) < 1 {
		t.Fatalf("not a PDF with a page: %q…", pdf[:min(len(pdf), 32)])
	}
	content := pdfContent(t, pdf)
	for _, want := range []string{"1999 H1", "None in the period."} {
		if !strings.Contains(content, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}
