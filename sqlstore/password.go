package sqlstore

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost parameters for new password hashes.
// Each stored hash records the parameters it was made with, so they can be
// raised later without invalidating existing passwords.
type PasswordParams struct {
	MemoryKiB  uint32
	Iterations uint32
	Threads    uint8
}

// DefaultPasswordParams returns OWASP's recommended argon2id parameters:
// 19 MiB of memory, 2 iterations, 1 thread.
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{MemoryKiB: 19 * 1024, Iterations: 2, Threads: 1}
}

const (
	passwordSaltLen = 16
	passwordKeyLen  = 32
)

// dummySalt is used to hash the password of an unknown user, so that a
// failed sign-in costs the same whether or not the username exists.
var dummySalt = make([]byte, passwordSaltLen)

// hashPassword hashes the password with a new random salt and returns it in
// the PHC string format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>, with
// unpadded standard base64.
func hashPassword(p PasswordParams, password string) (string, error) {
	salt := make([]byte, passwordSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Iterations, p.MemoryKiB, p.Threads, passwordKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		p.MemoryKiB, p.Iterations, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether password matches the encoded hash. It
// compares in constant time.
func checkPassword(encoded, password string) (bool, error) {
	p, salt, key, err := parsePasswordHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Iterations, p.MemoryKiB, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummyCheckPassword spends as long as checking a password hashed with p.
func dummyCheckPassword(p PasswordParams, password string) {
	argon2.IDKey([]byte(password), dummySalt, p.Iterations, p.MemoryKiB, p.Threads, passwordKeyLen)
}

var errPasswordHash = errors.New("malformed password hash")

// parsePasswordHash decodes the format hashPassword writes.
func parsePasswordHash(encoded string) (p PasswordParams, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errPasswordHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errPasswordHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Threads); err != nil {
		return p, nil, nil, errPasswordHash
	}
	if p.Iterations == 0 || p.Threads == 0 {
		return p, nil, nil, errPasswordHash
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, errPasswordHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) == 0 {
		return p, nil, nil, errPasswordHash
	}
	return p, salt, key, nil
}
