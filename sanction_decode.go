package annex

import (
	"encoding/json"
	"io"
	"strconv"
)

// MaxDeterminationParties bounds the others of a determination input.
const MaxDeterminationParties = 50

// DecodeDeterminationInput reads a determination input, the contract of
// annex sanctions determine, from JSON. Decoding is strict: malformed JSON,
// unknown fields and values of the wrong type are EINVALID errors naming
// every offending field by its path, as "supplier.country",
// "items[0].kind" or "category". The decoded input is then validated.
// Item parameters are checked later, by the classifier.
func DecodeDeterminationInput(r io.Reader) (*DeterminationInput, error) {
	obj, err := readObject(r, "a determination object")
	if err != nil {
		return nil, err
	}
	var errs []FieldError
	in := decodeDeterminationInput(obj, &errs)
	if len(errs) > 0 {
		sortFieldErrors(errs)
		return nil, Invalid(errs...)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return in, nil
}

func decodeDeterminationInput(obj map[string]any, errs *[]FieldError) *DeterminationInput {
	var in DeterminationInput
	d := newObjectDecoder(obj, "", errs)
	d.str("date", &in.Date)
	d.str("transfer_date", &in.TransferDate)
	if o := d.object("supplier"); o != nil {
		in.Supplier = decodeTransferParty(o, "supplier", errs)
	} else if _, ok := d.obj["supplier"]; !ok {
		d.fail("supplier", "required")
	}
	if o := d.object("recipient"); o != nil {
		in.Recipient = decodeTransferParty(o, "recipient", errs)
	} else if _, ok := d.obj["recipient"]; !ok {
		d.fail("recipient", "required")
	}
	others := d.objects("others")
	if len(others) > MaxDeterminationParties {
		d.fail("others", "too many parties: at most "+strconv.Itoa(MaxDeterminationParties))
		others = nil
	}
	for i, o := range others {
		in.Others = append(in.Others, decodeTransferParty(o, "others["+strconv.Itoa(i)+"]", errs))
	}
	var cat string
	d.str("category", &cat)
	in.Category = Category(cat)
	items := d.objects("items")
	if len(items) > MaxItems {
		d.fail("items", "too many items: at most "+strconv.Itoa(MaxItems))
		items = nil
	}
	for i, o := range items {
		it, err := decodeItem(o, "items["+strconv.Itoa(i)+"]")
		if err != nil {
			*errs = append(*errs, ErrorFields(err)...)
		}
		in.Items = append(in.Items, it)
	}
	d.boolean("substantially_contributed", &in.SubstantiallyContributed)
	d.boolean("authorized_by_adherent", &in.AuthorizedByAdherent)
	in.Packs = d.stringList("packs")
	d.unknown()
	return &in
}

func decodeTransferParty(obj map[string]any, path string, errs *[]FieldError) TransferParty {
	var p TransferParty
	d := newObjectDecoder(obj, path, errs)
	d.str("name", &p.Name)
	d.str("country", &p.Country)
	d.str("role", &p.Role)
	d.wholeID("entity_id", &p.EntityID)
	d.unknown()
	return p
}

// stringList reads an array of strings.
func (d *objectDecoder) stringList(key string) []string {
	x, ok := d.get(key)
	if !ok {
		return nil
	}
	arr, isArr := x.([]any)
	if !isArr {
		d.fail(key, "must be an array of strings, got "+jsonType(x))
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, isStr := e.(string)
		if !isStr {
			d.fail(key+"["+strconv.Itoa(i)+"]", "must be a string, got "+jsonType(e))
			continue
		}
		out = append(out, s)
	}
	return out
}

// wholeID reads a positive whole-number ID.
func (d *objectDecoder) wholeID(key string, dst *int64) {
	x, ok := d.get(key)
	if !ok {
		return
	}
	n, isNum := x.(json.Number)
	if !isNum {
		d.fail(key, "must be a number, got "+jsonType(x))
		return
	}
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil || v <= 0 {
		d.fail(key, "must be a positive whole number")
		return
	}
	*dst = v
}
