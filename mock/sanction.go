package mock

import (
	"context"

	"annex"
)

var _ annex.SanctionService = (*SanctionService)(nil)

// SanctionService is a mock of annex.SanctionService.
type SanctionService struct {
	// Each field stands in for the method of the same name without "Fn".
	CreateSanctionEntityFn   func(ctx context.Context, e *annex.SanctionEntity) error
	FindSanctionEntityByIDFn func(ctx context.Context, id int64) (*annex.SanctionEntity, error)
	FindSanctionEntitiesFn   func(ctx context.Context, f annex.SanctionEntityFilter) ([]*annex.SanctionEntity, int, error)
	CreateTransferReportFn   func(ctx context.Context, r *annex.TransferReport) error
	FindTransferReportByIDFn func(ctx context.Context, id int64) (*annex.TransferReport, error)
	FindTransferReportsFn    func(ctx context.Context, f annex.TransferReportFilter) ([]*annex.TransferReport, int, error)
	CreateDeterminationFn    func(ctx context.Context, d *annex.Determination) error
	FindDeterminationByIDFn  func(ctx context.Context, id int64) (*annex.Determination, error)
	FindDeterminationsFn     func(ctx context.Context, reportID int64) ([]*annex.Determination, error)
	FindMeasuresFn           func(ctx context.Context, f annex.MeasureFilter) ([]*annex.Measure, int, error)
	CreateWaiverFn           func(ctx context.Context, w *annex.Waiver) error
	FindWaiversFn            func(ctx context.Context) ([]*annex.Waiver, error)
	CreateHoldFn             func(ctx context.Context, h *annex.Hold) error
	FindHoldsFn              func(ctx context.Context) ([]*annex.Hold, error)
	EndHoldFn                func(ctx context.Context, id int64, until string) (*annex.Hold, error)
}

// CreateSanctionEntity calls CreateSanctionEntityFn.
func (s *SanctionService) CreateSanctionEntity(ctx context.Context, e *annex.SanctionEntity) error {
	return s.CreateSanctionEntityFn(ctx, e)
}

// FindSanctionEntityByID calls FindSanctionEntityByIDFn.
func (s *SanctionService) FindSanctionEntityByID(ctx context.Context, id int64) (*annex.SanctionEntity, error) {
	return s.FindSanctionEntityByIDFn(ctx, id)
}

// FindSanctionEntities calls FindSanctionEntitiesFn.
func (s *SanctionService) FindSanctionEntities(ctx context.Context, f annex.SanctionEntityFilter) ([]*annex.SanctionEntity, int, error) {
	return s.FindSanctionEntitiesFn(ctx, f)
}

// CreateTransferReport calls CreateTransferReportFn.
func (s *SanctionService) CreateTransferReport(ctx context.Context, r *annex.TransferReport) error {
	return s.CreateTransferReportFn(ctx, r)
}

// FindTransferReportByID calls FindTransferReportByIDFn.
func (s *SanctionService) FindTransferReportByID(ctx context.Context, id int64) (*annex.TransferReport, error) {
	return s.FindTransferReportByIDFn(ctx, id)
}

// FindTransferReports calls FindTransferReportsFn.
func (s *SanctionService) FindTransferReports(ctx context.Context, f annex.TransferReportFilter) ([]*annex.TransferReport, int, error) {
	return s.FindTransferReportsFn(ctx, f)
}

// CreateDetermination calls CreateDeterminationFn.
func (s *SanctionService) CreateDetermination(ctx context.Context, d *annex.Determination) error {
	return s.CreateDeterminationFn(ctx, d)
}

// FindDeterminationByID calls FindDeterminationByIDFn.
func (s *SanctionService) FindDeterminationByID(ctx context.Context, id int64) (*annex.Determination, error) {
	return s.FindDeterminationByIDFn(ctx, id)
}

// FindDeterminations calls FindDeterminationsFn.
func (s *SanctionService) FindDeterminations(ctx context.Context, reportID int64) ([]*annex.Determination, error) {
	return s.FindDeterminationsFn(ctx, reportID)
}

// FindMeasures calls FindMeasuresFn.
func (s *SanctionService) FindMeasures(ctx context.Context, f annex.MeasureFilter) ([]*annex.Measure, int, error) {
	return s.FindMeasuresFn(ctx, f)
}

// CreateWaiver calls CreateWaiverFn.
func (s *SanctionService) CreateWaiver(ctx context.Context, w *annex.Waiver) error {
	return s.CreateWaiverFn(ctx, w)
}

// FindWaivers calls FindWaiversFn.
func (s *SanctionService) FindWaivers(ctx context.Context) ([]*annex.Waiver, error) {
	return s.FindWaiversFn(ctx)
}

// CreateHold calls CreateHoldFn.
func (s *SanctionService) CreateHold(ctx context.Context, h *annex.Hold) error {
	return s.CreateHoldFn(ctx, h)
}

// FindHolds calls FindHoldsFn.
func (s *SanctionService) FindHolds(ctx context.Context) ([]*annex.Hold, error) {
	return s.FindHoldsFn(ctx)
}

// EndHold calls EndHoldFn.
func (s *SanctionService) EndHold(ctx context.Context, id int64, until string) (*annex.Hold, error) {
	return s.EndHoldFn(ctx, id, until)
}
