package annex

import (
	"context"
	"time"
)

// PartyRole is the part a party plays in an export.
type PartyRole string

// Party roles on an application.
const (
	RoleEndUser               PartyRole = "end_user"
	RoleConsignee             PartyRole = "consignee"
	RoleIntermediateConsignee PartyRole = "intermediate_consignee"
	RoleUltimateEndUser       PartyRole = "ultimate_end_user"
	RoleThirdParty            PartyRole = "third_party"
)

// PartyRoles lists the roles in the order forms show them.
var PartyRoles = []PartyRole{RoleEndUser, RoleConsignee, RoleIntermediateConsignee, RoleUltimateEndUser, RoleThirdParty}

// Declarations are the exporter's catch-all declarations: what it knows or
// suspects of a use in delivery systems for weapons of mass destruction, and
// whether the authority has told it so.
type Declarations struct {
	WMDEndUseKnown      bool `json:"wmd_end_use_known"`
	WMDEndUseSuspected  bool `json:"wmd_end_use_suspected"`
	InformedByAuthority bool `json:"informed_by_authority"`
}

// CatchAll reports whether any declaration gives a catch-all ground.
func (d Declarations) CatchAll() bool {
	return d.WMDEndUseKnown || d.WMDEndUseSuspected || d.InformedByAuthority
}

// Assurances are the undertakings the recipient offers (MTCR Guidelines
// para. 5 and the agreed end-user undertakings).
type Assurances struct {
	EndUseStatement          bool `json:"end_use_statement"`
	NoWMDUse                 bool `json:"no_wmd_use"`
	NoRetransfer             bool `json:"no_retransfer"`
	PostShipmentVerification bool `json:"post_shipment_verification"`
	GovernmentToGovernment   bool `json:"government_to_government"`
}

// RequiredAssurances reports whether the three assurances every Category II
// transfer needs are given: end-use statement, no WMD use, no retransfer
// without consent.
func (a Assurances) RequiredAssurances() bool {
	return a.EndUseStatement && a.NoWMDUse && a.NoRetransfer
}

// ApplicationParty is a party named on an application.
type ApplicationParty struct {
	Role    PartyRole `json:"role"`
	Name    string    `json:"name"`
	Country string    `json:"country"`
	Address string    `json:"address,omitempty"`
}

// ApplicationLine is one goods line: an item as classify takes it, with the
// quantity, its unit and the value.
type ApplicationLine struct {
	Item
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit,omitempty"`
	// Value is in the authority's currency.
	Value float64 `json:"value"`
}

// ApplicationSpec is what an exporter applies for: the assessment's input.
// Scripts depend on these JSON names (annex assess).
type ApplicationSpec struct {
	Destination  string             `json:"destination"`
	EndUse       string             `json:"end_use"`
	Declarations Declarations       `json:"declarations"`
	Assurances   Assurances         `json:"assurances"`
	Parties      []ApplicationParty `json:"parties"`
	Items        []ApplicationLine  `json:"items"`
}

// Recommendation is the assessment's advice to the officer.
type Recommendation string

// Recommendations, from the strictest.
const (
	RecommendDeny              Recommendation = "deny"
	RecommendRefer             Recommendation = "refer"
	RecommendApprove           Recommendation = "approve"
	RecommendNoLicenceRequired Recommendation = "no_licence_required"
)

// Severity orders recommendations: deny is the most severe.
func (r Recommendation) Severity() int {
	switch r {
	case RecommendDeny:
		return 3
	case RecommendRefer:
		return 2
	case RecommendApprove:
		return 1
	}
	return 0
}

// Presumption is the presumption the MTCR Guidelines set for a transfer.
type Presumption string

// Presumptions: a strong presumption to deny (Category I, WMD delivery),
// case by case (Category II), or none (nothing listed).
const (
	PresumptionDeny       Presumption = "deny"
	PresumptionCaseByCase Presumption = "case_by_case"
	PresumptionNone       Presumption = "none"
)

// Reason is one finding of the assessment, citing the rule behind it.
type Reason struct {
	Rule string `json:"rule"`
	// Outcome is what the rule calls for on its own.
	Outcome Recommendation `json:"outcome"`
	Detail  string         `json:"detail"`
	// Line and Party point at the goods line or party, counted from 0.
	Line  *int `json:"line,omitempty"`
	Party *int `json:"party,omitempty"`
	// Ref names the record the reason cites, where it has one: the
	// partner's denial of a no-undercut reason.
	Ref string `json:"ref,omitempty"`
}

// Factor is one of the six factors of the MTCR Guidelines (para. 3) that an
// officer weighs for a Category II transfer, with what the assessment found
// for it.
type Factor struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Findings []string `json:"findings"`
}

// DestinationStatus is what the destination policy says of a country.
type DestinationStatus struct {
	Country string `json:"country"`
	Name    string `json:"name"`
	// Partner is true for an MTCR partner, Adherent for a unilateral
	// adherent, on the day of the assessment.
	Partner  bool `json:"partner"`
	Adherent bool `json:"adherent"`
	// Embargoes are the UN arms or missile embargoes in force.
	Embargoes []string `json:"embargoes,omitempty"`
	// Holds are the policy holds in force for the destination.
	Holds []string `json:"holds,omitempty"`
}

// LineAssessment is the classification of one goods line.
type LineAssessment struct {
	Line           int             `json:"line"`
	Classification *Classification `json:"classification"`
}

// PartyScreening is the screening of one party.
type PartyScreening struct {
	Party  int           `json:"party"`
	Role   PartyRole     `json:"role"`
	Name   string        `json:"name"`
	Result *ScreenResult `json:"result"`
}

// Assessment is the automatic assessment of an application. Scripts depend
// on these JSON names.
type Assessment struct {
	LicenceRequired bool           `json:"licence_required"`
	Recommendation  Recommendation `json:"recommendation"`
	Presumption     Presumption    `json:"presumption"`
	// Category is the strictest MTCR category among the lines, null when
	// nothing is listed.
	Category    Category          `json:"category"`
	Reasons     []Reason          `json:"reasons"`
	Factors     []Factor          `json:"factors"`
	Destination DestinationStatus `json:"destination"`
	Lines       []LineAssessment  `json:"lines"`
	Parties     []PartyScreening  `json:"parties"`
	ListVersion string            `json:"list_version"`
	AssessedAt  time.Time         `json:"assessed_at"`
}

// Hold suspends (or marks for referral) a class of licences for a
// destination between two dates: the policy holds of the sanctions
// register, such as the suspension of satellite-launch licences for China
// in 2000.
type Hold struct {
	ID      int64  `json:"id"`
	Country string `json:"country"`
	// Class names the licences held, as "satellite_launch"; empty holds
	// every licence for the destination.
	Class  string `json:"class,omitempty"`
	Reason string `json:"reason"`
	// From and Until are dates as YYYY-MM-DD; an empty Until is open.
	From  string `json:"from"`
	Until string `json:"until,omitempty"`
	// Effect is refer or deny.
	Effect Recommendation `json:"effect"`
}

// Active reports whether the hold is in force on a day (YYYY-MM-DD).
func (h Hold) Active(day string) bool {
	return h.From <= day && (h.Until == "" || day <= h.Until)
}

// AssessService assesses applications: it classifies every line, screens
// every party and applies the policy.
type AssessService interface {
	Assess(ctx context.Context, spec *ApplicationSpec) (*Assessment, error)
}
