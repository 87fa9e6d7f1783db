// Package mock provides function-field mocks of the annex service
// interfaces, for the tests of the adapters (web).
//
// Each mock method calls the field of the same name with "Fn" appended. A
// test sets only the fields it expects to be called; calling a method whose
// field is nil panics, which the web server turns into a 500 and the test
// into a failure, so an unexpected call never passes silently.
package mock
