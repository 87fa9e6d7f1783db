package exchange

import (
	"fmt"

	"annex"
)

// Feed is the JSON document an instance serves at FeedPath?after=N: its
// own notifications with Sequence greater than N, in increasing order, at
// most FeedPageSize of them.
//
// The feed is the same for every partner, so it also carries consultations
// addressed to other governments; a receiver skips those. Government, KeyID
// and PublicKey only say who the publisher claims to be, to help set up a
// trust list: Accept never trusts them.
type Feed struct {
	Government    string               `json:"government"`
	KeyID         string               `json:"key_id"`
	PublicKey     string               `json:"public_key"`
	Notifications []annex.Notification `json:"notifications"`
}

// Rejection says why Accept did not accept one notification of a feed.
type Rejection struct {
	Sequence int64  `json:"sequence"`
	KeyID    string `json:"key_id"`
	Reason   string `json:"reason"`
	// Ignored is set when nothing is wrong: a duplicate, a replay, or a
	// message addressed to another government. Otherwise the notification
	// is unsigned, forged, tampered with or malformed, and worth logging.
	Ignored bool `json:"ignored"`
}

// String formats the rejection for logs.
func (r Rejection) String() string {
	verb := "rejected"
	if r.Ignored {
		verb = "ignored"
	}
	return fmt.Sprintf("notification %d (key %s) %s: %s", r.Sequence, r.KeyID, verb, r.Reason)
}

// Accept sorts the notifications of a feed pulled from feedURL into those
// this government (self, ISO 3166-1 alpha-2) accepts and those it does not,
// one outcome per notification. It is pure: the caller stores the accepted
// ones and then remembers, per key, the greatest sequence accepted, which
// lastSeen must return on the next pull (0 for a key never seen; a nil
// lastSeen means 0 for all).
//
// A notification is accepted when, in this order:
//
//  1. its KeyID is on the trust list, and its signature verifies with that
//     trusted key (never with the key the feed advertises), and the key's
//     government is its From: a key cannot speak for another government;
//  2. its Sequence is positive and greater than lastSeen(KeyID) (otherwise
//     it is an ignored replay) and than the sequence of the previous
//     verified notification of the same key in this feed (an equal one is
//     an ignored duplicate, a smaller one is out of order and rejected);
//  3. its To is empty or self (otherwise it is ignored as addressed to
//     another government);
//  4. its content fits its kind: a denial, amendment or revocation carries
//     a Denial that validates and whose NotifyingGovernment is From (a
//     revocation's status is revoked); a consultation request or answer
//     carries a Consultation with a RequestID and a DenialID and is
//     addressed (To set); a kind carries nothing of the other kind.
//
// An accepted denial gets Denial.Received set to the key, feedURL and
// sequence, so that the store records where it came from; ReceivedAt is
// left zero for the caller to stamp. Everything else is returned as
// signed, and the feed is not modified.
func Accept(feedURL string, feed *Feed, trust TrustList, lastSeen func(keyID string) int64, self string) (accepted []annex.Notification, rejected []Rejection) {
	if feed == nil {
		return nil, nil
	}
	prev := map[string]int64{} // key ID → last verified sequence in this feed
	for i := range feed.Notifications {
		n := &feed.Notifications[i]
		reason, ignored := check(n, trust, lastSeen, self, prev)
		if reason != "" {
			rejected = append(rejected, Rejection{Sequence: n.Sequence, KeyID: n.KeyID, Reason: reason, Ignored: ignored})
			continue
		}
		accepted = append(accepted, received(*n, feedURL))
	}
	return accepted, rejected
}

// check returns why n is not accepted, and whether that is harmless, or ""
// if it is accepted. It records n's sequence in prev once n is verified.
func check(n *annex.Notification, trust TrustList, lastSeen func(string) int64, self string, prev map[string]int64) (reason string, ignored bool) {
	p, pub, ok := trust.trustedKey(n.KeyID)
	if !ok {
		return fmt.Sprintf("key %q is not on the trust list", n.KeyID), false
	}
	if err := Verify(n, pub); err != nil {
		return annex.ErrorMessage(err), false
	}
	if n.From != p.Government {
		return fmt.Sprintf("key %s belongs to %s and cannot speak for %q", n.KeyID, p.Government, n.From), false
	}
	if n.Sequence < 1 {
		return fmt.Sprintf("sequence %d is not positive", n.Sequence), false
	}
	var last int64
	if lastSeen != nil {
		last = lastSeen(n.KeyID)
	}
	if n.Sequence <= last {
		return fmt.Sprintf("replay: sequence %d is not after %d, the last seen from key %s", n.Sequence, last, n.KeyID), true
	}
	before, seen := prev[n.KeyID]
	if seen && n.Sequence == before {
		return fmt.Sprintf("duplicate of sequence %d earlier in the feed", n.Sequence), true
	}
	if seen && n.Sequence < before {
		return fmt.Sprintf("out of order: sequence %d comes after %d in the feed", n.Sequence, before), false
	}
	prev[n.KeyID] = n.Sequence
	if n.To != "" && n.To != self {
		return fmt.Sprintf("addressed to %s, not to %s", n.To, self), true
	}
	if m := checkContent(n); m != "" {
		return m, false
	}
	return "", false
}

// checkContent checks that a verified notification's content fits its
// kind, returning what is wrong or "".
func checkContent(n *annex.Notification) string {
	switch n.Kind {
	case annex.NotifyDenial, annex.NotifyDenialAmend, annex.NotifyDenialRevoke:
		if n.Denial == nil {
			return fmt.Sprintf("a %s notification must carry a denial", n.Kind)
		}
		if n.Consultation != nil {
			return fmt.Sprintf("a %s notification must not carry a consultation", n.Kind)
		}
		d := *n.Denial // Validate normalises; keep the signed copy intact
		if err := d.Validate(); err != nil {
			return "invalid denial: " + annex.ErrorMessage(err)
		}
		if d.NotifyingGovernment != n.From {
			return fmt.Sprintf("denial %s is notified by %s, not by the sender %s", d.ID, d.NotifyingGovernment, n.From)
		}
		if n.Kind == annex.NotifyDenialRevoke && d.Status != annex.DenialRevoked {
			return fmt.Sprintf("a revocation must carry denial %s with status %s", d.ID, annex.DenialRevoked)
		}
	case annex.NotifyConsultationRequest, annex.NotifyConsultationAnswer:
		c := n.Consultation
		if c == nil {
			return fmt.Sprintf("a %s notification must carry a consultation", n.Kind)
		}
		if n.Denial != nil {
			return fmt.Sprintf("a %s notification must not carry a denial", n.Kind)
		}
		if c.RequestID == "" || c.DenialID == "" {
			return "a consultation must name its request_id and denial_id"
		}
		if n.To == "" {
			return "a consultation must be addressed to one government"
		}
	default:
		return fmt.Sprintf("unknown kind %q", n.Kind)
	}
	return ""
}

// received returns an accepted notification with its denial, if any,
// copied and stamped with where it came from.
func received(n annex.Notification, feedURL string) annex.Notification {
	if n.Denial != nil {
		d := *n.Denial
		d.Received = &annex.Receipt{KeyID: n.KeyID, Feed: feedURL, Sequence: n.Sequence}
		n.Denial = &d
	}
	if n.Consultation != nil {
		c := *n.Consultation
		n.Consultation = &c
	}
	return n
}
