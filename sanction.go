package annex

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// MeasureKind names a sanction measure. The five kinds of the US missile
// sanctions are part of the determination contract; scripts depend on them.
// Rule packs may define more (INKSNA's, another country's).
type MeasureKind string

// The measures of AECA §73 and EAA §11B.
const (
	MeasureDenyMissileLicences  MeasureKind = "deny_missile_licences"
	MeasureDenyMissileContracts MeasureKind = "deny_missile_contracts"
	MeasureDenyAllUSMLLicences  MeasureKind = "deny_all_usml_licences"
	MeasureDenyAllContracts     MeasureKind = "deny_all_contracts"
	MeasureImportBan            MeasureKind = "import_ban"
)

// TransferParty is a person named in a transfer or a determination: the
// supplier, the recipient, or another that traded in the items.
type TransferParty struct {
	Name string `json:"name"`
	// Country is an ISO 3166-1 alpha-2 code.
	Country string `json:"country"`
	// Role is supplier, recipient, consignee, end_user or agent.
	Role string `json:"role,omitempty"`
	// EntityID is the register entity, when the party is one.
	EntityID int64 `json:"entity_id,omitempty"`
}

// Transfer party roles.
const (
	TransferSupplier  = "supplier"
	TransferRecipient = "recipient"
	TransferConsignee = "consignee"
	TransferEndUser   = "end_user"
	TransferAgent     = "agent"
)

// DeterminationInput is what a determination is made from: the contract of
// annex sanctions determine. Items may replace Category: the engine then
// classifies them and takes the strictest category.
type DeterminationInput struct {
	// Date is the date of the determination, YYYY-MM-DD: the measures
	// start on it.
	Date      string        `json:"date"`
	Supplier  TransferParty `json:"supplier"`
	Recipient TransferParty `json:"recipient"`
	// Others are further persons that traded in the items: consignees,
	// end users, agents. Measures fall on them too.
	Others                   []TransferParty `json:"others,omitempty"`
	Category                 Category        `json:"category,omitempty"`
	Items                    []Item          `json:"items,omitempty"`
	SubstantiallyContributed bool            `json:"substantially_contributed"`
	AuthorizedByAdherent     bool            `json:"authorized_by_adherent"`
	// TransferDate is when the transfer took place, when known; rule packs
	// apply to transfers after their effective date. Empty means Date.
	TransferDate string `json:"transfer_date,omitempty"`
	// Packs names the rule packs to apply; empty means the default pack.
	Packs []string `json:"packs,omitempty"`
}

// MeasureStatus is where a measure stands on a day.
type MeasureStatus string

// Measure statuses.
const (
	MeasurePending MeasureStatus = "pending" // starts later
	MeasureActive  MeasureStatus = "active"
	MeasureExpired MeasureStatus = "expired"
	MeasureWaived  MeasureStatus = "waived"
)

// Measure is one sanction on one person: the output of a determination and
// a row of the register.
type Measure struct {
	ID     int64  `json:"id,omitempty"`
	Entity string `json:"entity"`
	// Country is the entity's country, ISO 3166-1 alpha-2.
	Country string      `json:"country,omitempty"`
	Role    string      `json:"role,omitempty"`
	Measure MeasureKind `json:"measure"`
	// LegalBasis cites the provisions, as "AECA §73(a)(2)(B)(ii); EAA
	// §11B(b)(1)(B)(ii)".
	LegalBasis string `json:"legal_basis"`
	// Description says what is denied, in words.
	Description string `json:"description,omitempty"`
	// Pack is the rule pack that produced the measure.
	Pack  string `json:"pack,omitempty"`
	Start string `json:"start"`
	End   string `json:"end"`
	// Minimum is set when the law says "not less than": End is the earliest
	// the measure may end.
	Minimum bool `json:"minimum,omitempty"`
	// EntityID is the register entity the measure falls on; zero outside
	// the register.
	EntityID        int64 `json:"entity_id,omitempty"`
	DeterminationID int64 `json:"determination_id,omitempty"`
	// WaiverID and WaivedFrom are set once a waiver covers the measure.
	WaiverID   int64  `json:"waiver_id,omitempty"`
	WaivedFrom string `json:"waived_from,omitempty"`
}

// Status returns where the measure stands on a day (YYYY-MM-DD).
func (m *Measure) Status(day string) MeasureStatus {
	switch {
	case m.WaivedFrom != "" && m.WaivedFrom <= day:
		return MeasureWaived
	case day < m.Start:
		return MeasurePending
	case m.End != "" && day >= m.End:
		return MeasureExpired
	}
	return MeasureActive
}

// DeterminationResult is the output of the engine: the contract's
// {"measures": [...]}, empty when nothing applies, with the reasons.
type DeterminationResult struct {
	Measures []Measure `json:"measures"`
	// Category is the category the measures were determined for.
	Category Category `json:"category,omitempty"`
	// Reasons explain the result: each rule applied or exemption found.
	Reasons []string `json:"reasons,omitempty"`
	// Packs are the rule packs applied, with their versions.
	Packs []string `json:"packs,omitempty"`
}

// Determination is a determination recorded in the register: its input,
// its result, who made it and from which transfer report.
type Determination struct {
	ID       int64               `json:"id"`
	ReportID int64               `json:"report_id,omitempty"`
	Input    DeterminationInput  `json:"input"`
	Result   DeterminationResult `json:"result"`
	// Note is the analyst's note.
	Note      string    `json:"note,omitempty"`
	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Waiver waives measures, as the national-security waiver of AECA §73(e)
// and EAA §11B(b)(5), from a date.
type Waiver struct {
	ID int64 `json:"id"`
	// EntityID waives every measure on the entity; MeasureIDs waives those.
	EntityID   int64   `json:"entity_id,omitempty"`
	MeasureIDs []int64 `json:"measure_ids,omitempty"`
	// Effective is the date the waiver takes effect, YYYY-MM-DD.
	Effective string `json:"effective"`
	// Basis is national_security or sole_source.
	Basis      string `json:"basis"`
	LegalBasis string `json:"legal_basis,omitempty"`
	// NotifiedOn is when Congress was notified; the waiver must come the
	// notice period after it.
	NotifiedOn string    `json:"notified_on,omitempty"`
	Reason     string    `json:"reason"`
	CreatedBy  int64     `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// Waiver bases.
const (
	WaiverNationalSecurity = "national_security"
	WaiverSoleSource       = "sole_source"
)

// SanctionEntity is a person in the sanctions register: a supplier or
// recipient of transfers, and the target of measures.
type SanctionEntity struct {
	ID      int64      `json:"id"`
	Name    string     `json:"name"`
	Aliases []string   `json:"aliases,omitempty"`
	Type    EntityType `json:"type,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code.
	Country string `json:"country"`
	// SubUnits is set when measures also fall on the entity's sub-units and
	// successors, as the notices say.
	SubUnits bool `json:"sub_units,omitempty"`
	// ListRefs link the entity to entries of screening lists.
	ListRefs  []ListRef `json:"list_refs,omitempty"`
	Notes     string    `json:"notes,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ListRef names an entry of a screening list.
type ListRef struct {
	Source   ListSource `json:"source"`
	SourceID string     `json:"source_id"`
}

// EvidenceSource is a source of a transfer report, graded as intelligence
// reporting is: Reliability A (reliable) to F (cannot be judged).
type EvidenceSource struct {
	Citation    string `json:"citation"`
	URL         string `json:"url,omitempty"`
	Reliability string `json:"reliability"`
}

// ReportItem is one item of a reported transfer, with its classification.
type ReportItem struct {
	Description    string          `json:"description"`
	Quantity       float64         `json:"quantity,omitempty"`
	Item           Item            `json:"item"`
	Classification *Classification `json:"classification,omitempty"`
}

// TransferReport records a transfer: who supplied what to whom, when, on
// what evidence, and the analyst's assessment.
type TransferReport struct {
	ID        int64  `json:"id"`
	Reference string `json:"reference"`
	Title     string `json:"title"`
	// Date is when the transfer took place (or began), YYYY-MM-DD.
	Date        string `json:"date"`
	SupplierID  int64  `json:"supplier_id"`
	RecipientID int64  `json:"recipient_id"`
	// Supplier and Recipient are the entities, filled in on reads.
	Supplier  *SanctionEntity `json:"supplier,omitempty"`
	Recipient *SanctionEntity `json:"recipient,omitempty"`
	Items     []ReportItem    `json:"items"`
	// Category is the strictest category of the items; an analyst may give
	// it where the items cannot be described parameter by parameter.
	Category                 Category         `json:"category"`
	Sources                  []EvidenceSource `json:"sources"`
	Assessment               string           `json:"assessment"`
	SubstantiallyContributed bool             `json:"substantially_contributed"`
	AuthorizedByAdherent     bool             `json:"authorized_by_adherent"`
	CreatedBy                int64            `json:"created_by"`
	CreatedAt                time.Time        `json:"created_at"`
	UpdatedAt                time.Time        `json:"updated_at"`
}

// SanctionEntityFilter selects register entities. Query matches names and
// aliases, ignoring case.
type SanctionEntityFilter struct {
	Query   string
	Country string
	Offset  int
	Limit   int
}

// TransferReportFilter selects transfer reports. From and Until bound the
// transfer date (inclusive).
type TransferReportFilter struct {
	Query    string
	EntityID int64
	From     string
	Until    string
	Offset   int
	Limit    int
}

// MeasureFilter selects measures. Status needs Day.
type MeasureFilter struct {
	EntityID        int64
	DeterminationID int64
	Status          MeasureStatus
	Day             string
	Offset          int
	Limit           int
}

// SanctionService keeps the sanctions register: entities, transfer
// reports, determinations with their measures, waivers and policy holds.
// Every change is audited.
type SanctionService interface {
	CreateSanctionEntity(ctx context.Context, e *SanctionEntity) error
	FindSanctionEntityByID(ctx context.Context, id int64) (*SanctionEntity, error)
	FindSanctionEntities(ctx context.Context, filter SanctionEntityFilter) ([]*SanctionEntity, int, error)

	CreateTransferReport(ctx context.Context, r *TransferReport) error
	FindTransferReportByID(ctx context.Context, id int64) (*TransferReport, error)
	FindTransferReports(ctx context.Context, filter TransferReportFilter) ([]*TransferReport, int, error)

	// CreateDetermination records a determination and its measures. The
	// measures' entities must be in the register (EntityID set).
	CreateDetermination(ctx context.Context, d *Determination) error
	FindDeterminationByID(ctx context.Context, id int64) (*Determination, error)
	FindDeterminations(ctx context.Context, reportID int64) ([]*Determination, error)

	FindMeasures(ctx context.Context, filter MeasureFilter) ([]*Measure, int, error)
	// CreateWaiver records a waiver and marks the measures it covers.
	CreateWaiver(ctx context.Context, w *Waiver) error
	FindWaivers(ctx context.Context) ([]*Waiver, error)

	CreateHold(ctx context.Context, h *Hold) error
	FindHolds(ctx context.Context) ([]*Hold, error)
	// EndHold ends a hold on a day (YYYY-MM-DD), as the resumption of
	// processing.
	EndHold(ctx context.Context, id int64, until string) (*Hold, error)
}

// DeterminationService determines the measures the law requires of a
// transfer. It stores nothing.
type DeterminationService interface {
	Determine(ctx context.Context, in DeterminationInput) (*DeterminationResult, error)
}

// DeterminationInput returns the input of a determination of the report's
// transfer, made on a day: its supplier and recipient, category and
// findings. The report's entities must be filled in. A day before the
// transfer fails the input's validation (transfer_date).
func (r *TransferReport) DeterminationInput(day string) DeterminationInput {
	in := DeterminationInput{Date: day, TransferDate: r.Date, Category: r.Category,
		SubstantiallyContributed: r.SubstantiallyContributed, AuthorizedByAdherent: r.AuthorizedByAdherent}
	if r.Supplier != nil {
		in.Supplier = TransferParty{Name: r.Supplier.Name, Country: r.Supplier.Country, Role: TransferSupplier, EntityID: r.SupplierID}
	}
	if r.Recipient != nil {
		in.Recipient = TransferParty{Name: r.Recipient.Name, Country: r.Recipient.Country, Role: TransferRecipient, EntityID: r.RecipientID}
	}
	return in
}

// LinkEntities sets the register entity of each measure from the parties
// of the input, by role and name.
func (res *DeterminationResult) LinkEntities(in DeterminationInput) {
	parties := append([]TransferParty{in.Supplier, in.Recipient}, in.Others...)
	for i := range res.Measures {
		m := &res.Measures[i]
		for _, p := range parties {
			if p.EntityID != 0 && p.Name == m.Entity && (m.Role == "" || p.Role == "" || p.Role == m.Role) {
				m.EntityID = p.EntityID
				break
			}
		}
	}
}

// StrictestCategory returns the strictest category of the classifications.
func StrictestCategory(cs []*Classification) Category {
	var c Category
	for _, x := range cs {
		if x != nil && x.Controlled && x.Category.Higher(c) {
			c = x.Category
		}
	}
	return c
}

// Classify classifies the report's items that name a kind against the
// control list in force, and raises the report's category to the strictest
// found: an analyst's category stands where it is stricter, or where the
// items cannot be described parameter by parameter. Errors name the item's
// path, as "items[0].item.range_km".
func (r *TransferReport) Classify(ctx context.Context, cl ControlListService) error {
	// A classification comes from the classifier only, never from input.
	for i := range r.Items {
		r.Items[i].Classification = nil
	}
	var items []Item
	var at []int
	for i, it := range r.Items {
		if it.Item.Kind != "" {
			items = append(items, it.Item)
			at = append(at, i)
		}
	}
	if len(items) == 0 {
		return nil
	}
	cs, err := cl.Classify(ctx, "", items)
	if err != nil {
		fields := ErrorFields(err)
		if len(fields) == 0 {
			return err
		}
		out := make([]FieldError, len(fields))
		for i, f := range fields {
			out[i] = FieldError{Field: itemPath(f.Field, at), Message: f.Message}
		}
		return Invalid(out...)
	}
	for j, c := range cs {
		r.Items[at[j]].Classification = c
	}
	if c := StrictestCategory(cs); c.Higher(r.Category) {
		r.Category = c
	}
	return nil
}

// itemPath moves a classifier's field path, "[2].kind" of the third item
// classified (or "kind" of the only one), to the report's item it came
// from: "items[4].item.kind".
func itemPath(field string, at []int) string {
	if rest, ok := strings.CutPrefix(field, "["); ok {
		if j := strings.Index(rest, "]"); j > 0 {
			if n, err := strconv.Atoi(rest[:j]); err == nil && n < len(at) {
				return "items[" + strconv.Itoa(at[n]) + "].item" + rest[j+1:]
			}
		}
		return "items" + field
	}
	if len(at) == 1 {
		return "items[" + strconv.Itoa(at[0]) + "].item." + field
	}
	return "items." + field
}
