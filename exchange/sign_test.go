package exchange_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"annex"
	"annex/exchange"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestSignVerify(t *testing.T) {
	k := mustKey(t, 1)
	for _, n := range []annex.Notification{denialNote(1, "GB"), consultNote(2, "GB", "FR")} {
		t.Run(string(n.Kind), func(t *testing.T) {
			if err := exchange.Sign(k, &n); err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if n.KeyID != gbKeyID {
				t.Errorf("KeyID=%q, want %q", n.KeyID, gbKeyID)
			}
			if n.Signature == "" {
				t.Fatalf("Signature is empty after Sign")
			}
			if err := exchange.Verify(&n, k.Public()); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

// TestVerifyRefuses checks that a changed field, another key, or a missing
// or malformed signature is refused as EUNAUTHORIZED with a message naming
// the sequence and key.
func TestVerifyRefuses(t *testing.T) {
	k := mustKey(t, 1)
	tests := []struct {
		name   string
		change func(n *annex.Notification)
		pub    *exchange.Key
		want   string
	}{
		{"end user", func(n *annex.Notification) { n.Denial.EndUser = "Someone Else Ltd" }, k, "does not verify"},
		{"sequence", func(n *annex.Notification) { n.Sequence = 8 }, k, "does not verify"},
		{"to", func(n *annex.Notification) { n.To = "FR" }, k, "does not verify"},
		{"kind", func(n *annex.Notification) { n.Kind = annex.NotifyDenialRevoke }, k, "does not verify"},
		{"from", func(n *annex.Notification) { n.From = "FR" }, k, "does not verify"},
		{"issued at", func(n *annex.Notification) { n.IssuedAt = n.IssuedAt.Add(time.Nanosecond) }, k, "does not verify"},
		{"denial dropped", func(n *annex.Notification) { n.Denial = nil }, k, "does not verify"},
		{"key id", func(n *annex.Notification) { n.KeyID = frKeyID }, k, "not by key " + gbKeyID},
		{"wrong key", func(n *annex.Notification) {}, mustKey(t, 2), "not by key " + frKeyID},
		{"wrong key, key id forged", func(n *annex.Notification) { n.KeyID = frKeyID }, mustKey(t, 2), "does not verify"},
		{"unsigned", func(n *annex.Notification) { n.Signature = "" }, k, "is not signed"},
		{"not base64", func(n *annex.Notification) { n.Signature = "!!" }, k, "not a base64 Ed25519 signature"},
		{"short signature", func(n *annex.Notification) { n.Signature = n.Signature[:40] + "==" }, k, "not a base64 Ed25519 signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := mustSign(t, k, denialNote(7, "GB"))
			tt.change(&n)
			err := exchange.Verify(&n, tt.pub.Public())
			if code := annex.ErrorCode(err); code != annex.EUNAUTHORIZED {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EUNAUTHORIZED)
			}
			msg := annex.ErrorMessage(err)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("ErrorMessage=%q, want it to contain %q", msg, tt.want)
			}
			if !strings.Contains(msg, "notification "+itoa(n.Sequence)) || !strings.Contains(msg, n.KeyID) {
				t.Errorf("ErrorMessage=%q, want it to name sequence %d and key %q", msg, n.Sequence, n.KeyID)
			}
		})
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestVerifyJSONRoundTrip checks that the receiver, which sees only the
// decoded JSON, reproduces the signed bytes, whatever zones the sender's
// times were in.
func TestVerifyJSONRoundTrip(t *testing.T) {
	k := mustKey(t, 1)
	zone := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		n    annex.Notification
	}{
		{"denial", denialNote(1, "GB")},
		{"consultation", consultNote(2, "GB", "FR")},
		{"times in a zone", func() annex.Notification {
			n := consultNote(3, "GB", "FR")
			n.IssuedAt = n.IssuedAt.In(zone)
			n.Consultation.DueAt = n.Consultation.DueAt.In(zone)
			return n
		}()},
		{"monotonic clock", func() annex.Notification {
			n := denialNote(4, "GB")
			n.IssuedAt = time.Now()
			return n
		}()},
		{"html and unicode", func() annex.Notification {
			n := denialNote(5, "GB")
			n.Denial.EndUser = "Société <Ünïcode> & \"quotes\" \u2028 \x00"
			return n
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := mustSign(t, k, tt.n)
			data, err := json.Marshal(&n)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			var got annex.Notification
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if err := exchange.Verify(&got, k.Public()); err != nil {
				t.Fatalf("Verify after a JSON round trip: %v", err)
			}
		})
	}
}

// TestVerifyIgnoresReceived checks that the receipt a receiver adds to a
// denial does not break its signature.
func TestVerifyIgnoresReceived(t *testing.T) {
	k := mustKey(t, 1)
	n := mustSign(t, k, denialNote(1, "GB"))
	n.Denial.Received = &annex.Receipt{KeyID: gbKeyID, Feed: "https://gb.example.gov/feed", Sequence: 1, ReceivedAt: issued}
	if err := exchange.Verify(&n, k.Public()); err != nil {
		t.Fatalf("Verify with Denial.Received set: %v", err)
	}
}

// TestSignGolden pins the canonical bytes: Ed25519 signatures are
// deterministic, so a change to the encoding (a field added to a
// notification type, say) changes the golden file. Such a change breaks
// verification between instances of different versions and must be
// deliberate; rewrite the file with go test ./exchange -update.
func TestSignGolden(t *testing.T) {
	n := mustSign(t, mustKey(t, 1), denialNote(1, "GB"))
	got, err := json.MarshalIndent(&n, "", "  ")
	if err != nil {
		t.Fatalf("MarshalIndent: %v", err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "notification.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("write golden: %v", err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("signed notification differs from %s:\n got %s\nwant %s", path, got, want)
	}
	// A notification signed by an earlier build still verifies.
	var old annex.Notification
	if err := json.Unmarshal(want, &old); err != nil {
		t.Fatalf("Unmarshal golden: %v", err)
	}
	if err := exchange.Verify(&old, mustKey(t, 1).Public()); err != nil {
		t.Errorf("Verify(golden): %v", err)
	}
}
