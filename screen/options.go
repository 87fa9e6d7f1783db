package screen

// DefaultThreshold is the score at and above which a match is reported as
// a match (ScreenMatch.Match). It was calibrated on the benchmark sets of
// docs/screening-accuracy.md: nomenklatura's name_bench pairs, yente's UN
// positives and its 50,000 synthetic negatives.
const DefaultThreshold = 0.80

// DefaultFloor is the lowest score a search returns at all.
const DefaultFloor = 0.6

// DefaultLimit is the number of matches a search returns when the caller
// asks for 0.
const DefaultLimit = 10

// Options tunes the engine. A zero field takes the default named in its
// comment, so Options{} is the calibrated configuration.
type Options struct {
	// Threshold is the score of a match (0: DefaultThreshold).
	Threshold float64
	// Floor is the lowest score returned (0: DefaultFloor).
	Floor float64
	// MaxCandidates caps the names fully scored per query (0: 64).
	MaxCandidates int
	// CandidateShare is the share of the query's token mass a name must
	// share to be scored (0: 0.3).
	CandidateShare float64

	// MinTokenSim is the lowest token similarity that aligns two tokens
	// (0: 0.55).
	MinTokenSim float64
	// VowelFoldFactor scales the similarity of tokens compared with their
	// vowels folded (0: 0.92).
	VowelFoldFactor float64
	// AbjadFactor scales the similarity of consonant skeletons when one
	// token comes from Arabic or Hebrew script (0: 0.95).
	AbjadFactor float64
	// SkeletonSim is the similarity given to Latin tokens with the same
	// consonant skeleton that are already fairly close (0: 0.9).
	SkeletonSim float64
	// ShortSkeletonFactor scales a skeleton similarity when a skeleton has
	// two consonants or fewer (0: 0.85).
	ShortSkeletonFactor float64
	// SyllableFactor scales a non-exact similarity of tokens from a Chinese
	// or Korean name compared across scripts (0: 0.85).
	SyllableFactor float64
	// InitialSim is the similarity of an initial and a token it starts
	// (0: 0.85).
	InitialSim float64
	// JoinFactor scales the similarity of tokens joined to match one token
	// ("van der bilt" ~ "vanderbilt") (0: 0.97).
	JoinFactor float64

	// ExtraQueryWeight is the weight of a query token left unmatched
	// (0: 1.0).
	ExtraQueryWeight float64
	// ExtraListWeight is the weight of a listed token left unmatched: a
	// listed name may carry middle names the query lacks (0: 0.3).
	ExtraListWeight float64
	// LegalWeight, GenericWeight, HonorificWeight, ParticleWeight,
	// PatronymicWeight and InitialWeight scale the rarity weight of tokens of
	// those classes (0: 0.3, 0.4, 0.05, 0.3, 0.4, 0.5).
	LegalWeight, GenericWeight, HonorificWeight, ParticleWeight, PatronymicWeight, InitialWeight float64
	// SubsetExtraWeight is the weight of a query token left over when the
	// listed name is found whole in the query (0: 0.15).
	SubsetExtraWeight float64
	// SubsetMinRarity is the rarity (see rarity) a listed name needs for
	// the subset rule: common short names found inside a longer query are
	// not enough (0: 1.2).
	SubsetMinRarity float64
	// SimPower is the exponent applied to token similarities below 1 before
	// they are averaged: above 1, near misses count less (0: 1).
	SimPower float64
	// SubsetSim is the token similarity at which a listed name counts as
	// found whole inside a longer query (0: 0.85).
	SubsetSim float64
	// RoleMismatchFactor scales the similarity of a father's name ("bin
	// X") aligned with a given name (0: 0.6).
	RoleMismatchFactor float64
	// GenericCap caps the score of a name whose only matching tokens are
	// legal forms, generic words, honorifics or particles (0: 0.5).
	GenericCap float64
	// SingleTokenCap caps the score of a name match resting on one token
	// when either name has more (0: 0.75).
	SingleTokenCap float64

	// WeakAliasFactor scales the score of a weak alias (0: 0.9);
	// FormerNameFactor that of a former name (0: 0.97).
	WeakAliasFactor, FormerNameFactor float64

	// DOBMismatch is subtracted when every birth year differs by more than
	// one year (0: 0.15); DOBNearMismatch when the closest differs by one
	// (0: 0.05); DOBMatch added when a date agrees (0: 0.02).
	DOBMismatch, DOBNearMismatch, DOBMatch float64
	// CountryMismatch is subtracted when the entity has countries and none
	// is the query's (0: 0.1); CountryMatch added when one is (0: 0.02).
	CountryMismatch, CountryMatch float64
	// TypeMismatch is subtracted when the query's and the entity's types
	// differ (0: 0.15).
	TypeMismatch float64

	// idfUnknown is the rarity of a token the index has never seen; set by
	// NewIndex.
	idfUnknown float64
	// simNeed is the lowest token similarity that can align two tokens
	// once the factors of joins, syllables and roles are applied: a lower
	// one need not be computed exactly. Set by withDefaults.
	simNeed float64
}

// withDefaults fills the zero fields.
func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Threshold, DefaultThreshold)
	def(&o.Floor, DefaultFloor)
	if o.MaxCandidates == 0 {
		o.MaxCandidates = 32
	}
	def(&o.CandidateShare, 0.3)
	def(&o.MinTokenSim, 0.7)
	def(&o.VowelFoldFactor, 0.92)
	def(&o.AbjadFactor, 0.95)
	def(&o.SkeletonSim, 0.9)
	def(&o.ShortSkeletonFactor, 0.85)
	def(&o.SyllableFactor, 0.85)
	def(&o.InitialSim, 0.85)
	def(&o.JoinFactor, 0.97)
	def(&o.ExtraQueryWeight, 1.0)
	def(&o.ExtraListWeight, 0.3)
	def(&o.LegalWeight, 0.3)
	def(&o.GenericWeight, 0.4)
	def(&o.HonorificWeight, 0.05)
	def(&o.ParticleWeight, 0.3)
	def(&o.PatronymicWeight, 0.4)
	def(&o.InitialWeight, 0.5)
	def(&o.SubsetSim, 0.85)
	def(&o.SubsetExtraWeight, 0.15)
	def(&o.SimPower, 1)
	def(&o.SubsetMinRarity, 1.2)
	def(&o.RoleMismatchFactor, 0.6)
	def(&o.GenericCap, 0.5)
	def(&o.SingleTokenCap, 0.75)
	def(&o.WeakAliasFactor, 0.9)
	def(&o.FormerNameFactor, 0.97)
	def(&o.DOBMismatch, 0.15)
	def(&o.DOBNearMismatch, 0.05)
	def(&o.DOBMatch, 0.02)
	def(&o.CountryMismatch, 0.1)
	def(&o.CountryMatch, 0.02)
	def(&o.TypeMismatch, 0.15)
	o.simNeed = o.MinTokenSim / (max(1, o.JoinFactor) * max(1, o.SyllableFactor) * max(1, o.RoleMismatchFactor))
	return o
}

// classWeight is the factor of a token class.
func (o *Options) classWeight(c tokenClass) float64 {
	switch c {
	case classLegal:
		return o.LegalWeight
	case classGeneric:
		return o.GenericWeight
	case classHonorific:
		return o.HonorificWeight
	case classParticle:
		return o.ParticleWeight
	case classPatronymic:
		return o.PatronymicWeight
	case classInitial:
		return o.InitialWeight
	}
	return 1
}
