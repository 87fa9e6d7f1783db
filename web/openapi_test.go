package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"annex"
)

// openAPIDoc is the part of the OpenAPI document the tests read.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Example    json.RawMessage            `json:"example"`
		} `json:"schemas"`
	} `json:"components"`
}

func mustOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi=%q, want %q", doc.OpenAPI, "3.1.0")
	}
	return doc
}

// TestOpenAPIRoutes checks that every /api/v1 route of the mux is
// documented, and that every documented operation is a route.
func TestOpenAPIRoutes(t *testing.T) {
	doc := mustOpenAPI(t)
	var registered, documented []string
	for _, rt := range NewServer().routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if strings.HasPrefix(path, "/api/v1/") {
			registered = append(registered, method+" "+path)
		}
	}
	methods := []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}
	for path, ops := range doc.Paths {
		for method := range ops {
			if slices.Contains(methods, method) {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	slices.Sort(registered)
	slices.Sort(documented)
	if diff := cmp.Diff(registered, documented); diff != "" {
		t.Fatalf("routes (-registered +documented):\n%s", diff)
	}
}

// TestOpenAPIRefs checks that every $ref points at a component.
func TestOpenAPIRefs(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if ref, ok := x.(string); ok && k == "$ref" {
					if !resolves(doc, ref) {
						t.Errorf("$ref %q does not resolve", ref)
					}
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
}

func resolves(doc map[string]any, ref string) bool {
	var v any = doc
	for part := range strings.SplitSeq(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

// TestOpenAPISchemas checks that the schemas name the JSON fields of the Go
// types, and that their examples decode strictly into them.
func TestOpenAPISchemas(t *testing.T) {
	doc := mustOpenAPI(t)
	types := map[string]any{
		"Item": annex.Item{}, "Classification": annex.Classification{}, "Match": annex.Match{},
		"Comparison": annex.Comparison{}, "AppliedRule": annex.AppliedRule{}, "NearMiss": annex.NearMiss{},
		"Note": annex.Note{}, "Entry": annex.Entry{}, "Matcher": annex.Matcher{}, "Condition": annex.Condition{},
		"Rule": annex.Rule{}, "Kind": annex.Kind{}, "Param": annex.Param{}, "ListVersionInfo": annex.ListVersionInfo{},
		"User": annex.User{}, "Problem": Problem{}, "FieldError": annex.FieldError{},
		"EntryList": entryList{}, "KindList": kindList{}, "SessionRequest": sessionRequest{}, "SessionResponse": sessionResponse{},
		"Missile": annex.Missile{}, "Stage": annex.Stage{}, "Launch": annex.Launch{}, "Uncertainty": annex.Uncertainty{},
		"Capability": annex.Capability{}, "Trajectory": annex.Trajectory{}, "TrajectoryPoint": annex.TrajectoryPoint{},
		"CurvePoint": annex.CurvePoint{}, "CapabilityBand": annex.CapabilityBand{}, "ModelInfo": annex.ModelInfo{},
		"ScreenQuery": annex.ScreenQuery{}, "ScreenResult": annex.ScreenResult{}, "ScreenMatch": annex.ScreenMatch{},
		"ScorePiece": annex.ScorePiece{}, "ScreenBatchRequest": screenBatchRequest{}, "ScreenBatchResponse": screenBatchResponse{},
		"ListSnapshot": annex.ListSnapshot{}, "Party": annex.Party{}, "PartyRequest": partyRequest{}, "PartyDetail": partyDetail{},
		"PartyList": partyList{}, "Adjudication": annex.Adjudication{}, "AdjudicationRequest": adjudicationRequest{},
		"Alert": annex.Alert{}, "AlertList": alertList{},
		"ApplicationSpec": annex.ApplicationSpec{}, "Declarations": annex.Declarations{}, "Assurances": annex.Assurances{},
		"ApplicationParty": annex.ApplicationParty{}, "ApplicationLine": annex.ApplicationLine{}, "Assessment": annex.Assessment{},
		"Reason": annex.Reason{}, "Factor": annex.Factor{}, "DestinationStatus": annex.DestinationStatus{},
		"LineAssessment": annex.LineAssessment{}, "PartyScreening": annex.PartyScreening{}, "Application": annex.Application{},
		"Document": annex.Document{}, "InformationRequest": annex.InformationRequest{}, "AdviceRequest": annex.AdviceRequest{},
		"Advice": annex.Advice{}, "CaseDecision": annex.CaseDecision{}, "CaseAction": annex.CaseAction{},
		"ApplicationList": applicationList{}, "ApplicationUpdate": applicationUpdate{}, "Licence": annex.Licence{},
		"LicenceLine": annex.LicenceLine{}, "LicenceDetail": licenceDetail{}, "LineBalance": lineBalance{},
		"LicenceList": licenceList{}, "Shipment": annex.Shipment{}, "ShipmentList": shipmentList{},
		"ShipmentRequest": shipmentRequest{}, "ShipmentReceipt": shipmentReceipt{}, "LicenceAction": annex.LicenceAction{},
		"Organisation": annex.Organisation{}, "OrganisationRequest": organisationRequest{}, "OrganisationList": organisationList{},
		"UserRequest": userRequest{}, "NewUserResponse": newUserResponse{}, "UserList": userList{},
	}
	for _, name := range []string{"Criterion"} {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("schema %s is missing", name)
		}
	}
	for name, v := range types {
		t.Run(name, func(t *testing.T) {
			schema, ok := doc.Components.Schemas[name]
			if !ok {
				t.Fatalf("schema %s is missing", name)
			}
			var props []string
			for p := range schema.Properties {
				props = append(props, p)
			}
			slices.Sort(props)
			if diff := cmp.Diff(jsonFields(reflect.TypeOf(v)), props); diff != "" {
				t.Fatalf("properties (-Go fields +schema):\n%s", diff)
			}
			if schema.Example != nil {
				dec := json.NewDecoder(bytes.NewReader(schema.Example))
				dec.DisallowUnknownFields()
				if err := dec.Decode(reflect.New(reflect.TypeOf(v)).Interface()); err != nil {
					t.Fatalf("example does not decode: %v", err)
				}
			}
		})
	}
}

// jsonFields returns the sorted JSON names of a struct's fields, with the
// fields of embedded structs.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case f.Anonymous && tag == "":
			out = append(out, jsonFields(f.Type)...)
		case name == "-" || !f.IsExported():
		case name == "":
			out = append(out, f.Name)
		default:
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func TestOpenAPIServed(t *testing.T) {
	rec := httptest.NewRecorder()
	NewServer().Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("Status=%v, want %v", rec.Code, http.StatusOK)
	}
	if !bytes.Equal(rec.Body.Bytes(), openAPI) {
		t.Fatalf("served document differs from openapi.json")
	}
}

// TestOpenAPIEnums checks the documented enumerations against the Go
// constants.
func TestOpenAPIEnums(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum []any `json:"enum"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	var sources, etypes []any
	for _, src := range annex.ListSources {
		sources = append(sources, string(src))
	}
	for _, et := range []annex.EntityType{annex.EntityPerson, annex.EntityOrganization, annex.EntityVessel, annex.EntityAircraft} {
		etypes = append(etypes, string(et))
	}
	recommendations := strs([]annex.Recommendation{annex.RecommendDeny, annex.RecommendRefer, annex.RecommendApprove, annex.RecommendNoLicenceRequired})
	departments := []any{annex.DeptForeignAffairs, annex.DeptDefence}
	tests := []struct {
		schema, property string
		want             []any
	}{
		{"Note", "type", []any{string(annex.NoteAdvisory), string(annex.NoteExcluded), string(annex.NoteUntested), string(annex.NoteUndecided),
			string(annex.NoteIncorporation), string(annex.NoteCatchAll), string(annex.NoteAssumed), string(annex.NoteCapability)}},
		{"Capability", "category", []any{"I", "II", "none"}},
		{"Capability", "entry", []any{"1.A.1", "19.A.1", nil}},
		{"ScreenMatch", "source", sources},
		{"ScreenMatch", "type", etypes},
		{"ScreenQuery", "type", etypes},
		{"PartyRequest", "type", etypes},
		{"Party", "type", etypes},
		{"ListSnapshot", "source", sources},
		{"Adjudication", "source", sources},
		{"Adjudication", "decision", []any{string(annex.DecisionConfirm), string(annex.DecisionDismiss)}},
		{"AdjudicationRequest", "source", sources},
		{"AdjudicationRequest", "decision", []any{string(annex.DecisionConfirm), string(annex.DecisionDismiss)}},
		{"Alert", "source", sources},
		{"Alert", "status", []any{string(annex.AlertOpen), string(annex.AlertConfirmed), string(annex.AlertDismissed)}},
		{"Application", "status", strs(annex.ApplicationStatuses)},
		{"ApplicationParty", "role", strs(annex.PartyRoles)},
		{"PartyScreening", "role", strs(annex.PartyRoles)},
		{"Assessment", "recommendation", recommendations},
		{"Reason", "outcome", recommendations},
		{"Assessment", "presumption", strs([]annex.Presumption{annex.PresumptionDeny, annex.PresumptionCaseByCase, annex.PresumptionNone})},
		{"CaseAction", "type", strs([]annex.ActionType{annex.ActSubmit, annex.ActWithdraw, annex.ActAssign, annex.ActRequestInformation,
			annex.ActAnswerInformation, annex.ActRequestAdvice, annex.ActGiveAdvice, annex.ActProposeDecision, annex.ActCountersign,
			annex.ActRejectCountersign, annex.ActAppeal, annex.ActDecideAppeal, annex.ActReassess})},
		{"CaseAction", "department", departments},
		{"Advice", "department", departments},
		{"AdviceRequest", "department", departments},
		{"User", "department", departments},
		{"UserRequest", "department", departments},
		{"Advice", "type", strs([]annex.AdviceType{annex.AdviceApprove, annex.AdviceProviso, annex.AdviceRefuse})},
		{"CaseDecision", "type", strs([]annex.DecisionType{annex.DecisionApprove, annex.DecisionApproveProvisos, annex.DecisionRefuse, annex.DecisionNoLicenceRequired})},
		{"Document", "kind", []any{annex.DocEndUserCertificate, annex.DocOther}},
		{"Document", "content_type", strs(annex.DocumentTypes)},
		{"Licence", "status", strs(licenceStatuses)},
		{"LicenceAction", "type", strs([]annex.LicenceActionType{annex.LicenceSuspend, annex.LicenceReinstate, annex.LicenceRevoke})},
		{"Organisation", "kind", strs([]annex.OrganisationKind{annex.OrgAuthority, annex.OrgExporter})},
		{"OrganisationRequest", "kind", strs([]annex.OrganisationKind{annex.OrgAuthority, annex.OrgExporter})},
		{"User", "role", strs(annex.Roles)},
		{"UserRequest", "role", strs(annex.Roles)},
	}
	for _, tt := range tests {
		got := doc.Components.Schemas[tt.schema].Properties[tt.property].Enum
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s.%s enum (-want +got):\n%s", tt.schema, tt.property, diff)
		}
	}
}

// strs converts a list of string constants for comparison with an enum.
func strs[T ~string](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestOpenAPIMissileExamples checks that the missile examples pass the
// decoder the API uses, strict and validating.
func TestOpenAPIMissileExamples(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Examples map[string]struct {
						Value json.RawMessage `json:"value"`
					} `json:"examples"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Example json.RawMessage `json:"example"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	examples := map[string]json.RawMessage{"schema": doc.Components.Schemas["Missile"].Example}
	for name, ex := range doc.Paths["/api/v1/capability"]["post"].RequestBody.Content["application/json"].Examples {
		examples[name] = ex.Value
	}
	if len(examples) < 3 {
		t.Fatalf("%d missile examples, want the schema's and two of the request", len(examples))
	}
	for name, ex := range examples {
		if _, err := annex.DecodeMissile(bytes.NewReader(ex)); err != nil {
			t.Errorf("example %s: %v", name, err)
		}
	}
}

// TestOpenAPIScreen checks that the screening parameters documented are
// those the handler accepts, and that the batch example passes its checks.
func TestOpenAPIScreen(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name string `json:"name"`
			} `json:"parameters"`
			RequestBody struct {
				Content map[string]struct {
					Example json.RawMessage `json:"example"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	var names []string
	for _, p := range doc.Paths["/api/v1/screen"]["get"].Parameters {
		names = append(names, p.Name)
	}
	if diff := cmp.Diff(screenParams, names); diff != "" {
		t.Errorf("GET /api/v1/screen parameters (-accepted +documented):\n%s", diff)
	}
	ex := doc.Paths["/api/v1/screen"]["post"].RequestBody.Content["application/json"].Example
	dec := json.NewDecoder(bytes.NewReader(ex))
	dec.DisallowUnknownFields()
	var req screenBatchRequest
	if err := dec.Decode(&req); err != nil {
		t.Fatalf("batch example does not decode: %v", err)
	}
	if err := req.validate(); err != nil {
		t.Fatalf("batch example: %v", err)
	}
}

// TestOpenAPIApplicationExamples checks that the documented applications
// pass the decoder of the API, and that the documented case actions decode
// strictly.
func TestOpenAPIApplicationExamples(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Example  json.RawMessage `json:"example"`
					Examples map[string]struct {
						Value json.RawMessage `json:"value"`
					} `json:"examples"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	body := func(path, method string) json.RawMessage {
		return doc.Paths[path][method].RequestBody.Content["application/json"].Example
	}
	for _, ex := range []json.RawMessage{body("/api/v1/assess", "post"), body("/api/v1/applications", "post")} {
		if _, err := annex.DecodeApplication(bytes.NewReader(ex)); err != nil {
			t.Errorf("application example: %v", err)
		}
	}
	var upd applicationUpdate
	if err := json.Unmarshal(body("/api/v1/applications/{id}", "put"), &upd); err != nil {
		t.Fatalf("update example: %v", err)
	}
	if _, err := annex.DecodeApplication(bytes.NewReader(upd.Application)); err != nil {
		t.Errorf("update example: %v", err)
	}
	examples := doc.Paths["/api/v1/applications/{id}/actions"]["post"].RequestBody.Content["application/json"].Examples
	if len(examples) < 8 {
		t.Fatalf("%d action examples, want one per step of the browser test's case", len(examples))
	}
	for name, ex := range examples {
		dec := json.NewDecoder(bytes.NewReader(ex.Value))
		dec.DisallowUnknownFields()
		var act annex.CaseAction
		if err := dec.Decode(&act); err != nil {
			t.Errorf("action example %s: %v", name, err)
		}
	}
}
