// Package annex holds the domain of Annex, an export-control system for
// missile technology: the types shared by every part of the program, the
// service interfaces that adapters implement, and the application error type.
//
// The package imports only the standard library. Implementations live in
// subpackages named after what they depend on: controllist (the MTCR Annex as
// data and its classifier), sqlstore (SQLite and PostgreSQL), web (HTML pages
// and the JSON API). Only cmd/annex wires them together.
package annex

// Version is the version of this build of Annex. Release builds set it with
// -ldflags "-X annex.Version=...".
var Version = "dev"
