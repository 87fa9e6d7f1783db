package annex

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
)

// DecodeMissile reads a missile from JSON. Errors are EINVALID and name the
// path of each offending field, as "stages[1].isp_s"; the decoded missile is
// then validated.
func DecodeMissile(r io.Reader) (*Missile, error) {
	obj, err := readObject(r, "a missile object")
	if err != nil {
		return nil, err
	}
	m, errs := decodeMissile(obj, "")
	if len(errs) > 0 {
		sortFieldErrors(errs)
		return nil, Invalid(errs...)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

// objectDecoder reads the fields of one JSON object, collecting errors with
// their paths.
type objectDecoder struct {
	obj  map[string]any
	path string
	errs *[]FieldError
	seen map[string]bool
}

func newObjectDecoder(obj map[string]any, path string, errs *[]FieldError) *objectDecoder {
	return &objectDecoder{obj: obj, path: path, errs: errs, seen: map[string]bool{}}
}

func (d *objectDecoder) fail(field, msg string) {
	*d.errs = append(*d.errs, FieldError{join(d.path, field), msg})
}

func (d *objectDecoder) get(key string) (any, bool) {
	d.seen[key] = true
	x, ok := d.obj[key]
	return x, ok && x != nil
}

// number reads a number field into dst; required fields report when absent.
func (d *objectDecoder) number(key string, dst *float64, required bool) {
	x, ok := d.get(key)
	if !ok {
		if required {
			d.fail(key, "required")
		}
		return
	}
	n, isNum := x.(json.Number)
	if !isNum {
		d.fail(key, "must be a number, got "+jsonType(x))
		return
	}
	f, err := n.Float64()
	if err != nil {
		d.fail(key, "must be a finite number")
		return
	}
	*dst = f
}

func (d *objectDecoder) boolean(key string, dst *bool) {
	if x, ok := d.get(key); ok {
		if b, isBool := x.(bool); isBool {
			*dst = b
		} else {
			d.fail(key, "must be true or false, got "+jsonType(x))
		}
	}
}

func (d *objectDecoder) str(key string, dst *string) {
	if x, ok := d.get(key); ok {
		if s, isStr := x.(string); isStr {
			*dst = s
		} else {
			d.fail(key, "must be a string, got "+jsonType(x))
		}
	}
}

// object returns a nested object field, or nil.
func (d *objectDecoder) object(key string) map[string]any {
	x, ok := d.get(key)
	if !ok {
		return nil
	}
	o, isObj := x.(map[string]any)
	if !isObj {
		d.fail(key, "must be an object, got "+jsonType(x))
	}
	return o
}

// unknown reports every field not read.
func (d *objectDecoder) unknown() {
	for key := range d.obj {
		if !d.seen[key] {
			d.fail(key, "unknown field")
		}
	}
}

func decodeMissile(obj map[string]any, path string) (*Missile, []FieldError) {
	var errs []FieldError
	var m Missile
	d := newObjectDecoder(obj, path, &errs)
	d.str("name", &m.Name)
	d.number("payload_kg", &m.PayloadKg, true)
	d.number("min_payload_kg", &m.MinPayloadKg, false)
	if x, ok := d.get("stages"); !ok {
		d.fail("stages", "required")
	} else if arr, isArr := x.([]any); !isArr {
		d.fail("stages", "must be an array of stages, got "+jsonType(x))
	} else {
		for i, s := range arr {
			sp := join(path, "stages["+strconv.Itoa(i)+"]")
			so, isObj := s.(map[string]any)
			if !isObj {
				errs = append(errs, FieldError{sp, "must be an object, got " + jsonType(s)})
				continue
			}
			m.Stages = append(m.Stages, decodeStage(so, sp, &errs))
		}
	}
	if lo := d.object("launch"); lo != nil {
		m.Launch = &Launch{}
		ld := newObjectDecoder(lo, join(path, "launch"), &errs)
		ld.boolean("rotating_earth", &m.Launch.RotatingEarth)
		ld.number("latitude_deg", &m.Launch.LatitudeDeg, false)
		ld.number("azimuth_deg", &m.Launch.AzimuthDeg, false)
		ld.unknown()
	}
	if uo := d.object("uncertainty"); uo != nil {
		u := &Uncertainty{}
		ud := newObjectDecoder(uo, join(path, "uncertainty"), &errs)
		ud.number("isp_percent", &u.IspPercent, false)
		ud.number("propellant_mass_percent", &u.PropellantMassPercent, false)
		ud.number("dry_mass_percent", &u.DryMassPercent, false)
		ud.number("burn_time_percent", &u.BurnTimePercent, false)
		ud.number("drag_percent", &u.DragPercent, false)
		ud.unknown()
		m.Uncertainty = u
	}
	d.unknown()
	return &m, errs
}

func decodeStage(obj map[string]any, path string, errs *[]FieldError) Stage {
	var s Stage
	d := newObjectDecoder(obj, path, errs)
	d.number("propellant_mass_kg", &s.PropellantMassKg, true)
	d.number("dry_mass_kg", &s.DryMassKg, false)
	d.number("gross_mass_kg", &s.GrossMassKg, false)
	d.number("isp_s", &s.IspS, true)
	d.number("isp_vacuum_s", &s.IspVacuumS, false)
	d.number("burn_time_s", &s.BurnTimeS, true)
	d.number("diameter_m", &s.DiameterM, true)
	d.number("nozzle_exit_area_m2", &s.NozzleExitAreaM2, false)
	d.unknown()
	return s
}

// readObject reads one JSON object from r, numbers kept as json.Number:
// malformed JSON, data after the object, or another value than an object
// (what names it: "a missile object") are EINVALID errors. A failure to
// read r is returned as it is.
func readObject(r io.Reader, what string) (map[string]any, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, malformed(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, Invalid(FieldError{"", "malformed JSON: unexpected data after the first value"})
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, Invalid(FieldError{"", "must be " + what + ", got " + jsonType(v)})
	}
	return obj, nil
}
