package exchange_test

import (
	"crypto/ed25519"
	"testing"
	"time"

	"annex"
	"annex/exchange"
)

// Test keys come from fixed seeds, so that key IDs and signatures are
// stable: seed 1 is GB's, 2 is FR's, 3 is an untrusted key.
const (
	gbKeyID = "34750f98bd59fcfc"
	frKeyID = "6a3803d5f059902a"
)

// mustKey returns the key whose seed is 32 copies of b.
func mustKey(tb testing.TB, b byte) *exchange.Key {
	tb.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = b
	}
	return &exchange.Key{Private: ed25519.NewKeyFromSeed(seed)}
}

// partner returns a trust list entry for a key.
func partner(tb testing.TB, gov string, k *exchange.Key) exchange.Partner {
	tb.Helper()
	return exchange.Partner{
		Government: gov,
		Name:       gov + " licensing authority",
		FeedURL:    "https://" + gov + ".example.gov/api/v1/exchange/feed",
		PublicKey:  exchange.EncodePublicKey(k.Public()),
	}
}

// issued is the fixed issue time of test notifications, with nanoseconds
// to check that they survive signing.
var issued = time.Date(2026, 3, 14, 9, 26, 53, 589793238, time.UTC)

// denialNote returns an unsigned denial notification from a government.
func denialNote(seq int64, from string) annex.Notification {
	return annex.Notification{
		Sequence: seq,
		Kind:     annex.NotifyDenial,
		From:     from,
		IssuedAt: issued,
		Denial: &annex.Denial{
			ID:                  from + "-2026-0001",
			NotifyingGovernment: from,
			Entry:               "2.A.1.c",
			EndUser:             "Orbital Propulsion Research Bureau",
			Destination:         "XK",
			Date:                "2026-03-01",
			Reason:              "risk of diversion to a Category I delivery system",
			Status:              annex.DenialActive,
			Version:             1,
		},
	}
}

// consultNote returns an unsigned consultation request from one
// government to another.
func consultNote(seq int64, from, to string) annex.Notification {
	return annex.Notification{
		Sequence: seq,
		Kind:     annex.NotifyConsultationRequest,
		From:     from,
		To:       to,
		IssuedAt: issued,
		Consultation: &annex.ConsultationMessage{
			RequestID:   from + "-C-17",
			DenialID:    to + "-2026-0001",
			Entry:       "2.A.1.c",
			EndUser:     "Orbital Propulsion Research Bureau",
			Destination: "XK",
			DueAt:       issued.AddDate(0, 0, annex.ConsultationDays),
		},
	}
}

// mustSign signs n with k and returns it.
func mustSign(tb testing.TB, k *exchange.Key, n annex.Notification) annex.Notification {
	tb.Helper()
	if err := exchange.Sign(k, &n); err != nil {
		tb.Fatalf("Sign: %v", err)
	}
	return n
}
