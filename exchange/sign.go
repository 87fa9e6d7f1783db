package exchange

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"annex"
)

// SigningBytes returns the canonical bytes of a notification, the ones its
// signature covers: the encoding/json encoding of a copy of n with
//
//   - Signature empty, since a signature cannot cover itself;
//   - IssuedAt in UTC, so that the zone the sender wrote it in does not
//     matter; it is not truncated, because encoding/json writes times as
//     RFC 3339 with nanoseconds and reads them back exactly, and every
//     digit on the wire should be signed;
//   - Denial.Received nil, since the receiver fills it in (Accept) and a
//     stored notification must still verify.
//
// encoding/json writes struct fields in declaration order, so a receiver
// that decodes a notification and calls SigningBytes gets the sender's bytes
// back: what is verified is exactly the decoded value that is acted on, not
// the text on the wire. The price is that both ends must share the
// notification types: a field added to annex.Notification, annex.Denial or
// annex.ConsultationMessage changes the bytes, and an older receiver, which
// drops the unknown field, refuses the signature. Such a change needs a new
// version of the exchange.
func SigningBytes(n *annex.Notification) ([]byte, error) {
	if n == nil {
		return nil, annex.Errorf(annex.EINVALID, "no notification to sign")
	}
	c := *n
	c.Signature = ""
	c.IssuedAt = c.IssuedAt.UTC()
	if c.Denial != nil && c.Denial.Received != nil {
		d := *c.Denial
		d.Received = nil
		c.Denial = &d
	}
	b, err := json.Marshal(&c)
	if err != nil {
		return nil, &annex.Error{
			Code:    annex.EINVALID,
			Message: fmt.Sprintf("notification %d cannot be encoded for signing (a time out of range?)", n.Sequence),
			Op:      "exchange.SigningBytes",
			Err:     err,
		}
	}
	return b, nil
}

// Sign signs a notification with k: it sets KeyID to the key's ID, puts
// IssuedAt in UTC and sets Signature to the standard base64 of the Ed25519
// signature of SigningBytes. Every other field must be final.
func Sign(k *Key, n *annex.Notification) error {
	if k == nil || len(k.Private) != ed25519.PrivateKeySize {
		return annex.Errorf(annex.EINVALID, "sign notification %d: no valid private key", n.Sequence)
	}
	n.KeyID = KeyID(k.Public())
	n.IssuedAt = n.IssuedAt.UTC()
	msg, err := SigningBytes(n)
	if err != nil {
		return err
	}
	n.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(k.Private, msg))
	return nil
}

// Verify checks that n was signed by the key pub: that its KeyID names pub
// and its Signature verifies over SigningBytes(n).
//
// Every failure is EUNAUTHORIZED, whatever went wrong (no signature, a
// signature that is not base64, another key, tampered fields): the
// notification's origin cannot be established, and a caller must be able to
// tell that apart from a well-signed notification whose content is invalid
// (EINVALID, from Accept's content checks). The message names the
// notification's sequence and key ID.
func Verify(n *annex.Notification, pub ed25519.PublicKey) error {
	if n == nil {
		return annex.Errorf(annex.EUNAUTHORIZED, "no notification to verify")
	}
	if len(pub) != ed25519.PublicKeySize {
		return annex.Errorf(annex.EUNAUTHORIZED, "notification %d (key %s): the verifying key is not an Ed25519 public key", n.Sequence, n.KeyID)
	}
	if want := KeyID(pub); n.KeyID != want {
		return annex.Errorf(annex.EUNAUTHORIZED, "notification %d: signed by key %q, not by key %s", n.Sequence, n.KeyID, want)
	}
	if n.Signature == "" {
		return annex.Errorf(annex.EUNAUTHORIZED, "notification %d (key %s) is not signed", n.Sequence, n.KeyID)
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(n.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return annex.Errorf(annex.EUNAUTHORIZED, "notification %d (key %s): signature is not a base64 Ed25519 signature", n.Sequence, n.KeyID)
	}
	msg, err := SigningBytes(n)
	if err != nil {
		return annex.Errorf(annex.EUNAUTHORIZED, "notification %d (key %s): %s", n.Sequence, n.KeyID, annex.ErrorMessage(err))
	}
	if !ed25519.Verify(pub, msg, sig) {
		return annex.Errorf(annex.EUNAUTHORIZED, "notification %d (key %s): signature does not verify; the notification was altered or signed by another key", n.Sequence, n.KeyID)
	}
	return nil
}
