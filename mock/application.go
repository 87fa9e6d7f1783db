package mock

import (
	"context"

	"annex"
)

var (
	_ annex.AssessService       = (*AssessService)(nil)
	_ annex.ApplicationService  = (*ApplicationService)(nil)
	_ annex.LicenceService      = (*LicenceService)(nil)
	_ annex.OrganisationService = (*OrganisationService)(nil)
)

// AssessService is a mock of annex.AssessService.
type AssessService struct {
	// AssessFn stands in for Assess.
	AssessFn func(ctx context.Context, spec *annex.ApplicationSpec) (*annex.Assessment, error)
}

// Assess calls AssessFn.
func (s *AssessService) Assess(ctx context.Context, spec *annex.ApplicationSpec) (*annex.Assessment, error) {
	return s.AssessFn(ctx, spec)
}

// ApplicationService is a mock of annex.ApplicationService.
type ApplicationService struct {
	// Each field stands in for the method of the same name without "Fn".
	CreateApplicationFn   func(ctx context.Context, app *annex.Application) error
	UpdateApplicationFn   func(ctx context.Context, id, version int64, spec annex.ApplicationSpec) (*annex.Application, error)
	FindApplicationByIDFn func(ctx context.Context, id int64) (*annex.Application, error)
	FindApplicationsFn    func(ctx context.Context, filter annex.ApplicationFilter) ([]*annex.Application, int, error)
	ActFn                 func(ctx context.Context, id int64, act *annex.CaseAction) (*annex.Application, error)
	AddDocumentFn         func(ctx context.Context, appID int64, doc *annex.Document, content []byte) error
	FindDocumentFn        func(ctx context.Context, id int64) (*annex.Document, []byte, error)
}

// CreateApplication calls CreateApplicationFn.
func (s *ApplicationService) CreateApplication(ctx context.Context, app *annex.Application) error {
	return s.CreateApplicationFn(ctx, app)
}

// UpdateApplication calls UpdateApplicationFn.
func (s *ApplicationService) UpdateApplication(ctx context.Context, id, version int64, spec annex.ApplicationSpec) (*annex.Application, error) {
	return s.UpdateApplicationFn(ctx, id, version, spec)
}

// FindApplicationByID calls FindApplicationByIDFn.
func (s *ApplicationService) FindApplicationByID(ctx context.Context, id int64) (*annex.Application, error) {
	return s.FindApplicationByIDFn(ctx, id)
}

// FindApplications calls FindApplicationsFn.
func (s *ApplicationService) FindApplications(ctx context.Context, filter annex.ApplicationFilter) ([]*annex.Application, int, error) {
	return s.FindApplicationsFn(ctx, filter)
}

// Act calls ActFn.
func (s *ApplicationService) Act(ctx context.Context, id int64, act *annex.CaseAction) (*annex.Application, error) {
	return s.ActFn(ctx, id, act)
}

// AddDocument calls AddDocumentFn.
func (s *ApplicationService) AddDocument(ctx context.Context, appID int64, doc *annex.Document, content []byte) error {
	return s.AddDocumentFn(ctx, appID, doc, content)
}

// FindDocument calls FindDocumentFn.
func (s *ApplicationService) FindDocument(ctx context.Context, id int64) (*annex.Document, []byte, error) {
	return s.FindDocumentFn(ctx, id)
}

// LicenceService is a mock of annex.LicenceService.
type LicenceService struct {
	// Each field stands in for the method of the same name without "Fn".
	FindLicenceByNumberFn func(ctx context.Context, number string) (*annex.Licence, error)
	FindLicencesFn        func(ctx context.Context, filter annex.LicenceFilter) ([]*annex.Licence, int, error)
	RecordShipmentFn      func(ctx context.Context, number string, s *annex.Shipment) (*annex.Licence, error)
	FindShipmentsFn       func(ctx context.Context, number string) ([]*annex.Shipment, error)
	ChangeLicenceFn       func(ctx context.Context, number string, act *annex.LicenceAction) (*annex.Licence, error)
	ExpireLicencesFn      func(ctx context.Context) (int, error)
}

// FindLicenceByNumber calls FindLicenceByNumberFn.
func (s *LicenceService) FindLicenceByNumber(ctx context.Context, number string) (*annex.Licence, error) {
	return s.FindLicenceByNumberFn(ctx, number)
}

// FindLicences calls FindLicencesFn.
func (s *LicenceService) FindLicences(ctx context.Context, filter annex.LicenceFilter) ([]*annex.Licence, int, error) {
	return s.FindLicencesFn(ctx, filter)
}

// RecordShipment calls RecordShipmentFn.
func (s *LicenceService) RecordShipment(ctx context.Context, number string, sh *annex.Shipment) (*annex.Licence, error) {
	return s.RecordShipmentFn(ctx, number, sh)
}

// FindShipments calls FindShipmentsFn.
func (s *LicenceService) FindShipments(ctx context.Context, number string) ([]*annex.Shipment, error) {
	return s.FindShipmentsFn(ctx, number)
}

// ChangeLicence calls ChangeLicenceFn.
func (s *LicenceService) ChangeLicence(ctx context.Context, number string, act *annex.LicenceAction) (*annex.Licence, error) {
	return s.ChangeLicenceFn(ctx, number, act)
}

// ExpireLicences calls ExpireLicencesFn.
func (s *LicenceService) ExpireLicences(ctx context.Context) (int, error) {
	return s.ExpireLicencesFn(ctx)
}

// OrganisationService is a mock of annex.OrganisationService.
type OrganisationService struct {
	// Each field stands in for the method of the same name without "Fn".
	CreateOrganisationFn   func(ctx context.Context, o *annex.Organisation) error
	FindOrganisationByIDFn func(ctx context.Context, id int64) (*annex.Organisation, error)
	FindOrganisationsFn    func(ctx context.Context) ([]*annex.Organisation, error)
}

// CreateOrganisation calls CreateOrganisationFn.
func (s *OrganisationService) CreateOrganisation(ctx context.Context, o *annex.Organisation) error {
	return s.CreateOrganisationFn(ctx, o)
}

// FindOrganisationByID calls FindOrganisationByIDFn.
func (s *OrganisationService) FindOrganisationByID(ctx context.Context, id int64) (*annex.Organisation, error) {
	return s.FindOrganisationByIDFn(ctx, id)
}

// FindOrganisations calls FindOrganisationsFn.
func (s *OrganisationService) FindOrganisations(ctx context.Context) ([]*annex.Organisation, error) {
	return s.FindOrganisationsFn(ctx)
}
