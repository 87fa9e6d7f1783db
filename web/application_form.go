package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"annex"
)

// Limits of the application form's tables. The JSON box takes up to
// annex.MaxApplicationParties and annex.MaxApplicationLines.
const (
	maxFormParties = 20
	maxFormLines   = 50
)

// applicationForm is the form of a draft: the application's fields as
// typed, the parties and goods lines as rows, and the errors by input
// name. Input names are the paths of the application's JSON
// ("parties[0].name", "items[1].params"), which the decoder's errors name
// too, so that each error lands next to its input.
type applicationForm struct {
	// Action is where the form posts; Version is the draft's version (0
	// for a new one).
	Action  string
	Version int64
	// ID is the draft's ID, 0 for a new one.
	ID int64
	// AmendmentOf is the licence a new application asks to amend.
	AmendmentOf  string
	Destination  string
	EndUse       string
	Declarations annex.Declarations
	Assurances   annex.Assurances
	Parties      []partyRow
	Lines        []lineRow
	// JSON is the whole application as JSON; JSONMode is set when it was
	// posted instead of the form.
	JSON     string
	JSONMode bool
	// Errors are the errors by input name; Other lists the errors that
	// belong to no input; Message says what went wrong.
	Errors  map[string]string
	Other   []annex.FieldError
	Message string

	// partyRows and lineRows map the parties and lines of the decoded
	// application, which leaves blank rows out, to their rows.
	partyRows, lineRows []int
}

// partyRow is a party as a row of the form.
type partyRow struct {
	Index                        int
	Role, Name, Country, Address string
}

// lineRow is a goods line as a row of the form. Params holds the
// parameters as "name=value" lines, or a JSON object.
type lineRow struct {
	Index                                     int
	Name, Kind, Params, Quantity, Unit, Value string
}

// Path returns the input name of a field of the row: "parties[0].name".
func (r partyRow) Path(field string) string { return fmt.Sprintf("parties[%d].%s", r.Index, field) }

// Path returns the input name of a field of the row: "items[0].kind".
func (r lineRow) Path(field string) string { return fmt.Sprintf("items[%d].%s", r.Index, field) }

// Err returns the error of an input.
func (f *applicationForm) Err(name string) string { return f.Errors[name] }

// Roles lists the party roles for the role selects.
func (f *applicationForm) Roles() []annex.PartyRole { return annex.PartyRoles }

// newApplicationForm fills the form from a spec, with a blank party row
// and a blank line row to add to.
func newApplicationForm(action string, app *annex.Application) *applicationForm {
	f := &applicationForm{Action: action, Errors: map[string]string{}}
	if app == nil {
		f.Parties = []partyRow{{Role: string(annex.RoleEndUser)}}
		f.Lines = []lineRow{{}}
		f.number()
		return f
	}
	f.ID, f.Version = app.ID, app.Version
	spec := app.ApplicationSpec
	f.Destination, f.EndUse, f.Declarations, f.Assurances = spec.Destination, spec.EndUse, spec.Declarations, spec.Assurances
	for _, p := range spec.Parties {
		f.Parties = append(f.Parties, partyRow{Role: string(p.Role), Name: p.Name, Country: p.Country, Address: p.Address})
	}
	for _, l := range spec.Items {
		f.Lines = append(f.Lines, lineRow{Name: l.Name, Kind: l.Kind, Params: paramsText(l.Item), Quantity: formatFloat(l.Quantity),
			Unit: l.Unit, Value: formatFloat(l.Value)})
	}
	f.Parties = append(f.Parties, partyRow{})
	f.Lines = append(f.Lines, lineRow{})
	if b, err := json.MarshalIndent(spec, "", "  "); err == nil {
		f.JSON = string(b)
	}
	f.number()
	return f
}

// number sets the rows' indexes.
func (f *applicationForm) number() {
	for i := range f.Parties {
		f.Parties[i].Index = i
	}
	for i := range f.Lines {
		f.Lines[i].Index = i
	}
}

// formatFloat writes a number as people type it.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// paramsText writes an item's parameters as "name=value" lines, sorted by
// name. An item's components or missile do not fit a row: the JSON box is
// the place for those.
func paramsText(it annex.Item) string {
	names := make([]string, 0, len(it.Params))
	for k := range it.Params {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, k := range names {
		switch v := it.Params[k].(type) {
		case float64:
			fmt.Fprintf(&b, "%s=%s\n", k, formatFloat(v))
		default:
			fmt.Fprintf(&b, "%s=%v\n", k, v)
		}
	}
	return b.String()
}

// applicationFormFrom reads the form as posted: the fields, the rows (with
// a blank row added when add=party or add=line), or the pasted JSON.
func applicationFormFrom(action string, v url.Values) *applicationForm {
	f := &applicationForm{Action: action, Errors: map[string]string{}, Destination: v.Get("destination"), EndUse: v.Get("end_use"),
		JSON: v.Get("json"), JSONMode: v.Has("json")}
	f.Version, _ = strconv.ParseInt(v.Get("version"), 10, 64)
	f.AmendmentOf = strings.TrimSpace(v.Get("amendment_of"))
	f.ID, _ = strconv.ParseInt(v.Get("id"), 10, 64)
	f.Declarations = annex.Declarations{WMDEndUseKnown: checked(v, "declarations.wmd_end_use_known"),
		WMDEndUseSuspected: checked(v, "declarations.wmd_end_use_suspected"), InformedByAuthority: checked(v, "declarations.informed_by_authority")}
	f.Assurances = annex.Assurances{EndUseStatement: checked(v, "assurances.end_use_statement"), NoWMDUse: checked(v, "assurances.no_wmd_use"),
		NoRetransfer: checked(v, "assurances.no_retransfer"), PostShipmentVerification: checked(v, "assurances.post_shipment_verification"),
		GovernmentToGovernment: checked(v, "assurances.government_to_government")}
	for i := 0; i < maxFormParties && v.Has(fmt.Sprintf("parties[%d].name", i)); i++ {
		r := partyRow{Index: i}
		r.Role, r.Name, r.Country, r.Address = v.Get(r.Path("role")), v.Get(r.Path("name")), v.Get(r.Path("country")), v.Get(r.Path("address"))
		f.Parties = append(f.Parties, r)
	}
	for i := 0; i < maxFormLines && v.Has(fmt.Sprintf("items[%d].kind", i)); i++ {
		r := lineRow{Index: i}
		r.Name, r.Kind, r.Params = v.Get(r.Path("name")), v.Get(r.Path("kind")), v.Get(r.Path("params"))
		r.Quantity, r.Unit, r.Value = v.Get(r.Path("quantity")), v.Get(r.Path("unit")), v.Get(r.Path("value"))
		f.Lines = append(f.Lines, r)
	}
	if len(f.Parties) == 0 {
		f.Parties = []partyRow{{Role: string(annex.RoleEndUser)}}
	}
	if len(f.Lines) == 0 {
		f.Lines = []lineRow{{}}
	}
	switch v.Get("add") {
	case "party":
		if len(f.Parties) < maxFormParties {
			f.Parties = append(f.Parties, partyRow{})
		}
	case "line":
		if len(f.Lines) < maxFormLines {
			f.Lines = append(f.Lines, lineRow{})
		}
	}
	f.number()
	return f
}

// checked reads a checkbox.
func checked(v url.Values, name string) bool { return v.Get(name) != "" && v.Get(name) != "false" }

// CanAddParty and CanAddLine report whether the tables may grow.
func (f *applicationForm) CanAddParty() bool { return len(f.Parties) < maxFormParties }

// CanAddLine reports whether the goods table may grow by a row.
func (f *applicationForm) CanAddLine() bool { return len(f.Lines) < maxFormLines }

// MaxParties and MaxLines are the largest numbers of rows, for the script
// that adds rows.
func (f *applicationForm) MaxParties() int { return maxFormParties }

// MaxLines is the largest number of goods rows.
func (f *applicationForm) MaxLines() int { return maxFormLines }

// spec decodes the application of the form with annex.DecodeApplication,
// the decoder of the API, so that the form and the API check alike. The
// form becomes a JSON document first: blank rows are left out, numbers and
// booleans of the parameters are typed, and anything that is not a number
// where one belongs goes as text for the decoder to name.
func (f *applicationForm) spec() (*annex.ApplicationSpec, error) {
	if f.JSONMode {
		return annex.DecodeApplication(strings.NewReader(f.JSON))
	}
	doc := map[string]any{"destination": strings.TrimSpace(f.Destination), "end_use": f.EndUse,
		"declarations": f.Declarations, "assurances": f.Assurances}
	parties := []any{}
	f.partyRows = nil
	for _, r := range f.Parties {
		if strings.TrimSpace(r.Name+r.Country+r.Address) == "" {
			continue
		}
		p := map[string]any{"role": r.Role, "name": r.Name, "country": r.Country}
		if strings.TrimSpace(r.Address) != "" {
			p["address"] = r.Address
		}
		parties = append(parties, p)
		f.partyRows = append(f.partyRows, r.Index)
	}
	items := []any{}
	f.lineRows = nil
	var errs []annex.FieldError
	for _, r := range f.Lines {
		if strings.TrimSpace(r.Name+r.Kind+r.Params+r.Quantity+r.Unit+r.Value) == "" {
			continue
		}
		it := map[string]any{"kind": r.Kind}
		if name := strings.TrimSpace(r.Name); name != "" {
			it["name"] = name
		}
		params, err := parseParams(r.Params)
		if err != nil {
			errs = append(errs, annex.FieldError{Field: r.Path("params"), Message: err.Error()})
		} else if len(params) > 0 {
			it["params"] = params
		}
		for _, kv := range [][2]string{{"quantity", r.Quantity}, {"value", r.Value}} {
			if raw := strings.TrimSpace(kv[1]); raw != "" {
				it[kv[0]] = typedNumber(raw)
			}
		}
		if unit := strings.TrimSpace(r.Unit); unit != "" {
			it["unit"] = unit
		}
		items = append(items, it)
		f.lineRows = append(f.lineRows, r.Index)
	}
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	doc["parties"], doc["items"] = parties, items
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode application form: %w", err)
	}
	spec, err := annex.DecodeApplication(bytes.NewReader(b))
	return spec, f.rowPaths(err)
}

// typedNumber returns a finite number as a number, anything else as text.
func typedNumber(raw string) any {
	if f, err := strconv.ParseFloat(raw, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return f
	}
	return raw
}

// paramLineRE is a "name=value" line of a parameters box.
var paramLineRE = regexp.MustCompile(`^\s*([A-Za-z0-9_]+)\s*=\s*(.*?)\s*$`)

// parseParams reads a parameters box: a JSON object, or "name=value"
// lines. Numbers and true or false are typed; other values are text.
func parseParams(text string) (map[string]any, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	if strings.HasPrefix(text, "{") {
		dec := json.NewDecoder(strings.NewReader(text))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("not a JSON object of parameters: %v", err)
		}
		return m, nil
	}
	m := map[string]any{}
	for i, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		g := paramLineRE.FindStringSubmatch(line)
		if g == nil {
			return nil, fmt.Errorf("line %d: write one parameter a line, as total_impulse_ns=1.2e6", i+1)
		}
		switch g[2] {
		case "true", "false":
			m[g[1]] = g[2] == "true"
		default:
			m[g[1]] = typedNumber(g[2])
		}
	}
	return m, nil
}

// rowPaths renames the paths of errors about parties and lines from their
// place in the decoded application to their row in the form, which may
// differ when blank rows were left out.
func (f *applicationForm) rowPaths(err error) error {
	fields := annex.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	out := make([]annex.FieldError, len(fields))
	for i, fe := range fields {
		fe.Field = renumber(fe.Field, "parties[", f.partyRows)
		fe.Field = renumber(fe.Field, "items[", f.lineRows)
		out[i] = fe
	}
	return annex.Invalid(out...)
}

// renumber replaces the index of a path that starts with prefix by the row
// it maps to.
func renumber(path, prefix string, rows []int) string {
	rest, ok := strings.CutPrefix(path, prefix)
	if !ok {
		return path
	}
	num, tail, ok := strings.Cut(rest, "]")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 0 || n >= len(rows) {
		return path
	}
	return fmt.Sprintf("%s%d]%s", prefix, rows[n], tail)
}

// lineFields are the inputs of a goods row, other than params.
var lineFields = []string{"name", "kind", "quantity", "unit", "value"}

// setErrors puts each error next to its input: an error about a line's
// parameters, whatever its depth ("items[1].params.x"), next to the line's
// parameters box; the errors of the JSON box, or of no input, in a list.
func (f *applicationForm) setErrors(err error) {
	f.Message = "The application was not saved: correct the fields marked below."
	fields := annex.ErrorFields(err)
	if len(fields) == 0 {
		f.Message = "The application was not saved: " + annex.ErrorMessage(err)
		return
	}
	add := func(name, msg string) {
		if f.Errors[name] != "" {
			msg = f.Errors[name] + "; " + msg
		}
		f.Errors[name] = msg
	}
	for _, fe := range fields {
		name := f.inputOf(fe.Field)
		switch {
		case f.JSONMode || name == "":
			f.Other = append(f.Other, fe)
		case name != fe.Field:
			add(name, strings.TrimPrefix(fe.Field, name+".")+": "+fe.Message)
		default:
			add(name, fe.Message)
		}
	}
	if f.JSONMode {
		f.Message = "The pasted application was not saved: correct the errors listed below."
	}
}

// inputOf returns the name of the input an error path belongs to, or "".
func (f *applicationForm) inputOf(path string) string {
	switch path {
	case "destination", "end_use", "parties", "items":
		return path
	}
	if strings.HasPrefix(path, "declarations.") || strings.HasPrefix(path, "assurances.") {
		return path
	}
	for _, r := range f.Parties {
		for _, field := range []string{"role", "name", "country", "address"} {
			if path == r.Path(field) {
				return path
			}
		}
	}
	for _, r := range f.Lines {
		for _, field := range lineFields {
			if path == r.Path(field) {
				return path
			}
		}
		if params := r.Path("params"); path == params || strings.HasPrefix(path, params+".") || strings.HasPrefix(path, r.Path("")) {
			return params
		}
	}
	return ""
}

// inputView is one input of the application form, for its templates.
type inputView struct {
	ID, Name, Label, Value, Hint, Error string
	Checked                             bool
}

// inputID turns an input name into an element id: dots and brackets
// become dashes, as "declarations-wmd_end_use_known".
func inputID(name string) string {
	return strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(name)
}

// textInput describes a text input of the form.
func textInput(f *applicationForm, name, label, value, hint string) inputView {
	return inputView{ID: inputID(name), Name: name, Label: label, Value: value, Hint: hint, Error: f.Err(name)}
}

// checkInput describes a checkbox of the form.
func checkInput(f *applicationForm, name, label string, checked bool) inputView {
	return inputView{ID: inputID(name), Name: name, Label: label, Checked: checked, Error: f.Err(name)}
}

// cellInput describes a text input in a row of a table, labelled by its
// column's heading.
func cellInput(f *applicationForm, name, id, labelledBy, value string) inputView {
	return inputView{ID: id, Name: name, Label: labelledBy, Value: value, Error: f.Err(name)}
}
