package lists

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"time"

	"annex"
)

// Download limits. A list larger than DefaultMaxBytes is refused rather
// than read into memory; OpenSanctions' whole "sanctions" collection is the
// largest list and may need a higher Downloader.MaxBytes.
const (
	DefaultMaxBytes = 512 << 20
	DefaultTimeout  = 5 * time.Minute
)

// DefaultURLs returns the official addresses of each list's files, a new
// map on each call. Where a list is published:
//
//   - un: the UN Security Council Consolidated List,
//     https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list
//     (XML link "consolidated.xml").
//   - ofac-sdn: OFAC's Sanctions List Service,
//     https://ofac.treasury.gov/sanctions-list-service (the SDN list's
//     CSV files: SDN.CSV, ALT.CSV, ADD.CSV, SDN_COMMENTS.CSV).
//   - us-csl: the International Trade Administration's Consolidated
//     Screening List, https://www.trade.gov/consolidated-screening-list
//     (CSV download; consolidated.json is the same data as JSON).
//   - bis-dpl: the Bureau of Industry and Security's Denied Persons List,
//     https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/denied-persons-list
//     (the tab-separated dpl.txt).
//   - eu: the EU Financial Sanctions Files on
//     https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions
//     (XML version 1.1). The portal's own links add a "token" query
//     parameter, which the server may require; set it in Sources if so.
//   - uk: the FCDO's UK Sanctions List,
//     https://www.gov.uk/government/publications/the-uk-sanctions-list
//     (CSV; UK-Sanctions-List.xml is the same data as XML).
//   - opensanctions: the "sanctions" collection of
//     https://www.opensanctions.org/datasets/sanctions/ as FollowTheMoney
//     entities. OpenSanctions data is free for non-commercial use only
//     (CC BY-NC 4.0); a commercial user needs their licence.
func DefaultURLs() map[annex.ListSource][]string {
	ofac := "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
	return map[annex.ListSource][]string{
		annex.SourceUN:      {"https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
		annex.SourceOFACSDN: {ofac + "SDN.CSV", ofac + "ALT.CSV", ofac + "ADD.CSV", ofac + "SDN_COMMENTS.CSV"},
		annex.SourceUSCSL:   {"https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"},
		annex.SourceBISDPL:  {"https://www.bis.doc.gov/dpl/dpl.txt"},
		annex.SourceEU:      {"https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"},
		annex.SourceUK:      {"https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"},
		annex.SourceOpenSanctions: {
			"https://data.opensanctions.org/datasets/latest/sanctions/entities.ftm.json",
		},
	}
}

// Downloader fetches the files of a list over HTTP. The zero value uses
// http.DefaultClient, DefaultURLs, DefaultMaxBytes and DefaultTimeout.
type Downloader struct {
	// Client makes the requests; nil means http.DefaultClient.
	Client *http.Client
	// Sources gives the URLs of each list's files; nil means DefaultURLs.
	Sources map[annex.ListSource][]string
	// MaxBytes is the largest file accepted; 0 means DefaultMaxBytes.
	MaxBytes int64
	// Timeout bounds one Fetch, all its files together; 0 means
	// DefaultTimeout.
	Timeout time.Duration
}

// Fetch downloads every file of a list, in the order of its URLs, each
// named by the last element of its URL's path (OFAC's "SDN.CSV"). A request
// sends User-Agent "Annex"; any status but 200 OK, a file over MaxBytes or
// the timeout fails the whole fetch. An unknown source is EINVALID.
func (d *Downloader) Fetch(ctx context.Context, source annex.ListSource) ([]File, error) {
	sources := d.Sources
	if sources == nil {
		sources = DefaultURLs()
	}
	urls := sources[source]
	if len(urls) == 0 {
		return nil, annex.Errorf(annex.EINVALID, "No download address for list %q.", source)
	}
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	files := make([]File, 0, len(urls))
	for _, u := range urls {
		f, err := d.get(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", source, err)
		}
		files = append(files, f)
	}
	return files, nil
}

// get downloads one file.
func (d *Downloader) get(ctx context.Context, rawURL string) (File, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return File{}, fmt.Errorf("parse URL: %w", err)
	}
	name := path.Base(u.Path)
	if name == "/" || name == "." {
		name = u.Host
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return File{}, fmt.Errorf("request %s: %w", name, err)
	}
	req.Header.Set("User-Agent", "Annex")
	client := d.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return File{}, fmt.Errorf("get %s: %w", name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return File{}, fmt.Errorf("get %s: status %s", name, resp.Status)
	}
	limit := d.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	if resp.ContentLength > limit {
		return File{}, fmt.Errorf("get %s: %d bytes is more than the limit of %d", name, resp.ContentLength, limit)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return File{}, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return File{}, fmt.Errorf("get %s: more than the limit of %d bytes", name, limit)
	}
	return File{Name: name, Data: data}, nil
}
