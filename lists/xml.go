package lists

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"annex"
)

// xmlHandler receives, from xmlStream, each element whose name it asked for.
// It must consume the element (d.DecodeElement or d.Skip); line is where the
// element starts.
type xmlHandler func(d *xml.Decoder, se xml.StartElement, line int) error

// xmlStream reads an XML list entry by entry, so that memory holds one entry
// at a time. The root element must be named root (any namespace); its start
// tag is passed to onRoot. Every element named in entries, at any depth, is
// passed to onEntry. Errors are EINVALID and name the file and line.
func xmlStream(f File, root string, onRoot func(xml.StartElement) error, entries map[string]bool, onEntry xmlHandler) error {
	d := xml.NewDecoder(bytes.NewReader(f.Data))
	d.CharsetReader = charsetReader
	seenRoot := false
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			if !seenRoot {
				return invalidAt(f.Name, line, "no <%s> element: not a %s file", root, root)
			}
			return nil
		} else if err != nil {
			return xmlError(f, d, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line, _ = d.InputPos()
		if !seenRoot {
			if se.Name.Local != root {
				return invalidAt(f.Name, line, "root element is <%s>, not <%s>", se.Name.Local, root)
			}
			seenRoot = true
			if onRoot != nil {
				if err := onRoot(se); err != nil {
					return err
				}
			}
			continue
		}
		if entries[se.Name.Local] {
			if err := onEntry(d, se, line); err != nil {
				return xmlError(f, d, err)
			}
		}
	}
}

// xmlError turns a decoding error into an EINVALID error at its line;
// application errors pass through.
func xmlError(f File, d *xml.Decoder, err error) error {
	var ae *annex.Error
	if errors.As(err, &ae) {
		return err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return invalidAt(f.Name, se.Line, "malformed XML: %s", se.Msg)
	}
	line, _ := d.InputPos()
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return invalidAt(f.Name, line, "XML ends in the middle of an element")
	}
	return invalidAt(f.Name, line, "malformed XML: %v", err)
}

// charsetReader lets the decoder read the single-byte encodings a list
// might declare; UTF-8 is the decoder's own default.
func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(windows1252(b)), nil
	case "us-ascii", "ascii":
		return r, nil
	}
	return nil, fmt.Errorf("unsupported character encoding %q", charset)
}

// attr returns the value of a start tag's attribute, by local name.
func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
