package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"annex"
)

// maxUploadBytes caps the body of a document upload: the largest document
// and room for the form around it.
const maxUploadBytes = annex.MaxDocumentSize + 64<<10

// upload is a document read from a multipart form.
type upload struct {
	Kind     string
	FileName string
	Content  []byte
	// HasFile is set when the form carried a file part, even an empty one.
	HasFile bool
}

// readUpload reads the parts "kind" and "file" of a multipart/form-data
// body, refusing any other part and a body larger than maxUploadBytes.
func readUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBytes)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, annex.Invalid(annex.FieldError{Message: "the body must be multipart/form-data with the parts kind and file"})
	}
	up := &upload{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, uploadError(err)
		}
		switch part.FormName() {
		case "kind":
			b, err := io.ReadAll(io.LimitReader(part, 100))
			if err != nil {
				return nil, uploadError(err)
			}
			up.Kind = strings.TrimSpace(string(b))
		case "file":
			up.HasFile = true
			up.FileName = filepath.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
			if up.FileName == "." || up.FileName == "/" {
				up.FileName = ""
			}
			if up.Content, err = io.ReadAll(part); err != nil {
				return nil, uploadError(err)
			}
		default:
			return nil, annex.Invalid(annex.FieldError{Field: part.FormName(), Message: "unknown part (allowed: kind, file)"})
		}
	}
	return up, nil
}

// uploadError names the file when an upload was too large.
func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return annex.Invalid(annex.FieldError{Field: "file", Message: fmt.Sprintf("the file is larger than %d MB", annex.MaxDocumentSize>>20)})
	}
	if errors.Is(err, multipart.ErrMessageTooLarge) {
		return annex.Invalid(annex.FieldError{Field: "file", Message: "the form is too large"})
	}
	return annex.Invalid(annex.FieldError{Message: "malformed multipart body: " + err.Error()})
}

// newDocument checks an upload and returns the document to store.
func newDocument(up *upload) (*annex.Document, error) {
	if !up.HasFile {
		return nil, annex.Invalid(annex.FieldError{Field: "file", Message: "choose a file"})
	}
	doc := &annex.Document{Kind: up.Kind, FileName: up.FileName, Size: int64(len(up.Content))}
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(up.Content))
	if err := annex.ValidateDocument(doc, sniffed); err != nil {
		return nil, err
	}
	return doc, nil
}

// handleAddDocument handles POST /api/v1/applications/{id}/documents: a
// multipart/form-data upload of a PDF, PNG or JPEG of at most 10 MB, its
// type sniffed from its first bytes.
func (s *Server) handleAddDocument(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "application")
	if err != nil {
		s.error(w, r, err)
		return
	}
	up, err := readUpload(w, r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	doc, err := newDocument(up)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.ApplicationService.AddDocument(r.Context(), id, doc, up.Content); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/documents/%d", doc.ID))
	s.writeJSON(w, r, http.StatusCreated, "application/json", doc)
}

// handleDocument handles GET /api/v1/documents/{id}: the file, as an
// attachment of its sniffed type, so that a browser saves it rather than
// opening it on Annex's origin.
func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		s.error(w, r, err)
		return
	}
	id, err := pathID(r, "document")
	if err != nil {
		s.error(w, r, err)
		return
	}
	doc, content, err := s.ApplicationService.FindDocument(r.Context(), id)
	if u := annex.UserFromContext(r.Context()); err == nil && isExporter(u) {
		// The store hides other organisations' documents; make sure.
		app, aerr := s.ApplicationService.FindApplicationByID(r.Context(), doc.ApplicationID)
		switch {
		case aerr == nil && !visible(u, app), annex.ErrorCode(aerr) == annex.ENOTFOUND:
			err = annex.Errorf(annex.ENOTFOUND, "There is no document %d.", id)
		case aerr != nil:
			err = aerr
		}
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", doc.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": doc.FileName}))
	h.Set("Content-Length", strconv.Itoa(len(content)))
	w.Write(content)
}
