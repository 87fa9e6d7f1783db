package ballistics

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// missilesCSV is the shared data set, relative to this package.
const missilesCSV = "../../shared/data/missiles/missiles.csv"

// missileRow is one computable row of missiles.csv.
type missileRow struct {
	name               string
	v                  Vehicle
	publishedKm, refKm float64 // NaN when not given
}

// readMissiles returns the computable rows, or skips the test when the data
// set is absent.
func readMissiles(tb testing.TB) []missileRow {
	tb.Helper()
	f, err := os.Open(missilesCSV)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("%s is absent", missilesCSV)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("read %s: %v", missilesCSV, err)
	}
	col := map[string]int{}
	for i, name := range records[0] {
		col[name] = i
	}
	var rows []missileRow
	for line, rec := range records[1:] {
		get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		if get("computable") != "yes" {
			continue
		}
		row, err := parseRow(get)
		if err != nil {
			tb.Fatalf("%s line %d (%s): %v", missilesCSV, line+2, get("name"), err)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		tb.Fatalf("%s has no computable rows", missilesCSV)
	}
	return rows
}

// parseRow builds a vehicle from one row: per-stage values separated by
// "|"; dry mass from dry_mass_kg or gross minus propellant; one diameter
// serves every stage when fewer are given.
func parseRow(get func(string) string) (missileRow, error) {
	row := missileRow{name: get("name"), publishedKm: optFloat(get("published_range_km")), refKm: optFloat(get("reference_sim_range_km"))}
	n, err := strconv.Atoi(get("stages"))
	if err != nil {
		return row, err
	}
	cols := map[string][]float64{}
	for _, name := range []string{"propellant_mass_kg", "dry_mass_kg", "gross_mass_kg", "isp_s", "burn_time_s", "diameter_m"} {
		for _, s := range strings.Split(get(name), "|") {
			cols[name] = append(cols[name], optFloat(s))
		}
	}
	at := func(name string, i int) float64 {
		if c := cols[name]; i < len(c) {
			return c[i]
		}
		return math.NaN()
	}
	for i := 0; i < n; i++ {
		s := Stage{PropellantKg: at("propellant_mass_kg", i), DryKg: at("dry_mass_kg", i), IspS: at("isp_s", i), BurnS: at("burn_time_s", i), DiameterM: at("diameter_m", i)}
		if math.IsNaN(s.DryKg) {
			s.DryKg = at("gross_mass_kg", i) - s.PropellantKg
		}
		if len(cols["diameter_m"]) < n {
			s.DiameterM = cols["diameter_m"][0]
		}
		row.v.Stages = append(row.v.Stages, s)
	}
	row.v.PayloadKg = optFloat(get("payload_kg"))
	return row, row.v.Validate()
}

// optFloat parses a number, NaN when blank or unparsable.
func optFloat(s string) float64 {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// TestValidation flies every computable row of missiles.csv at its payload
// and holds the rows with a reference simulation (Forden 2007) to 5 %.
func TestValidation(t *testing.T) {
	for _, row := range readMissiles(t) {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			res, err := MaxRange(row.v, Options{})
			if err != nil {
				t.Fatalf("MaxRange: %v", err)
			}
			km := res.RangeM / 1e3
			t.Logf("%.0f km; published %.0f km; reference simulation %.0f km", km, row.publishedKm, row.refKm)
			if !math.IsNaN(row.refKm) {
				checkRel(t, "range km vs reference simulation", km, row.refKm, 0.05)
			}
		})
	}
}

// planarCheckKm is missile-model.md's own planar check (§5, §6), by row name.
var planarCheckKm = map[string]float64{
	"Scud-B (R-17)": 300, "Al Hussein": 713, "No-dong (Nodong-1)": 992, "Taepodong-1 (2-stage model)": 2328,
	"Scud (R-17)": 336, "Scud-ER": 1194, "Minuteman III (LGM-30G)": 9845, "V-2 (A-4)": 241,
}

// TestValidationTable prints the tables of docs/ballistics-validation.md
// in Markdown. It runs only with -v:
//
//	go test ./ballistics/ -run TestValidationTable -v
func TestValidationTable(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("prints the validation tables; run with -v")
	}
	rows := readMissiles(t)
	fmt.Println("| Missile | Stages | Payload kg | Annex max range km | Published km | Forden reference km | Annex vs Forden | Annex vs published | Planar check km | Hold ° | Rate °/s | Flights |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|")
	var forden []missileRow
	for _, row := range rows {
		res, err := MaxRange(row.v, Options{})
		if err != nil {
			t.Fatalf("%s: %v", row.name, err)
		}
		km := res.RangeM / 1e3
		fmt.Printf("| %s | %d | %.0f | %s | %s | %s | %s | %s | %s | %.1f | %.2f | %d |\n", row.name, len(row.v.Stages), row.v.PayloadKg,
			orbitalKm(res), optKm(row.publishedKm), optKm(row.refKm), diff(km, row.refKm), diff(km, row.publishedKm),
			optKm(planarCheckKm[row.name]), res.Program.HoldRad/deg, res.Program.PitchRateRadS/deg, res.Evaluations)
		if !math.IsNaN(row.refKm) {
			forden = append(forden, row)
		}
	}
	fordenDetail(t, forden)
	scudTradeOff(t)
	verticalRise(t, forden)
}

// fordenDetail prints burnout and losses for the Forden rows, with a
// rotating-Earth variant.
func fordenDetail(t *testing.T, rows []missileRow) {
	fmt.Println("\n| Missile | Annex km | Forden km | Diff | Burnout speed m/s | Burnout angle ° | Burnout altitude km | Ideal Δv m/s | Gravity loss m/s | Drag loss m/s | Kepler cross-check km | Apogee km | Flight time s | Rotating, 40° N, az 40° km |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, row := range rows {
		res, err := MaxRange(row.v, Options{})
		if err != nil {
			t.Fatal(err)
		}
		rot, err := MaxRange(row.v, Options{Rotating: true, LatitudeRad: 40 * deg, AzimuthRad: 40 * deg})
		if err != nil {
			t.Fatal(err)
		}
		b := res.Burnout
		fmt.Printf("| %s | %.0f | %.0f | %s | %.0f | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |\n", row.name, res.RangeM/1e3, row.refKm,
			diff(res.RangeM/1e3, row.refKm), b.SpeedMS, b.FlightPathRad/deg, b.AltitudeM/1e3, res.IdealDeltaVMS,
			res.GravityLossMS, res.DragLossMS, res.KeplerRangeM/1e3, res.ApogeeM/1e3, res.FlightTimeS, rot.RangeM/1e3)
	}
}

// scudTradeOff prints Scud-B's range at the MTCR payloads.
func scudTradeOff(t *testing.T) {
	fmt.Println("\n| Scud-B payload kg | Annex max range km | Planar check km |")
	fmt.Println("|---|---|---|")
	check := map[float64]float64{500: 446, 750: 362, 1000: 300}
	payloads := []float64{500, 750, 1000, 1150}
	curve, err := Curve(scudB(), payloads, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, res := range curve {
		fmt.Printf("| %.0f | %.1f | %s |\n", payloads[i], res.RangeM/1e3, optKm(check[payloads[i]]))
	}
	p, ok, err := PayloadForRange(scudB(), 300e3, 0, 2000, Options{})
	if err != nil || !ok {
		t.Fatalf("PayloadForRange: %v, %v", ok, err)
	}
	fmt.Printf("\nHeaviest Scud-B payload for 300 km: %.1f kg.\n", p)
}

// verticalRise prints how the maximum range depends on the vertical rise.
func verticalRise(t *testing.T, rows []missileRow) {
	rises := []float64{0.5, 2, 4, 6}
	fmt.Print("\n| Missile |")
	for _, s := range rises {
		fmt.Printf(" rise %.1f s |", s)
	}
	fmt.Print("\n|---|")
	for range rises {
		fmt.Print("---|")
	}
	fmt.Println()
	for _, row := range rows {
		fmt.Printf("| %s |", row.name)
		for _, s := range rises {
			res, err := MaxRange(row.v, Options{VerticalS: s})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Printf(" %.0f |", res.RangeM/1e3)
		}
		fmt.Println()
	}
}

func optKm(km float64) string {
	if math.IsNaN(km) || km == 0 {
		return "–"
	}
	return strconv.FormatFloat(km, 'f', 0, 64)
}

func orbitalKm(res Result) string {
	if res.Orbital || res.RangeM >= math.Pi*EarthRadiusM*(1-1e-5) {
		return "any point on Earth"
	}
	return strconv.FormatFloat(res.RangeM/1e3, 'f', 0, 64)
}

func diff(km, refKm float64) string {
	if math.IsNaN(refKm) {
		return "–"
	}
	return fmt.Sprintf("%+.1f %%", 100*(km/refKm-1))
}
