package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"annex"
	"annex/exchange"
	"annex/sqlstore"
	"annex/web"
)

// exchanger is this government's side of the exchange with its MTCR
// partners: it serves its signed feed to them and pulls theirs. The trust
// list can be replaced while it runs.
type exchanger struct {
	government string
	key        *exchange.Key
	trust      atomic.Pointer[exchange.TrustList]
	denials    *sqlstore.DenialService
	client     *exchange.Client
	logger     *slog.Logger
	// received is called after a pull applied notifications.
	received func()
}

var _ web.ExchangeService = (*exchanger)(nil)

// loadKey reads the instance's Ed25519 key from file, or creates it there
// (mode 0600) when the file does not exist.
func loadKey(file string) (*exchange.Key, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		k, err := exchange.GenerateKey()
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
			return nil, fmt.Errorf("create the key's directory: %w", err)
		}
		// O_EXCL: another instance starting at the same moment keeps its
		// key, and this one reads it.
		f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return loadKey(file)
		} else if err != nil {
			return nil, fmt.Errorf("create exchange key %s: %w", file, err)
		}
		if _, err := f.Write(exchange.MarshalPrivateKey(k)); err != nil {
			f.Close()
			return nil, fmt.Errorf("write exchange key %s: %w", file, err)
		}
		return k, f.Close()
	} else if err != nil {
		return nil, fmt.Errorf("read exchange key: %w", err)
	}
	k, err := exchange.ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("exchange key %s: %w", file, err)
	}
	return k, nil
}

// loadTrust reads the trust list file; an empty name is an empty list.
func loadTrust(file string) (exchange.TrustList, error) {
	if file == "" {
		return nil, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, annex.Errorf(annex.EINVALID, "-partners: %v", err)
	}
	defer f.Close()
	t, err := exchange.ParseTrustList(f)
	if err != nil {
		return nil, fmt.Errorf("-partners %s: %w", file, err)
	}
	return t, nil
}

// SetTrust replaces the trust list.
func (x *exchanger) SetTrust(t exchange.TrustList) { x.trust.Store(&t) }

func (x *exchanger) trustList() exchange.TrustList {
	if t := x.trust.Load(); t != nil {
		return *t
	}
	return nil
}

// Authorize implements web.ExchangeService.
func (x *exchanger) Authorize(r *http.Request) (exchange.Partner, error) {
	return exchange.VerifyRequest(r, x.trustList(), time.Now())
}

// Identity implements web.ExchangeService.
func (x *exchanger) Identity() exchange.Identity {
	pub := x.key.Public()
	return exchange.Identity{Government: x.government, KeyID: exchange.KeyID(pub), PublicKey: exchange.EncodePublicKey(pub)}
}

// Feed implements web.ExchangeService: a page of the outbox after a
// sequence, each notification signed.
func (x *exchanger) Feed(ctx context.Context, after int64) (*exchange.Feed, error) {
	ns, err := x.denials.Outbox(asSystem(ctx), after, exchange.FeedPageSize)
	if err != nil {
		return nil, err
	}
	id := x.Identity()
	feed := &exchange.Feed{Government: id.Government, KeyID: id.KeyID, PublicKey: id.PublicKey, Notifications: make([]annex.Notification, len(ns))}
	for i := range ns {
		n := ns[i]
		if err := exchange.Sign(x.key, &n); err != nil {
			return nil, fmt.Errorf("sign notification %d: %w", n.Sequence, err)
		}
		feed.Notifications[i] = n
	}
	return feed, nil
}

// pull fetches every partner's feed, page by page, and stores what
// Accept lets in. A refused notification is logged with its reason and
// stored nowhere; a partner that cannot be reached is logged and tried
// again next time.
func (x *exchanger) pull(ctx context.Context) error {
	ctx = asSystem(ctx)
	var errs []error
	applied := 0
	for _, p := range x.trustList() {
		n, err := x.pullOne(ctx, p)
		applied += n
		if err != nil {
			x.logger.Error("pull partner feed", "partner", p.Government, "feed", p.FeedURL, "error", err)
			errs = append(errs, err)
		}
	}
	if applied > 0 && x.received != nil {
		x.received()
	}
	return errors.Join(errs...)
}

func (x *exchanger) pullOne(ctx context.Context, p exchange.Partner) (int, error) {
	pub, err := exchange.ParsePublicKey(p.PublicKey)
	if err != nil {
		return 0, err
	}
	keyID := exchange.KeyID(pub)
	applied := 0
	for {
		last, err := x.denials.LastSequence(ctx, keyID)
		if err != nil {
			return applied, err
		}
		feed, err := x.client.Fetch(ctx, p.FeedURL, last)
		if err != nil {
			return applied, err
		}
		lastSeen := func(k string) int64 {
			if k == keyID {
				return last
			}
			seq, _ := x.denials.LastSequence(ctx, k)
			return seq
		}
		accepted, rejected := exchange.Accept(p.FeedURL, feed, x.trustList(), lastSeen, x.government)
		for _, r := range rejected {
			level := slog.LevelWarn
			if r.Ignored {
				level = slog.LevelDebug
			}
			x.logger.Log(ctx, level, "notification refused", "partner", p.Government, "feed", p.FeedURL,
				"sequence", r.Sequence, "key_id", r.KeyID, "reason", r.Reason, "ignored", r.Ignored)
		}
		// Only the partner's own notifications are stored under its key;
		// Accept has checked that each is signed by a trusted key of its
		// sender.
		var mine []annex.Notification
		for _, n := range accepted {
			if n.KeyID == keyID {
				mine = append(mine, n)
			}
		}
		n, err := x.denials.Receive(ctx, p.FeedURL, keyID, p.Government, mine)
		applied += n
		if err != nil {
			return applied, err
		}
		if len(feed.Notifications) < exchange.FeedPageSize || n == 0 {
			return applied, nil
		}
	}
}

// pullLoop pulls the partners' feeds now and then every interval, until
// ctx ends.
func (x *exchanger) pullLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		x.pull(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
