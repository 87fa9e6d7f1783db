package screen

import "math/bits"

// keyTable maps hashed lookup keys to an int32 with open addressing and
// linear probing: a search makes dozens of lookups in a table of hundreds
// of thousands of keys, most of them misses, and this costs about one
// cache line each. Keys are hashes already, so their low bits place them.
type keyTable struct {
	keys []uint64 // 0: empty slot
	vals []int32
	mask uint64
	n    int
	// filter has a bit set for the high bits of every key: most lookups
	// are of keys absent from the table, and the filter, 16 times
	// smaller than keys, answers them from a nearer cache.
	filter []uint64
	shift  uint
}

// slot returns the slot of key h: the one holding it, or the empty one
// where it would go.
func (t *keyTable) slot(h uint64) (int, bool) {
	i := h & t.mask
	for {
		switch t.keys[i] {
		case h:
			return int(i), true
		case 0:
			return int(i), false
		}
		i = (i + 1) & t.mask
	}
}

// tableKey makes a hash usable as a key: 0 marks empty slots.
func tableKey(h uint64) uint64 {
	if h == 0 {
		return 1
	}
	return h
}

// get returns the value of key h.
func (t *keyTable) get(h uint64) (int32, bool) {
	if t.n == 0 {
		return 0, false
	}
	h = tableKey(h)
	if f := h >> t.shift; t.filter[f>>6]&(1<<(f&63)) == 0 {
		return 0, false
	}
	i, ok := t.slot(h)
	return t.vals[i], ok
}

// put sets the value of key h, growing the table to keep it at most half
// full.
func (t *keyTable) put(h uint64, v int32) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow(0)
	}
	h = tableKey(h)
	i, ok := t.slot(h)
	if !ok {
		t.keys[i] = h
		t.n++
		f := h >> t.shift
		t.filter[f>>6] |= 1 << (f & 63)
	}
	t.vals[i] = v
}

// reserve makes room for n keys without growing.
func (t *keyTable) reserve(n int) {
	for 2*n > len(t.keys) {
		t.grow(max(1024, 2*len(t.keys), 1<<bits.Len(uint(2*n))))
	}
}

// grow makes the table size slots (a power of two), or doubles it.
func (t *keyTable) grow(size int) {
	old := *t
	size = max(size, 1024, 2*len(old.keys))
	// 4 bits of filter a slot, at most half of the slots full: one key
	// in 8 or fewer is let through that is not in the table.
	*t = keyTable{keys: make([]uint64, size), vals: make([]int32, size), mask: uint64(size - 1),
		filter: make([]uint64, 4*size/64), shift: uint(64 - (bits.Len(uint(size)) - 1) - 2)}
	for i, h := range old.keys {
		if h != 0 {
			j, _ := t.slot(h)
			t.keys[j], t.vals[j] = h, old.vals[i]
			t.n++
			f := h >> t.shift
			t.filter[f>>6] |= 1 << (f & 63)
		}
	}
}
