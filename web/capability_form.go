package web

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// The stage table of the capability form starts with defaultStageRows rows
// and grows to annex.MaxStages.
const defaultStageRows = 3

// stageColumn is a column of the stage table: a numeric field of a stage.
type stageColumn struct {
	// Field is the stage's JSON field, and the last part of the inputs'
	// names and of error paths.
	Field, Label, Unit string
	// Need says whether the field must be given: required, optional, or
	// one of two (the dry and the gross mass).
	Need columnNeed
	get  func(*annex.Stage) *float64
}

// columnNeed says whether a stage field must be given.
type columnNeed int

const (
	needOneOf columnNeed = iota
	needRequired
	needOptional
)

// Required reports whether every stage must give the field.
func (c stageColumn) Required() bool { return c.Need == needRequired }

// Optional reports whether the field may be left out.
func (c stageColumn) Optional() bool { return c.Need == needOptional }

// stageColumns are the columns of the stage table, in order.
var stageColumns = []stageColumn{
	{"propellant_mass_kg", "Propellant mass", "kg", needRequired, func(s *annex.Stage) *float64 { return &s.PropellantMassKg }},
	{"dry_mass_kg", "Dry mass", "kg", needOneOf, func(s *annex.Stage) *float64 { return &s.DryMassKg }},
	{"gross_mass_kg", "or gross mass", "kg", needOneOf, func(s *annex.Stage) *float64 { return &s.GrossMassKg }},
	{"isp_s", "Isp", "s", needRequired, func(s *annex.Stage) *float64 { return &s.IspS }},
	{"isp_vacuum_s", "Vacuum Isp", "s", needOptional, func(s *annex.Stage) *float64 { return &s.IspVacuumS }},
	{"burn_time_s", "Burn time", "s", needRequired, func(s *annex.Stage) *float64 { return &s.BurnTimeS }},
	{"diameter_m", "Diameter", "m", needRequired, func(s *annex.Stage) *float64 { return &s.DiameterM }},
	{"nozzle_exit_area_m2", "Nozzle exit area", "m²", needOptional, func(s *annex.Stage) *float64 { return &s.NozzleExitAreaM2 }},
}

// uncertaintyInput is an input of the uncertainty fieldset.
type uncertaintyInput struct {
	Field, Label string
	get          func(*annex.Uncertainty) *float64
}

var uncertaintyInputs = []uncertaintyInput{
	{"isp_percent", "Isp", func(u *annex.Uncertainty) *float64 { return &u.IspPercent }},
	{"propellant_mass_percent", "Propellant mass", func(u *annex.Uncertainty) *float64 { return &u.PropellantMassPercent }},
	{"dry_mass_percent", "Dry mass", func(u *annex.Uncertainty) *float64 { return &u.DryMassPercent }},
	{"burn_time_percent", "Burn time", func(u *annex.Uncertainty) *float64 { return &u.BurnTimePercent }},
	{"drag_percent", "Drag", func(u *annex.Uncertainty) *float64 { return &u.DragPercent }},
}

// formField is one input of the capability form.
type formField struct {
	// Name is the input's name: the field's path in the missile JSON, as
	// "payload_kg" or "stages[1].isp_s", which error paths name too. ID is
	// the element id derived from it.
	Name, ID          string
	Label, Unit, Hint string
	Value, Error      string
	Required          bool
	// Column is the stage field of an input of the stage table, whose
	// column header labels it.
	Column string
}

func newField(name, label, unit string) formField {
	return formField{Name: name, ID: fieldID(name), Label: label, Unit: unit}
}

var idReplacer = strings.NewReplacer(".", "-", "[", "-", "]", "")

// fieldID turns a path into an element id: "stages[1].isp_s" gives
// "stages-1-isp_s".
func fieldID(path string) string { return idReplacer.Replace(path) }

// stageRow is a row of the stage table.
type stageRow struct {
	// Index counts rows from 0; HeadID is the id of the row's header, which
	// labels its inputs with the column headers.
	Index  int
	HeadID string
	Cells  []formField
	// Error is about the stage as a whole.
	Error string
}

// Number counts rows from 1, for people.
func (r stageRow) Number() int { return r.Index + 1 }

func newStageRow(i int) stageRow {
	r := stageRow{Index: i, HeadID: "stage-" + strconv.Itoa(i) + "-head"}
	for _, col := range stageColumns {
		f := newField(stagePath(i, col.Field), col.Label, col.Unit)
		f.Required, f.Column = col.Required(), col.Field
		r.Cells = append(r.Cells, f)
	}
	return r
}

func stagePath(i int, field string) string {
	return "stages[" + strconv.Itoa(i) + "]." + field
}

// missileForm is the capability form: its inputs with their values and
// errors.
type missileForm struct {
	Name, Payload, MinPayload formField
	Stages                    []stageRow
	// StagesError is about the stages as a whole, as "at least one stage
	// is required".
	StagesError string
	Rotating    bool
	Latitude    formField
	Azimuth     formField
	Uncertainty []formField
	// rowOf maps the index of a stage in the missile to its row: empty
	// rows are left out of the missile.
	rowOf []int
}

// Columns are the columns of the stage table.
func (f *missileForm) Columns() []stageColumn { return stageColumns }

// CanAddStage reports whether the table may grow by a row.
func (f *missileForm) CanAddStage() bool { return len(f.Stages) < annex.MaxStages }

// MaxStages is the largest number of rows, for the script that adds rows.
func (f *missileForm) MaxStages() int { return annex.MaxStages }

// newMissileForm returns an empty form with rows stage rows.
func newMissileForm(rows int) *missileForm {
	f := &missileForm{
		Name:       newField("name", "Name", ""),
		Payload:    newField("payload_kg", "Nominal payload", "kg"),
		MinPayload: newField("min_payload_kg", "Lightest payload", "kg"),
		Latitude:   newField("launch.latitude_deg", "Latitude", "°"),
		Azimuth:    newField("launch.azimuth_deg", "Azimuth", "°"),
	}
	f.Payload.Required = true
	f.Payload.Hint = "As the Annex defines payload: the warhead with its fusing, arming and firing, and the re-entry vehicle."
	f.MinPayload.Hint = "Optional: the lightest payload the missile may carry, for \"300 km whatever the payload\" (Item 19); 0 when left out."
	f.Latitude.Hint = "Of the launch site, −90 to 90."
	f.Azimuth.Hint = "Direction of fire, clockwise from north, 0 to 360."
	for _, u := range uncertaintyInputs {
		f.Uncertainty = append(f.Uncertainty, newField("uncertainty."+u.Field, u.Label, "%"))
	}
	for i := range rows {
		f.Stages = append(f.Stages, newStageRow(i))
	}
	return f
}

// addStage adds an empty row, up to annex.MaxStages.
func (f *missileForm) addStage() {
	if f.CanAddStage() {
		f.Stages = append(f.Stages, newStageRow(len(f.Stages)))
	}
}

// fields returns every input of the form but the rotating-Earth checkbox.
func (f *missileForm) fields() []*formField {
	out := []*formField{&f.Name, &f.Payload, &f.MinPayload, &f.Latitude, &f.Azimuth}
	for i := range f.Uncertainty {
		out = append(out, &f.Uncertainty[i])
	}
	for i := range f.Stages {
		for j := range f.Stages[i].Cells {
			out = append(out, &f.Stages[i].Cells[j])
		}
	}
	return out
}

// stageIndex matches the stage index of a path: "stages[2]" or
// "stages[2].isp_s".
var stageIndex = regexp.MustCompile(`^stages\[(\d+)\]`)

// setError puts a field error next to its input, translating the stage
// index of the path to the stage's row. It reports whether an input took
// the error.
func (f *missileForm) setError(fe annex.FieldError) bool {
	path := fe.Field
	if m := stageIndex.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i >= len(f.rowOf) {
			return false
		}
		row := f.rowOf[i]
		rest := path[len(m[0]):]
		if rest == "" {
			f.Stages[row].Error = fe.Message
			return true
		}
		path = stagePath(row, strings.TrimPrefix(rest, "."))
	}
	if path == "stages" {
		f.StagesError = fe.Message
		return true
	}
	for _, fld := range f.fields() {
		if fld.Name == path {
			fld.Error = fe.Message
			return true
		}
	}
	return false
}

// formFromMissile fills a form from a missile, with at least
// defaultStageRows rows.
func formFromMissile(m *annex.Missile) *missileForm {
	f := newMissileForm(max(defaultStageRows, len(m.Stages)))
	f.Name.Value = m.Name
	f.Payload.Value = annex.FormatNumber(m.PayloadKg)
	f.MinPayload.Value = optNumber(m.MinPayloadKg)
	for i := range m.Stages {
		for j, col := range stageColumns {
			v := *col.get(&m.Stages[i])
			if col.Required() {
				f.Stages[i].Cells[j].Value = annex.FormatNumber(v)
			} else {
				f.Stages[i].Cells[j].Value = optNumber(v)
			}
		}
		f.rowOf = append(f.rowOf, i)
	}
	if l := m.Launch; l != nil {
		f.Rotating = l.RotatingEarth
		f.Latitude.Value, f.Azimuth.Value = optNumber(l.LatitudeDeg), optNumber(l.AzimuthDeg)
	}
	if u := m.Uncertainty; u != nil {
		for i, in := range uncertaintyInputs {
			f.Uncertainty[i].Value = optNumber(*in.get(u))
		}
	}
	return f
}

// optNumber formats an optional number: zero reads as not given.
func optNumber(v float64) string {
	if v == 0 {
		return ""
	}
	return annex.FormatNumber(v)
}

// parseMissileForm reads the missile of the capability form. Rows whose
// inputs are all empty are left out. Numbers are parsed here, so that a
// mistyped number is named as such, and the missile is validated, so that
// every error shows at once. Errors name the missile's paths, which
// missileForm.setError maps back to the rows.
func parseMissileForm(form url.Values) (*missileForm, *annex.Missile, error) {
	rd := &formReader{form: form}
	f := newMissileForm(rd.stageRows())
	m := &annex.Missile{}
	f.Name.Value = strings.TrimSpace(form.Get("name"))
	m.Name = f.Name.Value
	rd.number(&f.Payload, "payload_kg", &m.PayloadKg)
	rd.number(&f.MinPayload, "min_payload_kg", &m.MinPayloadKg)
	for r := range f.Stages {
		row := &f.Stages[r]
		if !slices.ContainsFunc(row.Cells, func(c formField) bool { return strings.TrimSpace(form.Get(c.Name)) != "" }) {
			continue
		}
		i := len(m.Stages)
		m.Stages = append(m.Stages, annex.Stage{})
		f.rowOf = append(f.rowOf, r)
		for j, col := range stageColumns {
			rd.number(&row.Cells[j], stagePath(i, col.Field), col.get(&m.Stages[i]))
		}
	}
	f.Rotating = form.Get("launch.rotating_earth") == "true"
	var l annex.Launch
	rd.number(&f.Latitude, "launch.latitude_deg", &l.LatitudeDeg)
	rd.number(&f.Azimuth, "launch.azimuth_deg", &l.AzimuthDeg)
	if f.Rotating || f.Latitude.Value != "" || f.Azimuth.Value != "" {
		l.RotatingEarth = f.Rotating
		m.Launch = &l
	}
	var u annex.Uncertainty
	for i, in := range uncertaintyInputs {
		rd.number(&f.Uncertainty[i], "uncertainty."+in.Field, in.get(&u))
		if f.Uncertainty[i].Value != "" {
			m.Uncertainty = &u
		}
	}
	// Validation errors on a path that already has an error would repeat
	// it: a required input left empty reads as zero.
	errs := rd.errs
	for _, fe := range annex.ErrorFields(m.Validate()) {
		if !slices.ContainsFunc(errs, func(e annex.FieldError) bool { return e.Field == fe.Field }) {
			errs = append(errs, fe)
		}
	}
	if len(errs) > 0 {
		return f, nil, annex.Invalid(errs...)
	}
	return f, m, nil
}

// formReader reads the capability form, collecting errors by the missile's
// paths.
type formReader struct {
	form url.Values
	errs []annex.FieldError
}

// stageRows returns the number of rows of the stage table the form posts,
// at least defaultStageRows; a row past annex.MaxStages is an error.
func (rd *formReader) stageRows() int {
	rows, tooMany := defaultStageRows, false
	for key := range rd.form {
		if m := stageIndex.FindStringSubmatch(key); m != nil {
			if i, err := strconv.Atoi(m[1]); err == nil && i < annex.MaxStages {
				rows = max(rows, i+1)
			} else {
				tooMany = true
			}
		}
	}
	if tooMany {
		rd.errs = append(rd.errs, annex.FieldError{Field: "stages", Message: fmt.Sprintf("at most %d stages", annex.MaxStages)})
	}
	return rows
}

// number reads an input into fld's value and, when it is a number, into
// dst. An empty input leaves dst alone, unless it is required.
func (rd *formReader) number(fld *formField, path string, dst *float64) {
	fld.Value = strings.TrimSpace(rd.form.Get(fld.Name))
	if fld.Value == "" {
		if fld.Required {
			rd.errs = append(rd.errs, annex.FieldError{Field: path, Message: "required"})
		}
		return
	}
	v, err := strconv.ParseFloat(fld.Value, 64)
	if err != nil {
		rd.errs = append(rd.errs, annex.FieldError{Field: path, Message: "must be a number, as 3699 or 3.699e3"})
		return
	}
	*dst = v
}
