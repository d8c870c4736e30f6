package eval

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

// Markers that delimit the section WriteSection replaces.
const (
	sectionBegin = "<!-- edgecluster eval: begin -->"
	sectionEnd   = "<!-- edgecluster eval: end -->"
)

// WriteTable writes rows as one Markdown table. A row of several runs
// shows each score as its mean ± its standard deviation over the runs. The
// J/J_batch column is each mean inertia divided by that of MethodBatch on
// the same data set. A sampled silhouette of a single run is printed with
// its 95% confidence half-width.
func WriteTable(w io.Writer, rows []Row) error {
	var b strings.Builder
	b.WriteString("| data set | n | method | runs | ACC | NMI | ARI | silhouette | DB " +
		"| inertia J | J/J_batch | seconds |\n")
	b.WriteString("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %s | %d | %s | %s | %s | %s | %s | %s | %s | %.3f |\n",
			r.Dataset, r.Points, r.Method, max(r.Runs, 1), scoreCell(r.ACC, r.SD.ACC, r),
			scoreCell(r.NMI, r.SD.NMI, r), scoreCell(r.ARI, r.SD.ARI, r), silhouetteCell(r),
			scoreCell(r.DaviesBouldin, r.SD.DaviesBouldin, r), inertiaCell(r),
			ratioCell(r, rows), r.Seconds)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func scoreCell(mean, sd float64, r Row) string {
	if r.Runs <= 1 {
		return fmt.Sprintf("%.4f", mean)
	}
	return fmt.Sprintf("%.4f ± %.4f", mean, sd)
}

func inertiaCell(r Row) string {
	if r.Runs <= 1 {
		return fmt.Sprintf("%.6g", r.Inertia)
	}
	return fmt.Sprintf("%.6g ± %.3g", r.Inertia, r.SD.Inertia)
}

func silhouetteCell(r Row) string {
	if r.Runs > 1 || r.SilhouetteStdErr == 0 {
		return scoreCell(r.Silhouette, r.SD.Silhouette, r)
	}
	return fmt.Sprintf("%.4f ± %.4f", r.Silhouette, z95*r.SilhouetteStdErr)
}

// z95 is the two-sided 95% quantile of the standard normal distribution.
const z95 = 1.959963984540054

func ratioCell(r Row, rows []Row) string {
	for _, base := range rows {
		if base.Dataset == r.Dataset && base.Method == MethodBatch && base.Inertia > 0 {
			return fmt.Sprintf("%.4f", r.Inertia/base.Inertia)
		}
	}
	return "–"
}

// WriteSection replaces the text between the eval markers in the Markdown
// file at path with body, or appends a section with heading, the markers
// and body when the file has no markers. The file must exist.
func WriteSection(path, heading, body string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}

	block := sectionBegin + "\n" + body + sectionEnd
	begin := bytes.Index(data, []byte(sectionBegin))
	end := bytes.Index(data, []byte(sectionEnd))
	var out []byte
	switch {
	case begin >= 0 && end > begin:
		out = append(out, data[:begin]...)
		out = append(out, block...)
		out = append(out, data[end+len(sectionEnd):]...)
	case begin >= 0 || end >= 0:
		return fmt.Errorf("%w: %s has only one of the markers %q and %q",
			ErrFormat, path, sectionBegin, sectionEnd)
	default:
		out = append(bytes.TrimRight(data, "\n"), "\n\n"+heading+"\n\n"+block+"\n"...)
	}
	return os.WriteFile(path, out, 0o644)
}
