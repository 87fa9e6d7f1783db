package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"annex"
)

// OrganisationService implements annex.OrganisationService.
//
// Only an administrator, or the system (no user in the context, as when
// the CLI sets up a new installation), creates organisations. An exporter
// user sees only its own organisation; every other user sees all.
type OrganisationService struct {
	db *DB
}

var _ annex.OrganisationService = (*OrganisationService)(nil)

// NewOrganisationService returns an OrganisationService for db.
func NewOrganisationService(db *DB) *OrganisationService { return &OrganisationService{db: db} }

// CreateOrganisation validates o, stores it and sets o.ID and o.CreatedAt.
// A user other than an administrator gets EFORBIDDEN, and a name already
// taken ECONFLICT. The creation is audited as "organisation.create".
func (s *OrganisationService) CreateOrganisation(ctx context.Context, o *annex.Organisation) error {
	if u := annex.UserFromContext(ctx); u != nil && u.Role != annex.RoleAdmin {
		return annex.Errorf(annex.EFORBIDDEN, "only an administrator creates organisations")
	}
	if err := validateOrganisation(o); err != nil {
		return err
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := createOrganisation(ctx, tx, o); err != nil {
		return err
	}
	return tx.Commit()
}

// FindOrganisationByID returns the organisation, or ENOTFOUND, also when an
// exporter user asks for another organisation than its own.
func (s *OrganisationService) FindOrganisationByID(ctx context.Context, id int64) (*annex.Organisation, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	orgs, err := findOrganisations(ctx, tx, &id)
	if err != nil {
		return nil, err
	} else if len(orgs) == 0 {
		return nil, annex.Errorf(annex.ENOTFOUND, "organisation %d not found", id)
	}
	return orgs[0], tx.Commit()
}

// FindOrganisations returns the organisations the user in the context may
// see, by name.
func (s *OrganisationService) FindOrganisations(ctx context.Context) ([]*annex.Organisation, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	orgs, err := findOrganisations(ctx, tx, nil)
	if err != nil {
		return nil, err
	}
	return orgs, tx.Commit()
}

// validateOrganisation checks a new organisation and trims its name.
func validateOrganisation(o *annex.Organisation) error {
	if o == nil {
		return annex.Errorf(annex.EINVALID, "organisation required")
	}
	var errs []annex.FieldError
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" || len(o.Name) > 200 {
		errs = append(errs, annex.FieldError{Field: "name", Message: "required, at most 200 characters"})
	}
	if o.Kind != annex.OrgAuthority && o.Kind != annex.OrgExporter {
		errs = append(errs, annex.FieldError{Field: "kind", Message: "must be authority or exporter"})
	}
	if len(errs) > 0 {
		return annex.Invalid(errs...)
	}
	return nil
}

func createOrganisation(ctx context.Context, tx *Tx, o *annex.Organisation) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?) RETURNING id`,
		o.Name, string(o.Kind), tx.db.timeArg(tx.now)).Scan(&o.ID)
	if annex.ErrorCode(err) == annex.ECONFLICT {
		return &annex.Error{Code: annex.ECONFLICT, Message: fmt.Sprintf("an organisation named %q exists", o.Name), Err: err}
	} else if err != nil {
		return fmt.Errorf("insert organisation: %w", err)
	}
	o.CreatedAt = tx.now

	return appendAudit(ctx, tx, auditRecord{
		action:  "organisation.create",
		subject: "organisation:" + strconv.FormatInt(o.ID, 10),
		detail:  map[string]any{"name": o.Name, "kind": o.Kind},
	})
}

// findOrganisations returns the organisation with the ID, or all when id
// is nil, that the user in the context may see.
func findOrganisations(ctx context.Context, tx *Tx, id *int64) ([]*annex.Organisation, error) {
	where, args := []string{"1 = 1"}, []any{}
	if id != nil {
		where, args = append(where, "id = ?"), append(args, *id)
	}
	if v := orgScope(ctx); v != nil {
		where, args = append(where, "id = ?"), append(args, *v)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, name, kind, created_at FROM organisations
		WHERE `+strings.Join(where, " AND ")+` ORDER BY name, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find organisations: %w", err)
	}
	defer rows.Close()

	orgs := make([]*annex.Organisation, 0)
	for rows.Next() {
		var o annex.Organisation
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind, scanTime(&o.CreatedAt)); err != nil {
			return nil, fmt.Errorf("scan organisation: %w", err)
		}
		orgs = append(orgs, &o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find organisations: %w", err)
	}
	return orgs, nil
}
