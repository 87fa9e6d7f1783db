package controllist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"annex"
)

// Service implements annex.ControlListService over a set of list versions
// held in memory. The version in force is the one with the latest effective
// date on or before today, by the Now clock.
type Service struct {
	// Now returns the current time; it decides which version is in force.
	Now func() time.Time

	mu       sync.RWMutex
	versions []*versionState // newest effective first
	// analyses bounds the capability analyses running at once.
	analyses chan struct{}
}

type versionState struct {
	c    *Classifier
	info annex.ListVersionInfo
}

var _ annex.ControlListService = (*Service)(nil)

// NewService returns a service holding the given built-in versions.
func NewService(builtIn ...*annex.ListVersion) (*Service, error) {
	s := &Service{Now: time.Now, analyses: make(chan struct{}, runtime.GOMAXPROCS(0))}
	for _, v := range builtIn {
		if err := s.Add(v, true); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Add compiles a version and makes it available. It returns ECONFLICT if a
// version with the same ID is present.
func (s *Service) Add(v *annex.ListVersion, builtIn bool) error {
	c, err := NewClassifier(v)
	if err != nil {
		return err
	}
	sum, err := Hash(v)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, vs := range s.versions {
		if vs.info.ID == v.ID {
			return annex.Errorf(annex.ECONFLICT, "list version %s is already loaded", v.ID)
		}
	}
	s.versions = append(s.versions, &versionState{c: c, info: annex.ListVersionInfo{
		ID: v.ID, Title: v.Title, EffectiveDate: v.EffectiveDate, Source: v.Source,
		SHA256: sum, Entries: len(v.Entries), BuiltIn: builtIn,
	}})
	sort.SliceStable(s.versions, func(i, j int) bool {
		return s.versions[i].info.EffectiveDate > s.versions[j].info.EffectiveDate
	})
	return nil
}

// Hash returns the hex SHA-256 of a version's JSON encoding.
func Hash(v *annex.ListVersion) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode list version: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// current returns the version in force, or nil when there is none.
func (s *Service) current() *versionState {
	today := s.Now().UTC().Format(time.DateOnly)
	for _, vs := range s.versions {
		if vs.info.EffectiveDate <= today {
			return vs
		}
	}
	if len(s.versions) > 0 {
		return s.versions[len(s.versions)-1]
	}
	return nil
}

func (s *Service) find(id string) (*versionState, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if id == "" {
		if vs := s.current(); vs != nil {
			return vs, nil
		}
		return nil, annex.Errorf(annex.ENOTFOUND, "no control list is loaded")
	}
	for _, vs := range s.versions {
		if vs.info.ID == id {
			return vs, nil
		}
	}
	return nil, annex.Errorf(annex.ENOTFOUND, "list version %q not found", id)
}

// Classifier returns the classifier of a version ("" for the version in force).
func (s *Service) Classifier(version string) (*Classifier, error) {
	vs, err := s.find(version)
	if err != nil {
		return nil, err
	}
	return vs.c, nil
}

// FindVersions describes every version, newest effective first.
func (s *Service) FindVersions(ctx context.Context) ([]*annex.ListVersionInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	cur := s.current()
	out := make([]*annex.ListVersionInfo, len(s.versions))
	for i, vs := range s.versions {
		info := vs.info
		info.Current = vs == cur
		out[i] = &info
	}
	return out, nil
}

// FindVersion returns a version by ID; "" means the version in force.
func (s *Service) FindVersion(ctx context.Context, id string) (*annex.ListVersion, error) {
	vs, err := s.find(id)
	if err != nil {
		return nil, err
	}
	return vs.c.version, nil
}

// FindEntryByID returns one entry of a version.
func (s *Service) FindEntryByID(ctx context.Context, version, id string) (*annex.Entry, error) {
	vs, err := s.find(version)
	if err != nil {
		return nil, err
	}
	e := vs.c.byID[strings.TrimSpace(id)]
	if e == nil {
		return nil, annex.Errorf(annex.ENOTFOUND, "entry %q is not in list version %s", id, vs.info.ID)
	}
	return e, nil
}

// FindEntries returns the entries matching the filter, in list order.
func (s *Service) FindEntries(ctx context.Context, f annex.EntryFilter) ([]*annex.Entry, int, error) {
	vs, err := s.find(f.Version)
	if err != nil {
		return nil, 0, err
	}
	if f.Kind != "" && vs.c.kinds[f.Kind] == nil {
		return nil, 0, annex.Invalid(annex.FieldError{Field: "kind", Message: vs.c.unknownKind(f.Kind)})
	}
	if f.Category != "" && f.Category != annex.CategoryI && f.Category != annex.CategoryII {
		return nil, 0, annex.Invalid(annex.FieldError{Field: "category", Message: "must be I or II"})
	}
	q := newQuery(f.Query)
	var all []*annex.Entry
	for _, e := range vs.c.version.Entries {
		if (f.Category == "" || e.Category == f.Category) &&
			(f.Kind == "" || contains(entryKinds(e), f.Kind)) &&
			(f.Param == "" || usesParam(e, f.Param)) && q.match(e) {
			all = append(all, e)
		}
	}
	total := len(all)
	start := min(max(f.Offset, 0), total)
	end := total
	if f.Limit > 0 {
		end = min(start+f.Limit, total)
	}
	return all[start:end], total, nil
}

// Classify validates and classifies items against a version.
func (s *Service) Classify(ctx context.Context, version string, items []annex.Item) ([]*annex.Classification, error) {
	c, err := s.Classifier(version)
	if err != nil {
		return nil, err
	}
	return c.Classify(items)
}

// usesParam reports whether any criterion of the entry tests the parameter.
func usesParam(e *annex.Entry, param string) bool {
	conds := make([]*annex.Condition, 0, len(e.Match)+len(e.Rules))
	for i := range e.Match {
		conds = append(conds, &e.Match[i].Condition)
	}
	for i := range e.Rules {
		conds = append(conds, &e.Rules[i].When)
	}
	for _, c := range conds {
		for _, cr := range append(append([]annex.Criterion(nil), c.All...), c.Any...) {
			if cr.Param == param {
				return true
			}
		}
	}
	return false
}

// query matches entries by ID prefix or by words of the title and description.
type query struct {
	id    string
	words []string
}

func newQuery(s string) query {
	s = strings.TrimSpace(s)
	if entryIDRE.MatchString(strings.TrimSuffix(s, ".")) {
		return query{id: strings.TrimSuffix(s, ".")}
	}
	return query{words: strings.Fields(strings.ToLower(s))}
}

func (q query) match(e *annex.Entry) bool {
	if q.id != "" {
		return e.ID == q.id || strings.HasPrefix(e.ID, q.id+".")
	}
	if len(q.words) == 0 {
		return true
	}
	text := strings.ToLower(e.ID + " " + e.Title + " " + e.Description + " " + strings.Join(e.EU, " "))
	for _, w := range q.words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}
