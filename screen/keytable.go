package screen

// keyTable maps hashed lookup keys to an int32 with open addressing and
// linear probing: a search makes dozens of lookups in a table of hundreds
// of thousands of keys, most of them misses, and this costs about one
// cache line each. Keys are hashes already, so their low bits place them.
type keyTable struct {
	keys []uint64 // 0: empty slot
	vals []int32
	mask uint64
	n    int
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
	i, ok := t.slot(tableKey(h))
	return t.vals[i], ok
}

// put sets the value of key h, growing the table to keep it at most half
// full.
func (t *keyTable) put(h uint64, v int32) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	h = tableKey(h)
	i, ok := t.slot(h)
	if !ok {
		t.keys[i] = h
		t.n++
	}
	t.vals[i] = v
}

// grow doubles the table (or makes it).
func (t *keyTable) grow() {
	old := *t
	size := max(1024, 2*len(old.keys))
	*t = keyTable{keys: make([]uint64, size), vals: make([]int32, size), mask: uint64(size - 1)}
	for i, h := range old.keys {
		if h != 0 {
			j, _ := t.slot(h)
			t.keys[j], t.vals[j] = h, old.vals[i]
			t.n++
		}
	}
}
