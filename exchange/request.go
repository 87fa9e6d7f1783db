package exchange

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"annex"
)

// A partner's feed carries its denials, which governments share with each
// other and nobody else: a request for it must be signed with the key of a
// trusted partner. The signature covers the method, the path with its
// query and the time, in the Authorization header:
//
//	Authorization: Annex-Ed25519 keyid="<key ID>", ts="<Unix seconds>", sig="<base64>"
//
// A signed request is good for MaxRequestSkew either side of the server's
// clock, so that a captured one cannot be replayed for long.

// AuthScheme is the Authorization scheme of signed feed requests.
const AuthScheme = "Annex-Ed25519"

// MaxRequestSkew is how far a signed request's time may be from the
// server's clock.
const MaxRequestSkew = 5 * time.Minute

// requestBytes are the bytes a request signature covers.
func requestBytes(method, pathQuery string, ts int64) []byte {
	return []byte(method + "\n" + pathQuery + "\n" + strconv.FormatInt(ts, 10))
}

// SignRequest sets the request's Authorization header, signed with k at
// now.
func SignRequest(k *Key, r *http.Request, now time.Time) {
	ts := now.Unix()
	sig := ed25519.Sign(k.Private, requestBytes(r.Method, r.URL.RequestURI(), ts))
	r.Header.Set("Authorization", fmt.Sprintf(`%s keyid="%s", ts="%d", sig="%s"`,
		AuthScheme, KeyID(k.Public()), ts, base64.StdEncoding.EncodeToString(sig)))
}

// VerifyRequest checks a feed request's signature against the trust list
// and returns the partner that signed it. A request unsigned, signed by a
// key not on the list, with a bad signature or out of time is
// EUNAUTHORIZED, with a message saying which.
func VerifyRequest(r *http.Request, trust TrustList, now time.Time) (Partner, error) {
	fail := func(format string, args ...any) (Partner, error) {
		return Partner{}, annex.Errorf(annex.EUNAUTHORIZED, "feed request refused: "+format, args...)
	}
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), AuthScheme+" ")
	if !ok {
		return fail("not signed: send Authorization: %s with a trusted partner's key", AuthScheme)
	}
	params := map[string]string{}
	for _, part := range strings.Split(auth, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return fail("malformed Authorization parameter %q", part)
		}
		params[k] = strings.Trim(v, `"`)
	}
	keyID, sig64 := params["keyid"], params["sig"]
	ts, err := strconv.ParseInt(params["ts"], 10, 64)
	if keyID == "" || sig64 == "" || err != nil {
		return fail("the Authorization header needs keyid, ts and sig")
	}
	p, pub, ok := trust.trustedKey(keyID)
	if !ok {
		return fail("key %s is not on the trust list", keyID)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxRequestSkew || d < -MaxRequestSkew {
		return fail("signed at %s, more than %s from this server's clock", time.Unix(ts, 0).UTC().Format(time.RFC3339), MaxRequestSkew)
	}
	sig, err := base64.StdEncoding.DecodeString(sig64)
	if err != nil || !ed25519.Verify(pub, requestBytes(r.Method, r.URL.RequestURI(), ts), sig) {
		return fail("the signature of key %s does not verify", keyID)
	}
	return p, nil
}
