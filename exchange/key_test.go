package exchange_test

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"regexp"
	"strings"
	"testing"

	"annex"
	"annex/exchange"
)

func TestPrivateKeyRoundTrip(t *testing.T) {
	k, err := exchange.GenerateKey()
	if err != nil {
		t.Fatalf("GenerateKey: %v", err)
	}
	data := exchange.MarshalPrivateKey(k)
	if !bytes.HasPrefix(data, []byte("-----BEGIN ANNEX ED25519 PRIVATE KEY-----\n")) {
		t.Fatalf("MarshalPrivateKey = %q, want an ANNEX ED25519 PRIVATE KEY PEM block", data)
	}
	got, err := exchange.ParsePrivateKey(data)
	if err != nil {
		t.Fatalf("ParsePrivateKey: %v", err)
	}
	if !got.Private.Equal(k.Private) {
		t.Fatalf("ParsePrivateKey(MarshalPrivateKey(k)) is another key")
	}
}

func TestParsePrivateKeyErrors(t *testing.T) {
	k := mustKey(t, 1)
	good := exchange.MarshalPrivateKey(k)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "no PEM block"},
		{"not PEM", []byte("iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="), "no PEM block"},
		{"wrong type", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: k.Private.Seed()}), `"PRIVATE KEY"`},
		{"short seed", pem.EncodeToMemory(&pem.Block{Type: "ANNEX ED25519 PRIVATE KEY", Bytes: []byte{1, 2, 3}}), "3 bytes, want 32"},
		{"whole private key", pem.EncodeToMemory(&pem.Block{Type: "ANNEX ED25519 PRIVATE KEY", Bytes: k.Private}), "64 bytes, want 32"},
		{"headers", pem.EncodeToMemory(&pem.Block{Type: "ANNEX ED25519 PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: k.Private.Seed()}), "headers"},
		{"trailing data", append(append([]byte{}, good...), "junk"...), "after the PEM block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := exchange.ParsePrivateKey(tt.data)
			if code := annex.ErrorCode(err); code != annex.EINVALID {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EINVALID)
			}
			if msg := annex.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("ErrorMessage=%q, want it to contain %q", msg, tt.want)
			}
		})
	}
}

func TestPublicKeyRoundTrip(t *testing.T) {
	k := mustKey(t, 1)
	s := exchange.EncodePublicKey(k.Public())
	if want := "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="; s != want {
		t.Fatalf("EncodePublicKey = %q, want %q", s, want)
	}
	got, err := exchange.ParsePublicKey(" " + s + "\n")
	if err != nil {
		t.Fatalf("ParsePublicKey: %v", err)
	}
	if !got.Equal(k.Public()) {
		t.Fatalf("ParsePublicKey(EncodePublicKey(pub)) = %x, want %x", got, k.Public())
	}
}

func TestParsePublicKeyErrors(t *testing.T) {
	raw := []byte(mustKey(t, 1).Public())
	tests := []struct{ name, in, want string }{
		{"empty", "", "32"},
		{"not base64", "not a key!", "base64"},
		{"unpadded", base64.RawStdEncoding.EncodeToString(raw), "base64"},
		{"url alphabet", "gTl3Dqh9F19Wo1Rmw0x-zMuNipG07jeiXfYPW4_Js5Q=", "base64"},
		{"short", base64.StdEncoding.EncodeToString(raw[:31]), "31 bytes, want 32"},
		{"long", base64.StdEncoding.EncodeToString(append(raw, 0)), "33 bytes, want 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := exchange.ParsePublicKey(tt.in)
			if code := annex.ErrorCode(err); code != annex.EINVALID {
				t.Fatalf("ErrorCode=%q (%v), want %q", code, err, annex.EINVALID)
			}
			if msg := annex.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("ErrorMessage=%q, want it to contain %q", msg, tt.want)
			}
		})
	}
}

func TestKeyID(t *testing.T) {
	hex16 := regexp.MustCompile(`^[0-9a-f]{16}$`)
	for _, tt := range []struct {
		seed byte
		want string
	}{{1, gbKeyID}, {2, frKeyID}, {3, "b62e867fa2f33afe"}} {
		pub := mustKey(t, tt.seed).Public()
		if got := exchange.KeyID(pub); got != tt.want {
			t.Errorf("KeyID(seed %d) = %q, want %q", tt.seed, got, tt.want)
		}
	}
	k, err := exchange.GenerateKey()
	if err != nil {
		t.Fatalf("GenerateKey: %v", err)
	}
	id := exchange.KeyID(k.Public())
	if !hex16.MatchString(id) {
		t.Errorf("KeyID = %q, want 16 lowercase hex digits", id)
	}
	if again := exchange.KeyID(k.Public()); again != id {
		t.Errorf("KeyID changed between calls: %q then %q", id, again)
	}
}
