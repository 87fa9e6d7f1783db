package annex

import (
	"context"
	"time"
)

// ListSource names a screening list. It is the "source" of a screening match;
// scripts depend on these values.
type ListSource string

// The lists Annex screens against.
const (
	SourceUN            ListSource = "un"             // UN Security Council consolidated list
	SourceOFACSDN       ListSource = "ofac-sdn"       // OFAC Specially Designated Nationals
	SourceUSCSL         ListSource = "us-csl"         // US Consolidated Screening List
	SourceBISDPL        ListSource = "bis-dpl"        // BIS Denied Persons List
	SourceEU            ListSource = "eu"             // EU consolidated financial sanctions
	SourceUK            ListSource = "uk"             // UK sanctions list
	SourceOpenSanctions ListSource = "opensanctions"  // OpenSanctions (FollowTheMoney)
	SourceRegister      ListSource = "annex-register" // Annex's own sanctions register
)

// ListSources lists every source, in the order reports show them.
var ListSources = []ListSource{SourceUN, SourceOFACSDN, SourceUSCSL, SourceBISDPL, SourceEU, SourceUK, SourceOpenSanctions, SourceRegister}

// EntityType is what a listed entity or a screened party is.
type EntityType string

// Entity types. The empty type means unknown.
const (
	EntityPerson       EntityType = "person"
	EntityOrganization EntityType = "organization"
	EntityVessel       EntityType = "vessel"
	EntityAircraft     EntityType = "aircraft"
)

// NameKind says what a name of a listed entity is.
type NameKind string

// Name kinds. A weak alias is a "low quality" a.k.a. (OFAC, UN): it is kept
// and matched, but scored lower. An original name is in the script of the
// list's own language (the UN list's NAME_ORIGINAL_SCRIPT).
const (
	NamePrimary   NameKind = "primary"
	NameAlias     NameKind = "alias"
	NameWeakAlias NameKind = "weak_alias"
	NameOriginal  NameKind = "original"
	NameFormer    NameKind = "former"
)

// EntityName is one name of a listed entity, as the list writes it.
type EntityName struct {
	Name string   `json:"name"`
	Kind NameKind `json:"kind"`
}

// Identifier is a document or registration number of a listed entity.
type Identifier struct {
	// Type is passport, national_id, registration, tax_id, imo, other.
	Type    string `json:"type"`
	Value   string `json:"value"`
	Country string `json:"country,omitempty"`
}

// Identifier types.
const (
	IDPassport     = "passport"
	IDNationalID   = "national_id"
	IDRegistration = "registration"
	IDTax          = "tax_id"
	IDIMO          = "imo"
	IDOther        = "other"
)

// ListEntity is one entry of a screening list, in a shape common to every
// list. The first name is the primary name.
type ListEntity struct {
	Source   ListSource   `json:"source"`
	SourceID string       `json:"source_id"`
	Type     EntityType   `json:"type,omitempty"`
	Names    []EntityName `json:"names"`
	// Countries are ISO 3166-1 alpha-2 codes where the list allows, from
	// nationality, citizenship, addresses and registration.
	Countries []string `json:"countries,omitempty"`
	Addresses []string `json:"addresses,omitempty"`
	// DatesOfBirth are YYYY, YYYY-MM or YYYY-MM-DD (or of incorporation).
	DatesOfBirth []string     `json:"dates_of_birth,omitempty"`
	Identifiers  []Identifier `json:"identifiers,omitempty"`
	Programs     []string     `json:"programs,omitempty"`
	// SourceList is the sub-list a combined list names, such as the CSL's
	// "Entity List (EL) - Bureau of Industry and Security".
	SourceList string `json:"source_list,omitempty"`
	ListedOn   string `json:"listed_on,omitempty"`
	Remarks    string `json:"remarks,omitempty"`
}

// PrimaryName returns the entity's first name, or "".
func (e *ListEntity) PrimaryName() string {
	if len(e.Names) == 0 {
		return ""
	}
	return e.Names[0].Name
}

// ListSnapshot describes one loaded copy of a list.
type ListSnapshot struct {
	ID     int64      `json:"id"`
	Source ListSource `json:"source"`
	// Format is the file format parsed, as "un-xml" or "ofac-sdn-csv".
	Format string   `json:"format"`
	Files  []string `json:"files"`
	// Published is the list's own date, when the file gives it.
	Published string    `json:"published,omitempty"`
	LoadedAt  time.Time `json:"loaded_at"`
	// SHA256 is the hash of the files' contents, in order.
	SHA256   string `json:"sha256"`
	Entities int    `json:"entities"`
	Names    int    `json:"names"`
}

// ScreenQuery is a party to screen. Only the name is required; type,
// country, date of birth and identifier are evidence for or against a match.
type ScreenQuery struct {
	Name    string     `json:"name"`
	Type    EntityType `json:"type,omitempty"`
	Country string     `json:"country,omitempty"`
	DOB     string     `json:"dob,omitempty"`
	ID      string     `json:"id,omitempty"`
}

// ScreenResult is the answer for one query, best match first. Scripts
// depend on these JSON names.
type ScreenResult struct {
	Query   string        `json:"query"`
	Matches []ScreenMatch `json:"matches"`
	// Threshold is the score at and above which a result is a match.
	Threshold float64 `json:"threshold,omitempty"`
}

// ScreenMatch is one listed entity found for a query.
type ScreenMatch struct {
	Source   ListSource `json:"source"`
	SourceID string     `json:"source_id"`
	// Name is the entity's primary name; MatchedName is the name of the
	// entity that scored best, which may be an alias or an original-script
	// name.
	Name        string  `json:"name"`
	MatchedName string  `json:"matched_name"`
	Score       float64 `json:"score"`
	// Match is true at or above the threshold.
	Match       bool         `json:"match"`
	Explanation []ScorePiece `json:"explanation"`
	Type        EntityType   `json:"type,omitempty"`
	Programs    []string     `json:"programs,omitempty"`
	Countries   []string     `json:"countries,omitempty"`
	SourceList  string       `json:"source_list,omitempty"`
	// EntityHash identifies the entity as listed now (see EntityHash), for
	// adjudication.
	EntityHash string `json:"entity_hash,omitempty"`
}

// ScorePiece is one step of a score's explanation: what was compared, the
// score or adjustment it gave, and why.
type ScorePiece struct {
	Factor string  `json:"factor"`
	Score  float64 `json:"score"`
	Detail string  `json:"detail"`
}

// ScreenService screens parties against the loaded lists.
type ScreenService interface {
	// Screen returns the matches for one party, best first. A threshold of
	// zero means the calibrated default.
	Screen(ctx context.Context, q ScreenQuery, threshold float64, limit int) (*ScreenResult, error)
}
