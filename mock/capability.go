package mock

import (
	"context"

	"annex"
)

var _ annex.CapabilityService = (*CapabilityService)(nil)

// CapabilityService is a mock of annex.CapabilityService.
type CapabilityService struct {
	// CapabilityFn stands in for Capability.
	CapabilityFn func(ctx context.Context, m *annex.Missile) (*annex.Capability, error)
}

// Capability calls CapabilityFn.
func (s *CapabilityService) Capability(ctx context.Context, m *annex.Missile) (*annex.Capability, error) {
	return s.CapabilityFn(ctx, m)
}
