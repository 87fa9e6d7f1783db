package screen

import (
	"hash/maphash"
	"math"
	"strings"
	"sync"

	"annex"
)

// Index is an immutable in-memory index of listed entities, safe for
// concurrent searches. Build a new one when the lists change.
type Index struct {
	opts     Options
	entities []*annex.ListEntity
	names    []indexedName
	// vocab maps a token text (single tokens and joins) to its id.
	vocab map[string]int32
	// idf is the rarity of each vocab token over the indexed names.
	idf []float64
	// tokNames lists, per vocab token, the names holding it.
	tokNames [][]int32
	// keys maps hashed lookup keys (exact text, vowel fold, skeleton,
	// deletions) to vocab tokens: a value ≥ 0 is the only token of the key,
	// a value v < 0 points to multi[-v-1]. Most keys have one token, and
	// this saves a slice for each.
	keys  keyTable
	multi [][]int32
	// exact maps a name key (sorted tokens) to its names.
	exact map[string][]int32
	// ids maps a normalised identifier to entities.
	ids        map[string][]int32
	idfUnknown float64
	// tokenKeys counts the keys of listed tokens (token.key), which index
	// the similarity memo of a search.
	tokenKeys int
	seed      maphash.Seed
	scratch   sync.Pool
}

// indexedName is one name of one entity, parsed and weighed.
type indexedName struct {
	entity int32
	kind   annex.NameKind
	raw    string
	name   parsedName
	w      sideWeights
}

// Key spaces of the lookup map.
const (
	keyExact    = 'e'
	keyVowels   = 'v'
	keySkeleton = 's' // every token's skeleton
	keyAbjad    = 'S' // skeletons of tokens from abjad names only
	keyDelete   = 'd'
)

// NewIndex builds an index of the entities' names. The entities are
// shared, not copied: do not change them while the index is in use.
func NewIndex(entities []*annex.ListEntity, o Options) *Index {
	ix := &Index{
		opts:     o.withDefaults(),
		entities: entities,
		vocab:    map[string]int32{},
		exact:    map[string][]int32{},
		ids:      map[string][]int32{},
		seed:     maphash.MakeSeed(),
	}
	var b builder
	for ei, e := range entities {
		ix.addEntity(&b, int32(ei), e)
	}
	n := float64(len(ix.names))
	ix.idfUnknown = math.Log(1 + n)
	ix.opts.idfUnknown = ix.idfUnknown
	ix.idf = make([]float64, len(b.df))
	for id, d := range b.df {
		ix.idf[id] = math.Log(1 + n/float64(d))
	}
	// Keys are filed in vocab order, so that two indexes of the same
	// entities search alike. A token has about four keys.
	ix.keys.reserve(4 * len(b.texts))
	for id, text := range b.texts {
		ix.addKeys(text, int32(id), b.abjad[id], b.joinOnly[id])
		if b.abjad[id] {
			for _, sk := range abjadSkeletons(text) {
				ix.putKey(ix.hash(keyAbjad, sk), int32(id))
			}
		}
	}
	ix.packTokens()
	ix.tokenKeys = len(ix.vocab)
	return ix
}

// packTokens weighs the names' tokens, sets their keys, and moves the
// tokens and joins of all names into one array, each name's next to each
// other, with their keys in another: a search reads the keys of every
// candidate name, and the tokens of few.
func (ix *Index) packTokens() {
	nt := 0
	for i := range ix.names {
		nt += len(ix.names[i].name.toks) + len(ix.names[i].name.joins)
	}
	toks, keys := make([]token, 0, nt), make([]int32, 0, nt)
	for i := range ix.names {
		p := &ix.names[i].name
		ix.names[i].w = ix.weights(p)
		start := len(toks)
		toks = append(toks, p.toks...)
		toks = append(toks, p.joins...)
		for k := start; k < len(toks); k++ {
			toks[k].key = ix.vocab[toks[k].text]
			keys = append(keys, toks[k].key)
		}
		nj := start + len(p.toks)
		p.toks = toks[start:nj:nj]
		p.joins = toks[nj:len(toks):len(toks)]
		p.keys = keys[start:len(keys):len(keys)]
	}
}

// builder holds per-token facts gathered while NewIndex reads the names,
// indexed by vocab id.
type builder struct {
	texts    []string
	df       []int32
	abjad    []bool // seen in an Arabic or Hebrew name
	joinOnly []bool // seen only as a join of tokens: no deletion keys
}

// addEntity parses and files the names and identifiers of one entity.
func (ix *Index) addEntity(b *builder, ei int32, e *annex.ListEntity) {
	seen := map[string]bool{}
	for _, n := range e.Names {
		if strings.TrimSpace(n.Name) == "" || seen[n.Name] {
			continue
		}
		seen[n.Name] = true
		p := parseName(n.Name)
		if len(p.toks) == 0 {
			continue
		}
		ni := int32(len(ix.names))
		ix.names = append(ix.names, indexedName{entity: ei, kind: n.Kind, raw: n.Name, name: p})
		ix.exact[p.key] = append(ix.exact[p.key], ni)
		for k, t := range append(p.toks[:len(p.toks):len(p.toks)], p.joins...) {
			id, ok := ix.vocab[t.text]
			if !ok {
				id = int32(len(b.texts))
				ix.vocab[t.text] = id
				ix.tokNames = append(ix.tokNames, nil)
				b.texts = append(b.texts, t.text)
				b.df = append(b.df, 0)
				b.abjad = append(b.abjad, false)
				b.joinOnly = append(b.joinOnly, true)
			}
			if k < len(p.toks) {
				b.joinOnly[id] = false
			}
			if l := ix.tokNames[id]; len(l) == 0 || l[len(l)-1] != ni {
				ix.tokNames[id] = append(l, ni)
				b.df[id]++
			}
			if p.script.abjad() {
				b.abjad[id] = true
			}
		}
	}
	for _, id := range e.Identifiers {
		if k := normalizeID(id.Value); k != "" {
			ix.ids[k] = append(ix.ids[k], ei)
		}
	}
}

// addKeys files a vocab token under its lookup keys.
func (ix *Index) addKeys(text string, id int32, abjad, join bool) {
	put := func(space byte, s string) { ix.putKey(ix.hash(space, s), id) }
	put(keyExact, text)
	if vf := vowelFold(text); vf != text && len(vf) >= 3 {
		put(keyVowels, vf)
	}
	if sk := skeleton(text); len(sk) >= 2 {
		put(keySkeleton, sk)
		if abjad {
			put(keyAbjad, sk)
		}
	}
	if !join {
		forDeletions(text, func(d []byte) { ix.putKey(ix.hashBytes(keyDelete, d), id) })
	}
}

// putKey files vocab token id under a hashed key.
func (ix *Index) putKey(h uint64, id int32) {
	v, ok := ix.keys.get(h)
	switch {
	case !ok:
		ix.keys.put(h, id)
	case v == id:
	case v >= 0:
		ix.multi = append(ix.multi, []int32{v, id})
		ix.keys.put(h, -int32(len(ix.multi)))
	default:
		l := ix.multi[-v-1]
		if l[len(l)-1] != id {
			ix.multi[-v-1] = append(l, id)
		}
	}
}

// lookup calls f with each vocab token filed under a hashed key.
func (ix *Index) lookup(h uint64, f func(id int32)) {
	v, ok := ix.keys.get(h)
	switch {
	case !ok:
	case v >= 0:
		f(v)
	default:
		for _, id := range ix.multi[-v-1] {
			f(id)
		}
	}
}

// forDeletions calls f with s and each string made by deleting one
// character of s, for tokens of 4 to 24 characters (3 to 24 for scripts
// without a transliteration table, whose characters carry more). The
// slice passed to f is reused: f must not keep it.
func forDeletions(s string, f func([]byte)) {
	var buf [96]byte
	if isASCII(s) {
		if len(s) < 4 || len(s) > 24 {
			return
		}
		f(append(buf[:0], s...))
		for i := 0; i < len(s); i++ {
			n := copy(buf[:], s[:i])
			n += copy(buf[n:], s[i+1:])
			f(buf[:n])
		}
		return
	}
	rs := []rune(s)
	if len(rs) < 3 || len(rs) > 24 {
		return
	}
	f(append(buf[:0], s...))
	for i := range rs {
		b := append(buf[:0], string(rs[:i])...)
		f(append(b, string(rs[i+1:])...))
	}
}

// hash is the lookup key of s in a key space.
func (ix *Index) hash(space byte, s string) uint64 {
	return maphash.String(ix.seed, s) + uint64(space)*0x9E3779B97F4A7C15
}

// hashBytes is hash for a byte slice.
func (ix *Index) hashBytes(space byte, b []byte) uint64 {
	return maphash.Bytes(ix.seed, b) + uint64(space)*0x9E3779B97F4A7C15
}

// weights returns the rarity weight of each token of a name, scaled by its
// class.
func (ix *Index) weights(p *parsedName) sideWeights {
	w := make(sideWeights, len(p.toks))
	for i, t := range p.toks {
		idf := ix.idfUnknown
		if id, ok := ix.vocab[t.text]; ok {
			idf = ix.idf[id]
		}
		w[i] = idf * ix.opts.classWeight(t.class)
	}
	return w
}

// Len returns the number of entities in the index.
func (ix *Index) Len() int { return len(ix.entities) }

// normalizeID folds an identifier to upper-case letters and digits; "IMO"
// before an IMO number is dropped. Identifiers shorter than 4 characters
// are too weak to decide anything and give "".
func normalizeID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(Latin(s)) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	k := b.String()
	if len(k) == 10 && strings.HasPrefix(k, "IMO") && isDigits(k[3:]) {
		k = k[3:]
	}
	if len(k) < 4 {
		return ""
	}
	return k
}
