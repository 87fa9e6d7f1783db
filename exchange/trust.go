package exchange

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"

	"annex"
)

// maxTrustListBytes caps a trust list file; real ones hold a few dozen
// partners.
const maxTrustListBytes = 1 << 20

// Partner is a government this instance exchanges notifications with.
type Partner struct {
	// Government is the partner's ISO 3166-1 alpha-2 code; the only
	// government its key may speak for.
	Government string `json:"government"`
	// Name is for people: "United Kingdom, Export Control Joint Unit".
	Name string `json:"name"`
	// FeedURL is the full URL of the partner's feed, as
	// "https://annex.example.gov/api/v1/exchange/feed".
	FeedURL string `json:"feed_url"`
	// PublicKey is the partner's Ed25519 public key, standard padded
	// base64 of its 32 bytes, exchanged out of band.
	PublicKey string `json:"public_key"`
}

// TrustList is the list of partners whose signed notifications this
// instance accepts. A government may appear more than once, with one entry
// per key, while it rotates keys; a key may appear only once.
type TrustList []Partner

// ParseTrustList reads a trust list: a JSON array of partner objects with
// the fields government, name, feed_url and public_key, all required.
//
// Parsing is strict: unknown fields are refused, field names are matched
// exactly, and every problem is reported as an EINVALID error naming its
// path, as "[2].feed_url". The feed URL must be https://, except that plain
// http:// is allowed to a loopback host (localhost, 127.0.0.0/8, ::1), for
// tests and for deployments that terminate TLS in a local proxy. The
// government is trimmed and upper-cased.
func ParseTrustList(r io.Reader) (TrustList, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxTrustListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read trust list: %w", err)
	}
	if len(data) > maxTrustListBytes {
		return nil, annex.Errorf(annex.EINVALID, "trust list is larger than %d bytes", maxTrustListBytes)
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '[' {
		return nil, annex.Invalid(annex.FieldError{Message: "trust list must be a JSON array of partners"})
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, annex.Invalid(annex.FieldError{Message: "malformed JSON: " + err.Error()})
	}
	list := make(TrustList, len(raw))
	var errs []annex.FieldError
	for i, msg := range raw {
		errs = append(errs, decodePartner(msg, fmt.Sprintf("[%d]", i), &list[i])...)
	}
	errs = append(errs, list.checkDuplicates()...)
	if len(errs) > 0 {
		return nil, annex.Invalid(errs...)
	}
	return list, nil
}

// partnerFields are the fields of a partner object, in the order they are
// reported.
var partnerFields = []string{"government", "name", "feed_url", "public_key"}

// decodePartner decodes and validates one partner object at path.
func decodePartner(msg json.RawMessage, path string, p *Partner) []annex.FieldError {
	var errs []annex.FieldError
	fail := func(field, m string) { errs = append(errs, annex.FieldError{Field: path + field, Message: m}) }
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(msg, &obj); err != nil || obj == nil {
		fail("", "must be a partner object")
		return errs
	}
	var unknown []string
	for k := range obj {
		if !slices.Contains(partnerFields, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		fail("."+k, "unknown field")
	}
	vals := map[string]*string{"government": &p.Government, "name": &p.Name, "feed_url": &p.FeedURL, "public_key": &p.PublicKey}
	for _, k := range partnerFields {
		v, ok := obj[k]
		if !ok {
			fail("."+k, "required")
			continue
		}
		if err := json.Unmarshal(v, vals[k]); err != nil || string(bytes.TrimSpace(v)) == "null" {
			fail("."+k, "must be a string")
			continue
		}
		if m := p.check(k); m != "" {
			fail("."+k, m)
		}
	}
	return errs
}

// check normalises and validates one field of the partner, returning what
// is wrong with it or "".
func (p *Partner) check(field string) string {
	switch field {
	case "government":
		if p.Government = strings.ToUpper(strings.TrimSpace(p.Government)); !isCountry(p.Government) {
			return "must be an ISO 3166-1 alpha-2 code such as GB"
		}
	case "name":
		if p.Name = strings.TrimSpace(p.Name); p.Name == "" || len(p.Name) > 200 {
			return "required, at most 200 characters"
		}
	case "feed_url":
		p.FeedURL = strings.TrimSpace(p.FeedURL)
		if err := checkFeedURL(p.FeedURL); err != nil {
			return err.Error()
		}
	case "public_key":
		if _, err := ParsePublicKey(p.PublicKey); err != nil {
			return "must be an Ed25519 public key, standard padded base64 of 32 bytes"
		}
		p.PublicKey = strings.TrimSpace(p.PublicKey)
	}
	return ""
}

// checkDuplicates reports keys that appear more than once.
func (t TrustList) checkDuplicates() []annex.FieldError {
	var errs []annex.FieldError
	first := map[string]int{}
	for i, p := range t {
		pub, err := ParsePublicKey(p.PublicKey)
		if err != nil {
			continue // already reported
		}
		id := KeyID(pub)
		if j, ok := first[id]; ok {
			errs = append(errs, annex.FieldError{
				Field:   fmt.Sprintf("[%d].public_key", i),
				Message: fmt.Sprintf("the same key as [%d]; a key speaks for one government only", j),
			})
			continue
		}
		first[id] = i
	}
	return errs
}

// ByKeyID returns the partner whose public key has the given key ID.
func (t TrustList) ByKeyID(keyID string) (Partner, bool) {
	for _, p := range t {
		if pub, err := ParsePublicKey(p.PublicKey); err == nil && KeyID(pub) == keyID {
			return p, true
		}
	}
	return Partner{}, false
}

// ByGovernment returns the partner entries of a government: usually one,
// two while it rotates its key, none if it is not a partner.
func (t TrustList) ByGovernment(gov string) []Partner {
	var out []Partner
	for _, p := range t {
		if p.Government == gov {
			out = append(out, p)
		}
	}
	return out
}

// trustedKey returns the partner and decoded public key for a key ID.
func (t TrustList) trustedKey(keyID string) (Partner, ed25519.PublicKey, bool) {
	p, ok := t.ByKeyID(keyID)
	if !ok {
		return Partner{}, nil, false
	}
	pub, err := ParsePublicKey(p.PublicKey)
	if err != nil {
		return Partner{}, nil, false
	}
	return p, pub, true
}

// checkFeedURL checks that a feed URL is absolute https://, or http:// to a
// loopback host, with no credentials or fragment.
func checkFeedURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return annex.Errorf(annex.EINVALID, "must be an absolute https:// URL")
	}
	if u.User != nil || u.Fragment != "" {
		return annex.Errorf(annex.EINVALID, "must not carry credentials or a fragment")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return annex.Errorf(annex.EINVALID, "must be https:// (plain http:// only to localhost, 127.0.0.1 or ::1)")
	}
	return annex.Errorf(annex.EINVALID, "must be an absolute https:// URL")
}

// isLoopback reports whether host names this machine: localhost or a
// loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isCountry reports whether s looks like an ISO 3166-1 alpha-2 code.
func isCountry(s string) bool {
	return len(s) == 2 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z'
}
