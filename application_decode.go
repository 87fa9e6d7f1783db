package annex

import (
	"io"
	"strconv"
	"strings"
)

// MaxApplicationLines and MaxApplicationParties bound an application.
const (
	MaxApplicationLines   = 200
	MaxApplicationParties = 50
)

// DecodeApplication reads an application from JSON and checks its shape:
// errors are EINVALID and name every offending field by its path, as
// "items[2].quantity" or "parties[0].country". Item parameters are checked
// against the control list later, by the classifier.
func DecodeApplication(r io.Reader) (*ApplicationSpec, error) {
	obj, err := readObject(r, "an application object")
	if err != nil {
		return nil, err
	}
	var errs []FieldError
	spec := decodeApplication(obj, &errs)
	if len(errs) == 0 {
		errs = spec.validate()
	}
	if len(errs) > 0 {
		sortFieldErrors(errs)
		return nil, Invalid(errs...)
	}
	return spec, nil
}

func decodeApplication(obj map[string]any, errs *[]FieldError) *ApplicationSpec {
	var a ApplicationSpec
	d := newObjectDecoder(obj, "", errs)
	d.str("destination", &a.Destination)
	d.str("end_use", &a.EndUse)
	if o := d.object("declarations"); o != nil {
		dd := newObjectDecoder(o, "declarations", errs)
		dd.boolean("wmd_end_use_known", &a.Declarations.WMDEndUseKnown)
		dd.boolean("wmd_end_use_suspected", &a.Declarations.WMDEndUseSuspected)
		dd.boolean("informed_by_authority", &a.Declarations.InformedByAuthority)
		dd.unknown()
	}
	if o := d.object("assurances"); o != nil {
		ad := newObjectDecoder(o, "assurances", errs)
		ad.boolean("end_use_statement", &a.Assurances.EndUseStatement)
		ad.boolean("no_wmd_use", &a.Assurances.NoWMDUse)
		ad.boolean("no_retransfer", &a.Assurances.NoRetransfer)
		ad.boolean("post_shipment_verification", &a.Assurances.PostShipmentVerification)
		ad.boolean("government_to_government", &a.Assurances.GovernmentToGovernment)
		ad.unknown()
	}
	for i, o := range d.objects("parties") {
		p := ApplicationParty{}
		pd := newObjectDecoder(o, "parties["+strconv.Itoa(i)+"]", errs)
		var role string
		pd.str("role", &role)
		p.Role = PartyRole(role)
		pd.str("name", &p.Name)
		pd.str("country", &p.Country)
		pd.str("address", &p.Address)
		pd.unknown()
		a.Parties = append(a.Parties, p)
	}
	for i, o := range d.objects("items") {
		path := "items[" + strconv.Itoa(i) + "]"
		it, err := decodeItem(o, path, "quantity", "unit", "value")
		if err != nil {
			*errs = append(*errs, ErrorFields(err)...)
		}
		line := ApplicationLine{Item: it}
		ld := newObjectDecoder(o, path, errs)
		ld.number("quantity", &line.Quantity, true)
		ld.str("unit", &line.Unit)
		ld.number("value", &line.Value, true)
		a.Items = append(a.Items, line)
	}
	d.unknown()
	return &a
}

// objects reads an array of objects.
func (d *objectDecoder) objects(key string) []map[string]any {
	x, ok := d.get(key)
	if !ok {
		return nil
	}
	arr, isArr := x.([]any)
	if !isArr {
		d.fail(key, "must be an array, got "+jsonType(x))
		return nil
	}
	out := make([]map[string]any, 0, len(arr))
	for i, e := range arr {
		o, isObj := e.(map[string]any)
		if !isObj {
			d.fail(key+"["+strconv.Itoa(i)+"]", "must be an object, got "+jsonType(e))
			continue
		}
		out = append(out, o)
	}
	return out
}

// Validate checks an application's fields.
func (a *ApplicationSpec) Validate() error {
	if errs := a.validate(); len(errs) > 0 {
		return Invalid(errs...)
	}
	return nil
}

func (a *ApplicationSpec) validate() []FieldError {
	var errs []FieldError
	add := func(field, msg string) { errs = append(errs, FieldError{field, msg}) }
	a.Destination = strings.ToUpper(strings.TrimSpace(a.Destination))
	if !countryRE.MatchString(a.Destination) {
		add("destination", "must be an ISO 3166-1 alpha-2 code such as PK")
	}
	if strings.TrimSpace(a.EndUse) == "" {
		add("end_use", "required: say what the items will be used for")
	} else if len(a.EndUse) > 5000 {
		add("end_use", "at most 5,000 characters")
	}
	switch n := len(a.Parties); {
	case n == 0:
		add("parties", "at least the end user is required")
	case n > MaxApplicationParties:
		add("parties", "too many parties")
	}
	endUsers := 0
	for i := range a.Parties {
		p := &a.Parties[i]
		at := "parties[" + strconv.Itoa(i) + "]."
		switch p.Role {
		case RoleEndUser:
			endUsers++
		case RoleConsignee, RoleIntermediateConsignee, RoleUltimateEndUser, RoleThirdParty:
		default:
			add(at+"role", "must be end_user, consignee, intermediate_consignee, ultimate_end_user or third_party")
		}
		if p.Name = strings.TrimSpace(p.Name); p.Name == "" || len(p.Name) > 500 {
			add(at+"name", "required, at most 500 characters")
		}
		if p.Country = strings.ToUpper(strings.TrimSpace(p.Country)); !countryRE.MatchString(p.Country) {
			add(at+"country", "must be an ISO 3166-1 alpha-2 code such as PK")
		}
	}
	if len(a.Parties) > 0 && endUsers != 1 {
		add("parties", "name exactly one end_user")
	}
	switch n := len(a.Items); {
	case n == 0:
		add("items", "at least one goods line is required")
	case n > MaxApplicationLines:
		add("items", "too many goods lines")
	}
	for i, l := range a.Items {
		at := "items[" + strconv.Itoa(i) + "]."
		if !(l.Quantity > 0) {
			add(at+"quantity", "must be greater than 0")
		}
		if l.Value < 0 {
			add(at+"value", "must not be negative")
		}
		if len(l.Unit) > 20 {
			add(at+"unit", "at most 20 characters")
		}
	}
	return errs
}
