// Package exchange lets Annex instances trade MTCR denial notifications and
// no-undercut consultations directly, government to government.
//
// Each instance holds an Ed25519 key pair. It signs every notification it
// issues (Sign) and publishes them, numbered from 1, as a Feed that its
// partners pull over HTTPS (Client.Fetch). A receiver accepts a notification
// only when it is signed by a key on its TrustList, by the government that
// key belongs to, and newer than the last one it holds from that key
// (Accept). Duplicates, replays and messages addressed to other partners
// are ignored rather than treated as errors.
//
// The package is pure apart from Client: it imports the standard library
// and annex only, keeps no state, and reads no clock. The caller stores the
// accepted notifications and the last sequence seen per key.
package exchange

// FeedPath is the path at which an instance serves its feed; partners pull
// FeedPath?after=N.
const FeedPath = "/api/v1/exchange/feed"

// FeedPageSize is the most notifications a feed page should carry; a
// receiver asks again with the last sequence it got until a page comes back
// empty.
const FeedPageSize = 100

// MaxFeedBytes caps the size of a feed page a Client reads, so that a
// faulty or hostile partner cannot exhaust memory.
const MaxFeedBytes = 10 << 20

// Identity is what a government publishes of itself for its partners'
// trust lists: its code, its key ID and its public key (base64).
type Identity struct {
	Government string `json:"government"`
	KeyID      string `json:"key_id"`
	PublicKey  string `json:"public_key"`
}
