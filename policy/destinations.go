package policy

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"annex"
)

//go:embed data/destinations.json
var dataFS embed.FS

// Partner is an MTCR partner and the year it joined.
type Partner struct {
	ISO2       string `json:"iso2"`
	Name       string `json:"name"`
	Joined     int    `json:"joined"`
	Note       string `json:"note,omitempty"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
}

// Adherent is a state that adheres to the MTCR Guidelines unilaterally.
type Adherent struct {
	ISO2       string `json:"iso2"`
	Name       string `json:"name"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
}

// Embargo is a UN arms or missile embargo on a destination, in force from
// a date (and until one, when lifted).
type Embargo struct {
	ISO2       string `json:"iso2"`
	Name       string `json:"name"`
	Measure    string `json:"measure"`
	From       string `json:"from"`
	Until      string `json:"until,omitempty"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
}

// Destinations is the destination policy data: MTCR partners, adherents and
// UN embargoes, with dates and sources.
type Destinations struct {
	Source    string         `json:"source"`
	Sources   []annex.Source `json:"sources"`
	Partners  []Partner      `json:"partners"`
	Adherents []Adherent     `json:"adherents"`
	Embargoes []Embargo      `json:"embargoes"`
}

// BuiltInDestinations returns the destination data compiled into Annex.
func BuiltInDestinations() (*Destinations, error) {
	b, err := dataFS.ReadFile("data/destinations.json")
	if err != nil {
		return nil, fmt.Errorf("read destinations: %w", err)
	}
	var d Destinations
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("destinations.json: %w", err)
	}
	sort.Slice(d.Partners, func(i, j int) bool { return d.Partners[i].Name < d.Partners[j].Name })
	return &d, nil
}

// Status returns what the policy says of a country on a day (YYYY-MM-DD):
// partner (joined in or before that year), adherent, embargoes in force and
// the holds in force among those given.
func (d *Destinations) Status(country, day string, holds []annex.Hold) annex.DestinationStatus {
	st := annex.DestinationStatus{Country: country, Name: country}
	year, _ := strconv.Atoi(day[:min(4, len(day))])
	for _, p := range d.Partners {
		if p.ISO2 == country {
			st.Name = p.Name
			st.Partner = p.Joined <= year
		}
	}
	for _, a := range d.Adherents {
		if a.ISO2 == country {
			st.Name, st.Adherent = a.Name, true
		}
	}
	for _, e := range d.Embargoes {
		if e.ISO2 == country && e.From <= day && (e.Until == "" || day <= e.Until) {
			st.Name = e.Name
			st.Embargoes = append(st.Embargoes, e.Measure)
		}
	}
	for _, h := range holds {
		if h.Country == country && h.Active(day) {
			st.Holds = append(st.Holds, h.Reason)
		}
	}
	return st
}
