package exchange

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"strings"

	"annex"
)

// privateKeyPEMType is the PEM block type of a private key file.
const privateKeyPEMType = "ANNEX ED25519 PRIVATE KEY"

// Key is an instance's signing key.
type Key struct {
	Private ed25519.PrivateKey
}

// GenerateKey returns a new random key pair.
func GenerateKey() (*Key, error) {
	_, priv, err := ed25519.GenerateKey(nil) // nil reads crypto/rand
	if err != nil {
		return nil, err
	}
	return &Key{Private: priv}, nil
}

// Public returns the key's public half, the one partners put on their
// trust lists.
func (k *Key) Public() ed25519.PublicKey {
	return k.Private.Public().(ed25519.PublicKey)
}

// KeyID names a public key: the first 16 hex digits of the SHA-256 of its
// 32 bytes. It is what Notification.KeyID carries.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// MarshalPrivateKey encodes a key for a file: a PEM block of type
// "ANNEX ED25519 PRIVATE KEY" holding the 32-byte seed.
func MarshalPrivateKey(k *Key) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: privateKeyPEMType, Bytes: k.Private.Seed()})
}

// ParsePrivateKey decodes a key written by MarshalPrivateKey. Errors are
// EINVALID and never quote the key material.
func ParsePrivateKey(data []byte) (*Key, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, annex.Errorf(annex.EINVALID, "private key: no PEM block found; want %q", privateKeyPEMType)
	}
	if block.Type != privateKeyPEMType {
		return nil, annex.Errorf(annex.EINVALID, "private key: PEM block is %q, want %q", block.Type, privateKeyPEMType)
	}
	if len(block.Headers) > 0 {
		return nil, annex.Errorf(annex.EINVALID, "private key: unexpected PEM headers (an encrypted key is not supported)")
	}
	if len(block.Bytes) != ed25519.SeedSize {
		return nil, annex.Errorf(annex.EINVALID, "private key: seed is %d bytes, want %d", len(block.Bytes), ed25519.SeedSize)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, annex.Errorf(annex.EINVALID, "private key: unexpected data after the PEM block")
	}
	return &Key{Private: ed25519.NewKeyFromSeed(block.Bytes)}, nil
}

// EncodePublicKey encodes a public key for a trust list: standard, padded
// base64 of its 32 bytes.
func EncodePublicKey(pub ed25519.PublicKey) string {
	return base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey decodes a public key written by EncodePublicKey, ignoring
// surrounding space. Errors are EINVALID.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, annex.Errorf(annex.EINVALID, "public key: not standard padded base64")
	}
	if len(b) != ed25519.PublicKeySize {
		return nil, annex.Errorf(annex.EINVALID, "public key: %d bytes, want %d", len(b), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}
