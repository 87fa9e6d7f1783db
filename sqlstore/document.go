package sqlstore

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"annex"
)

// AddDocument attaches a file to an application of the signed-in exporter's
// organisation while it is a draft or awaits the exporter's answer. The
// content type is sniffed from the content, never taken from the client,
// and checked with annex.ValidateDocument. It sets doc's ID, ApplicationID,
// ContentType, Size, SHA256, UploadedBy and UploadedAt. The upload is
// audited as "application.add_document", without the content.
func (s *ApplicationService) AddDocument(ctx context.Context, appID int64, doc *annex.Document, content []byte) error {
	if doc == nil {
		return annex.Errorf(annex.EINVALID, "document required")
	}
	u, err := exporterUser(ctx, "attach documents")
	if err != nil {
		return err
	}
	doc.Size = int64(len(content))
	doc.FileName = strings.TrimSpace(doc.FileName)
	if err := annex.ValidateDocument(doc, http.DetectContentType(content)); err != nil {
		return err
	}
	doc.SHA256 = sha256Hex(content)

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if err := s.addDocument(ctx, tx, appID, doc, content, u); err != nil {
		return err
	}
	return tx.Commit()
}

// FindDocument returns a document's metadata and content, or ENOTFOUND,
// also when its application belongs to another organisation than an
// exporter user's.
func (s *ApplicationService) FindDocument(ctx context.Context, id int64) (*annex.Document, []byte, error) {
	tx, err := s.db.BeginTx(ctx, readOnly)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()

	doc, content, err := findDocument(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	return doc, content, tx.Commit()
}

// addDocument stores a validated document of an application that the
// exporter user may change.
func (s *ApplicationService) addDocument(ctx context.Context, tx *Tx, appID int64, doc *annex.Document, content []byte, u *annex.User) error {
	app, err := s.findForChange(ctx, tx, appID)
	if err != nil {
		return err
	}
	if app.Status != annex.StatusDraft && app.Status != annex.StatusAwaitingExporter {
		return annex.Errorf(annex.ECONFLICT, "documents are added to a draft, or while a question awaits your answer; this application is %s", app.Status)
	}
	doc.ApplicationID, doc.UploadedBy, doc.UploadedAt = appID, u.ID, tx.now
	err = tx.QueryRowContext(ctx, `INSERT INTO documents
		(application_id, kind, file_name, content_type, size, sha256, uploaded_by, uploaded_at, content)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		appID, doc.Kind, doc.FileName, doc.ContentType, doc.Size, doc.SHA256, u.ID, tx.db.timeArg(tx.now), content,
	).Scan(&doc.ID)
	if err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	return appendAudit(ctx, tx, auditRecord{
		action:  "application.add_document",
		subject: applicationSubject(appID),
		detail: map[string]any{"document_id": doc.ID, "kind": doc.Kind, "file_name": doc.FileName,
			"content_type": doc.ContentType, "size": doc.Size, "sha256": doc.SHA256},
	})
}

func findDocument(ctx context.Context, tx *Tx, id int64) (*annex.Document, []byte, error) {
	where, args := []string{"d.id = ?"}, []any{id}
	if v := orgScope(ctx); v != nil {
		where, args = append(where, "a.org_id = ?"), append(args, *v)
	}
	var d annex.Document
	var content []byte
	err := tx.QueryRowContext(ctx, `SELECT d.id, d.application_id, d.kind, d.file_name, d.content_type, d.size,
			d.sha256, d.uploaded_by, d.uploaded_at, d.content
		FROM documents d JOIN applications a ON a.id = d.application_id
		WHERE `+strings.Join(where, " AND "), args...).Scan(&d.ID, &d.ApplicationID, &d.Kind, &d.FileName,
		&d.ContentType, &d.Size, &d.SHA256, &d.UploadedBy, scanTime(&d.UploadedAt), &content)
	if isNoRows(err) {
		return nil, nil, annex.Errorf(annex.ENOTFOUND, "document %d not found", id)
	} else if err != nil {
		return nil, nil, fmt.Errorf("find document %d: %w", id, err)
	}
	return &d, content, nil
}
